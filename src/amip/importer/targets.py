"""Turn a data file (Kennzahlen, Portfolio, Tabelle) into the rows and value columns a sheet can fill.

A row is found by its `schluessel` or by its label (bezeichnung, instrument or first cell), compared
without case and extra spaces (D1). A value column is found by its key (`plan`) or by its printed
heading (`Eintritte 2026`). Every value the sheet may change is a Slot: the path of the scalar in
the YAML document. Totals with `erwartet:` are rows too (their label is the total's bezeichnung).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ..model import ZWECKE
from ..tables.columns import COMPUTED, GIVEN, slug
from ..tables.schema import computed_columns, value_columns

Path_ = tuple[str | int, ...]
SERIES_ARTS = ("ansatz", "ergebnis", "hochrechnung")     # D2: a column whose values come from the series
COMPUTED_REASON = "rechnet amip selbst"
SERIES_REASON = "kommt aus der Zeitreihe (zeitreihe.yaml oder eine frühere Ausgabe) – ändern Sie die Werte dort"


def norm(text: Any) -> str:
    """A key or heading as compared: NFC, lower case, single spaces ("Eintritte  2026 " = "eintritte 2026")."""
    text = unicodedata.normalize("NFC", str(text if text is not None else ""))
    return re.sub(r"\s+", " ", text).strip().casefold()


@dataclass(frozen=True)
class ValueColumn:
    key: str
    heading: str
    art: str                       # anzahl, zahl, betrag, prozent, spanne


@dataclass
class Row:
    label: str
    keys: set[str]                 # normalised schluessel and label
    slots: dict[str, Path_ | None] = field(default_factory=dict)   # column key → path; None: computed here
    total: bool = False            # a total's `erwartet`


@dataclass
class Target:
    art: str
    label_headings: set[str]       # headings that name the label column
    columns: list[ValueColumn]
    rows: list[Row]
    fixed: dict[str, str] = field(default_factory=dict)   # heading or key → why amip does not import it


class Unsupported(Exception):
    """The data file's kind holds no values a sheet could fill."""


def target(data: Any) -> Target:
    art = data.get("art") if isinstance(data, dict) else None
    if art == "kennzahlen":
        return _kennzahlen(data)
    if art == "portfolio":
        return _portfolio(data)
    if art == "tabelle":
        return _tabelle(data)
    if art == "reihe":
        return _reihe(data)
    raise Unsupported(art)


def _heading(spec: Any, key: str) -> str:
    if isinstance(spec, dict):
        return str(spec.get("name") or key)
    return str(spec) if spec is not None else key


def _row(label: str, schluessel: Any, **slots: Path_ | None) -> Row:
    keys = {norm(label), slug(label)} | ({norm(schluessel)} if schluessel else set())   # slug: as [[wert: …]] names it
    return Row(label, keys, dict(slots))


def _series_heading(spec: dict) -> str:
    """The heading amip gives a column from the series: its titel, else "Ansatz 2026"."""
    return str(spec.get("titel") or f"{str(spec.get('art')).capitalize()} {spec.get('jahr', '')}".strip())


def _kennzahlen(data: dict) -> Target:
    spalten = data.get("spalten") or {}
    from_series = {k for k, spec in spalten.items() if isinstance(spec, dict) and spec.get("art") in SERIES_ARTS}
    columns = [ValueColumn(k, _heading(spalten.get(k), k), art) for k, art, _ in value_columns(data) if k not in from_series]
    keys = [c.key for c in columns]
    rows: list[Row] = []

    def slots_of(item: dict, loc: Path_) -> dict[str, Path_ | None]:
        return {k: (loc + (k,)) for k in keys if k in item}

    for gi, group in enumerate(data.get("gruppen") or []):
        if not isinstance(group, dict):
            continue
        gloc: Path_ = ("gruppen", gi)
        zeilen = group.get("zeilen") or []
        label = group.get("bezeichnung") or ZWECKE.get(str(group.get("zweck")), str(group.get("zweck")))
        row = _row(label, group.get("zweck"))
        row.slots = slots_of(group, gloc) if not zeilen else {k: None for k in keys}
        rows.append(row)
        for ri, line in enumerate(zeilen):
            if not isinstance(line, dict):
                continue
            rloc = gloc + ("zeilen", ri)
            row = _row(str(line.get("bezeichnung")), line.get("schluessel"))
            parts = line.get("davon") or []
            row.slots = slots_of(line, rloc) if not parts else {k: (rloc + (k,) if k in line else None) for k in keys}
            rows.append(row)
            for part_kind in ("davon", "darunter"):
                for pi, part in enumerate(line.get(part_kind) or []):
                    if isinstance(part, dict):
                        rows.append(_row(str(part.get("bezeichnung")), part.get("schluessel"),
                                         **slots_of(part, rloc + (part_kind, pi))))
    for si, total in enumerate(data.get("summen") or []):
        if isinstance(total, dict):
            stated = total.get("erwartet") if isinstance(total.get("erwartet"), dict) else {}
            row = _row(str(total.get("bezeichnung")), None,
                       **{k: (("summen", si, "erwartet", k) if k in stated else None) for k in keys})
            row.total = True
            rows.append(row)
    label_heading = spalten.get("bezeichnung") if isinstance(spalten.get("bezeichnung"), str) else "Zweckbestimmung"
    fixed = {norm(name): COMPUTED_REASON for key in computed_columns(data) for name in (key, _heading(spalten.get(key), key))}
    for key in from_series:
        spec = spalten[key]
        fixed |= {norm(key): SERIES_REASON, norm(_series_heading(spec)): SERIES_REASON}
    return Target("kennzahlen", {norm("bezeichnung"), norm(label_heading)}, columns, rows, fixed)


