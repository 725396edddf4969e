"""Turn a laid-out document into the data tables that leave the type area, as located problems.

WeasyPrint never complains when a table is wider than the page: the overflow is simply clipped at
the page edge. After layout amip reads the boxes: a data table (table.daten) whose border box, or a
cell whose text, reaches beyond the type area (text column + margin-note column) stops the build
with the data file and the line of the offending row.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import Location, Problem

PX_PER_MM = 96 / 25.4            # WeasyPrint boxes are in CSS px
TYPE_AREA_MM = 174.0             # print.css: text column 126 mm + 6 mm gap + margin-note column 42 mm
TOLERANCE = 0.5                  # px: rounding of borders and glyph advances


@dataclass(frozen=True)
class Overflow:
    table: str          # element id, "tabelle-<name>"
    page: int           # 1-based
    excess_mm: float    # how far the widest box reaches beyond the type area
    text: str           # the text of the widest cell that reaches out ("" if the table as a whole does)


def overflowing_tables(document) -> list[Overflow]:
    """Every data table (first fragment per page) reaching beyond the type area, or with text beyond its cell."""
    found: list[Overflow] = []
    per_mm = PX_PER_MM
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        # the type area: the page's content box, widened by the margin-note column where there is one
        limit = page_box.content_box_x() + max(TYPE_AREA_MM * per_mm, page_box.width)
        for box in page_box.descendants():
            if box.element_tag != "table" or type(box).__name__ != "TableBox":
                continue
            classes = (box.element.get("class") or "").split()
            if "daten" not in classes:
                continue
            worst, text = box.position_x + box.border_width() - limit, ""
            if worst > TOLERANCE:  # the columns together are too wide: no single cell to blame
                found.append(Overflow(box.element.get("id") or "", number, round(worst / per_mm, 1), ""))
                continue
            for cell in box.descendants():
                if type(cell).__name__ != "TableCellBox":
                    continue
                cell_right = cell.position_x + cell.border_width()
                for inner in cell.descendants():
                    if type(inner).__name__ == "TextBox" and inner.text.strip():
                        excess = inner.position_x + inner.width - cell_right
                        if excess > worst or (excess > TOLERANCE and not text):
                            worst, text = max(worst, excess), _cell_text(cell)
            if worst > TOLERANCE:
                found.append(Overflow(box.element.get("id") or "", number, round(worst / per_mm, 1), text))
    return found


def _cell_text(cell) -> str:
    """The cell's source text (as written, without the hyphens of the layout)."""
    return " ".join("".join(cell.element.itertext()).split())


def problems(overflows: list[Overflow], data_folder: Path) -> list[Problem]:
    """German messages, located at the data file and the line that holds the reaching cell."""
    out = []
    seen = set()
    for o in overflows:
        name = o.table.removeprefix("tabelle-").removesuffix("-portfolio")
        if (name, o.text) in seen:
            continue
        seen.add((name, o.text))
        path = data_folder / f"{name}.yaml"
        where = Location(path, _line_of(path, o.text or "spalten:")) if path.is_file() else Location(data_folder)
        excess = f"{o.excess_mm:.1f}".replace(".", ",")
        if o.text:
            message = f"In Tabelle „{name}“ (Seite {o.page}) ragt „{_short(o.text)}“ {excess} mm über seine Spalte hinaus."
        else:
            message = (f"Tabelle „{name}“ (Seite {o.page}) ist {excess} mm breiter als der Satzspiegel: "
                       "die Spalten brauchen zusammen mehr Platz, als die Seite bietet.")
        out.append(Problem(where, message,
                           "Kürzen Sie lange Wörter oder Zahlen, setzen Sie in sehr lange Wörter weiche Trennstellen "
                           "(&shy;), verteilen Sie die Angaben auf weniger Spalten oder teilen Sie die Tabelle auf."))
    return out


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "…"


def _line_of(path: Path, text: str) -> int:
    """The first line of the data file that contains the start of the cell text (else 1)."""
    words = text.replace("\u00ad", "").split()
    if not words:
        return 1
    lines = path.read_text(encoding="utf-8").splitlines()
    for size in (4, 2, 1):
        probe = " ".join(words[:size])
        for number, line in enumerate(lines, start=1):
            if probe in line:
                return number
    return 1
