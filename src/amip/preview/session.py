"""Turn `amip preview` into a running session: server, watcher, rebuilds, PDF runs, a clean stop."""

from __future__ import annotations

import contextlib
import errno
import signal
import threading
import time
from pathlib import Path

import click

from ..errors import EnvironmentProblem

ADDRESS = ".amip-vorschau-adresse"  # the running preview's URL, beside its lock
STEP_MS = 30   # a pause this long after a change ends the batch of changes (editors write in one go)


def run(folder: Path, port: int, open_browser: bool) -> None:
    """Serve the edition in `folder` on 127.0.0.1:`port` (0 = a free port) until Ctrl-C."""
    from .. import load, output
    from ..build import load_edition
    from .pdfjob import PdfRunner
    from .site import Site
    from .state import State

    folder = Path(folder)
    if not (folder / "ausgabe.yaml").is_file():
        load_edition(folder)  # no edition here: raises the German "Hier liegt keine Ausgabe" with the folder
    load.remember_documents()  # every save parses again only the files whose text changed
    site = Site(folder)
    state = State()
    with _only_preview(site.out):
        site.clean()
        pdf = PdfRunner(folder, site.out, lambda *a, **k: _pdf_report(state, *a, **k))
        server = _server(port, site, state)
        previous = _stop_on_sigterm()
        changed, stop = threading.Event(), threading.Event()
        try:
            threading.Thread(target=server.serve_forever, name="amip-vorschau", daemon=True).start()
            output.atomic_write(site.out / ADDRESS, server.url.encode("utf-8"))  # for a second `amip preview`
            click.echo(f"Vorschau von {_shown(folder)}: {server.url}")
            click.echo("Beenden mit Strg-C.")
            _watch(folder, changed, stop)  # before the first build: a save during it is not lost
            started = time.time()
            _rebuild(site, state, pdf, first=True)
            if _saved_since(folder, started):
                changed.set()
            if open_browser:
                import webbrowser

                webbrowser.open(server.url)
            while True:
                if changed.wait(0.5):  # short waits: Ctrl-C gets through on every platform
                    changed.clear()
                    _rebuild(site, state, pdf)
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            pdf.stop()
            state.close()
            server.shutdown()
            server.server_close()
            (site.out / ADDRESS).unlink(missing_ok=True)
            signal.signal(signal.SIGTERM, previous)
    click.echo("Vorschau beendet.")


@contextlib.contextmanager
def _only_preview(out: Path):
    """One preview per edition: a second one is told where the first one runs."""
    from .. import output

    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(output.locked(out))
        except EnvironmentProblem as exc:
            try:
                url = (out / ADDRESS).read_text(encoding="utf-8").strip()
            except OSError:  # the other one is still starting: the lock's own message
                raise exc from None
            raise EnvironmentProblem(f"Für diese Ausgabe läuft schon eine Vorschau: {url} – öffnen Sie diese Adresse "
                                     "im Browser oder beenden Sie die andere Vorschau mit Strg-C.") from None
        yield


def _server(port: int, site, state):
    from .server import PreviewServer

    try:
        return PreviewServer(port, site, state)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise EnvironmentProblem(f"Port {port} ist schon belegt (läuft die Vorschau bereits?). Wählen Sie mit "
                                     "--port einen anderen, z. B. --port 0 für einen freien.") from None
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise EnvironmentProblem(f"Port {port} darf nicht benutzt werden. Wählen Sie mit --port einen Port "
                                     "über 1024, z. B. --port 8426.") from None
        raise


def _stop_on_sigterm():
    def stop(signum, frame):
        raise KeyboardInterrupt
    return signal.signal(signal.SIGTERM, stop)


def _watch(folder: Path, changed: threading.Event, stop: threading.Event) -> None:
    """Watch everything below the organisation's folder (the edition, traeger.yaml, abkuerzungen.yaml,
    silbentrennung.txt, zeitreihe.yaml, theme/, other editions) in a thread: `changed` is set on every
    batch of saved files, until `stop` is set."""
    import watchfiles

    def watch() -> None:
        try:
            for _changes in watchfiles.watch(folder.resolve().parent, step=STEP_MS, stop_event=stop,
                                             raise_interrupt=False):
                changed.set()
        except Exception as exc:  # noqa: BLE001 – e.g. the folder was moved away: say so instead of going quiet
            click.echo(f"Die Vorschau kann {_shown(folder.resolve().parent)} nicht mehr beobachten ({exc}). "
                       "Beenden Sie sie mit Strg-C und starten Sie sie neu.", err=True)

    threading.Thread(target=watch, name="amip-vorschau-dateien", daemon=True).start()


def _saved_since(folder: Path, started: float) -> bool:
    """A file of the organisation saved after `started` (the watcher may have started a moment late)."""
    for path in folder.resolve().parent.rglob("*"):
        try:
            if path.stat().st_mtime >= started:
                return True
        except OSError:
            continue
    return False


def _rebuild(site, state, pdf, first: bool = False) -> None:
    outcome = site.rebuild()
    if not (outcome.changed or first):
        if outcome.ok:  # the same web page, but a print-only source may have changed (silbentrennung.txt, print CSS)
            pdf.sources_changed(True)
        return
    state.page(outcome)
    when = time.strftime("%H:%M:%S")
    if outcome.ok:
        seconds = f"{outcome.seconds:.2f}".replace(".", ",")
        click.echo(f"{when} {'Vorschau bereit' if first else 'aktualisiert'} ({seconds} s){_warnings(outcome)}")
    else:
        count = len(outcome.problems) + bool(outcome.message)
        click.echo(f"{when} {count} Fehler – die Seite zeigt sie an, bis sie behoben sind:", err=True)
        for problem in outcome.problems:
            click.echo(problem.format(), err=True)
        if outcome.message:
            click.echo(outcome.message, err=True)
    pdf.sources_changed(outcome.ok)


def _warnings(outcome) -> str:
    count = len(outcome.warnings)
    return f", {count} {'Warnung' if count == 1 else 'Warnungen'} – „amip check“ zeigt sie" if count else ""


def _pdf_report(state, pdf_state: str, url: str | None = None, note: str = "") -> None:
    state.pdf(pdf_state, url, note)
    when = time.strftime("%H:%M:%S")
    if pdf_state == "aktuell":
        click.echo(f"{when} PDF aktuell.")
    elif note.startswith("Das PDF konnte"):
        click.echo(f"{when} {note}", err=True)


def _shown(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
