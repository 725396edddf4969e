"""Turn laid-out margin notes into notes standing beside their blocks, without touching the text.

Notes are out of the flow (position: absolute in print.css), so WeasyPrint sets the body text as
if they did not exist; each note's placeholder sits in the first line of its block, on that
block's page. Here, after layout, every note is moved (box.translate) to its place in the note
column of that same page:

- beside the first line of its block, or, for a full-width table or figure (nothing stands
  beside it), just above the block;
- where notes would overlap, a later note moves down; at the foot of the free stretch of the
  column earlier notes move up;
- never onto a table or figure reaching into the column, never off the page, never onto
  another page (a note is never moved between pages).

Moving boxes of a finished layout cannot change a page break, so one WeasyPrint layout is
enough (a second layout with offsets in the HTML would cost a whole layout and give the same
pages). The PDF's named destinations are gathered again for the pages whose notes moved.
"""

from __future__ import annotations

from dataclasses import dataclass

from .walk import MM, Note, Page

GAP = 1.5 * MM      # between two notes
ALIGN = 1.2 * MM    # baselines level: body 10 pt / 1.45 vs note 7.5 pt / 1.3 (Open Sans metrics)


@dataclass(frozen=True)
class NoteOverflow:
    """Notes that do not fit into the free stretch of a page's note column."""

    page: int           # 0-based
    notes: tuple[Note, ...]   # in column order
    missing: float      # px that would be needed
    fitting: int        # how many of the first notes would fit on their own


def place_notes(pages: list[Page]) -> list[NoteOverflow]:
    """Move every note to its place; return the stretches whose notes could not all fit."""
    overflows = []
    for page in pages:
        if not page.notes:
            continue
        for notes, (start, end) in _by_segment(page):
            # in reading order: by the line they belong to (notes of one block keep their order)
            notes = sorted(notes, key=lambda n: (n.above if n.above is not None else n.anchor, n.order))
            wanted = [(_wanted_top(n), n) for n in notes]
            tops, missing = _stack([w for w, _ in wanted], [_height(n) for _, n in wanted], start, end)
            for top, (_, note) in zip(tops, wanted):
                note.box.translate(0, top - note.box.position_y)
            if missing > 0:
                fitting = max((k for k in range(len(wanted)) if _stack([w for w, _ in wanted[:k]],
                               [_height(n) for _, n in wanted[:k]], start, end)[1] == 0), default=0)
                overflows.append(NoteOverflow(page.number, tuple(n for _, n in wanted), missing, fitting))
        _refresh_anchors(page)
    return overflows


def _height(note: Note) -> float:
    return note.box.margin_height()


def _wanted_top(note: Note) -> float:
    if note.above is not None:
        return note.above - GAP - _height(note)
    return note.anchor + ALIGN


def _segments(page: Page) -> list[tuple[float, float]]:
    """Free stretches of the note column: the page area minus blocks reaching into the column."""
    free, cursor = [], page.top
    for top, bottom, _ in sorted(page.obstacles):
        if top > cursor:
            free.append((cursor, top))
        cursor = max(cursor, bottom)
    if cursor < page.bottom:
        free.append((cursor, page.bottom))
    return free or [(page.top, page.top)]


def _by_segment(page: Page) -> list[tuple[list[Note], tuple[float, float]]]:
    segments = _segments(page)
    groups: dict[int, list[Note]] = {}
    for note in page.notes:
        if note.above is not None:  # the stretch that ends where its table or figure begins
            index = min(range(len(segments)), key=lambda i: abs(segments[i][1] - note.above))
        else:
            index = min(range(len(segments)), key=lambda i: _distance(segments[i], note.anchor))
        groups.setdefault(index, []).append(note)
    return [(notes, segments[i]) for i, notes in sorted(groups.items())]


def _distance(segment: tuple[float, float], y: float) -> float:
    start, end = segment
    return 0 if start <= y <= end else min(abs(start - y), abs(end - y))


def _stack(wanted: list[float], heights: list[float], start: float, end: float) -> tuple[list[float], float]:
    """Tops as close to the wanted ones as possible, in order, GAP apart, inside [start, end].

    Down first (a note never starts above where it wants to); then, if the last one runs past
    the end, up from the bottom. Returns the tops and the px missing if they cannot all fit.
    """
    tops: list[float] = []
    for want, height in zip(wanted, heights):
        floor = start if not tops else tops[-1] + heights[len(tops) - 1] + GAP
        tops.append(max(want, floor))
    limit = end
    for i in range(len(tops) - 1, -1, -1):
        tops[i] = min(tops[i], limit - heights[i])
        limit = tops[i] - GAP
    missing = max(0.0, start - tops[0]) if tops else 0.0
    if missing:  # keep them on the page and in order; the overlap is reported
        tops[0] = start
        for i in range(1, len(tops)):
            tops[i] = max(tops[i], tops[i - 1] + heights[i - 1] + GAP)
    return tops, missing


def _refresh_anchors(page: Page) -> None:
    """Named destinations (ids) inside moved notes point to the new positions."""
    from weasyprint.anchors import gather_anchors

    doc_page = page.document_page
    doc_page.anchors.clear()
    doc_page.links.clear()
    doc_page.bookmarks.clear()
    doc_page.forms.clear()
    doc_page.forms[None] = []
    gather_anchors(page.box, doc_page.anchors, doc_page.links, doc_page.bookmarks, doc_page.forms)
