"""Turn the print HTML into PDF bytes with WeasyPrint: confined fetcher, fatal warnings, fixed fonts.

Layout happens once (`layout`); the margin-note check reads box positions from that layout, and
`write` serialises the same layout, so a build normally costs one WeasyPrint layout.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import mimetypes
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from .errors import BuildError

# WeasyPrint messages that say nothing about our document.
_HARMLESS = ("Using fontTools instead of HarfBuzz",)
EXPECTED_FONT = "OpenSans"


def make_fetcher(roots: list[Path], overlay: tuple[Path, Path] | None = None):
    """A URL fetcher that serves `data:` and files inside `roots` only; anything else stops the build.

    `overlay` = (theme folder, default theme): a file the theme folder lacks is served from the same
    place in the default theme, so a theme's own print.css still finds fonts.css and fonts/."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    allowed = [root.resolve() for root in roots]
    theme, default = (overlay[0].resolve(), overlay[1].resolve()) if overlay else (None, None)

    class Fetcher(URLFetcher):
        def fetch(self, url, headers=None):
            scheme = urlparse(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(unquote(urlparse(url).path)).resolve()
                if theme is not None and not path.is_file() and theme in path.parents:
                    path = default / path.relative_to(theme)
                if any(path == root or root in path.parents for root in allowed) and path.is_file():
                    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})
                raise FatalURLFetchingError(f"Datei außerhalb des Projekts oder nicht vorhanden: {path}")
            raise FatalURLFetchingError(f"Netzwerkzugriff ist nicht erlaubt: {url}")

    return Fetcher(allowed_protocols=("file", "data"), allow_redirects=False, fail_on_errors=True)


class _Strict(logging.Handler):
    """Collects WeasyPrint warnings and errors; a build with any of them fails."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith(_HARMLESS):
            self.messages.append(message)


@dataclass
class Layout:
    """A laid-out document plus, per page, the anchors (element id → x1, y1, x2, y2) on it."""

    document: object
    anchors: list[dict[str, tuple[float, float, float, float]]]

    def page_of(self, element_id: str) -> int | None:
        for number, anchors in enumerate(self.anchors):
            if element_id in anchors:
                return number
        return None


def misplaced_notes(lay: Layout) -> list[str]:
    """Margin notes that landed on another page than the first line of their paragraph.

    Notes float inside their paragraph's first line and so travel with it. A note belongs on a
    page its paragraph occupies (preferably the first); what remains is a note that did not fit
    below the notes already there and fell beyond its paragraph. Such a note moves up beside an
    earlier block.
    """
    pages: dict[str, int] = {}
    for number, anchors in enumerate(lay.anchors):
        for name in anchors:
            pages.setdefault(name, number)
    wrong = []
    for name, page in pages.items():
        if not name.startswith("rand-") or name.endswith("-ende"):
            continue
        absatz = "absatz-" + name.split("-")[1]
        first, last = pages.get(absatz), pages.get(absatz + "-ende", pages.get(absatz))
        if first is None or not first <= page <= last or pages.get(name + "-ende") != page:
            wrong.append(name)
    return wrong


def layout(html: str, base_url: str, roots: list[Path], epoch: int, overlay: tuple[Path, Path] | None = None) -> Layout:
    """Lay the document out once; record note and anchor boxes for the placement check."""
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)  # fontTools stamps subset fonts with it
    from weasyprint import HTML

    handler = _Strict()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    gc.collect()
    gc.freeze()  # measured: layout allocates many long-lived boxes; freezing skips rescans
    try:
        document = HTML(string=html, base_url=base_url, url_fetcher=make_fetcher(roots, overlay)).render()
    except BaseException as exc:
        if type(exc).__name__ == "FatalURLFetchingError":
            raise BuildError(f"Unerlaubter Zugriff beim Setzen des PDF: {exc}") from None
        if isinstance(exc, Exception):
            raise BuildError(f"WeasyPrint ist beim Setzen gescheitert ({type(exc).__name__}: {exc}). "
                             "Das ist ein Fehler in amip oder WeasyPrint, nicht in Ihrem Text – bitte melden.") from None
        raise
    finally:
        logger.removeHandler(handler)
        gc.unfreeze()
    if handler.messages:
        raise BuildError("WeasyPrint meldet Probleme:\n  " + "\n  ".join(handler.messages))
    return Layout(document, [dict(page.anchors) for page in document.pages])


def write(lay: Layout, title: str, font=None) -> bytes:
    """Serialise the laid-out document; the identifier depends on the title only (reproducible).

    `font` is the theme's house font (theme.folder.Font) or None for the bundled Open Sans."""
    identifier = hashlib.sha256(title.encode()).hexdigest()[:32].encode()
    gc.freeze()
    try:
        # tagged PDF (structure tree with headings, tables, figures + alt): the accessible variant
        data = lay.document.write_pdf(pdf_identifier=identifier, pdf_tags=True)
    finally:
        gc.unfreeze()
    check_fonts(lay.document, font)
    return data


def check_fonts(document, font=None) -> None:
    """WeasyPrint silently falls back to another family when a font is missing: refuse that PDF."""
    expected = {EXPECTED_FONT} if font is None else {name.replace(" ", "") for name in font.families}
    shown = "Open Sans" if font is None else font.name
    families = {font.family.decode() if isinstance(font.family, bytes) else str(font.family)
                for font in document.fonts.values()}
    foreign = sorted(f for f in families if f.replace(" ", "") not in expected)
    if not families or foreign:
        raise BuildError(
            f"Die Hausschrift {shown} wurde nicht eingebettet"
            + (f" (stattdessen: {', '.join(foreign)})" if foreign else "")
            + (". Prüfen Sie templates/fonts/" if font is None else ". Prüfen Sie die Schriftdateien unter theme: schrift:")
            + f" und Zeichen, die {shown} nicht enthält.")
