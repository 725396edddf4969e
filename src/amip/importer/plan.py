"""Turn a sheet and a data file into the list of value changes (row, column, old → new), every problem located.

Layout of the sheet (docs/import.md): the first row holds headings. The key column is the one headed
„schluessel“ (or „Schlüssel“); without it, the column headed like the file's label column
(„Zweckbestimmung“, „Instrument“, „bezeichnung“), else the first column. Every other column whose
heading is a value column's key („plan“) or printed heading („Eintritte 2026“) is imported.
Decisions: a row of the sheet that the file does not know is an error (its number would be lost);
a row of the file that the sheet lacks stays as it is and is named in a warning (controlling sheets
often cover part of a table); an empty cell changes nothing; merged cells and hidden rows or
columns in the data area are errors (amip does not import what the author cannot see in Excel).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic_core import PydanticCustomError

from ..errors import Collector, Location
from ..load import Document
from ..model import parse_decimal, parse_range
from . import edit, sheet
from .targets import Row, Target, ValueColumn, norm

OPEN = "offen"


@dataclass
class Change:
    row: str
    column: str
    old: str
    new: str
    where: Location
    path: tuple


@dataclass
class Plan:
    data_file: Path
    doc: Document
    grid: sheet.Grid
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    problems: Collector = field(default_factory=Collector)


def _cell_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _find_columns(grid: sheet.Grid, tgt: Target, problems: Collector) -> tuple[int, dict[int, ValueColumn]]:
    headings = grid.rows[0]
    names = [norm(cell.value) for cell in headings]
    key_col = next((i for i, n in enumerate(names) if n in ("schluessel", "schlüssel")), None)
    if key_col is None:
        key_col = next((i for i, n in enumerate(names) if n in tgt.label_headings), 0)
    by_name: dict[str, ValueColumn] = {}
    for column in tgt.columns:
        by_name.setdefault(norm(column.key), column)
        by_name.setdefault(norm(column.heading), column)
    mapped: dict[int, ValueColumn] = {}
    label_like = tgt.label_headings | {"schluessel", "schlüssel"}
    for i, cell in enumerate(headings):
        if i == key_col or not names[i]:
            continue
        column = by_name.get(names[i])
        if column is None and names[i] in tgt.fixed:
            problems.warn(cell.where, f"Spalte „{_cell_text(cell.value)}“ {tgt.fixed[names[i]]} – sie wird nicht "
                          "übernommen.", "")
            continue
        if column is None:
            if names[i] not in label_like:
                problems.warn(cell.where, f"Spalte „{_cell_text(cell.value)}“ gehört zu keiner Wertspalte – "
                              "sie wird nicht übernommen.", "Wertspalten der Datei: " + _columns_hint(tgt) + ".")
            continue
        twice = next((j for j, c in mapped.items() if c.key == column.key), None)
        if twice is not None:
            problems.error(cell.where, f"Spalte „{_cell_text(cell.value)}“ und Spalte „{_cell_text(headings[twice].value)}“ "
                           f"meinen beide die Wertspalte „{column.heading}“.", "Löschen oder benennen Sie eine davon um.")
            continue
        mapped[i] = column
    if not mapped and not problems.has_errors:
        problems.error(headings[0].where if headings else Location(grid.path),
                       "Keine Spalte der Tabelle passt zu einer Wertspalte der Datei.",
                       "Die erste Zeile enthält die Überschriften; benennen Sie die Spalten wie in der Datei: "
                       + _columns_hint(tgt) + ".")
    return key_col, mapped


def _columns_hint(tgt: Target) -> str:
    return ", ".join(f"„{c.key}“ bzw. „{c.heading}“" if norm(c.key) != norm(c.heading) else f"„{c.key}“"
                     for c in tgt.columns)


def _number(cell: sheet.Cell, column: ValueColumn, problems: Collector) -> tuple[str, Decimal | None] | None:
    """("number", value) / ("offen", None) / ("text", None) for a spanne text, or None when empty or wrong."""
    value = cell.value
    if value is None:
        if cell.formula:
            problems.error(cell.where, "Formel ohne gespeichertes Ergebnis – amip liest nur Werte.",
                           "Öffnen Sie die Datei in Excel oder LibreOffice, lassen Sie sie neu berechnen und speichern "
                           "Sie sie; dann steht das Ergebnis der Formel in der Datei.")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        problems.error(cell.where, f"„{value}“ ist keine Zahl.", "Tragen Sie eine Zahl ein (kein Datum, kein WAHR/FALSCH).")
        return None
    if isinstance(value, (int, float)):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if cell.percent:
            number *= 100
        number = round(number, 6).normalize()   # 0,1 + 0,2 in Excel is 0,30000000000000004
        return "number", number
    text = value.strip()
    if not text:
        return None
    if norm(text) == OPEN:
        return OPEN, None
    body = text.removesuffix("€").removesuffix("%").strip()
    try:
        if column.art == "spanne" and " bis " in body:
            parse_range(body)
            return "text", None
        return "number", parse_decimal(body)
    except PydanticCustomError as exc:
        if any(ch.isdigit() for ch in body):
            problems.error(cell.where, exc.message(), exc.context.get("hint", "") if exc.context else "")
        else:
            problems.error(cell.where, f"„{text}“ ist keine Zahl – die Spalte „{column.heading}“ erwartet Zahlen.",
                           "Tragen Sie eine Zahl ein; steht sie noch nicht fest, schreiben Sie „offen“.")
        return None


def _old_number(text: Any) -> Decimal | None:
    if not isinstance(text, str):
        return None
    body = edit._MARK.sub("", text.strip()).removesuffix("€").removesuffix("%").strip()
    try:
        return parse_decimal(body)
    except PydanticCustomError:
        return None


def _old_range(text: Any):
    try:
        return parse_range(text) if isinstance(text, str) else None
    except PydanticCustomError:
        return None


def make(data_file: Path, doc: Document, tgt: Target, grid: sheet.Grid) -> Plan:
    plan = Plan(data_file, doc, grid)
    problems = plan.problems
    key_col, mapped = _find_columns(grid, tgt, problems)
    index: dict[str, list[Row]] = {}
    for row in tgt.rows:
        for key in row.keys:
            index.setdefault(key, []).append(row)
    olds = [v for row in tgt.rows for p in row.slots.values() if p is not None
            for v in [edit._value_at(doc.data, p)] if isinstance(v, str)]
    dots = edit.uses_dots(olds)
    seen: dict[int, Location] = {}
    data_rows: set[int] = set()
    for r, cells in enumerate(grid.rows[1:], start=1):
        key_cell = cells[key_col] if key_col < len(cells) else None
        values = {i: cells[i] for i in mapped if i < len(cells)}
        key = _cell_text(key_cell.value if key_cell else None)
        if not key and all(c.value is None and not c.formula for c in values.values()):
            continue
        data_rows.add(r)
        where = key_cell.where if key_cell else cells[0].where
        if not key:
            problems.error(where, "Zeile mit Werten, aber ohne Bezeichnung bzw. Schlüssel.",
                           "Tragen Sie in die Schlüsselspalte ein, zu welcher Zeile der Datei die Werte gehören.")
            continue
        found = index.get(norm(key), [])
        if not found:
            guess = difflib.get_close_matches(norm(key), list(index), n=1, cutoff=0.6)
            problems.error(where, f"Zeile „{key}“ gibt es in {data_file.name} nicht.",
                           (f"Meinten Sie „{guess[0]}“? " if guess else "")
                           + "Schreiben Sie den Schlüssel (schluessel:) oder die Bezeichnung wie in der Datei.")
            continue
        if len({id(row) for row in found}) > 1:
            problems.error(where, f"„{key}“ bezeichnet in {data_file.name} mehrere Zeilen.",
                           "Verwenden Sie eine Spalte „schluessel“ mit den Schlüsseln der Zeilen.")
            continue
        row = found[0]
        if id(row) in seen:
            problems.error(where, f"Zeile „{key}“ steht zweimal in der Tabelle (zuerst {seen[id(row)]}).",
                           "Löschen Sie eine der beiden Zeilen.")
            continue
        seen[id(row)] = where
        for i, cell in values.items():
            _plan_cell(plan, row, mapped[i], cell, dots)
    missing = [row.label for row in tgt.rows
               if id(row) not in seen and not row.total and any(p is not None for p in row.slots.values())]
    if missing and seen:
        shown = ", ".join(f"„{label}“" for label in missing[:8]) + (f" und {len(missing) - 8} weitere" if len(missing) > 8 else "")
        count = "1 Zeile der Datei fehlt" if len(missing) == 1 else f"{len(missing)} Zeilen der Datei fehlen"
        problems.warn(Location(data_file), f"{count} in der Tabelle und bleib{'t' if len(missing) == 1 else 'en'} "
                      f"unverändert: {shown}.", "Sollen sie mit übernommen werden, ergänzen Sie sie in der Tabelle.")
    data_columns = set(mapped) | {key_col}
    sheet.problems_of(grid, data_rows, data_columns, problems)
    return plan


def _plan_cell(plan: Plan, row: Row, column: ValueColumn, cell: sheet.Cell, dots: bool) -> None:
    problems = plan.problems
    parsed = _number(cell, column, problems)
    if parsed is None:
        return
    kind, number = parsed
    if column.key not in row.slots:
        problems.error(cell.where, f"Zeile „{row.label}“ hat in {plan.data_file.name} keinen Wert „{column.key}“.",
                       f"amip ergänzt keine Schlüssel; tragen Sie „{column.key}: 0“ in die Zeile ein und importieren "
                       "Sie erneut.")
        return
    path = row.slots[column.key]
    if path is None:
        problems.warn(cell.where, f"„{row.label}“ ({column.heading}) rechnet amip selbst aus den Zeilen – der Wert "
                      "der Tabelle wird nicht übernommen.",
                      "Zur Kontrolle: „amip check“ zeigt die berechnete Summe." if not row.total else
                      "Soll amip die Summe prüfen, schreiben Sie sie als „erwartet:“ in die Datei.")
        return
    old = edit._value_at(plan.doc.data, path)
    if isinstance(old, str) and old.strip().startswith("="):
        problems.warn(cell.where, f"„{row.label}“ ({column.heading}) übernimmt amip aus {old.strip()} – der Wert der "
                      "Tabelle wird nicht übernommen.", "Ändern Sie den Wert dort, wo er herkommt.")
        return
    old_text = old if isinstance(old, str) else (f"{{text: {old.get('text')}}}" if isinstance(old, dict) else "")
    if kind == OPEN:
        new = OPEN if plan.doc.data.get("art") == "kennzahlen" else "{text: offen}"
        if old_text == new or (isinstance(old, str) and norm(old) == OPEN):
            plan.unchanged += 1
            return
    elif kind == "text":
        new = _cell_text(cell.value)
        if _old_range(old) == parse_range(new):
            plan.unchanged += 1
            return
    else:
        if column.art in ("anzahl", "spanne") and number != number.to_integral_value():
            problems.error(cell.where, f"{edit.german(number, max(0, -number.as_tuple().exponent))} ist keine ganze "
                           f"Zahl – „{column.heading}“ zählt.", "Runden Sie den Wert in Excel auf eine ganze Zahl.")
            return
        if number < 0 and column.art in ("anzahl", "spanne"):
            problems.error(cell.where, f"{edit.german(number, 0)} ist negativ – eine Anzahl ist 0 oder größer.",
                           "Prüfen Sie das Vorzeichen.")
            return
        if number == _old_number(old):
            plan.unchanged += 1
            return
        exponent = number.as_tuple().exponent
        needed = max(0, -exponent) if isinstance(exponent, int) else 0
        decimals = 0 if column.art in ("anzahl", "spanne") else max(needed, edit.decimals_written(old_text))
        new = edit.german(number, decimals, dots)
        if isinstance(old, str):
            new += edit.unit_of(old) + edit.mark_of(old)
    plan.changes.append(Change(row.label, column.heading, old_text, new, cell.where, path))
