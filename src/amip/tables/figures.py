"""Turn computed rows into the printed table form: header rows, merged cells, the figures a template gets."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..formatting import OPEN
from .columns import Column


@dataclass(frozen=True)
class HeaderCell:
    text: str
    numeric: bool = False
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class Cell:
    text: str | tuple[str, ...]
    numeric: bool = False
    rowspan: int = 1                         # 0: merged into the cell above (not printed)
    open: bool = False                       # an open value (D3), or computed from one: printed marked


@dataclass(frozen=True)
class Row:
    kind: str                                # "" | summe | gruppe | gruppentitel | zwischensumme | zeile | davon | darunter
    cells: tuple[Cell, ...]
    key: str | None = None
    numbers: dict[str, Decimal] = field(default_factory=dict)   # column key → value (known numbers only)

    @property
    def label(self) -> str:
        text = self.cells[0].text
        return text if isinstance(text, str) else " ".join(text)


@dataclass(frozen=True)
class TableFigures:
    name: str
    title: str | None
    variant: str
    header: tuple[tuple[HeaderCell, ...], ...]
    col_classes: tuple[str, ...]            # "" or a class for <col> (kennzahlen: c-label, c-zahl)
    rows: tuple[Row, ...]
    notes: tuple[str, ...]
    values: dict[str, tuple[str, Decimal]] = field(default_factory=dict)   # "zeile.spalte" → (text, number)
    columns: tuple[tuple[str, str], ...] = ()   # (key, art) of the columns after the label column, in order


def plain_table(name: str, title: str | None, headers: tuple[str, ...], aligns: tuple[str, ...],
                rows: tuple[tuple, ...], merge: bool = False, notes: tuple[str, ...] = ()) -> TableFigures:
    """Already formatted rows (series shown as a table, Portfolio overview) in the same table form."""
    numeric = [a == "rechts" for a in aligns]
    # a number column that says "offen" shows an open value (D3), e.g. in the Portfolio overview
    body = [Row("", tuple(Cell(v, numeric[i], open=numeric[i] and v == OPEN) for i, v in enumerate(r))) for r in rows]
    head = (tuple(HeaderCell(h, numeric[i]) for i, h in enumerate(headers)),)
    return TableFigures(name, title, "allgemein", head, (), merge_first(body) if merge else tuple(body), notes)


def header(columns: list[Column]) -> tuple[tuple[HeaderCell, ...], ...]:
    """One header row; two where columns carry a `gruppe` (the group spans its columns above them)."""
    if not any(c.group for c in columns):
        return (tuple(HeaderCell(c.name, c.numeric) for c in columns),)
    top: list[HeaderCell] = []
    bottom: list[HeaderCell] = []
    i = 0
    while i < len(columns):
        column = columns[i]
        if not column.group:
            top.append(HeaderCell(column.name, column.numeric, rowspan=2))
            i += 1
            continue
        j = i
        while j < len(columns) and columns[j].group == column.group:
            bottom.append(HeaderCell(columns[j].name, columns[j].numeric))
            j += 1
        top.append(HeaderCell(column.group, all(c.numeric for c in columns[i:j]), colspan=j - i))
        i = j
    return (tuple(top), tuple(bottom))


def col_classes(variant: str, columns: list[Column]) -> tuple[str, ...]:
    """<col> classes the house CSS sizes (Kennzahlen: a wide label column, narrow number columns)."""
    if variant != "kennzahlen":
        return ()
    # up to three number columns beside a wide label column (2018, 2026); with more the label column
    # takes what the number columns leave, so the table keeps its width
    label = "c-label" if len(columns) <= 4 else "c-label-schmal"
    return (label,) + tuple("c-zahl" for _ in columns[1:])


def merge_first(rows: list[Row]) -> tuple[Row, ...]:
    """Consecutive plain rows with the same first cell share one row-spanning cell."""
    out = list(rows)
    i = 0
    while i < len(out):
        j = i + 1
        while j < len(out) and out[i].kind == "" and out[j].kind == "" and out[j].cells[0].text == out[i].cells[0].text:
            j += 1
        if j - i > 1:
            first = out[i].cells[0]
            out[i] = Row(out[i].kind, (Cell(first.text, first.numeric, j - i),) + out[i].cells[1:], out[i].key, out[i].numbers)
            for k in range(i + 1, j):
                cell = out[k].cells[0]
                out[k] = Row(out[k].kind, (Cell(cell.text, cell.numeric, 0),) + out[k].cells[1:], out[k].key, out[k].numbers)
        i = j
    return tuple(out)