def _portfolio(data: dict) -> Target:
    spalten = data.get("spalten") or {}
    column = ValueColumn("eintritte", str(spalten.get("eintritte") or "Eintritte"), "spanne")
    rows = []
    for ri, line in enumerate(data.get("zeilen") or []):
        if isinstance(line, dict):
            rows.append(_row(str(line.get("instrument")), line.get("schluessel"),
                             eintritte=("zeilen", ri, "eintritte") if "eintritte" in line else None))
    total = data.get("summe") if isinstance(data.get("summe"), dict) else {}
    row = _row(str(total.get("bezeichnung") or "Summe"), None,
               eintritte=("summe", "erwartet") if "erwartet" in total else None)
    row.total = True
    rows.append(row)
    return Target("portfolio", {norm("instrument"), norm(spalten.get("instrument") or "Instrument")}, [column], rows)


def _tabelle(data: dict) -> Target:
    spalten = [s for s in data.get("spalten") or [] if isinstance(s, dict)]
    columns: list[tuple[int, ValueColumn]] = []
    label_index = None
    fixed: dict[str, str] = {}
    for ci, spalte in enumerate(spalten):
        art = spalte.get("art") or "text"
        name = str(spalte.get("name") or "")
        basis = spalte.get("basis")
        if art in COMPUTED or spalte.get("summe_aus") or isinstance(basis, dict):
            reason = SERIES_REASON if isinstance(basis, dict) else COMPUTED_REASON
            if isinstance(basis, dict) and not name:
                name = _series_heading(basis)
            fixed |= {n: reason for n in (norm(name), norm(spalte.get("schluessel") or "")) if n}
            continue
        if art == "text":
            label_index = ci if label_index is None else label_index
        elif art in GIVEN:
            heading = f"{spalte['gruppe']} {name}" if spalte.get("gruppe") else name
            columns.append((ci, ValueColumn(spalte.get("schluessel") or slug(heading) or f"spalte-{ci + 1}", heading, art)))
    label_index = label_index if label_index is not None else 0
    rows: list[Row] = []

    def add(raw: Any, loc: Path_) -> None:
        key, cells, cells_loc = None, raw, loc
        if isinstance(raw, dict):
            key, cells, cells_loc = raw.get("schluessel"), raw.get("zellen"), loc + ("zellen",)
        if not isinstance(cells, list):
            return
        label = cells[label_index] if label_index < len(cells) else ""
        label = label.get("text") if isinstance(label, dict) else label
        rows.append(_row(str(label), key, **{c.key: (cells_loc + (ci,) if ci < len(cells) else None)
                                             for ci, c in columns}))

    for ri, raw in enumerate(data.get("zeilen") or []):
        if isinstance(raw, dict) and "gruppe" in raw:
            for i, inner in enumerate(raw.get("zeilen") or []):
                add(inner, ("zeilen", ri, "zeilen", i))
        else:
            add(raw, ("zeilen", ri))
    for si, total in enumerate(data.get("summen") or []):
        if isinstance(total, dict):
            stated = total.get("erwartet") if isinstance(total.get("erwartet"), dict) else {}
            row = _row(str(total.get("bezeichnung") or "Summe"), None,
                       **{c.key: (("summen", si, "erwartet", c.key) if c.key in stated else None) for _, c in columns})
            row.total = True
            rows.append(row)
    label_name = str(spalten[label_index].get("name") or "") if spalten else ""
    return Target("tabelle", {norm("bezeichnung"), norm(label_name)} - {""}, [c for _, c in columns], rows, fixed)


def _reihe(data: dict) -> Target:
    """A chart's data: the categories are the rows, each series (reihen) a column; the values of a series
    stand in the order of the categories, without the running totals amip computes (zwischensummen)."""
    reihen = data.get("reihen") if isinstance(data.get("reihen"), dict) else {}
    between = {str(k) for k in data.get("zwischensummen") or []}
    columns = [ValueColumn(str(name), str(name), "zahl") for name in reihen]
    rows: list[Row] = []
    index = 0
    for category in data.get("kategorien") or []:
        if str(category) in between:
            rows.append(_row(str(category), None, **{c.key: None for c in columns}))
            continue
        rows.append(_row(str(category), None, **{
            c.key: ("reihen", c.key, index) for c in columns
            if isinstance(reihen[c.key], list) and index < len(reihen[c.key])}))
        index += 1
    return Target("reihe", {norm("kategorie"), norm("kategorien")}, columns, rows)
