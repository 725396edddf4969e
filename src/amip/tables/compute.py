"""Turn a table specification (columns, rows, groups, totals) into printed rows with every sum computed.

The one engine behind every table: group subtotals and totals (at the top or the bottom), computed
columns (summe, vergleich, differenz, anteil), text cells that are left out of sums — the total then
carries a mark and a notice under the table says which rows it lacks — footnote marks and notes, and
two-level column headers. Values come in typed (`columns.Value`); everything printed is a string.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .. import formatting as fmt
from ..errors import Collector, Location
from .columns import OPEN_VALUE, Column, Value, format_number, format_value
from .figures import Cell, Row, TableFigures, col_classes, header, merge_first

# ---------------------------------------------------------------- input


@dataclass
class Line:
    """A body row. kind: "" (plain), zeile, davon or darunter; only plain rows and zeile count in sums."""

    label: str | tuple[str, ...]
    values: dict[str, Value]
    kind: str = ""
    key: str | None = None
    where: dict[str, Location] = field(default_factory=dict)   # column key → location of the cell

    @property
    def counted(self) -> bool:
        return self.kind in ("", "zeile")


@dataclass
class Group:
    """Rows under a heading with their subtotal; a group without rows carries its own values."""

    label: str
    key: str
    lines: list[Line]
    own: dict[str, Value] | None = None
    total_label: str | None = None          # label of the subtotal row where it stands below the rows


@dataclass
class Total:
    label: str
    keys: tuple[str, ...] = ()               # names for references: "summe", "summe2", "gesamt" …
    without: frozenset[str] = frozenset()    # group keys left out
    expected: dict[str, tuple[Decimal, Location]] = field(default_factory=dict)


@dataclass
class TableSpec:
    name: str
    title: str | None
    columns: list[Column]                    # columns[0] is the label column (row headers)
    items: list[Line | Group]
    totals: list[Total] = field(default_factory=list)
    totals_at: str = "unten"                 # oben | unten
    subtotals_at: str = "oben"               # oben: group row with its subtotal above its rows
    notes: list[str] = field(default_factory=list)
    footnotes: dict[str, str] = field(default_factory=dict)
    footnote_where: dict[str, Location] = field(default_factory=dict)
    variant: str = "allgemein"               # CSS class: allgemein | kennzahlen
    where: Location | None = None

# ---------------------------------------------------------------- the engine


class _Sum:
    """A running column sum that remembers which rows had no number."""

    def __init__(self) -> None:
        self.low = self.high = Decimal(0)
        self.count = 0
        self.decimals = 0
        self.missing: list[tuple[str, str]] = []   # (row label, its text)
        self.open = False                          # a row is `offen`: so is the sum (D3)

    def add(self, value: Value, label: str) -> None:
        if value.open:
            self.open = True
        elif value.known:
            self.low += value.number
            self.high += value.upper
            self.count += 1
            self.decimals = max(self.decimals, value.decimals)
        else:
            self.missing.append((label, value.text if isinstance(value.text, str) else ""))

    def merge(self, other: "_Sum") -> None:
        self.low += other.low
        self.high += other.high
        self.count += other.count
        self.decimals = max(self.decimals, other.decimals)
        self.missing += other.missing
        self.open = self.open or other.open

    def value(self) -> Value:
        if self.open:
            return OPEN_VALUE
        if not self.count:
            return Value()
        return Value(self.low, self.high if self.high != self.low else None, decimals=self.decimals)


def build_table(spec: TableSpec, problems: Collector) -> TableFigures:
    """Compute subtotals, totals and computed columns; check stated totals; format every cell."""
    columns = spec.columns[1:]
    summed = [c for c in columns if c.sums]
    _check_text_cells(spec, summed, problems)

    def complete(values: dict[str, Value]) -> dict[str, Value]:
        out = dict(values)
        for column in columns:
            if column.computed and column.art != "anteil":
                out[column.key] = _computed(column, out)
        return out

    group_sums, loose, total_sums = _sum_up(spec, summed)
    _check_expected(spec, columns, total_sums, problems)

    # notice for totals that lack rows without a number
    used_marks = {v.mark for line in _lines(spec) for v in line.values.values() if v.mark}
    notice_mark = next(m for m in ("*", "**", "***", "°") if m not in used_marks)
    lacking: list[tuple[str, str]] = []

    def sum_values(sums: dict[str, _Sum]) -> dict[str, Value]:
        out = {}
        for key, running in sums.items():
            value = running.value()
            if running.missing and not value.open:
                lacking.extend(m for m in running.missing if m not in lacking)
                value = Value(value.number, value.high, value.text, notice_mark, value.decimals)
            out[key] = value
        return out

    base = _share_base(total_sums, group_sums, loose)

    def shares(values: dict[str, Value]) -> dict[str, Value]:
        for column in columns:
            if column.art == "anteil":
                part, whole = values.get(column.sources[0], Value()), base.get(column.sources[0])
                if part.open or (whole is not None and whole.open):
                    values[column.key] = OPEN_VALUE
                elif part.known and whole is not None and whole.count and whole.low:
                    values[column.key] = Value(part.number / whole.low)
                else:
                    values[column.key] = Value(text="–")
        return values

    rows: list[Row] = []
    figures_values: dict[str, tuple[str, Decimal]] = {}

    def emit(kind: str, label, values: dict[str, Value], keys: tuple[str, ...] = ()) -> None:
        values = shares(complete(values))
        cells = [Cell(label)]
        numbers = {}
        for column in columns:
            value = values.get(column.key, Value())
            text = format_value(column, value)
            cells.append(Cell(text, column.numeric, open=value.open))
            if value.known and value.upper == value.number:      # a range has no single value to quote
                numbers[column.key] = value.number
                shown = value.number * 100 if column.art in ("vergleich", "anteil") else value.number
                quoted = format_value(column, Value(value.number, value.high, decimals=value.decimals))   # no mark
                for key in keys:
                    figures_values.setdefault(f"{key}.{column.key}", (str(quoted), shown))
            elif value.open:           # quotable in prose as "offen" (marked there too), never a number
                for key in keys:
                    figures_values.setdefault(f"{key}.{column.key}", (fmt.OPEN, None))
            elif column.computed and value.text not in ("", "–"):
                for key in keys:      # "neu": quotable in prose, but not a number for references
                    figures_values.setdefault(f"{key}.{column.key}", (str(text), None))
        rows.append(Row(kind, tuple(cells), keys[0] if keys else None, numbers))

    def emit_totals() -> None:
        for total, sums in zip(spec.totals, total_sums):
            emit("summe", total.label, sum_values(sums), total.keys)

    if spec.totals_at == "oben":
        emit_totals()
    for item in spec.items:
        if isinstance(item, Group):
            subtotal = sum_values(group_sums[item.key])
            for c in columns:
                if not c.sums and item.own is not None and c.key in item.own:
                    subtotal[c.key] = item.own[c.key]
            if spec.subtotals_at == "oben":
                emit("gruppe", item.label, subtotal, (item.key,))
            else:
                rows.append(Row("gruppentitel", (Cell(item.label),) + tuple(Cell("", c.numeric) for c in columns)))
            for line in item.lines:
                emit(line.kind, line.label, line.values, (line.key,) if line.key else ())
            if spec.subtotals_at == "unten":
                emit("zwischensumme", item.total_label or f"Summe {item.label}", subtotal, (item.key,))
        else:
            emit(item.kind, item.label, item.values, (item.key,) if item.key else ())
    if spec.totals_at != "oben":
        emit_totals()

    notes = _footnotes(spec, problems)
    if lacking:
        listed = ", ".join(f"„{label}“ ({text})" if text else f"„{label}“" for label, text in lacking)
        notes.append(f"{notice_mark} Summe ohne {listed}: Zeilen ohne Zahl werden nicht mitgezählt.")
    notes += spec.notes
    body = merge_first(rows) if spec.columns[0].merge else tuple(rows)
    return TableFigures(spec.name, spec.title, spec.variant, header(spec.columns), col_classes(spec.variant, spec.columns),
                        body, tuple(notes), figures_values, tuple((c.key, c.art) for c in columns))



def _sum_up(spec: TableSpec, summed: list[Column]):
    """Running sums per summed column: per group, for rows outside groups, and per total row."""
    group_sums: dict[str, dict[str, _Sum]] = {}
    loose = {c.key: _Sum() for c in summed}
    for item in spec.items:
        if isinstance(item, Group):
            sums = {c.key: _Sum() for c in summed}
            if item.own is not None:
                for c in summed:
                    sums[c.key].add(item.own.get(c.key, Value()), item.label)
            for line in item.lines:
                if line.counted:
                    for c in summed:
                        sums[c.key].add(line.values.get(c.key, Value()), _text(line.label))
            group_sums[item.key] = sums
        elif item.counted:
            for c in summed:
                loose[c.key].add(item.values.get(c.key, Value()), _text(item.label))
    total_sums: list[dict[str, _Sum]] = []
    for total in spec.totals:
        sums = {c.key: _Sum() for c in summed}
        for key, group in group_sums.items():
            if key not in total.without:
                for c in summed:
                    sums[c.key].merge(group[c.key])
        for c in summed:
            sums[c.key].merge(loose[c.key])
        total_sums.append(sums)
    return group_sums, loose, total_sums


def _check_expected(spec: TableSpec, columns: list[Column], total_sums: list[dict[str, _Sum]],
                    problems: Collector) -> None:
    """An author's stated total ("erwartet") must equal the computed one."""
    for total, sums in zip(spec.totals, total_sums):
        for key, (stated, where) in total.expected.items():
            if key in sums and sums[key].open:   # checked once the open values are filled in
                continue
            computed = sums[key].value().number if key in sums else None
            if computed is None or computed != stated:
                column = next(c for c in columns if c.key == key)
                shown = format_number(column, computed, sums[key].decimals) if computed is not None else "nichts"
                problems.error(where, f"Summe „{total.label}“ ({key}): erwartet {format_number(column, stated, 0)}, "
                                      f"berechnet {shown}.",
                               "Prüfen Sie die Zeilenwerte – amip addiert sie selbst; oder korrigieren Sie „erwartet“.")


def _share_base(total_sums, group_sums, loose) -> dict[str, _Sum]:
    """Shares refer to the first total, or to the sum of all counted rows where the table has none."""
    if total_sums:
        return total_sums[0]
    base = {k: _Sum() for k in loose}
    for key, running in loose.items():
        base[key].merge(running)
    for sums in group_sums.values():
        for key, running in sums.items():
            base[key].merge(running)
    return base


def unique_key(key: str, seen: dict, where: Location, problems: Collector) -> None:
    """A `schluessel` names one row; a second row with the same key would silently win."""
    if key in seen:
        problems.error(where, f"Schlüssel „{key}“ doppelt vergeben (zuerst {seen[key]}).",
                       "Jede Zeile braucht einen eigenen Schlüssel – benennen Sie einen der beiden um.")


def _text(label) -> str:
    return label if isinstance(label, str) else " ".join(label)


def _lines(spec: TableSpec):
    for item in spec.items:
        if isinstance(item, Group):
            yield from item.lines
        else:
            yield item


def _computed(column: Column, values: dict[str, Value]) -> Value:
    """summe, vergleich (a ÷ b − 1; 0 against 0 is 0 %, x against 0 is "neu") and differenz (a − b)."""
    operands = [values.get(key, Value()) for key in column.sources]
    if any(v.open for v in operands):
        return OPEN_VALUE
    if column.art == "summe":
        known = [v for v in operands if v.known]
        if not known:
            return Value()
        if len(known) < len(operands):
            return Value(text="–")
        return Value(sum((v.number for v in known), Decimal(0)), decimals=max(v.decimals for v in known))
    if not all(v.known for v in operands):
        return Value(text="–")
    a, b = operands[0].number, operands[1].number
    if column.art == "differenz":
        return Value(a - b, decimals=max(operands[0].decimals, operands[1].decimals))
    ratio = fmt.comparison_ratio(a, b)
    return Value(text=fmt.NEW_AGAINST_ZERO) if ratio is None else Value(ratio)


def _check_text_cells(spec: TableSpec, summed: list[Column], problems: Collector) -> None:
    """A text cell in a summed column is allowed unless the column says `textzellen: nein`."""
    strict = [c for c in summed if not c.text_allowed]
    for line in _lines(spec):
        for column in strict:
            value = line.values.get(column.key, Value())
            if not value.known and not value.open and line.counted:
                where = line.where.get(column.key) or line.where.get("") or spec.where
                shown = f"Textzelle „{value.text}“" if value.text else "Eine leere Zelle"
                problems.error(where, f"{shown} in der summierten Spalte „{column.name}“ ist nicht erlaubt "
                                      "(textzellen: nein).",
                               "Tragen Sie die Zahl ein – oder erlauben Sie Textzellen an der Spalte "
                               "(textzellen: ja); die Summe weist fehlende Zeilen dann unter der Tabelle aus.")


def _footnotes(spec: TableSpec, problems: Collector) -> list[str]:
    """Notes for the marks of this table; a mark without its note (or the reverse) is a warning."""
    used: dict[str, Location | None] = {}
    for line in _lines(spec):
        for key, value in line.values.items():
            if value.mark:
                used.setdefault(value.mark, line.where.get(key) or line.where.get(""))
    for mark, where in used.items():
        explained = mark in spec.footnotes or any(n.startswith(mark) for n in spec.notes)
        if not explained and where is not None:
            problems.warn(where, f"Das Zeichen „{mark}“ wird unter der Tabelle nicht erklärt.",
                          f"Ergänzen Sie unter „fussnoten:“ eine Zeile „\"{mark}\": Erklärung“.")
    texts = [c.name for c in spec.columns] + [c.group or "" for c in spec.columns] + \
        [line.label for line in _lines(spec) if isinstance(line.label, str)] + \
        [item.label for item in spec.items if isinstance(item, Group)]
    for mark, where in spec.footnote_where.items():
        if mark not in used and not any(text.endswith(mark) for text in texts):   # a mark on a heading or label
            problems.warn(where, f"Die Fußnote „{mark}“ kommt in der Tabelle nicht vor.",
                          "Setzen Sie das Zeichen direkt hinter eine Zahl (z. B. 60*) oder löschen Sie die Fußnote.")
    return [f"{mark} {text}" for mark, text in spec.footnotes.items()]
