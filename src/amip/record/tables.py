"""Turn the tables of the web edition into CSV files and one XLSX workbook – values exactly as printed.

The tables are read from the rendered web HTML, not from the data files: what a reader downloads
is then by construction what the PDF and the web edition show (the same formatted strings), and
every kind of table – Kennzahlen, Portfolio, general tables, matrices, the data of each chart – is
covered by one reader. Each table gives `daten/<id>.csv` (UTF-8 with BOM so that Excel recognises
the encoding, `;` as separator); every column whose cells are all numbers gets a second column
"… (Zahl)" with the number for programs (no thousands separator, decimal point, no unit). Cells
merged over several rows are repeated in each row, so every row stands on its own. The workbook
`daten/tabellen.xlsx` has a sheet per table with the same columns, numbers as numbers.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

FOLDER = "daten"
WORKBOOK = "tabellen.xlsx"
_NUMBER = re.compile(r"^([+\-−]?)([0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,([0-9]+))?$")
_UNITS = ("Mio. €", "Tsd. €", "€", "%", "Prozent")
_EMPTY = ("", "–", "-", "—")


@dataclass
class Table:
    id: str                 # "tabelle-kennzahlen", "abb-integrationsquote"
    caption: str            # "Tabelle 3: Kennzahlen …" as printed
    header: list[str]
    rows: list[list[str]]

    def columns(self) -> list[tuple[str, int, bool]]:
        """(heading, source column, as number?) – every numeric column followed by its "(Zahl)" twin."""
        out = []
        for index, heading in enumerate(self.header):
            out.append((heading, index, False))
            if index == 0:
                continue      # the row labels (years too) are names, not values
            cells = [row[index] for row in self.rows if index < len(row) and row[index].strip() not in _EMPTY]
            if cells and all(number(cell) is not None for cell in cells):
                out.append((f"{heading} (Zahl)", index, True))
        return out

    def records(self) -> list[list]:
        """Header line and rows as written to CSV and XLSX (numbers as Python numbers where "(Zahl)")."""
        columns = self.columns()
        lines = [[heading for heading, _, _ in columns]]
        for row in self.rows:
            lines.append([(number(row[i]) if as_number else row[i]) if i < len(row) else "" for _, i, as_number in columns])
        return lines


def number(text: str) -> int | float | None:
    """"8.510" → 8510, "17,0%" → 17.0, "-23,5 %" → -23.5, "1,2 Mio. €" → 1.2; not a number → None."""
    text = text.strip().replace("\u00a0", " ").replace("\u202f", " ")
    for unit in _UNITS:
        if text.endswith(unit):
            text = text[: -len(unit)].strip()
            break
    match = _NUMBER.match(text)
    if not match:
        return None
    sign = -1 if match.group(1) in ("-", "−") else 1
    whole = int(match.group(2).replace(".", ""))
    if match.group(3) is None:
        return sign * whole
    return sign * float(f"{whole}.{match.group(3)}")


def extract(html: str) -> list[Table]:
    """Every data table of the web HTML (`table#tabelle-…` and the data table of each chart figure)."""
    parser = _Tables()
    parser.feed(html)
    parser.close()
    return parser.tables


def write(folder: Path, html: str, epoch: int, made: dict[str, bytes] | None = None) -> list[Path]:
    """CSV per table and the workbook into `folder` (created); → the files written. `made`: `files(html, epoch)`
    if the caller made them already."""
    from ..output import atomic_write

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in (files(html, epoch) if made is None else made).items():
        atomic_write(folder / name, data)
        written.append(folder / name)
    return written


def files(html: str, epoch: int) -> dict[str, bytes]:
    """file name → bytes: a CSV per table of the web edition and the workbook with all of them."""
    tables = extract(html)
    made = {}
    for table in tables:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        for line in table.records():
            writer.writerow([_csv_number(v) if isinstance(v, (int, float)) else ("" if v is None else v) for v in line])
        made[f"{table.id}.csv"] = buffer.getvalue().encode("utf-8-sig")
    if tables:
        made[WORKBOOK] = workbook(tables, epoch)
    return made


def workbook(tables: list[Table], epoch: int) -> bytes:
    """One sheet per table; reproducible bytes (fixed document dates and zip entry times)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.writer.excel import ExcelWriter

    when = datetime.fromtimestamp(epoch, timezone.utc).replace(tzinfo=None)
    book = Workbook()
    book.remove(book.active)
    book.properties.created = book.properties.modified = when
    book.properties.creator = "amip"
    used: set[str] = set()
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table, used))
        lines = table.records()
        sheet.append([table.caption or table.id])     # a table without caption is named by its id
        sheet["A1"].font = Font(bold=True)
        for line in lines:
            sheet.append(["" if v is None else v for v in line])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A3"
        for index, heading in enumerate(lines[0], start=1):
            width = max([len(str(heading))] + [len(str(line[index - 1])) for line in lines[1:]])
            sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = min(60, width + 2)
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()     # not book.save(): that stamps "modified" with the clock
    return _fixed_zip_times(raw.getvalue(), when)


