"""Turn rebuilds and PDF runs into one shared state that every open page follows as server-sent events."""

from __future__ import annotations

import json
import threading
import time


class State:
    """What the pages show: the page version (a new one means "reload"), its problems, the PDF's state.

    Writers call `page()` / `pdf()`; each open event stream waits in `wait()` for the next change.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self.seq = 0               # any change
        self.page_version = 0      # a change of the page (new HTML, new or fixed problems)
        self.problems: tuple = ()
        self.message = ""
        self.warnings: tuple = ()
        self.stamp = ""
        self.pdf_state = "fehlt"   # fehlt | wird gesetzt | aktuell | veraltet
        self.pdf_url = ""
        self.pdf_note = ""
        self.closing = False

    def page(self, outcome) -> None:
        with self._cond:
            self.problems, self.message = outcome.problems, outcome.message
            self.warnings = outcome.warnings
            if outcome.ok:
                self.stamp = time.strftime("%H:%M:%S")
            self.page_version += 1
            self._changed()

    def pdf(self, state: str, url: str | None = None, note: str = "") -> None:
        with self._cond:
            self.pdf_state, self.pdf_note = state, note
            if url is not None:
                self.pdf_url = url
            self._changed()

    def close(self) -> None:
        with self._cond:
            self.closing = True
            self._cond.notify_all()

    def _changed(self) -> None:
        self.seq += 1
        self._cond.notify_all()

    def wait(self, seen: int, timeout: float) -> int | None:
        """Block until a change after `seen` or a timeout (→ the current seq), or closing (→ None)."""
        with self._cond:
            self._cond.wait_for(lambda: self.closing or self.seq != seen, timeout)
            return None if self.closing else self.seq

    def snapshot(self) -> dict:
        with self._cond:
            return {"seite": self.page_version, "fehler": len(self.problems) + bool(self.message),
                    "warnungen": len(self.warnings), "stand": self.stamp,
                    "pdf": {"zustand": self.pdf_state, "url": self.pdf_url or None, "hinweis": self.pdf_note}}


def event(kind: str, snapshot: dict) -> bytes:
    """One server-sent event ("zustand", "neu" = reload the page, "pdf") with the whole snapshot as data."""
    data = json.dumps(snapshot, ensure_ascii=False)
    return f"event: {kind}\ndata: {data}\n\n".encode("utf-8")
