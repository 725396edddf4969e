"""Turn WeasyPrint's laid-out pages into placed margin notes and a typesetter's layout findings.

`place` walks every page's boxes once into plain records (`walk`) and moves the margin notes
beside their blocks (`notes`); `findings` lists what a typesetter would correct (`check`) as
located Problems.
"""

from __future__ import annotations

import math
from typing import Callable

from ..errors import Location, Problem
from ..marginnotes import NoteSpace
from .check import Finding, check
from .notes import NoteOverflow, place_notes
from .walk import MM, Page, read

__all__ = ["MM", "Finding", "NoteOverflow", "Page", "findings", "make_room", "place", "report", "set_pages"]

MAX_LAYOUT_PASSES = 8


def set_pages(render: Callable[[NoteSpace], str], lay_out: Callable[[str], object],
              locate: Callable[[str, str], Location], space: NoteSpace, html: str | None = None):
    """Lay out, place the margin notes beside their blocks, check the pages.

    → (layout, its HTML, findings as warnings with file:line, NoteSpace, layout passes).
    Notes are out of the flow, so placing them never moves a page break: normally one layout is
    enough. Only where notes do not fit into the margin column of their page does the layout
    make room (above a full-width table or figure, or by starting a paragraph on the next page)
    and run again; moving text is reported, so that the author can shorten the notes. `space`
    from an earlier build of the same sources saves those passes; `html` is render(NoteSpace()),
    if the caller has it already.
    """
    moved: list[NoteOverflow] = []
    for passes in range(1, MAX_LAYOUT_PASSES + 1):
        if html is None or space:
            html = render(space)
        lay = lay_out(html)
        pages, overflows = place(lay.document)
        more = make_room(overflows, space) if passes < MAX_LAYOUT_PASSES else None
        if more is None:
            break
        space, solved = more
        moved += solved
    return lay, html, findings(pages, overflows, moved, locate), space, passes


def place(document) -> tuple[list[Page], list[NoteOverflow]]:
    """Read the pages of a rendered document and place their margin notes."""
    pages = read(document)
    return pages, place_notes(pages)


def make_room(overflows: list[NoteOverflow], space: NoteSpace) -> tuple[NoteSpace, list[NoteOverflow]] | None:
    """Where notes did not fit on the first such page: what to ask of the next layout, or None.

    Notes of a full-width table or figure get room kept free above the block (a gap before a
    table is a typesetter's choice). Otherwise the paragraph of the first note that does not
    fit starts the next page, with its notes – the text then moves, which is reported.
    → (the new NoteSpace, the overflows solved by moving text).
    """
    if not overflows:
        return None
    page = overflows[0].page
    room, breaks, moved = dict(space.room), set(space.breaks), []
    for overflow in (o for o in overflows if o.page == page):
        above = [n for n in overflow.notes if n.above is not None and n.absatz]
        if above:
            room[above[-1].absatz] = room.get(above[-1].absatz, 0) + math.ceil(overflow.missing / MM) + 1
            continue
        first = overflow.notes[overflow.fitting].absatz
        if first and first not in breaks:
            breaks.add(first)
            moved.append(overflow)
    new = NoteSpace(room, frozenset(breaks))
    return (new, moved) if new != space else None


def findings(pages: list[Page], overflows: list[NoteOverflow], moved: list[NoteOverflow],
             locate: Callable[[str, str], Location]) -> list[Problem]:
    """Layout findings as warnings. `locate(src, section)` turns a block's data-src
    ("kapitel/<file>:<line>") or, without one, its chapter id into the author's file and line."""
    return report(check(pages), overflows, moved, locate)


def report(found: list[Finding], overflows: list[NoteOverflow], moved: list[NoteOverflow],
           locate: Callable[[str, str], Location]) -> list[Problem]:
    """Checked findings and note overflows as located warnings (moved text first)."""
    problems = [_overflow(o, locate, moved=True) for o in moved]
    problems += [_overflow(o, locate) for o in overflows]
    problems += [Problem(locate(f.src, f.section), f.message, f.hint, level="warnung") for f in found]
    return problems


def _overflow(overflow: NoteOverflow, locate, moved: bool = False) -> Problem:
    """Which paragraph, on which page, and how much to shorten (in lines of the note column)."""
    lines = max(1, round(overflow.missing / (7.5 * 1.3 * 96 / 72)))
    notes = overflow.notes
    where = notes[overflow.fitting] if moved else notes[0]
    first, last = locate(notes[0].src, notes[0].section), locate(notes[-1].src, notes[-1].section)
    span = f"{first} bis Zeile {last.line}" if first.path == last.path and first != last else \
        str(first) if first == last else f"{first} bis {last}"
    if moved:
        message = (f"Seite {overflow.page + 1}: Die Randnotizen der Seite passten nicht in die Randspalte; amip hat "
                   "diesen Absatz deshalb auf die nächste Seite gerückt (unten bleibt die Seite frei).")
    else:
        message = f"Seite {overflow.page + 1}: Die Randnotizen dieser Seite passen nicht in die Randspalte."
    return Problem(locate(where.src, where.section), message,
                   f"Kürzen Sie die Randnotizen zu {span} um zusammen etwa {lines} Zeilen "
                   "oder stellen Sie welche zu anderen Absätzen.", level="warnung")
