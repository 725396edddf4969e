"""Turn a validated `art: tabelle` file into a table specification for the engine, every cell located."""

from __future__ import annotations

from typing import Any

from pydantic_core import PydanticCustomError

from ..errors import Collector
from ..load import Document
from .columns import COMPUTED, Column, Value, format_value, parse_cell, slug
from .compute import Group, Line, TableFigures, TableSpec, Total, build_table, unique_key
from .schema import Tabelle
from ..series.keys import row_key

_OPERANDS = {"summe": (1, 99), "vergleich": (2, 2), "differenz": (2, 2), "anteil": (1, 1)}


def table(name: str, data: Tabelle, doc: Document, problems: Collector) -> TableFigures | None:
    """Columns with their types, rows and row groups, totals: checked, then computed by the engine."""
    columns = _columns(data, doc, problems)
    if columns is None:
        return None
    basis = _basis_columns(name, data, doc, columns, problems)
    given = [c for c in columns if not c.computed and c.key not in basis]
    errors_before = _errors(problems)
    items: list[Line | Group] = []
    for ri, raw in enumerate(data.zeilen):
        loc = ("zeilen", ri)
        if isinstance(raw, dict) and "gruppe" in raw:
            unknown = set(raw) - {"gruppe", "schluessel", "zeilen", "summe"}
            if unknown or not isinstance(raw.get("zeilen"), list) or not raw["zeilen"] or not isinstance(raw["gruppe"], str):
                problems.error(doc.where(loc), "Eine Zeilengruppe hat die Form {gruppe: Titel, zeilen: [[…], […]]}.",
                               "Erlaubt sind gruppe, zeilen, schluessel und summe (Beschriftung der Zwischensumme)."
                               + (f" Unbekannt: {', '.join(sorted(unknown))}." if unknown else ""))
                continue
            lines = [_line(r, loc + ("zeilen", i), given, doc, problems, basis) for i, r in enumerate(raw["zeilen"])]
            items.append(Group(raw["gruppe"], raw.get("schluessel") or slug(raw["gruppe"]),
                               [line for line in lines if line is not None], total_label=raw.get("summe")))
        else:
            line = _line(raw, loc, given, doc, problems, basis)
            if line is not None:
                items.append(line)
    for source in basis.values():
        source.report_unused(problems)
    rows_ok = _errors(problems) == errors_before       # a total over broken rows is not worth comparing
    _explicit_keys_unique(data, doc, problems)
    groups = {item.label: item.key for item in items if isinstance(item, Group)}
    totals = []
    for si, total in enumerate(data.summen):
        sloc = ("summen", si)
        for oi, left_out in enumerate(total.ohne):
            if left_out not in groups:
                problems.error(doc.where(sloc + ("ohne", oi)), f"Zeilengruppe „{left_out}“ gibt es nicht.",
                               "Nennen Sie den Titel einer Gruppe (gruppe: …): " + (", ".join(groups) or "keine") + ".")
        expected = {}
        for key, raw in total.erwartet.items():
            column = _find(key, columns)
            if column is not None and column.key in basis and basis[column.key].failed:
                continue                                # already reported: a total over missing values says nothing
            where = doc.where(sloc + ("erwartet", key))
            if column is None or not column.sums:
                problems.error(doc.where(sloc + ("erwartet", key), key=True), f"„{key}“ ist keine summierte Spalte.",
                               "Nennen Sie eine Zahlenspalte der Tabelle.")
                continue
            value = _parse(raw, column, where, problems)
            if value is not None and value.known and rows_ok:
                expected[column.key] = (value.number, where)
        keys = ("summe" if si == 0 else f"summe{si + 1}", slug(total.bezeichnung))
        totals.append(Total(total.bezeichnung, keys, frozenset(groups[g] for g in total.ohne if g in groups), expected))
    spec = TableSpec(name, data.titel, columns, items, totals, data.summen_position, data.zwischensummen,
                     list(data.anmerkungen), dict(data.fussnoten),
                     {mark: doc.where(("fussnoten", mark), key=True) for mark in data.fussnoten}, where=doc.where())
    return build_table(spec, problems)


