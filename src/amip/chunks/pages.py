"""Turn the print HTML into placed, checked pages laid out in chunks: the margin-note loop over the engine.

The same loop as amip.pagelayout.set_pages – lay out, and where notes do not fit, render with more
room and lay out again – but each pass re-lays out only the chunks whose HTML the new room changed.
The chunks' own findings (page numbers within the chunk) become the whole document's here.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable

from ..errors import Location
from ..marginnotes import NoteSpace
from ..pagelayout import MAX_LAYOUT_PASSES, Finding, NoteOverflow, make_room, report
from ..pagelayout.walk import Note
from .engine import Engine, Outcome


def set_pages(render: Callable[[NoteSpace], str], engine: Engine, locate: Callable[[str, str], Location],
              space: NoteSpace, html: str | None = None):
    """→ (Outcome, its HTML, findings as warnings with file:line, NoteSpace, layout passes, chunk layouts)."""
    moved: list[NoteOverflow] = []
    laid_out = 0
    for passes in range(1, MAX_LAYOUT_PASSES + 1):
        if html is None or space:
            html = render(space)
        outcome = engine.lay_out(html)
        laid_out += outcome.laid_out
        overflows = note_overflows(outcome)
        more = make_room(overflows, space) if passes < MAX_LAYOUT_PASSES else None
        if more is None:
            break
        space, solved = more
        moved += solved
    return outcome, html, report(findings(outcome), overflows, moved, locate), space, passes, laid_out


def _renumber(message: str, local: int, page: int) -> str:
    return re.sub(rf"^Seite {local}\b", f"Seite {page}", message)


def findings(outcome: Outcome) -> list[Finding]:
    """The layout check's findings of every chunk, with the whole document's page numbers."""
    out = []
    for laid, offset in zip(outcome.chunks, outcome.offsets):
        for raw in laid.findings:
            found = Finding(**raw)
            out.append(replace(found, page=found.page + offset, message=_renumber(found.message, found.page, found.page + offset)))
    return out


def note_overflows(outcome: Outcome) -> list[NoteOverflow]:
    """Margin-note overflows of every chunk (notes without their boxes), with the whole document's page index."""
    return [NoteOverflow(raw["page"] + offset, tuple(Note(box=None, **note) for note in raw["notes"]), raw["missing"],
                         raw["fitting"])
            for laid, offset in zip(outcome.chunks, outcome.offsets) for raw in laid.overflows]


def table_overflows(outcome: Outcome) -> list:
    """Data tables wider than the type area, with the whole document's page numbers."""
    from ..tablecheck import Overflow

    return [replace(Overflow(**raw), page=raw["page"] + offset)
            for laid, offset in zip(outcome.chunks, outcome.offsets) for raw in laid.tables]
