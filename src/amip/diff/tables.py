"""Turn the computed data files of two editions into row-by-row table changes, as printed.

Every kind of data file becomes a `Sheet` (value columns, rows with key, label and printed cells), so
one comparison serves Kennzahlen, Portfolio, general tables, series, matrices and figures. Files are
matched by name, rows by key (keys.row_key), columns by name, by name without years ("Eintritte
2026" ~ "Eintritte 2027"), then by position. The figures are the computed ones, so group sums and
totals are compared exactly as each edition prints them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher

from .. import compute, formatting as fmt, platzhalter
from .keys import plain, row_key
from .redline import Piece, words_diff

_NUMBER = re.compile(r"^-?\d{1,3}(\.\d{3})*(,\d+)?$")
_YEAR = re.compile(r"\b(19|20)\d\d\b")


@dataclass(frozen=True)
class SheetRow:
    key: str
    label: str
    kind: str                      # "" | summe | gruppe | zeile | davon | darunter | …
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Sheet:
    name: str
    title: str
    columns: tuple[str, ...]       # value columns (the label column is not one)
    rows: tuple[SheetRow, ...]


@dataclass(frozen=True)
class CellChange:
    column: str                    # column name in the new edition
    old: str
    new: str
    change: str = ""               # "+12,5%", "+3,0 Prozentpunkte", "" (no number)
    pieces: tuple[Piece, ...] = ()  # word-level difference of a long text cell

    @property
    def short(self) -> bool:
        """Numbers, ranges and short words: set right-aligned on one line; longer text wraps."""
        return len(self.old) <= 24 and len(self.new) <= 24


@dataclass(frozen=True)
class RowChange:
    status: str                    # geaendert | neu | entfallen | umbenannt (and maybe geaendert too)
    key: str
    label: str                     # new label (old one for entfallen)
    kind: str
    old_label: str = ""            # set when renamed
    cells: tuple[CellChange, ...] = ()   # the changed cells only
    keyed: bool = False            # the key is an author's schluessel, not the label
    values: tuple[CellChange, ...] = ()  # one per column of the table as shown (unchanged ones too)


@dataclass
class TableChange:
    name: str
    status: str                    # geaendert | unveraendert | neu | entfallen
    title: str
    old_title: str = ""
    columns: tuple[str, ...] = ()  # the columns shown: the new edition's (the old one's for a dropped file)
    columns_renamed: list[tuple[str, str]] = field(default_factory=list)
    columns_added: list[str] = field(default_factory=list)
    columns_dropped: list[str] = field(default_factory=list)
    rows: list[RowChange] = field(default_factory=list)
    unchanged: int = 0
    row_count: int = 0
    maybe_renamed: list[tuple[str, str]] = field(default_factory=list)   # unkeyed dropped/new rows alike

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status or (status == "umbenannt" and r.old_label))

    @property
    def numeric(self) -> tuple[bool, ...]:
        """Per shown column: right-aligned (numbers, ranges, short words) unless a row holds longer text."""
        return tuple(all(r.values[j].short for r in self.rows if j < len(r.values)) for j in range(len(self.columns)))


def sheet(name: str, figures) -> Sheet | None:
    """A computed data file as columns and keyed rows (None for what has nothing to compare)."""
    table = None
    if isinstance(figures, compute.KennzahlenFigures):
        table = figures.table
    elif isinstance(figures, compute.TableFigures):
        table = figures
    elif isinstance(figures, compute.SeriesFigures):
        table = figures.as_table()
    if table is not None:
        return Sheet(name, plain(table.title or ""), _flat_header(table.header),
                     _keyed([(r.key, r.label, r.kind, tuple(_cell(c.text) for c in r.cells[1:])) for r in table.rows]))
    if isinstance(figures, compute.PortfolioFigures):
        rows = [(r.key, r.instrument, "", (r.value, r.function)) for r in figures.rows]
        rows.append(("summe", figures.sum_label, "summe", (figures.sum_value, figures.sum_function)))
        return Sheet(name, plain(figures.title or ""), figures.columns[1:], _keyed(rows))
    if isinstance(figures, compute.MatrixFigures):
        data = figures.data
        rows = [(None, cell.text, "", (column.name, data.legende.get(cell.status, cell.status)))
                for column in data.spalten for cell in column.zellen]
        return Sheet(name, plain(data.titel or ""), ("Spalte", "Stand"), _keyed(rows))
    if isinstance(figures, (compute.ImageFigures, platzhalter.PlaceholderFigures)):
        data = figures.data
        rows = [(None, label, "", (plain(str(getattr(data, attr))),)) for label, attr in
                (("Titel", "titel"), ("Alternativtext", "alt"), ("Datei", "datei"), ("Hinweis", "hinweis"))
                if getattr(data, attr, None)]
        return Sheet(name, plain(data.titel), ("Angabe",), _keyed(rows))
    return None


def _cell(text) -> str:
    return plain(text if isinstance(text, str) else " ".join(text))


def _flat_header(header) -> tuple[str, ...]:
    """Column names without the label column; a grouped column is named "Gruppe Spalte"."""
    if len(header) == 1:
        return tuple(plain(h.text) for h in header[0][1:])
    names, lower = [], iter(header[1])
    for cell in header[0]:
        if cell.rowspan == 2:
            names.append(plain(cell.text))
        else:
            names += [plain(f"{cell.text} {next(lower).text}") for _ in range(cell.colspan)]
    return tuple(names[1:])


def _keyed(rows: list[tuple]) -> tuple[SheetRow, ...]:
    """Keys per row (a repeated key gets "#2", "#3" in order, as a second row of the same name)."""
    seen: dict[str, int] = {}
    out = []
    for key, label, kind, cells in rows:
        k = row_key(key, label)
        seen[k] = seen.get(k, 0) + 1
        out.append(SheetRow(k if seen[k] == 1 else f"{k}#{seen[k]}", plain(label), kind, cells))
    return tuple(out)


def compare_figures(old: dict, new: dict) -> list[TableChange]:
    """Every data file of either edition once: the new edition's in name order, then dropped ones."""
    out = []
    for name in sorted(new):
        b = sheet(name, new[name])
        if b is None:
            continue
        a = sheet(name, old[name]) if name in old else None
        if a is None:
            rows = []
            for r in b.rows:
                values = tuple(CellChange(col, "", text) for col, text in zip(b.columns, r.cells))
                rows.append(RowChange("neu", r.key, r.label, r.kind, cells=tuple(v for v in values if v.new),
                                      values=values))
            out.append(TableChange(name, "neu", b.title, columns=b.columns, rows=rows, row_count=len(b.rows)))
        else:
            out.append(compare_sheets(a, b))
    for name in sorted(set(old) - set(new)):
        a = sheet(name, old[name])
        if a is not None:
            out.append(TableChange(name, "entfallen", a.title, row_count=len(a.rows)))
    return out