def _basis_columns(name: str, data: Tabelle, doc: Document, columns: list[Column], problems: Collector) -> dict:
    """Columns with `basis: {art, jahr}` → their source; rows leave their cells out (amip.series.source)."""
    from ..series.source import basis_column

    out = {}
    for ci, (spalte, column) in enumerate(zip(data.spalten, columns)):
        if spalte.basis is None:
            continue
        if column.computed or not column.numeric:
            problems.error(doc.where(("spalten", ci, "basis")), f"Spalte „{column.name}“: nur eine Zahlenspalte "
                           "(anzahl, zahl, betrag, prozent, spanne) kann ihre Werte aus der Zeitreihe nehmen.",
                           "Setzen Sie art: anzahl (Standard für Zahlen) oder löschen Sie „basis“.")
            continue
        out[column.key] = basis_column(name, column.key, column.art, spalte.basis, doc.path,
                                       doc.where(("spalten", ci, "basis")), problems)
    return out


def _explicit_keys_unique(data: Tabelle, doc: Document, problems: Collector) -> None:
    """A `schluessel` an author gives to a row or group names exactly one of them."""
    seen: dict[str, object] = {}

    def visit(raw: Any, loc: tuple) -> None:
        if isinstance(raw, dict) and isinstance(raw.get("schluessel"), str):
            unique_key(raw["schluessel"], seen, doc.where(loc + ("schluessel",)), problems)
            seen.setdefault(raw["schluessel"], doc.where(loc + ("schluessel",)))
        if isinstance(raw, dict) and isinstance(raw.get("zeilen"), list):
            for i, row in enumerate(raw["zeilen"]):
                visit(row, loc + ("zeilen", i))

    for ri, raw in enumerate(data.zeilen):
        visit(raw, ("zeilen", ri))


def _errors(problems: Collector) -> int:
    return sum(p.level == "fehler" for p in problems.problems)


def _find(name: str, columns: list[Column]) -> Column | None:
    by_key = [c for c in columns if c.key == name]
    return by_key[0] if by_key else next((c for c in columns if c.name == name), None)


def _columns(data: Tabelle, doc: Document, problems: Collector) -> list[Column] | None:
    """Declared columns with keys ("schluessel", else the name as a key) and checked operands."""
    columns: list[Column] = []
    ok = True
    for ci, spalte in enumerate(data.spalten):
        art = "summe" if spalte.summe_aus else spalte.art
        label = f"{spalte.gruppe} {spalte.name}" if spalte.gruppe else spalte.name
        key = spalte.schluessel or slug(label) or f"spalte-{ci + 1}"
        if any(c.key == key for c in columns):
            problems.error(doc.where(("spalten", ci)), f"Zwei Spalten heißen „{key}“.",
                           "Geben Sie einer der beiden einen eigenen „schluessel“.")
            ok = False
        unit = spalte.einheit if spalte.einheit is not None else ("€" if art == "betrag" else "")
        columns.append(Column(key, spalte.name, art, (), spalte.gruppe, spalte.nachkommastellen, unit,
                              spalte.summieren, spalte.textzellen, spalte.gruppieren, spalte.negativ))
    if columns[0].computed:
        problems.error(doc.where(("spalten", 0)), "Die erste Spalte beschriftet die Zeilen und wird nicht berechnet.",
                       "Beginnen Sie mit einer Textspalte, z. B. {name: Posten}.")
        return None
    for ci, (spalte, column) in enumerate(zip(data.spalten, columns)):
        operands = spalte.summe_aus or spalte.aus or []
        where = doc.where(("spalten", ci, "summe_aus" if spalte.summe_aus else "aus"))
        if not column.computed:
            if operands:
                problems.error(where, f"„aus“ gilt nur für berechnete Spalten ({', '.join(COMPUTED)}).",
                               "Löschen Sie „aus“ oder setzen Sie die passende „art“.")
                ok = False
            continue
        low, high = _OPERANDS[column.art]
        if not low <= len(operands) <= high:
            count = str(low) if low == high else f"mindestens {low}"
            problems.error(doc.where(("spalten", ci)), f"Spalte „{column.name}“ ({column.art}) braucht {count} Spalte(n) in „aus“.",
                           "Beispiel: {name: Vergleich, art: vergleich, aus: [Plan 2027, Ist 2026]}.")
            ok = False
            continue
        sources = []
        for source in operands:
            found = _find(source, columns[:ci] + columns[ci + 1:])
            if found is None or not found.numeric:
                known = ", ".join(c.name or c.key for c in columns if c.numeric and c is not column)
                problems.error(where, f"Spalte „{source}“ gibt es nicht." if found is None else
                               f"Spalte „{source}“ enthält keine Zahlen.", "Erlaubt: " + (known or "keine") + ".")
                ok = False
            elif column.art == "anteil" and not found.sums:
                problems.error(where, f"Ein Anteil braucht eine summierte Zahlenspalte; „{source}“ ist keine.",
                               "Nehmen Sie eine Spalte der Art anzahl, zahl oder betrag.")
                ok = False
            else:
                sources.append(found.key)
        columns[ci] = Column(column.key, column.name, column.art, tuple(sources), column.group, column.decimals,
                             column.unit if column.art != "differenz" else _unit_of(sources, columns),
                             column.summed, column.text_allowed, column.merge, column.negative)
    return columns if ok else None


