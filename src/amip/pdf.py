"""Turn the print HTML into PDF bytes with WeasyPrint: confined fetcher, fatal warnings, fixed fonts.

Layout happens once (`layout`); amip.pagelayout moves the margin notes inside that layout and
checks it, and `write` serialises the same layout, so a build costs one WeasyPrint layout.
"""

from __future__ import annotations

import gc
from contextlib import ExitStack
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
# PDF/A forbids /Interpolate true on images, which WeasyPrint writes for image-rendering: auto. Given
# here, after every theme stylesheet, so no theme can take the archival PDF out of PDF/A.
ARCHIVAL_CSS = "html, html * { image-rendering: crisp-edges !important }"


def make_fetcher(roots: list[Path], named: dict[str, Path] | None = None, overlay: tuple[Path, Path] | None = None,
                 fetched: dict | None = None):
    """A URL fetcher that serves `data:` and files inside `roots` only; anything else stops the build.

    `amip://<name>/<path>` addresses a file below `named[name]` (charts in the cache, images in the
    content folder), so the HTML – and druck.html – holds no absolute path of the build machine.
    `overlay` = (theme folder, default theme): a file the theme folder lacks is served from the same
    place in the default theme, so a theme's own print.css still finds fonts.css and fonts/.
    `fetched`, if given, receives url → SHA-256 of every file served (a chunk cache checks them).
    """
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    locate = locator(roots, named, overlay)

    class Fetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if urlparse(url).scheme.lower() == "data":
                return super().fetch(url, headers)
            try:
                path = locate(url)
            except PermissionError as exc:
                raise FatalURLFetchingError(str(exc)) from None
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            data = path.read_bytes()
            if fetched is not None:
                fetched[url] = hashlib.sha256(data).hexdigest()
            return URLFetcherResponse(url, data, {"Content-Type": kind})

    return Fetcher(allowed_protocols=("file", "data"), allow_redirects=False, fail_on_errors=True)


def locator(roots: list[Path], named: dict[str, Path] | None = None, overlay: tuple[Path, Path] | None = None):
    """url → the project file it may read (see make_fetcher); anything else raises PermissionError (German)."""
    allowed = [root.resolve() for root in roots]
    bases = {name: base.resolve() for name, base in (named or {}).items()}
    allowed += [base for base in bases.values() if base not in allowed]
    theme, default = (overlay[0].resolve(), overlay[1].resolve()) if overlay else (None, None)

    def locate(url: str) -> Path:
        parts = urlparse(url)
        scheme = parts.scheme.lower()
        if scheme in ("file", "amip"):
            if scheme == "amip":
                if parts.netloc not in bases:
                    raise PermissionError(f"Unbekannte Quelle: {url}")
                path = (bases[parts.netloc] / unquote(parts.path).lstrip("/")).resolve()
            else:
                path = Path(unquote(parts.path)).resolve()
            if theme is not None and not path.is_file() and theme in path.parents:
                path = default / path.relative_to(theme)
            if any(path == root or root in path.parents for root in allowed) and path.is_file():
                return path
            raise PermissionError(f"Datei außerhalb des Projekts oder nicht vorhanden: {path}")
        raise PermissionError(f"Netzwerkzugriff ist nicht erlaubt: {url}")

    return locate


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
    """A laid-out document; amip.pagelayout places its margin notes and checks it before writing."""

    document: object

    def page_of(self, element_id: str) -> int | None:
        """The index of the first page that holds the anchor `element_id`, or None."""
        for number, page in enumerate(self.document.pages):
            if element_id in page.anchors:
                return number
        return None


def layout(html: str, base_url: str, roots: list[Path], epoch: int, patterns: Path | None = None,
           named: dict[str, Path] | None = None, overlay: tuple[Path, Path] | None = None, wraps=(),
           collect: bool = True, fetched: dict | None = None) -> Layout:
    """Lay the document out once (German hyphenation from `patterns`; WeasyPrint warnings are fatal).

    `wraps`: context managers active during the layout (amip.chunks.weasy places a chunk's pages);
    `collect=False` skips the garbage collection before it (a worker process that only lays out)."""
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)  # fontTools stamps subset fonts with it
    from weasyprint import CSS, HTML

    from .hyphenation import german_patterns

    handler = _Strict()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    if collect:
        gc.collect()
    gc.freeze()  # measured: layout allocates many long-lived boxes; freezing skips rescans
    try:
        with german_patterns(patterns), ExitStack() as stack:
            for wrap in wraps:
                stack.enter_context(wrap)
            document = HTML(string=html, base_url=base_url, url_fetcher=make_fetcher(roots, named, overlay, fetched)).render(
                stylesheets=[CSS(string=ARCHIVAL_CSS)])
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
    return Layout(document)


def identifier(title: str) -> bytes:
    """The PDF's file identifier: from the title only, so the same sources give the same bytes."""
    return hashlib.sha256(title.encode()).hexdigest()[:32].encode()


def write(lay: Layout, title: str, font=None, record=None, archival: bool = False, wraps=(), fonts: bool = True) -> bytes:
    """Serialise the laid-out document; the identifier depends on the title only (reproducible).

    `font` is the theme's house font (theme.folder.Font) or None for the bundled Open Sans.
    With `record` (amip.record.pdfa.Record) the PDF is PDF/A-3u with the sources as associated files
    and the record in its XMP metadata; with `archival` (and no record) it is written as PDF/A-3u
    without them (a chunk of a PDF whose record comes from elsewhere). `wraps` are active while writing."""
    options = {}
    if record is not None:
        from .record import pdfa

        metadata = lay.document.metadata   # set for this write only (a layout may be written again)
        saved = metadata.attachments
        metadata.attachments = saved + pdfa.attachments(record)
        metadata.generate_rdf_metadata = lambda *args: pdfa.extend_xmp(type(metadata).generate_rdf_metadata(
            metadata, *args), record)
        options["pdf_variant"] = pdfa.VARIANT
        options["finisher"] = lambda _document, pdf: pdfa.finish(pdf)
    elif archival:
        from .record import pdfa

        options["pdf_variant"] = pdfa.VARIANT
        options["finisher"] = lambda _document, pdf: pdfa.finish(pdf)
    handler = _Strict()  # images inside SVGs are fetched while writing: a blocked one must not vanish
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    gc.freeze()
    try:
        # tagged PDF (structure tree with headings, tables, figures + alt): the accessible variant
        from .record.tagging import accessible_tags

        with accessible_tags(), ExitStack() as stack:   # running header/footer as artifacts, notes as Note
            for wrap in wraps:
                stack.enter_context(wrap)
            data = lay.document.write_pdf(pdf_identifier=identifier(title), pdf_tags=True, custom_metadata=True, **options)
    except BaseException as exc:
        if type(exc).__name__ == "FatalURLFetchingError":
            raise BuildError(f"Unerlaubter Zugriff beim Schreiben des PDF: {exc}") from None
        raise
    finally:
        logger.removeHandler(handler)
        gc.unfreeze()
        if record is not None:
            metadata.attachments = saved
            del metadata.generate_rdf_metadata      # back to the class's method
    if handler.messages:
        raise BuildError("WeasyPrint meldet beim Schreiben des PDF Probleme:\n  " + "\n  ".join(handler.messages))
    if fonts:   # (a page without text – the record carrier of a chunked PDF – has none to check)
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
