"""Turn a validated Kennzahlen file (planning per Zweckbestimmung) into one instance of the table model.

What is special to Kennzahlen is checked here: the official catalogue order I–VIII without gaps or
doubles, davon rows that add up to their row, darunter rows that are only a part, totals with and
without some Zweckbestimmungen. Any set of value columns works (plan only; plan + basis; plan + Ist +
Ansatz; Eintritte + €); Vergleich, Differenz and Anteil are optional computed columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .. import formatting as fmt
from ..errors import Collector
from ..load import Document
from ..model import ZWECKE
from .columns import OPEN_VALUE, Column, Value, format_number
from .compute import Group, Line, TableSpec, Total, build_table, unique_key
from .figures import Row, TableFigures, plain_table
from ..series.keys import row_key
from ..series.zeitreihe import heading
from .schema import COMPUTED_KEYS, Reihenspalte


@dataclass(frozen=True)
class KennzahlenFigures:
    name: str
    title: str | None
    label_header: str
    value_columns: tuple[tuple[str, str], ...]      # (key, header) of the columns the author fills in
    table: TableFigures
    by_key: dict[str, Row] = field(default_factory=dict)
    key_locations: dict = field(default_factory=dict)

    @property
    def rows(self) -> tuple[Row, ...]:
        return self.table.rows


def kennzahlen(name: str, data: Any, doc: Document, problems: Collector) -> KennzahlenFigures | None:
    """Check catalogue order and breakdowns, then let the engine add up groups and totals."""
    catalogue = list(ZWECKE)
    _check_catalogue(data, doc, problems, catalogue)
    columns = _columns(data, doc, problems)
    if columns is None:
        return None
    keys = [c.key for c in columns[1:] if not c.computed]
    needs = " und ".join(f"„{k}“" for k in keys)
    basis = _basis_columns(name, data, doc, problems, columns)

    def cell(row: Any, k: str, key: str, label: str, loc: tuple) -> Any:
        """A row's value: as written, or for a column from the series looked up by the row's key."""
        if k in basis:
            return basis[k].value(key, label, doc.where(loc), problems)
        return getattr(row, k)

    items: list[Line | Group] = []
    key_locations: dict[str, object] = {}
    for gi, group in enumerate(data.gruppen):
        gloc = ("gruppen", gi)
        label = f"{fmt.roman(catalogue.index(group.zweck) + 1)}. {group.bezeichnung or ZWECKE[group.zweck]}"
        own = {k: getattr(group, k) for k in keys if getattr(group, k) is not None}
        if not group.zeilen:
            own |= {k: cell(group, k, group.zweck, label, gloc) for k in basis}
        if group.zeilen and own:
            problems.error(doc.where(gloc + (next(iter(own)),)),
                           "Eine Zweckbestimmung mit Zeilen bekommt keine eigenen Werte – sie werden addiert.",
                           "Löschen Sie " + "/".join(own) + " der Gruppe oder die Zeilen.")
        if not group.zeilen and len(own) < len(keys):
            problems.error(doc.where(gloc), f"Zweckbestimmung ohne Zeilen braucht {needs}.",
                           "Ergänzen Sie " + " und ".join(f"{k}: …" for k in keys) + " oder Zeilen.")
            continue
        lines: list[Line] = []
        for ri, row in enumerate(group.zeilen):
            rloc = gloc + ("zeilen", ri)
            values = {k: getattr(row, k) for k in keys if getattr(row, k) is not None}
            if not row.davon:
                values |= {k: cell(row, k, row_key(row.schluessel, row.bezeichnung), row.bezeichnung, rloc)
                           for k in basis}
            if row.davon:
                for k in keys:
                    parts = [cell(p, k, row_key(p.schluessel, p.bezeichnung), p.bezeichnung, rloc + ("davon", pi))
                             for pi, p in enumerate(row.davon)]
                    total = sum((p.number for p in parts if p.known), Decimal(0))
                    computed = OPEN_VALUE if any(p.open for p in parts) else \
                        Value(total, decimals=max(p.decimals for p in parts)) if all(p.known for p in parts) \
                        else Value(text="–")
                    stated = values.get(k)
                    if stated is not None and stated.known and computed.known and stated.number != computed.number:
                        problems.error(doc.where(rloc + (k,)),
                                       f"{k}: angegeben {fmt.number(stated.number)}, die davon-Zeilen ergeben "
                                       f"{fmt.number(computed.number)}.",
                                       "Löschen Sie den Wert (amip rechnet ihn aus) oder korrigieren Sie die davon-Zeilen.")
                    values[k] = computed
            if len(values) < len(keys):
                problems.error(doc.where(rloc), f"Zeile „{row.bezeichnung}“ braucht {needs}.",
                               "Ergänzen Sie die Werte oder davon-Zeilen.")
                continue
            where = {"": doc.where(rloc), **{k: doc.where(rloc + (k,)) for k in keys}}
            lines.append(Line(row.bezeichnung, values, "zeile", row.schluessel, where))
            if row.schluessel:
                unique_key(row.schluessel, key_locations, doc.where(rloc + ("schluessel",)), problems)
                key_locations[row.schluessel] = doc.where(rloc + ("schluessel",))
            for word in ("davon", "darunter"):
                for pi, part in enumerate(getattr(row, word)):
                    ploc = rloc + (word, pi)
                    part_values = {k: cell(part, k, row_key(part.schluessel, part.bezeichnung), part.bezeichnung, ploc)
                                   for k in keys}
                    lines.append(Line(f"{word} {part.bezeichnung}", part_values, word, part.schluessel,
                                      {"": doc.where(ploc), **{k: doc.where(ploc + (k,)) for k in keys}}))
                    if part.schluessel:
                        unique_key(part.schluessel, key_locations, doc.where(ploc + ("schluessel",)), problems)
                        key_locations[part.schluessel] = doc.where(ploc + ("schluessel",))
                    if word == "darunter" and any(part_values[k].known and values[k].known
                                                  and part_values[k].number > values[k].number for k in keys):
                        problems.error(doc.where(ploc), f"darunter-Zeile „{part.bezeichnung}“ ist größer als ihre Zeile.",
                                       "Eine darunter-Zeile ist ein Teil der Zeile darüber.")
        items.append(Group(label, group.zweck, lines, own if not group.zeilen else None))
    present = {g.zweck for g in data.gruppen}
    totals = []
    for si, total in enumerate(data.summen):
        sloc = ("summen", si)
        for ti, left_out in enumerate(total.ohne):
            if left_out not in present:
                problems.error(doc.where(sloc + ("ohne", ti)), f"„{left_out}“ steht nicht in der Tabelle.",
                               "Nennen Sie nur Zweckbestimmungen, die in „gruppen“ vorkommen.")
        expected = {}
        if total.erwartet is not None:
            for k in keys:
                if k in basis and basis[k].failed:      # already reported; a total over missing values says nothing
                    continue
                stated = getattr(total.erwartet, k)
                if stated is not None and stated.known:
                    expected[k] = (stated.number, doc.where(sloc + ("erwartet", k)))
        totals.append(Total(total.bezeichnung, ("summe" if si == 0 else f"summe{si + 1}",), frozenset(total.ohne), expected))
    footnotes = dict(data.fussnoten)
    spec = TableSpec(name, data.titel, columns, items, totals, data.summen_position, "oben", list(data.anmerkungen),
                     footnotes, {m: doc.where(("fussnoten", m), key=True) for m in footnotes}, "kennzahlen", doc.where())
    for key, where in key_locations.items():
        if key in ZWECKE:       # a Zweckbestimmung is keyed by its catalogue name: one key, one row
            problems.error(where, f"Schlüssel „{key}“ ist der Name einer Zweckbestimmung.",
                           "Die Zweckbestimmung selbst heißt so; geben Sie der Zeile einen anderen schluessel.")
    for column in basis.values():
        column.report_unused(problems)
    table = build_table(spec, problems)
    by_key = {r.key: r for r in table.rows if r.key and r.kind in ("zeile", "davon", "darunter")}
    value_columns = tuple((c.key, c.name) for c in columns[1:] if not c.computed)
    return KennzahlenFigures(name, data.titel, columns[0].name, value_columns, table, by_key, key_locations)


def _basis_columns(name: str, data: Any, doc: Document, problems: Collector, columns: list[Column]) -> dict:
    """The value columns taken from the series (`{art: …, jahr: …}`) → their source (amip.series.source)."""
    from ..series.source import basis_column

    out = {}
    for column in columns[1:]:
        spec = getattr(data.spalten, column.key, None)
        if isinstance(spec, Reihenspalte):
            out[column.key] = basis_column(name, column.key, column.art, spec, doc.path,
                                           doc.where(("spalten", column.key)), problems)
    return out


def _check_catalogue(data: Any, doc: Document, problems: Collector, catalogue: list[str]) -> None:
    positions = [catalogue.index(g.zweck) for g in data.gruppen]
    for i, (pos, group) in enumerate(zip(positions, data.gruppen)):
        where = doc.where(("gruppen", i, "zweck"))
        if pos in positions[:i]:
            problems.error(where, f"Zweckbestimmung „{group.zweck}“ kommt doppelt vor.",
                           "Jede Zweckbestimmung steht genau einmal in der Tabelle.")
        elif i and pos < positions[i - 1]:
            problems.error(where, f"Zweckbestimmung „{group.zweck}“ steht nicht in der amtlichen Reihenfolge.",
                           "Reihenfolge: " + ", ".join(catalogue) + ".")
    present = set(positions)
    for missing in [p for p in range(max(positions) + 1) if p not in present]:
        problems.error(doc.where(("gruppen",)),
                       f"Zweckbestimmung {fmt.roman(missing + 1)} („{catalogue[missing]}“) fehlt.",
                       "Tragen Sie sie mit dem Wert 0 ein, damit die Nummerierung I–VIII lückenlos bleibt.")


def _columns(data: Any, doc: Document, problems: Collector) -> list[Column] | None:
    """The columns in the order the author wrote them under `spalten`."""
    raw = doc.data.get("spalten", {})
    spalten = data.spalten
    columns = [Column("bezeichnung", spalten.bezeichnung)]
    given = []
    ok = True
    for key in raw:
        if key == "bezeichnung":
            continue
        spec = getattr(spalten, key)       # every other key is a column of the model built for this file
        if isinstance(spec, Reihenspalte):  # taken from the series: heading generated, values looked up
            unit = spec.einheit if spec.einheit is not None else ("€" if spec.werte == "betrag" else "")
            columns.append(Column(key, spec.titel or heading(spec.art, spec.jahr), spec.werte, (), spec.gruppe,
                                  spec.nachkommastellen, unit))
            given.append(key)
            continue
        art = (spec.art or key) if key in COMPUTED_KEYS or spec.art in COMPUTED_KEYS else spec.art
        if art in COMPUTED_KEYS:
            decimals = spec.nachkommastellen if spec.nachkommastellen is not None else data.nachkommastellen
            columns.append(Column(key, spec.name, art, tuple(spec.aus or ()), spec.gruppe, decimals))
            continue
        unit = spec.einheit if spec.einheit is not None else ("€" if art == "betrag" else "")
        columns.append(Column(key, spec.name, art, (), spec.gruppe, spec.nachkommastellen, unit))
        given.append(key)
    for ci, column in enumerate(columns):
        if not column.computed:
            continue
        need = 1 if column.art == "anteil" else 2
        sources = column.sources or tuple(given[:need])
        wrong = [s for s in sources if s not in given]
        if wrong or len(sources) != need:
            problems.error(doc.where(("spalten", column.key)),
                           f"Spalte „{column.key}“ braucht {need} Wertespalte(n) in „aus“"
                           + (f"; „{wrong[0]}“ gibt es nicht." if wrong else "."),
                           "Wertespalten dieser Tabelle: " + (", ".join(given) or "keine") + ".")
            ok = False
            continue
        unit = next(c.unit for c in columns if c.key == sources[0]) if column.art == "differenz" else ""
        columns[ci] = Column(column.key, column.name, column.art, sources, column.group, column.decimals, unit)
    if not given:
        problems.error(doc.where(("spalten",)), "Die Tabelle hat keine Wertespalte.",
                       "Beispiel: spalten: {bezeichnung: Zweckbestimmung, plan: Eintritte 2027}.")
        ok = False
    return columns if ok else None


def portfolio_overview(k: KennzahlenFigures) -> TableFigures:
    """Anlage "Portfolio": the Kennzahlen instruments grouped by Zweckbestimmung, with their share.

    Only what the data contains: an instrument is a row (or, where a row has a davon breakdown, each
    part); a Zweckbestimmung without rows is its own instrument. Shares refer to the first total.
    """
    first = k.value_columns[0][0]
    column = Column(first, k.value_columns[0][1], "anzahl")
    total = next((r for r in k.rows if r.kind == "summe"), None)
    whole = total.numbers.get(first, Decimal(0)) if total else Decimal(0)
    rows: list[tuple[str, ...]] = []
    group = ""
    members: list[Row] = []
    group_row: Row | None = None

    def flush() -> None:
        for member in members or [group_row]:
            label = member.label.removeprefix("davon ") if member is not group_row else group_row.label.split(". ", 1)[1]
            value = member.numbers.get(first)
            share = fmt.percent(value / whole, 1) if whole and value is not None else "–"
            if member.cells[1].open or (total is not None and total.cells[1].open):
                share = fmt.OPEN      # an open plan value, or an open total: the share is open too
            rows.append((group, label, format_number(column, value, 0) if value is not None else member.cells[1].text,
                         share))

    for r in k.rows:
        if r.kind == "gruppe":
            if group_row is not None:
                flush()
            group_row, group, members = r, r.label, []
        elif r.kind == "zeile":
            members.append(r)
        elif r.kind == "davon":
            if members and members[-1].kind == "zeile":
                members.pop()
            members.append(r)
    if group_row is not None:
        flush()
    headers = (k.label_header, "Instrument", f"Geplante {k.value_columns[0][1]}", "Anteil")
    return plain_table(f"{k.name}-portfolio", None, headers, ("links", "links", "rechts", "rechts"), tuple(rows), True)
