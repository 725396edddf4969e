"""Turn the stages of a long command into a status line on a terminal, plain lines in a log, or nothing.

A command creates one `Progress` and hands it down as a plain callback
`progress(stage, done=None, total=None)`; code that takes no callback uses `silent`. On a terminal
(stderr is a TTY) one line is rewritten in place ("Kapitel 3/10 ██████░░░░"); otherwise every stage
gives one line when it ends ("Kapitel 10/10 (0,4 s)"), which suits CI logs. `--leise` silences both.
The closing line names the time taken: "Fertig in 7,2 s".
"""

from __future__ import annotations

import logging
import sys
import time
from contextlib import contextmanager

BAR = 20
_MIN_INTERVAL = 0.05  # seconds between two redraws of the status line


def silent(stage: str, done: int | None = None, total: int | None = None) -> None:
    """The no-op progress callback (the default everywhere)."""


def seconds(value: float) -> str:
    """German seconds with one decimal: 7,2 s."""
    return f"{value:.1f}".replace(".", ",") + " s"


class Progress:
    """Callable progress reporter for one command run; use as a context manager."""

    def __init__(self, stream=None, quiet: bool = False, tty: bool | None = None, clock=time.monotonic):
        self.stream = stream if stream is not None else sys.stderr
        self.quiet = quiet
        self.tty = (hasattr(self.stream, "isatty") and self.stream.isatty()) if tty is None else tty
        self.clock = clock
        self.started = clock()
        self.stage: str | None = None
        self.done: int | None = None
        self.total: int | None = None
        self.stage_started = self.started
        self.drawn_at = 0.0
        self.width = 0

    def __call__(self, stage: str, done: int | None = None, total: int | None = None) -> None:
        if self.quiet:
            return
        new = stage != self.stage
        if new:
            self._end_stage()
            self.stage, self.stage_started = stage, self.clock()
        self.done, self.total = done, total
        if self.tty:
            now = self.clock()
            if new or now - self.drawn_at >= _MIN_INTERVAL or done == total:
                self.drawn_at = now
                self._draw(self._status())

    def _status(self) -> str:
        text = self.stage or ""
        if self.done is not None:
            text += f" {self.done}/{self.total}" if self.total else f" {self.done}"
        if self.total:
            filled = round(BAR * min(self.done or 0, self.total) / self.total)
            text += " " + "█" * filled + "░" * (BAR - filled)
        elif self.done is None:
            text += " …"
        return text

    def _draw(self, text: str) -> None:
        padding = " " * max(0, self.width - len(text))
        self.stream.write("\r" + text + padding)
        self.stream.flush()
        self.width = len(text)

    def _clear(self) -> None:
        if self.tty and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0

    def _end_stage(self) -> None:
        if self.stage is None or self.tty:
            return
        text = self.stage
        if self.done is not None:
            text += f" {self.done}/{self.total}" if self.total else f" {self.done}"
        self.stream.write(f"{text} ({seconds(self.clock() - self.stage_started)})\n")
        self.stream.flush()

    def finish(self, closing: bool = True) -> None:
        """End the last stage, clear the status line and (if `closing`) print the time taken."""
        if self.quiet:
            return
        self._end_stage()
        self._clear()
        self.stage = None
        if closing:
            self.closing()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        # the status line is cleared so that messages and results start at the line's beginning;
        # the command prints the closing line (`closing()`) after its results
        self.finish(closing=False)

    def closing(self) -> None:
        """The last line of a successful run: the time taken."""
        if not self.quiet:
            self.stream.write(f"Fertig in {seconds(self.clock() - self.started)}.\n")
            self.stream.flush()


@contextmanager
def weasyprint_pages(progress, stage: str = "Satz Seite"):
    """Report every page WeasyPrint lays out (it logs "Step 5 - Creating layout - Page N")."""
    if progress is silent:
        yield
        return
    logger = logging.getLogger("weasyprint.progress")

    class Pages(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.msg.startswith("Step 5 - Creating layout - Page") and record.args:
                progress(stage, int(record.args[0]))

    handler, level, propagate = Pages(logging.INFO), logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate
