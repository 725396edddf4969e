"""Turn the series of a Kennzahlen file into the data of the series chart: Ansatz and results per
Zweckbestimmung over every known year (`[[diagramm: kennzahlen | zeitreihe]]`).

Known years are the editions in the repository up to the edition's own year (their plan: "Ansatz J",
as each edition computes it) and the columns of content/<org>/zeitreihe.yaml for the same data file
(Ansatz of years without an edition, Ergebnis, Hochrechnung). Values in the series file are given per
row key; they are added up per Zweckbestimmung along the rows of the nearest edition (davon rows
make their row, rows make their Zweckbestimmung), as that edition would add them up. A series
column that lacks a row of that edition is an error at that column: drawn, its sums would be too small.
The chart itself is an ordinary horizontal bar chart of amip.charting (`balken`, one bar per column).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .. import formatting as fmt
from pydantic_core import PydanticCustomError

from ..errors import Collector, Location
from ..model import ZWECKE
from .keys import row_key
from .source import edition_figures
from .zeitreihe import ARTS, SERIES_FILE, heading, load_series

_ORDER = {art: i for i, art in enumerate(("ansatz", "hochrechnung", "ergebnis"))}

Structure = list[tuple[str, list[tuple[str, str, list[str]]]]]   # zweck → rows (key, label, davon keys)


def series_chart(edition: Any, name: str, figures: Any, where: Location, problems: Collector):
    """(title, categories, series) for a ChartSpec, or None after a located error."""
    org = edition.folder.resolve().parent
    own_year = edition.ausgabe.jahr
    first = figures.value_columns[0][0]
    editions: dict[int, Any] = {own_year: figures}
    for folder in sorted(org.iterdir()):
        if folder.name.isdigit() and int(folder.name) < own_year and (folder / "daten" / f"{name}.yaml").is_file():
            found = edition_figures(org, int(folder.name), problems, where, name)
            if found is None:
                return None
            if hasattr(found.get(name), "value_columns"):
                editions[int(folder.name)] = found[name]
    columns: dict[tuple[int, str], dict[str, Decimal]] = {}
    for year, figs in editions.items():
        plan = figs.value_columns[0][0] if figs is not figures else first
        groups = [r for r in figs.rows if r.kind == "gruppe"]
        if all(plan in r.numbers for r in groups):       # a plan still open (offen) is no Ansatz yet
            columns[(year, "ansatz")] = {r.key: r.numbers[plan] for r in groups}
    path = org / SERIES_FILE
    if path.is_file():
        entries = load_series(path, problems)
        if entries is None:
            return None
        for (file, year, art), values in sorted(entries.items()):
            if file != name or year > own_year or (year, art) in columns:
                continue
            nearest = min(editions, key=lambda y: (abs(y - year) if y > year else abs(y - year) + 0.5))
            sums = _zweck_sums(_structure(editions[nearest]), values, nearest, heading(art, year), problems)
            if sums is None:
                return None
            columns[(year, art)] = sums
    ordered = sorted(columns, key=lambda c: (c[0], _ORDER[c[1]]))
    zwecke = [z for z in ZWECKE if any(z in columns[c] for c in ordered)]
    categories = tuple(f"{fmt.roman(list(ZWECKE).index(z) + 1)}. {ZWECKE[z]}" for z in zwecke)
    series = tuple((heading(art, year), tuple(str(columns[(year, art)].get(z, Decimal(0))) for z in zwecke))
                   for year, art in ordered)
    years = sorted({year for year, _ in ordered})
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    kinds = " und ".join(dict.fromkeys(ARTS[art] for _, art in sorted(ordered, key=lambda c: _ORDER[c[1]])))
    title = f"{kinds} je Zweckbestimmung {span}"
    return title, categories, series


def _structure(figures: Any) -> Structure:
    """The rows of a computed Kennzahlen table by Zweckbestimmung: (key, label, keys of its davon rows)."""
    out: Structure = []
    for row in figures.rows:
        if row.kind == "gruppe":
            out.append((row.key, []))
        elif row.kind == "zeile" and out:
            out[-1][1].append((row.key or row_key(None, row.label), row.label, []))
        elif row.kind == "davon" and out and out[-1][1]:
            label = row.label.removeprefix("davon ")
            out[-1][1][-1][2].append(row.key or row_key(None, label))
    return out


def _zweck_sums(structure: Structure, values: dict, year: int, described: str,
                problems: Collector) -> dict[str, Decimal] | None:
    """Sum the series values of one column per Zweckbestimmung along an edition's rows."""
    from ..tables.columns import parse_cell

    numbers: dict[str, Decimal] = {}
    for key, (raw, where) in values.items():
        try:
            value = parse_cell(raw, "anzahl", True)
        except PydanticCustomError as exc:
            problems.error(where, exc.message(), (exc.context or {}).get("hint", ""))
            return None
        if value.known:
            numbers[key] = value.number
    sums: dict[str, Decimal] = {}
    missing: list[str] = []
    for zweck, lines in structure:
        if not lines:
            if zweck in numbers:
                sums[zweck] = numbers[zweck]
            else:
                missing.append(zweck)
            continue
        total = Decimal(0)
        for key, label, parts in lines:
            for part in parts or [key]:
                if part in numbers:
                    total += numbers[part]
                else:
                    missing.append(part)
        sums[zweck] = total
    if missing:
        first_where = next(iter(values.values()))[1]
        problems.error(first_where, f"{described} ist für das Zeitreihen-Diagramm unvollständig: die Schlüssel "
                       + ", ".join(f"„{m}“" for m in missing) + f" (Zeilen der Ausgabe {year}) haben keinen Wert.",
                       "Ergänzen Sie die Werte – sonst wären die Summen je Zweckbestimmung zu klein – oder zeigen Sie "
                       "das Diagramm nicht.")
        return None
    return sums
