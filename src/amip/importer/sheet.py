"""Turn an XLSX sheet or a German CSV file into a grid of cells that know their place (Tabelle1!C4, datei.csv:4:3).

XLSX is read with openpyxl, values only (`data_only=True`): for a formula the value Excel saved with
the file is used. A file written by a program that never computed its formulas has no such value;
such a cell is reported ("Formel ohne gespeichertes Ergebnis") instead of being read as empty.
The workbook is opened in openpyxl's normal mode, not `read_only`: only the normal mode knows merged
cells and hidden rows and columns, and controlling sheets are small.
CSV: `;` between cells, German numbers, UTF-8 (with or without BOM) or Windows-1252 as Excel saves it.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Collector, ContentError, Location, Problem

MAX_BYTES = 10 * 1024 * 1024   # a controlling sheet has a few hundred rows; far below what makes openpyxl slow


@dataclass(frozen=True)
class CellLocation(Location):
    """A cell of a workbook: shown as „datei.xlsx:Tabelle1!C4“."""

    cell: str = ""

    def __str__(self) -> str:
        return f"{Location(self.path)}:{self.cell}"


@dataclass(frozen=True)
class Cell:
    value: Any                      # int, float, str, None (empty), or something else (date, bool) to reject
    where: Location
    percent: bool = False           # Excel shows the number as a percentage (0,125 → 12,5 %)
    formula: bool = False           # a formula without a saved result


@dataclass
class Grid:
    path: Path
    name: str                        # sheet name, or the CSV file name
    rows: list[list[Cell]]           # first row: headings
    hidden_rows: set[int]            # 0-based row indexes
    hidden_columns: set[int]         # 0-based column indexes
    merged: list[tuple[int, int, int, int, str]]   # (first row, first col, last row, last col, "B3:C3"), 0-based


def _fail(path: Path, message: str, hint: str) -> ContentError:
    return ContentError([Problem(Location(path), message, hint)])


def read(path: Path, sheet: str | None) -> Grid:
    """The sheet `sheet` (default: the first) of an XLSX file, or a CSV file; German errors otherwise."""
    if not path.is_file():
        raise _fail(path, "Datei nicht gefunden.", "Prüfen Sie Namen und Ordner der Excel- oder CSV-Datei.")
    size = path.stat().st_size
    if size == 0:
        raise _fail(path, "Die Datei ist leer.", "Speichern Sie die Tabelle in Excel erneut als .xlsx oder .csv.")
    if size > MAX_BYTES:
        raise _fail(path, f"Die Datei ist zu groß ({size // (1024 * 1024)} MB; erlaubt sind 10 MB).",
                    "Kopieren Sie das Blatt mit den Planzahlen in eine eigene Datei.")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        if sheet is not None:
            raise _fail(path, "Eine CSV-Datei hat keine Blätter – „--blatt“ passt nur zu .xlsx.", "Lassen Sie --blatt weg.")
        return _csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx(path, sheet)
    if suffix in (".xls", ".ods", ".numbers"):
        raise _fail(path, f"Das Format {suffix} liest amip nicht.",
                    "Speichern Sie die Tabelle in Excel oder LibreOffice unter „Excel-Arbeitsmappe (.xlsx)“ "
                    "oder als CSV (Trennzeichen Semikolon).")
    raise _fail(path, f"„{path.name}“ ist weder eine Excel-Datei (.xlsx) noch eine CSV-Datei (.csv).",
                "Geben Sie die Datei mit den Planzahlen an, z. B. planung.xlsx.")


def _xlsx(path: Path, sheet: str | None) -> Grid:
    import openpyxl
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.exceptions import InvalidFileException

    not_xlsx = _fail(path, "Die Datei ist keine gültige Excel-Datei (.xlsx).",
                     "Öffnen Sie sie in Excel und speichern Sie sie als „Excel-Arbeitsmappe (.xlsx)“.")
    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError):
        raise not_xlsx from None
    visible = [ws.title for ws in book.worksheets if ws.sheet_state == "visible"]
    if sheet is None:
        if not visible:
            raise _fail(path, "Alle Blätter der Arbeitsmappe sind ausgeblendet.", "Blenden Sie das Blatt mit den Zahlen ein.")
        ws = book[visible[0]]     # the first sheet the author sees in Excel
    elif sheet not in book.sheetnames:
        raise _fail(path, f"Blatt „{sheet}“ gibt es nicht.", "Vorhandene Blätter: " + ", ".join(f"„{n}“" for n in visible) + ".")
    elif sheet not in visible:
        raise _fail(path, f"Blatt „{sheet}“ ist ausgeblendet.",
                    "Blenden Sie es in Excel ein und prüfen Sie es – amip übernimmt keine Werte, die Sie nicht sehen.")
    else:
        ws = book[sheet]
    if not hasattr(ws, "iter_rows"):
        raise _fail(path, f"„{ws.title}“ ist ein Diagrammblatt, keine Tabelle.", "Wählen Sie mit --blatt ein Tabellenblatt.")
    formulas = None
    rows: list[list[Cell]] = []
    max_row, max_col = _extent(ws)
    for r, row in enumerate(ws.iter_rows(min_row=1, max_row=max_row, max_col=max_col) if max_row and max_col else ()):
        cells = []
        for c, cell in enumerate(row):
            ref = f"{ws.title}!{get_column_letter(c + 1)}{r + 1}"
            value = cell.value
            formula = False
            if value is None:
                if formulas is None:   # a formula has no saved value only in files no spreadsheet program saved
                    formulas = openpyxl.load_workbook(path, data_only=False)[ws.title]
                raw = formulas.cell(row=r + 1, column=c + 1).value
                formula = isinstance(raw, str) and raw.startswith("=")
            number_format = getattr(cell, "number_format", "") or ""
            cells.append(Cell(value, CellLocation(path, cell=ref), percent="%" in number_format, formula=formula))
        rows.append(cells)
    hidden_rows = {i - 1 for i, dim in ws.row_dimensions.items() if dim.hidden}
    hidden_columns = set()
    for letter, dim in ws.column_dimensions.items():
        if dim.hidden:
            low, high = dim.min or 0, dim.max or 0
            if low and high:
                hidden_columns.update(range(low - 1, high))
            else:
                from openpyxl.utils import column_index_from_string

                hidden_columns.add(column_index_from_string(letter) - 1)
    merged = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1, f"{ws.title}!{m.coord}")
              for m in ws.merged_cells.ranges]
    return Grid(path, ws.title, _trim(rows), hidden_rows, hidden_columns, merged)


def _extent(ws) -> tuple[int, int]:
    """Last row and column that hold a value. Excel's own used range often reaches row 1.048.576 when a
    whole column was formatted; walking it would create millions of empty cells (measured: 288 s for a
    sheet formatted down to row 200.000, 0,2 s this way). Headings and keys are values, so a formula
    without a saved result in a data row still lies inside."""
    cells = getattr(ws, "_cells", None)
    if not isinstance(cells, dict):
        return ws.max_row, ws.max_column
    used = [key for key, cell in cells.items() if cell.value is not None]
    return max((r for r, _ in used), default=0), max((c for _, c in used), default=0)


def _csv(path: Path) -> Grid:
    raw = path.read_bytes()
    if b"\x00" in raw[:4096] or raw[:2] == b"PK":
        raise _fail(path, "Die Datei ist keine Textdatei (CSV).",
                    "Ist es eine Excel-Datei? Dann muss sie auf .xlsx enden.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")   # Excel on Windows saves „CSV (Trennzeichen-getrennt)“ so
    rows = []
    reader = csv.reader(io.StringIO(text), delimiter=";")
    for record in reader:   # line_num: a quoted cell may span lines
        rows.append([Cell(value.strip() or None, Location(path, reader.line_num, c + 1)) for c, value in enumerate(record)])
    if rows and len(rows[0]) == 1 and "," in (rows[0][0].value or ""):
        raise _fail(path, "Die CSV-Datei trennt die Spalten mit Komma, nicht mit Semikolon.",
                    "Speichern Sie in Excel als „CSV (Trennzeichen-getrennt)“ mit deutschen Einstellungen – "
                    "dann trennt ein Semikolon die Spalten und Zahlen behalten ihr Komma.")
    return Grid(path, path.name, _trim(rows), set(), set(), [])


def _trim(rows: list[list[Cell]]) -> list[list[Cell]]:
    """Without trailing empty rows (Excel's used range often reaches further than the data)."""
    while rows and all(cell.value is None and not cell.formula for cell in rows[-1]):
        rows.pop()
    return rows


def problems_of(grid: Grid, data_rows: set[int], data_columns: set[int], problems: Collector) -> None:
    """Merged cells and hidden rows or columns inside the rows and columns amip reads are errors."""
    for first_row, first_col, last_row, last_col, ref in grid.merged:
        rows = set(range(first_row, last_row + 1))
        cols = set(range(first_col, last_col + 1))
        if rows & (data_rows | {0}) and cols & data_columns:
            problems.error(CellLocation(grid.path, cell=ref), f"Verbundene Zellen {ref.split('!')[1]} im "
                           "Datenbereich – amip kann nicht sagen, zu welcher Zeile und Spalte der Wert gehört.",
                           "Heben Sie den Zellverbund auf (Start → Verbinden und zentrieren) und tragen Sie den Wert "
                           "in jede Zelle ein.")
    for r in sorted(grid.hidden_rows & data_rows):
        problems.error(grid.rows[r][0].where, f"Zeile {r + 1} ist ausgeblendet, enthält aber Werte.",
                       "Blenden Sie die Zeile ein und prüfen Sie sie, oder löschen Sie sie – amip übernimmt keine "
                       "Werte, die Sie in Excel nicht sehen.")
    for c in sorted(grid.hidden_columns & data_columns):
        problems.error(grid.rows[0][c].where, f"Spalte „{grid.rows[0][c].value}“ ist ausgeblendet.",
                       "Blenden Sie die Spalte ein und prüfen Sie sie, oder löschen Sie sie – amip übernimmt keine "
                       "Werte, die Sie in Excel nicht sehen.")