def _unit_of(sources: list[str], columns: list[Column]) -> str:
    first = next((c for c in columns if sources and c.key == sources[0]), None)
    return first.unit if first is not None else ""


def _line(raw: Any, loc: tuple, given: list[Column], doc: Document, problems: Collector,
          basis: dict | None = None) -> Line | None:
    """One row: a list of cells, or {zellen: […], schluessel: …} when it needs a name for references.
    Columns from the series (`basis`) have no cell: their value is looked up by the row's key."""
    key = None
    cells_loc = loc
    if isinstance(raw, dict):
        if set(raw) - {"zellen", "schluessel"} or not isinstance(raw.get("zellen"), list):
            problems.error(doc.where(loc), "Eine Zeile ist eine Liste von Zellen: [Text, 1.200, …].",
                           "Mit Schlüssel: {schluessel: name, zellen: [Text, 1.200]}; eine Gruppe: {gruppe: Titel, zeilen: […]}.")
            return None
        key, raw, cells_loc = raw.get("schluessel"), raw["zellen"], loc + ("zellen",)
    if not isinstance(raw, list):
        problems.error(doc.where(loc), "Eine Zeile ist eine Liste von Zellen: [Text, 1.200, …].",
                       "Schreiben Sie die Zellen in eckige Klammern, getrennt durch Kommas.")
        return None
    if len(raw) != len(given):
        hint = "Ergänzen oder löschen Sie Zellen; berechnete Spalten (summe, vergleich, anteil, differenz) bleiben leer."
        if len(raw) > len(given) and any(str(a or "")[-1:].isdigit() and str(b or "").isdigit() and len(str(b)) <= 3
                                         for a, b in zip(raw, raw[1:])):
            hint = ("In [ … ] trennt das Komma die Zellen – auch in 1.234,50. Schreiben Sie Zahlen mit Komma in "
                    "Anführungszeichen: [Posten, \"1.234,50\"].")
        if basis and len(raw) == len(given) + len(basis):
            hint = ("Die Spalte(n) " + ", ".join(f"„{b.described}“" for b in basis.values()) + " kommen aus der "
                    "Zeitreihe – lassen Sie ihre Zellen weg; amip übernimmt die Werte (dort korrigieren Sie sie auch).")
        problems.error(doc.where(loc), f"Zeile hat {len(raw)} Zellen, erwartet werden {len(given)} "
                                       f"({', '.join(c.name or '(leer)' for c in given)}).", hint)
        return None
    values: dict[str, Value] = {}
    where = {"": doc.where(loc)}
    for ci, (column, cell) in enumerate(zip(given, raw)):
        here = doc.where(cells_loc + (ci,))
        where[column.key] = here
        value = _parse(cell, column, here, problems)
        values[column.key] = value if value is not None else Value(text=str(cell or ""))
    label_column = given[0]
    label = format_value(label_column, values.pop(label_column.key))
    text = label if isinstance(label, str) else ""
    key = key or (row_key(None, text) or None)           # D1: schluessel, else the label (amip.series.keys)
    for column_key, source in (basis or {}).items():
        values[column_key] = source.value(key or "", text, doc.where(loc), problems)
    return Line(label, values, "", key, where)


def _parse(raw: Any, column: Column, where, problems: Collector) -> Value | None:
    try:
        return parse_cell(raw, column.art, column.art == "anzahl", column.negative, column.name)
    except PydanticCustomError as exc:
        problems.error(where, exc.message(), (exc.context or {}).get("hint", ""))
        return None