def _fixed_zip_times(data: bytes, when: datetime) -> bytes:
    """openpyxl stamps every zip entry with the current time; the same sources must give the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=max(when, datetime(1980, 1, 1)).timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def _sheet_name(table: Table, used: set[str]) -> str:
    """Excel allows 31 characters without []:*?/\\ and unique names."""
    base = re.sub(r"[\[\]:*?/\\]", " ", table.caption or table.id).strip()[:28].strip() or table.id[:28]
    name, n = base, 2
    while name.lower() in used:
        name = f"{base[:25]} ({n})"
        n += 1
    used.add(name.lower())
    return name


def _csv_number(value: int | float) -> str:
    return str(value) if isinstance(value, int) else repr(value)


class _Tables(HTMLParser):
    """Collects tables: header grid from <thead> (colspans joined with " – "), body rows with rowspans repeated."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[Table] = []
        self.figure: str | None = None
        self.current: dict | None = None
        self.cell: dict | None = None
        self.hidden = 0          # depth inside aria-hidden / .status-symbol parts that print no text
        self.caption: list[str] | None = None
        self.figcaption = ""     # the caption of the figure being read: names a chart's data table

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "figure":
            self.figure = a.get("id")
        elif tag == "table" and self.current is None:
            ident = a.get("id") or (self.figure and self.figure.startswith("abb-") and self.figure)
            if ident:
                self.current = {"id": ident, "caption": self.figcaption, "head": [], "body": [],
                                "section": "body", "spans": {}}
        if self.current is None:
            if tag == "figcaption":
                self.caption = []
            return
        if self.cell is not None and (a.get("aria-hidden") == "true" or self.hidden):
            self.hidden += 1
        if tag == "caption":
            self.caption = []
        elif tag == "thead":
            self.current["section"] = "head"
        elif tag in ("tbody", "tfoot"):
            self.current["section"] = "body"
        elif tag == "tr":
            self.current[self.current["section"]].append([])
        elif tag in ("td", "th"):
            self.cell = {"text": [], "colspan": int(a.get("colspan") or 1), "rowspan": int(a.get("rowspan") or 1)}
        elif tag == "br" and self.cell is not None:
            self.cell["text"].append(" ")

    def handle_endtag(self, tag):
        if self.hidden and self.cell is not None:
            self.hidden -= 1
            return
        if tag == "figcaption" and self.current is None and self.caption is not None:
            self.figcaption = _clean("".join(self.caption))
            self.caption = None
        if tag == "figure":
            self.figure = None
            self.figcaption = ""
        if self.current is None:
            return
        if tag == "caption" and self.caption is not None:
            self.current["caption"] = _clean("".join(self.caption))
            self.caption = None
        elif tag in ("td", "th") and self.cell is not None:
            self.current[self.current["section"]][-1].append((_clean("".join(self.cell["text"])), self.cell["colspan"],
                                                              self.cell["rowspan"]))
            self.cell = None
        elif tag == "table":
            self.tables.append(_finish(self.current))
            self.current = None

    def handle_data(self, data):
        if self.hidden:
            return
        if self.cell is not None:
            self.cell["text"].append(data)
        elif self.caption is not None:
            self.caption.append(data)


def _grid(rows: list[list[tuple[str, int, int]]]) -> list[list[str]]:
    """Rows of (text, colspan, rowspan) → a full grid; spanned cells repeat their text."""
    grid: list[list[str]] = []
    pending: dict[int, tuple[str, int]] = {}      # column → (text, rows still covered)
    for row in rows:
        line: list[str] = []
        cells = iter(row)
        column = 0
        while True:
            if column in pending:
                text, left = pending[column]
                line.append(text)
                pending[column] = (text, left - 1)
                if left - 1 == 0:
                    del pending[column]
                column += 1
                continue
            cell = next(cells, None)
            if cell is None:
                break
            text, colspan, rowspan = cell
            for _ in range(colspan):
                line.append(text)
                if rowspan > 1:
                    pending[column] = (text, rowspan - 1)
                column += 1
        while column in pending:       # spans reaching past the row's own cells
            text, left = pending.pop(column)
            line.append(text)
            if left > 1:
                pending[column] = (text, left - 1)
            column += 1
        grid.append(line)
    return grid


def _finish(current: dict) -> Table:
    head = _grid(current["head"])
    width = max([len(line) for line in head + _grid(current["body"])] or [0])
    header = []
    for column in range(width):
        parts = []
        for line in head:
            text = line[column] if column < len(line) else ""
            if text and text not in parts:
                parts.append(text)
        header.append(" – ".join(parts) or ("Bezeichnung" if column == 0 else f"Spalte {column + 1}"))
    return Table(current["id"], current["caption"], header, _grid(current["body"]))


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00ad", "")).strip()