def compare_sheets(a: Sheet, b: Sheet) -> TableChange:
    change = TableChange(b.name, "unveraendert", b.title, a.title if a.title != b.title else "", b.columns,
                         row_count=len(b.rows))
    columns = match_columns(a.columns, b.columns)
    change.columns_renamed = [(a.columns[i], b.columns[j]) for j, i in columns.items() if a.columns[i] != b.columns[j]]
    change.columns_added = [name for j, name in enumerate(b.columns) if j not in columns]
    change.columns_dropped = [name for i, name in enumerate(a.columns) if i not in columns.values()]
    old_rows = {r.key: r for r in a.rows}
    new_keys = {r.key for r in b.rows}
    explicit = _explicit_keys(a) | _explicit_keys(b)
    for row in b.rows:
        before = old_rows.get(row.key)
        if before is None:
            values = tuple(CellChange(b.columns[j], "", text) for j, text in enumerate(row.cells))
            change.rows.append(RowChange("neu", row.key, row.label, row.kind, keyed=row.key in explicit,
                                         cells=tuple(v for v in values if v.new), values=values))
            continue
        values = []
        for j, text in enumerate(row.cells):
            i = columns.get(j)
            previous = before.cells[i] if i is not None and i < len(before.cells) else ""
            values.append(cell_change(b.columns[j], previous, text) if previous != text else CellChange(b.columns[j], text, text))
        cells = tuple(v for v in values if v.old != v.new)
        renamed = before.label if before.label != row.label else ""
        if cells or renamed:
            change.rows.append(RowChange("geaendert" if cells else "umbenannt", row.key, row.label, row.kind,
                                         renamed, cells, row.key in explicit, tuple(values)))
        else:
            change.unchanged += 1
    shown_at = {i: j for j, i in columns.items()}
    for row in a.rows:
        if row.key not in new_keys:
            values = [CellChange(name, "", "") for name in b.columns]
            for i, text in enumerate(row.cells):
                if i in shown_at:
                    values[shown_at[i]] = CellChange(b.columns[shown_at[i]], text, "")
            change.rows.append(RowChange("entfallen", row.key, row.label, row.kind, keyed=row.key in explicit,
                                         cells=tuple(CellChange(a.columns[i], text, "") for i, text in enumerate(row.cells)
                                                     if text), values=tuple(values)))
    change.maybe_renamed = _alike([r for r in change.rows if r.status == "entfallen" and not r.keyed],
                                  [r for r in change.rows if r.status == "neu" and not r.keyed])
    if change.rows or change.columns_renamed or change.columns_added or change.columns_dropped or change.old_title:
        change.status = "geaendert"
    return change


