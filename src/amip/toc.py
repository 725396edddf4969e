"""Turn the edition's headings into table-of-contents entries with measured number columns.

A typesetter's contents: per level a number column and a title column; the number column of a
level is as wide as its widest number (measured in the house font) plus a gap, and the next level
starts where the title column of its parent starts. Widths are in em, so print and web share them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .theme.folder import default_templates

GAP_EM = 0.7            # space between the widest number of a level and its title
FONTS = default_templates() / "fonts"  # the repository's templates/ or, installed, the package data
WEIGHT_FILE = {1: "OpenSans-Semibold.ttf"}   # level 1 is set semibold (print.css .inhalt .ebene-1)
DEFAULT_FILE = "OpenSans-Regular.ttf"


@dataclass(frozen=True)
class TocEntry:
    id: str
    number: str        # "5.1." / "Anlage 1:" / ""
    title: str
    level: int
    indent: float = 0.0        # em: where the number column starts
    number_width: float = 0.0  # em: width of the number column (0 for entries without a number)

    @property
    def title_start(self) -> float:
        """em: where the title column (and every wrapped line of the title) starts."""
        return round(self.indent + self.number_width, 3)

    @property
    def title_head(self) -> str:
        """The title without its last word (the last word stays with the leaders and page number)."""
        return self.title.rpartition(" ")[0]

    @property
    def title_last(self) -> str:
        return self.title.rpartition(" ")[2]


@functools.lru_cache(maxsize=4)
def _metrics(file_name: str) -> tuple[dict[int, str], dict[str, tuple[int, int]], int]:
    from fontTools.ttLib import TTFont

    font = TTFont(FONTS / file_name, lazy=True)
    return font.getBestCmap(), dict(font["hmtx"].metrics), font["head"].unitsPerEm


def advance_em(text: str, level: int = 2) -> float:
    """The printed width of `text` in em (no kerning: numbers and labels are short)."""
    cmap, hmtx, units = _metrics(WEIGHT_FILE.get(level, DEFAULT_FILE))
    fallback = hmtx[cmap[ord("0")]][0]
    return sum(hmtx[cmap[ord(c)]][0] if ord(c) in cmap else fallback for c in text) / units


def layout(entries: list[tuple[str, str, str, int, str]], depth: int) -> tuple[TocEntry, ...]:
    """(id, label, title, level, kind) in document order → entries down to `depth`, with their columns.

    kind "anlage" entries get their own (wider) number column on level 1; other level-1 entries
    without a number start at the left edge; deeper entries start at their parent's title column.
    """
    shown = [e for e in entries if e[3] <= depth]
    widths: dict[tuple[int, bool], float] = {}
    for _, label, _, level, kind in shown:
        if label:
            key = (level, kind == "anlage")
            widths[key] = max(widths.get(key, 0.0), advance_em(label, level) + GAP_EM)
    starts = [0.0]
    for level in range(1, max((e[3] for e in shown), default=1) + 1):
        starts.append(starts[-1] + widths.get((level, False), 0.0))
    out = []
    for entry_id, label, title, level, kind in shown:
        width = widths[(level, kind == "anlage")] if label else 0.0
        out.append(TocEntry(entry_id, label, title, level, round(starts[level - 1], 3), round(width, 3)))
    return tuple(out)
