"""Turn WeasyPrint's laid-out pages into placed margin notes and a typesetter's layout findings.

`place` walks every page's boxes once into plain records (`walk`) and moves the margin notes
beside their blocks (`notes`); `findings` lists what a typesetter would correct (`check`) as
located Problems.
"""

from __future__ import annotations

import math
from typing import Callable

from ..errors import Location, Problem
from .check import Finding, check
from .notes import NoteOverflow, place_notes
from .walk import MM, Page, read

__all__ = ["MM", "Finding", "NoteOverflow", "Page", "findings", "place", "room_needed"]


def place(document) -> tuple[list[Page], list[NoteOverflow]]:
    """Read the pages of a rendered document and place their margin notes."""
    pages = read(document)
    return pages, place_notes(pages)


def room_needed(overflows: list[NoteOverflow]) -> dict[str, float]:
    """Block id → whole mm to keep free above a full-width table or figure whose notes did not
    fit beside the text above it. Notes of ordinary paragraphs never get room: they are reported."""
    room: dict[str, float] = {}
    for overflow in overflows:
        above = [n for n in overflow.notes if n.above is not None and n.absatz]
        if above:
            room[above[-1].absatz] = room.get(above[-1].absatz, 0) + math.ceil(overflow.missing / MM) + 1
    return room


def findings(pages: list[Page], overflows: list[NoteOverflow], locate: Callable[[str, str], Location]) -> list[Problem]:
    """Layout findings as warnings. `locate(src, section)` turns a block's data-src
    ("kapitel/<file>:<line>") or, without one, its chapter id into the author's file and line."""
    problems = [_overflow(o, locate) for o in overflows]
    problems += [Problem(locate(f.src, f.section), f.message, f.hint, level="warnung") for f in check(pages)]
    return problems


def _overflow(overflow: NoteOverflow, locate) -> Problem:
    lines = max(1, round(overflow.missing / (7.5 * 1.3 * 96 / 72)))
    first = overflow.notes[0]
    others = ", ".join(str(locate(n.src, n.section)) for n in overflow.notes[1:])
    return Problem(locate(first.src, first.section),
                   f"Seite {overflow.page + 1}: Die Randnotizen dieser Seite passen nicht in die Randspalte "
                   f"(es fehlen etwa {lines} Zeilen der Randspalte).",
                   f"Kürzen Sie die Randnotiz dieses Absatzes{' oder die der Absätze ' + others if others else ''} "
                   f"um zusammen etwa {lines} Zeilen, oder stellen Sie eine davon zu einem anderen Absatz.",
                   level="warnung")
