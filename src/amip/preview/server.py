"""Turn HTTP requests on 127.0.0.1 into the preview's files, its error overlay and its event stream."""

from __future__ import annotations

import html
import mimetypes
import socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

from .state import State, event

HOST = "127.0.0.1"   # never another interface: the preview shows unpublished drafts
EVENTS = "/_amip/ereignisse"
HERE = Path(__file__).resolve().parent
OWN_FILES = {"/_amip/vorschau.js": "vorschau.js", "/_amip/vorschau.css": "vorschau.css"}
KEEPALIVE_SECONDS = 15


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False   # a second preview on the same port is told so, not silently shared

    def __init__(self, port: int, site, state: State):
        self.site, self.state = site, state
        super().__init__((HOST, port), Handler)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"


def inside(root: Path, url_path: str) -> Path | None:
    """The file `url_path` names below `root`, or None for anything that would leave it.

    Decodes once (%2e%2e, %2f), refuses "." and ".." segments, hidden names, backslashes, drive letters
    and NUL, and resolves symlinks: what ends up outside `root` is refused even if it exists.
    """
    path = unquote(url_path, errors="strict") if "%" in url_path else url_path
    if "\x00" in path or "\\" in path:
        return None
    parts = [part for part in path.split("/") if part]
    if any(part in (".", "..") or part.startswith(".") or ":" in part for part in parts):
        return None
    try:
        base = root.resolve(strict=True)
        real = base.joinpath(*parts).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return None
    if not real.is_relative_to(base) or not real.is_file():
        return None
    return real


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "amip-vorschau"
    sys_version = ""

    def log_message(self, format, *args) -> None:  # noqa: A002 – the author's terminal stays readable
        pass

    def do_HEAD(self) -> None:
        self.do_GET(body=False)

    def do_GET(self, body: bool = True) -> None:
        if not self._host_ok():
            return self._plain(403, "Die Vorschau antwortet nur unter 127.0.0.1 oder localhost.", body)
        target = self.path
        if not target.startswith("/") or target.startswith("//"):
            return self._plain(400, "Ungültige Anfrage.", body)
        path = target.split("?", 1)[0].split("#", 1)[0]
        if path == EVENTS:
            return self._events(body)
        if path in ("/", "/index.html"):
            return self._page(body)
        if path in OWN_FILES:
            return self._file(HERE / OWN_FILES[path], body)
        site = self.server.site
        try:
            if path.startswith("/daten/"):  # the tables as CSV and XLSX, made on the first request
                folder = site.data_folder()
                found = inside(folder, path[len("/daten/"):]) if folder is not None else None
            elif path.startswith("/druck/") or (site.pdf_name and path == "/" + site.pdf_name):
                # the web edition's own "PDF herunterladen" (../<name>.pdf beside web/) gets the preview's PDF
                found = inside(site.out / "druck", path.removeprefix("/druck/").lstrip("/"))
                found = found if found is not None and found.suffix == ".pdf" else None
            else:
                found = inside(site.web, path) if site.web is not None else None
        except UnicodeDecodeError:
            found = None
        if found is None or not found.is_relative_to(site.out.resolve()):
            return self._plain(404, "Diese Datei gibt es in der Vorschau nicht.", body)
        self._file(found, body)

    # ------------------------------------------------------------ responses

    def _host_ok(self) -> bool:
        """Against DNS rebinding: a page of another site must not reach the preview under its own name."""
        host = self.headers.get("Host")
        if host is None:
            return True
        port = self.server.server_address[1]
        return host.lower() in {f"{HOST}:{port}", f"localhost:{port}", HOST, "localhost"}

    def _plain(self, status: int, text: str, body: bool = True) -> None:
        data = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _file(self, path: Path, body: bool) -> None:
        try:
            data = path.read_bytes()
        except OSError:
            return self._plain(404, "Diese Datei gibt es in der Vorschau nicht.", body)
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "image/svg+xml"):
            kind += "; charset=utf-8"
        self._send(data, kind, body)

    def _send(self, data: bytes, kind: str, body: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _page(self, body: bool) -> None:
        site, state = self.server.site, self.server.state
        snapshot = state.snapshot()
        page = site.html or (_EMPTY if snapshot["seite"] else _WAIT)
        self._send(inject(page, snapshot, state.problems, state.message, state.warnings).encode("utf-8"),
                   "text/html; charset=utf-8", body)

    def _events(self, body: bool) -> None:
        state = self.server.state
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not body:
            return
        try:
            snapshot = state.snapshot()
            seen, page = state.seq, snapshot["seite"]
            self.wfile.write(event("zustand", snapshot))
            self.wfile.flush()
            while True:
                now = state.wait(seen, KEEPALIVE_SECONDS)
                if now is None:
                    return
                if now == seen:
                    self.wfile.write(b": still\n\n")   # keeps proxies and the browser from giving up
                else:
                    snapshot = state.snapshot()
                    kind = "neu" if snapshot["seite"] != page else "pdf"
                    seen, page = now, snapshot["seite"]
                    self.wfile.write(event(kind, snapshot))
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, socket.timeout, OSError):
            return


