"""Turn saved sources into the preview's PDF in a background process; a newer save supersedes a running one."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Callable

QUIET_SECONDS = 2.0   # wait for a pause in saving before the (long) typesetting starts


class PdfRunner:
    """Runs `python -m amip.preview.pdfjob EDITION OUT` at low priority, one at a time.

    `report(state, url, note)` is called with the states "wird gesetzt", "aktuell" and "veraltet".
    The child writes through amip's own build (staged, atomic): a cancelled run leaves the previous PDF.
    """

    def __init__(self, folder: Path, out: Path, report: Callable[..., None], delay: float = QUIET_SECONDS):
        self.folder, self.out, self.report, self.delay = Path(folder), Path(out), report, delay
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._timer: threading.Timer | None = None
        self._wanted = 0
        self._stopped = False
        self.has_pdf = False

    def sources_changed(self, good: bool) -> None:
        """New sources were saved: cancel what runs; typeset them (after a pause) if they built without errors."""
        with self._lock:
            if self._stopped:
                return
            self._wanted += 1
            self._cancel()
            if good:
                self._timer = threading.Timer(self.delay, self._start, [self._wanted])
                self._timer.daemon = True
                self._timer.start()
        if good:
            self.report("wird gesetzt")
        elif self.has_pdf:
            self.report("veraltet", note="Die Quellen enthalten Fehler – das PDF zeigt den letzten fehlerfreien Stand.")
        else:
            self.report("fehlt", note="Die Quellen enthalten Fehler – das PDF wird gesetzt, sobald sie behoben sind.")

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            self._cancel()

    def _cancel(self) -> None:  # with the lock held
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            _signal(process, "SIGTERM")      # the child and its layout workers (one process group)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                _signal(process, "SIGKILL")
                process.wait()

    def _start(self, wanted: int) -> None:
        with self._lock:
            if wanted != self._wanted or self._stopped:
                return
            extra = {"start_new_session": True} if os.name == "posix" else {
                "creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
            process = subprocess.Popen([sys.executable, "-m", "amip.preview.pdfjob", str(self.folder), str(self.out)],
                                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       **extra)
            self._process = process
        threading.Thread(target=self._finish, args=(process, wanted), daemon=True).start()

    def _finish(self, process: subprocess.Popen, wanted: int) -> None:
        out, err = process.communicate()
        with self._lock:
            if process is not self._process or wanted != self._wanted:
                return  # superseded by a newer save, or stopped
            self._process = None
        name = out.decode("utf-8", "replace").strip().splitlines()
        if process.returncode == 0 and name:
            self.has_pdf = True
            self.report("aktuell", url=f"/druck/{name[-1]}", note="")
        else:
            message = err.decode("utf-8", "replace").strip() or f"Der Satz endete mit Code {process.returncode}."
            self.report("veraltet" if self.has_pdf else "fehlt", note="Das PDF konnte nicht gesetzt werden:\n" + message)


def main(argv: list[str]) -> int:
    """The child: build the PDF (and its web edition) of argv[0] into argv[1]/druck; print the PDF's name."""
    import click

    from ..errors import environment_problem

    if hasattr(os, "nice"):
        os.nice(10)  # the author's HTML preview comes first
    try:
        from ..build import build

        result = build(Path(argv[0]), Path(argv[1]) / "druck")
    except click.ClickException as exc:
        sys.stderr.write(exc.format_message() + "\n")
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 – reported in the page, not as a traceback
        environment = environment_problem(exc)
        sys.stderr.write((environment.message if environment else f"Interner Fehler in amip: {exc!r}") + "\n")
        return 1
    sys.stdout.write(result.pdf.name + "\n")
    return 0


def _signal(process: subprocess.Popen, name: str) -> None:
    """Stop the PDF child; on POSIX its whole session, so no layout worker is left behind."""
    import signal

    if os.name == "posix":
        try:
            os.killpg(process.pid, getattr(signal, name))
            return
        except (ProcessLookupError, PermissionError):
            pass
    (process.kill if name == "SIGKILL" else process.terminate)()


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # skip tearing down WeasyPrint's object graph

