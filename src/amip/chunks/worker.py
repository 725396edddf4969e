"""Turn one chunk's HTML into its PDF pages and what the build needs to know of them (in a worker process).

A job lays the chunk out (amip.chunks.weasy places it), moves its margin notes, checks its pages
and tables, and writes it as tagged PDF/A-3u without margin boxes; a frame job writes only the
margin boxes of a run of pages. Everything returned is plain data (JSON for the cache, pickled
between processes): page numbers in it are the chunk's own (0-based), the engine shifts them.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .weasy import PageRules, Place


@dataclass(frozen=True)
class Setup:
    """What every layout of one build shares (picklable: it travels to the workers)."""

    base_url: str
    roots: tuple[Path, ...]
    epoch: int
    patterns: Path | None
    named: tuple[tuple[str, Path], ...]
    overlay: tuple[Path, Path] | None
    title: str
    font: object = None                  # theme.folder.Font or None (bundled Open Sans)


@dataclass
class Laid:
    """One laid-out chunk: its PDF and what the engine, the margin-note loop and the checks need."""

    pdf: bytes
    pages: int
    names: list                          # named page of every page ("" for none)
    blank: bool                          # WeasyPrint inserted a blank page (left/right breaks)
    anchors: dict                        # anchor → page index in the chunk
    used: dict                           # anchor → page number this chunk printed (target-counter)
    rules: dict                          # PageRules as dict
    findings: list = field(default_factory=list)    # pagelayout.check findings (dicts, page 1-based in the chunk)
    overflows: list = field(default_factory=list)   # margin-note overflows (dicts, page 0-based in the chunk)
    tables: list = field(default_factory=list)      # tablecheck overflows (dicts, page 1-based in the chunk)
    fetched: dict = field(default_factory=dict)     # url → SHA-256 of every file the layout read (CSS, fonts, images)
    error: str = ""                      # why writing the chunk failed (reported after the layout checks)
    layouts: int = 1                     # WeasyPrint layouts this result cost (0 when it came from the cache)

    def meta(self) -> dict:
        data = asdict(self)
        del data["pdf"]
        return data


def _lay_out(setup: Setup, html: str, place: Place, rules: list, fetched: dict | None = None):
    from .. import pdf
    from .weasy import placed

    return pdf.layout(html, setup.base_url, list(setup.roots), setup.epoch, setup.patterns, named=dict(setup.named),
                      overlay=setup.overlay, wraps=(placed(place, rules),), collect=_grown(), fetched=fetched)


def _grown(limit: int = 200 << 20) -> bool:
    """Has this worker grown past `limit` bytes? Then the boxes of its earlier chunks (cycles, left by
    gc.freeze) are collected before the next layout; a fresh worker – an edit's one chunk – skips it."""
    try:
        with open("/proc/self/statm") as file:
            return int(file.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") > limit
    except (OSError, ValueError, AttributeError):
        return True


def chunk(setup: Setup, html: str, place: Place, foreign: frozenset[str]) -> Laid:
    """Lay out, place notes, check, and write one chunk."""
    from .. import pdf, tablecheck
    from ..pagelayout import place as place_notes
    from ..pagelayout.check import check as check_pages
    from .weasy import foreign_links

    rules: list[PageRules] = []
    fetched: dict[str, str] = {}
    lay = _lay_out(setup, html, place, rules, fetched)
    document = lay.document
    pages, overflows = place_notes(document)
    findings = [asdict(finding) for finding in check_pages(pages)]
    notes = [{"page": o.page, "missing": o.missing, "fitting": o.fitting,
              "notes": [{key: value for key, value in vars(note).items() if key != "box"} for note in o.notes]}
             for o in overflows]
    tables = [asdict(o) for o in tablecheck.overflowing_tables(document)]
    anchors: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            anchors.setdefault(name, index)
    types = [page._page_box.page_type for page in document.pages]
    from ..errors import BuildError

    try:   # a page that is too full (cover) can fail here; the build reports the layout check's finding first
        data, error = pdf.write(lay, setup.title, setup.font, archival=True, wraps=(foreign_links(set(foreign)),)), ""
    except BuildError as exc:
        data, error = b"", str(exc)
    return Laid(data, len(document.pages), [t.name or "" for t in types], any(t.blank for t in types), anchors,
                dict(place.used), asdict(rules[0]), findings, notes, tables, fetched, error)


def frame(setup: Setup, html: str, place: Place) -> bytes:
    """The margin boxes of a run of pages, alone on their pages (no page background, no body)."""
    from .. import pdf

    rules: list[PageRules] = []
    lay = _lay_out(setup, html, place, rules)
    for page in lay.document.pages:
        box = page._page_box
        box.background = None
        root, *margins = box.children
        box.children = (root.copy_with_children([]), *margins)
    return pdf.write(lay, setup.title, setup.font, archival=True)


def frame_html(head: str, names: list[str]) -> str:
    """A skeleton of empty pages with the given named pages: the frame job lays out its margin boxes."""
    pages = "".join(f'<div style="page: {name or "auto"};{" break-before: page;" if index else ""}"></div>'
                    for index, name in enumerate(names))
    return f"{head}{pages}</body></html>"


def record(setup: Setup, head: str, record_) -> bytes:
    """A one-page PDF that carries the archival record (sources, XMP) for the merged document."""
    from .. import pdf

    import re

    head = re.sub(r"<style>.*?</style>|<link rel=\"stylesheet\"[^>]*>", "", head, flags=re.S)
    lay = pdf.layout(f"{head}</body></html>", setup.base_url, list(setup.roots), setup.epoch, None,
                     named=dict(setup.named), overlay=setup.overlay, collect=False)
    return pdf.write(lay, setup.title, None, record_, fonts=False)