_EMPTY = ("<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\"><title>amip-Vorschau</title></head>"
          "<body><main><p>Noch keine fehlerfreie Fassung – die Vorschau erscheint, sobald die Ausgabe "
          "ohne Fehler gebaut werden kann.</p></main></body></html>")

_WAIT = ("<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\"><title>amip-Vorschau</title></head>"
         "<body><main><p>Die Vorschau wird vorbereitet – die Seite erscheint gleich von selbst.</p></main></body></html>")

_PDF_LABEL = {"aktuell": "aktuell", "wird gesetzt": "wird gesetzt …", "veraltet": "veraltet", "fehlt": "noch keins"}


def inject(page: str, snapshot: dict, problems, message: str, warnings=()) -> str:
    """The web edition with the preview's stylesheet, error overlay, status bar and script added."""
    head = '<link rel="stylesheet" href="/_amip/vorschau.css">'
    parts = [f'<div id="amip-vorschau" data-seite="{snapshot["seite"]}">']
    count = len(problems) + bool(message)
    if count:
        parts.append('<section class="amip-fehler" role="alert">'
                     f'<h2>{count} Fehler – die Vorschau zeigt den letzten fehlerfreien Stand</h2><ol>')
        if message:
            parts.append(f'<li><span class="amip-meldung">{html.escape(message)}</span></li>')
        for problem in problems:
            label = "Fehler" if problem.level == "fehler" else "Warnung"
            parts.append(f'<li><code class="amip-ort">{html.escape(str(problem.location))}</code> '
                         f'<span class="amip-art">{label}:</span> '
                         f'<span class="amip-meldung">{html.escape(problem.message)}</span>')
            if problem.hint:
                parts.append(f'<div class="amip-hinweis">Hinweis: {html.escape(problem.hint)}</div>')
            parts.append("</li>")
        parts.append("</ol><p>Korrigieren und speichern Sie die Datei – die Meldung verschwindet dann von selbst.</p>"
                     '<button type="button" class="amip-zu">Ausblenden</button></section>')
    pdf = snapshot["pdf"]
    label = html.escape(_PDF_LABEL.get(pdf["zustand"], pdf["zustand"]))
    link = f'<a href="{html.escape(pdf["url"])}" target="_blank">{label}</a>' if pdf["url"] else label
    why = pdf["hinweis"] if pdf["zustand"] in ("veraltet", "fehlt") else ""
    parts.append('<div class="amip-leiste" role="status">'
                 f'<span>Vorschau{" · Stand " + snapshot["stand"] if snapshot["stand"] else ""}</span> '
                 f'<span id="amip-pdf" data-zustand="{html.escape(pdf["zustand"])}">PDF: {link}</span>'
                 + _warnings(warnings)
                 + f'<details id="amip-pdf-grund"{"" if why else " hidden"}><summary>Warum?</summary>'
                 f"<pre>{html.escape(why)}</pre></details></div></div>")
    parts.append('<script src="/_amip/vorschau.js"></script>')
    page = _insert(page, "</head>", head)
    return _insert(page, "</body>", "".join(parts))


def _warnings(warnings) -> str:
    """The warnings of the shown page, folded: as `amip check` lists them, with file:line."""
    if not warnings:
        return ""
    items = "".join(f'<li><code class="amip-ort">{html.escape(str(w.location))}</code> {html.escape(w.message)}</li>'
                    for w in warnings)
    return (f'<details class="amip-warnungen"><summary>{len(warnings)} '
            f'{"Warnung" if len(warnings) == 1 else "Warnungen"}</summary><ol>{items}</ol></details>')


def _insert(page: str, before: str, text: str) -> str:
    at = page.rfind(before)
    return page + text if at < 0 else page[:at] + text + page[at:]