def _alike(dropped: list[RowChange], added: list[RowChange]) -> list[tuple[str, str]]:
    """Pairs of a dropped and a new row without schluessel whose labels are alike: perhaps one row renamed.
    Only a hint – without a key amip cannot know, and counts them as dropped and new."""
    pairs, taken = [], set()
    for old in dropped:
        scored = [(SequenceMatcher(None, old.label.casefold(), new.label.casefold()).ratio(), new.label)
                  for new in added if new.label not in taken]
        best = max(scored, default=None)
        if best is not None and best[0] >= 0.6:
            pairs.append((old.label, best[1]))
            taken.add(best[1])
    return pairs


def _explicit_keys(s: Sheet) -> set[str]:
    """Keys that are not just the label (an author's schluessel): worth showing to the reader."""
    return {r.key for r in s.rows if r.key.split("#")[0] != row_key(None, r.label)}


def match_columns(old: tuple[str, ...], new: tuple[str, ...]) -> dict[int, int]:
    """new column index → old column index: same name, same name without years, else same position."""
    pairs: dict[int, int] = {}
    for same in (lambda s: s, lambda s: " ".join(_YEAR.sub("", s).split())):
        for j, name in enumerate(new):
            if j in pairs:
                continue
            for i, other in enumerate(old):
                if i not in pairs.values() and same(other) == same(name):
                    pairs[j] = i
                    break
    if len(old) == len(new):
        for j in range(len(new)):
            if j not in pairs and j not in pairs.values():
                pairs[j] = j
    return pairs


def cell_change(column: str, old: str, new: str) -> CellChange:
    """Old → new with the change: in % for numbers, in %-Punkten (percentage points) for percentages, word diff for long text."""
    a, b = number(old), number(new)
    if a is not None and b is not None:
        if old.endswith("%") and new.endswith("%"):
            points = b - a
            shown = fmt.number(points, 1)
            return CellChange(column, old, new, f"{'+' if points > 0 else ''}{shown} %-Punkte")
        ratio = fmt.comparison_ratio(b, a)
        if ratio is None:
            return CellChange(column, old, new, "–")
        shown = fmt.percent(ratio, 1)
        return CellChange(column, old, new, ("+" if ratio > 0 and not shown.startswith("0,0") else "") + shown)
    if len(old) > 40 or len(new) > 40:
        return CellChange(column, old, new, pieces=words_diff(tuple(old.split()), tuple(new.split())))
    return CellChange(column, old, new)


def number(text: str) -> Decimal | None:
    """A printed German number ("8.510", "17,0%", "1.234,50 €") → Decimal; None for ranges and text."""
    core = text.replace("€", "").replace("%", "").replace("\u00a0", " ").strip().rstrip("*¹²³†‡°").strip()
    if not _NUMBER.match(core):
        return None
    try:
        return Decimal(core.replace(".", "").replace(",", "."))
    except InvalidOperation:
        return None
