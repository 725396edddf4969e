"""Turn validated data into figures: every total, group sum, comparison and Portfolio Summe is computed here.

Pure functions on the models; the only side channel is the Collector, which receives located
messages when an author's stated cross-check ("erwartet") disagrees with the computed value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from pydantic_core import PydanticCustomError

from . import formatting as fmt
from .errors import Collector
from .load import Document
from .model import ZWECKE, Kennzahlen, Matrix, Portfolio, Reihe, Tabelle


@dataclass(frozen=True)
class KRow:
    """One printed Kennzahlen row. kind: summe | gruppe | zeile | davon | darunter."""

    kind: str
    label: str
    plan: int
    basis: int
    comparison: str
    key: str | None = None


@dataclass(frozen=True)
class KennzahlenFigures:
    name: str
    title: str | None
    columns: tuple[str, str, str, str]
    rows: tuple[KRow, ...]
    notes: tuple[str, ...]
    by_key: dict[str, KRow] = field(default_factory=dict)
    key_locations: dict = field(default_factory=dict)


def kennzahlen(name: str, data: Kennzahlen, doc: Document, problems: Collector) -> KennzahlenFigures:
    """Compute group sums, totals and Vergleich; check catalogue order and stated totals."""
    decimals = data.nachkommastellen
    catalogue = list(ZWECKE)

    def row(kind: str, label: str, plan: int, basis: int, key: str | None = None) -> KRow:
        return KRow(kind, label, plan, basis, fmt.comparison(plan, basis, decimals), key)

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
                       "Tragen Sie sie mit plan: 0 und basis: 0 ein, damit die Nummerierung I–VIII lückenlos bleibt.")

    group_rows: list[list[KRow]] = []
    group_values: dict[str, tuple[int, int]] = {}
    by_key: dict[str, KRow] = {}
    key_locations: dict[str, object] = {}
    for gi, group in enumerate(data.gruppen):
        gloc = ("gruppen", gi)
        label = f"{fmt.roman(catalogue.index(group.zweck) + 1)}. {group.bezeichnung or ZWECKE[group.zweck]}"
        details: list[KRow] = []
        if group.zeilen and (group.plan is not None or group.basis is not None):
            problems.error(doc.where(gloc + ("plan",) if group.plan is not None else gloc + ("basis",)),
                           "Eine Zweckbestimmung mit Zeilen bekommt keine eigenen Werte – sie werden addiert.",
                           "Löschen Sie plan/basis der Gruppe oder die Zeilen.")
        if not group.zeilen and (group.plan is None or group.basis is None):
            problems.error(doc.where(gloc), "Zweckbestimmung ohne Zeilen braucht „plan“ und „basis“.",
                           "Ergänzen Sie plan: … und basis: … oder Zeilen.")
            continue
        plan_sum = basis_sum = 0
        for ri, line in enumerate(group.zeilen):
            rloc = gloc + ("zeilen", ri)
            plan, basis = line.plan, line.basis
            if line.davon:
                dplan = sum(p.plan for p in line.davon)
                dbasis = sum(p.basis for p in line.davon)
                for stated, computed, what in ((plan, dplan, "plan"), (basis, dbasis, "basis")):
                    if stated is not None and stated != computed:
                        problems.error(doc.where(rloc + (what,)),
                                       f"{what}: angegeben {fmt.number(stated)}, die davon-Zeilen ergeben "
                                       f"{fmt.number(computed)}.",
                                       "Löschen Sie den Wert (amip rechnet ihn aus) oder korrigieren Sie die davon-Zeilen.")
                plan, basis = dplan, dbasis
            if plan is None or basis is None:
                problems.error(doc.where(rloc), f"Zeile „{line.bezeichnung}“ braucht „plan“ und „basis“.",
                               "Ergänzen Sie beide Werte oder davon-Zeilen.")
                continue
            detail = row("zeile", line.bezeichnung, plan, basis, line.schluessel)
            details.append(detail)
            if line.schluessel:
                _unique_key(line.schluessel, key_locations, doc.where(rloc + ("schluessel",)), problems)
                by_key[line.schluessel] = detail
                key_locations[line.schluessel] = doc.where(rloc + ("schluessel",))
            for word in ("davon", "darunter"):
                for pi, part in enumerate(getattr(line, word)):
                    sub = row(word, f"{word} {part.bezeichnung}", part.plan, part.basis, part.schluessel)
                    details.append(sub)
                    if part.schluessel:
                        _unique_key(part.schluessel, key_locations, doc.where(rloc + (word, pi, "schluessel")), problems)
                        by_key[part.schluessel] = sub
                        key_locations[part.schluessel] = doc.where(rloc + (word, pi, "schluessel"))
                    if word == "darunter" and (part.plan > plan or part.basis > basis):
                        problems.error(doc.where(rloc + (word, pi)),
                                       f"darunter-Zeile „{part.bezeichnung}“ ist größer als ihre Zeile.",
                                       "Eine darunter-Zeile ist ein Teil der Zeile darüber.")
            plan_sum += plan
            basis_sum += basis
        if not group.zeilen:
            plan_sum, basis_sum = group.plan or 0, group.basis or 0
        group_values[group.zweck] = (plan_sum, basis_sum)
        group_rows.append([row("gruppe", label, plan_sum, basis_sum, group.zweck), *details])

    totals: list[KRow] = []
    for si, total in enumerate(data.summen):
        sloc = ("summen", si)
        for ti, left_out in enumerate(total.ohne):
            if left_out not in group_values:
                problems.error(doc.where(sloc + ("ohne", ti)), f"„{left_out}“ steht nicht in der Tabelle.",
                               "Nennen Sie nur Zweckbestimmungen, die in „gruppen“ vorkommen.")
        plan = sum(v[0] for k, v in group_values.items() if k not in total.ohne)
        basis = sum(v[1] for k, v in group_values.items() if k not in total.ohne)
        if total.erwartet is not None:
            for what, stated, computed in (("plan", total.erwartet.plan, plan), ("basis", total.erwartet.basis, basis)):
                if stated != computed:
                    problems.error(doc.where(sloc + ("erwartet", what)),
                                   f"Summe „{total.bezeichnung}“ ({what}): erwartet {fmt.number(stated)}, "
                                   f"berechnet {fmt.number(computed)}.",
                                   "Prüfen Sie die Zeilenwerte – amip addiert sie selbst; oder korrigieren Sie „erwartet“.")
        totals.append(row("summe", total.bezeichnung, plan, basis))

    rows = tuple(totals + [r for rows in group_rows for r in rows])
    cols = (data.spalten.bezeichnung, data.spalten.plan, data.spalten.basis, data.spalten.vergleich)
    return KennzahlenFigures(name, data.titel, cols, rows, tuple(data.anmerkungen), by_key, key_locations)


def portfolio_overview(k: KennzahlenFigures) -> "TableFigures":
    """Anlage "Portfolio": the Kennzahlen instruments grouped by Zweckbestimmung, with their share.

    Only what the data contains: an instrument is a row (or, where a row has a davon breakdown, each
    part); a Zweckbestimmung without rows is its own instrument. Shares refer to the first total.
    """
    total = next(r for r in k.rows if r.kind == "summe").plan
    rows: list[tuple[str, ...]] = []
    group = ""
    members: list[KRow] = []

    def flush() -> None:
        for member in members or [group_row]:
            label = member.label.removeprefix("davon ") if member is not group_row else group_row.label.split(". ", 1)[1]
            share = fmt.percent(Decimal(member.plan) / Decimal(total), 1) if total else "–"
            rows.append((group, label, fmt.number(member.plan), share))

    group_row = None
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
    columns = (k.columns[0], "Instrument", f"Geplante {k.columns[1]}", "Anteil")
    return TableFigures(f"{k.name}-portfolio", None, columns, ("links", "links", "rechts", "rechts"),
                        tuple(rows), True, ())


# ---------------------------------------------------------------- Portfolio

@dataclass(frozen=True)
class PRow:
    instrument: str
    value: str
    function: str
    key: str | None
    low: Decimal | None
    counted: bool


@dataclass(frozen=True)
class PortfolioFigures:
    name: str
    title: str | None
    columns: tuple[str, str, str]
    rows: tuple[PRow, ...]
    sum_label: str
    sum_value: str
    sum_function: str
    sum_low: Decimal
    sum_high: Decimal


def _unique_key(key: str, seen: dict, where, problems: Collector) -> None:
    """A `schluessel` names one row; a second row with the same key would silently win."""
    if key in seen:
        problems.error(where, f"Schlüssel „{key}“ doppelt vergeben (zuerst {seen[key]}).",
                       "Jede Zeile braucht einen eigenen Schlüssel – benennen Sie einen der beiden um.")


def portfolio(name: str, data: Portfolio, doc: Document, problems: Collector) -> PortfolioFigures:
    """Render each value as printed ("25 (bis 30)", "155 (in FbW enthalten)") and add up the Summe."""
    rows = []
    low_sum = high_sum = Decimal(0)
    keys: dict = {}
    for i, line in enumerate(data.zeilen):
        loc = ("zeilen", i)
        if line.schluessel:
            _unique_key(line.schluessel, keys, doc.where(loc + ("schluessel",)), problems)
            keys[line.schluessel] = doc.where(loc + ("schluessel",))
        if line.eintritte is None and not line.text:
            problems.error(doc.where(loc), f"„{line.instrument}“: weder „eintritte“ noch „text“ angegeben.",
                           "Tragen Sie eine Zahl (eintritte: 120) oder einen Text (text: nach Bedarf) ein.")
            continue
        if line.eintritte is not None and line.text:
            problems.error(doc.where(loc + ("text",)), "„eintritte“ und „text“ schließen sich aus.",
                           "Für eine Zahl mit Zusatz nehmen Sie „zusatz:“ oder „bemerkung:“.")
        value = line.text or ""
        counted = False
        low = None
        if line.eintritte is not None:
            low, high = line.eintritte
            value = fmt.number(low) if low == high else f"{fmt.number(low)} (bis {fmt.number(high)})"
            if line.enthalten_in:
                value += f" (in {line.enthalten_in} enthalten)"
            else:
                counted = True
                low_sum += low
                high_sum += high
            if line.bemerkung:
                value += f" ({line.bemerkung})"
            if line.zusatz:
                value += f" {line.zusatz}"
        rows.append(PRow(line.instrument, value, line.funktion, line.schluessel, low, counted))
    if data.summe.erwartet is not None and data.summe.erwartet != (low_sum, high_sum):
        stated = fmt.sum_range(*data.summe.erwartet)
        problems.error(doc.where(("summe", "erwartet")),
                       f"Summe: erwartet {stated}, berechnet {fmt.sum_range(low_sum, high_sum)}.",
                       "Prüfen Sie die Zeilen (Werte mit „enthalten_in“ zählen nicht mit) oder „erwartet“.")
    return PortfolioFigures(name, data.titel, (data.spalten.instrument, data.spalten.eintritte, data.spalten.funktion),
                            tuple(rows), data.summe.bezeichnung, fmt.sum_range(low_sum, high_sum),
                            data.summe.funktion, low_sum, high_sum)


# ---------------------------------------------------------------- generic tables

@dataclass(frozen=True)
class TableFigures:
    name: str
    title: str | None
    columns: tuple[str, ...]
    aligns: tuple[str, ...]
    rows: tuple[tuple[str | tuple[str, ...], ...], ...]
    group_first: bool
    notes: tuple[str, ...]


def table(name: str, data: Tabelle, doc: Document, problems: Collector) -> TableFigures:
    """Parse typed cells, compute `summe_aus` columns, keep text cells as written."""
    from .model import parse_decimal, parse_range

    names = [c.name for c in data.spalten]
    given = [c for c in data.spalten if not c.summe_aus]
    for ci, col in enumerate(data.spalten):
        for source in col.summe_aus or []:
            if source not in names:
                problems.error(doc.where(("spalten", ci, "summe_aus")), f"Spalte „{source}“ gibt es nicht.",
                               "Erlaubt: " + ", ".join(names) + ".")
    rows = []
    for ri, cells in enumerate(data.zeilen):
        if len(cells) != len(given):
            problems.error(doc.where(("zeilen", ri)),
                           f"Zeile hat {len(cells)} Zellen, erwartet werden {len(given)} "
                           f"({', '.join(c.name for c in given)}).",
                           "Ergänzen oder löschen Sie Zellen; berechnete Spalten (summe_aus) bleiben leer.")
            continue
        values: dict[str, Decimal] = {}
        out: list[str | tuple[str, ...]] = []
        cell_iter = iter(enumerate(cells))
        for col in data.spalten:
            if col.summe_aus:
                total = sum((values.get(s, Decimal(0)) for s in col.summe_aus), Decimal(0))
                values[col.name] = total
                out.append(fmt.number(total))
                continue
            ci, cell = next(cell_iter)
            where = doc.where(("zeilen", ri, ci))
            if isinstance(cell, list):
                out.append(tuple(cell))
                continue
            text = cell or ""
            try:
                if col.art == "zahl" and text:
                    number = parse_decimal(text)
                    if number < 0 and not col.negativ:
                        problems.error(where, f"„{text}“ ist negativ, Spalte „{col.name}“ erlaubt keine negativen Zahlen.",
                                       "Prüfen Sie das Vorzeichen; für Veränderungen schreiben Sie „negativ: ja“ an die Spalte.")
                    values[col.name] = number
                    out.append(fmt.number(number, _decimals(number)))
                elif col.art == "spanne" and text:
                    low, high = parse_range(text)
                    out.append(fmt.value_range(low, high, _decimals(low)))
                else:
                    out.append(text)
            except PydanticCustomError as exc:
                problems.error(where, exc.message(), (exc.context or {}).get("hint", ""))
                out.append(text)
        rows.append(tuple(out))
    aligns = tuple("rechts" if c.art in ("zahl", "spanne") or c.summe_aus else "links" for c in data.spalten)
    return TableFigures(name, data.titel, tuple(names), aligns, tuple(rows),
                        data.spalten[0].gruppieren, tuple(data.anmerkungen))


def _decimals(value: Decimal) -> int:
    """How many decimals an author wrote, ignoring trailing zeros: 24,30 → 1, 8.510 → 0."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


# ---------------------------------------------------------------- matrix and series pass through

@dataclass(frozen=True)
class MatrixFigures:
    name: str
    data: Matrix


def matrix(name: str, data: Matrix, doc: Document, problems: Collector) -> MatrixFigures:
    for ci, column in enumerate(data.spalten):
        for zi, cell in enumerate(column.zellen):
            if cell.status not in data.legende:
                problems.error(doc.where(("spalten", ci, "zellen", zi, "status")),
                               f"Status „{cell.status}“ steht nicht in der Legende.",
                               "Erlaubt: " + ", ".join(data.legende) + ".")
    return MatrixFigures(name, data)


@dataclass(frozen=True)
class SeriesFigures:
    name: str
    data: Reihe
    doc: Document | None = None

    def as_table(self) -> "TableFigures":
        """A series shown as a table: one row per category, one column per series (+ remarks)."""
        from .charts import display

        names = list(self.data.reihen)
        first = "Jahr" if all(c.isdigit() and len(c) == 4 for c in self.data.kategorien) else ""
        columns = [first, *names] + (["Hinweis"] if self.data.hinweise else [])
        rows = []
        for i, category in enumerate(self.data.kategorien):
            cells = [category, *(display(self.data.reihen[n][i], self.data.einheit) for n in names)]
            if self.data.hinweise:
                cells.append(self.data.hinweise.get(category, ""))
            rows.append(tuple(cells))
        aligns = ("links", *("rechts" for _ in names)) + (("links",) if self.data.hinweise else ())
        return TableFigures(self.name, self.data.titel, tuple(columns), aligns, tuple(rows), False, ())


def series(name: str, data: Reihe, doc: Document, problems: Collector) -> SeriesFigures:
    if data.hervorheben is not None and data.hervorheben not in data.kategorien:
        problems.error(doc.where(("hervorheben",)), f"Kategorie „{data.hervorheben}“ gibt es nicht.",
                       "Erlaubt: " + ", ".join(data.kategorien) + ".")
    for ci, category in enumerate(data.hinweise):
        if category not in data.kategorien:
            problems.error(doc.where(("hinweise", category), key=False), f"Kategorie „{category}“ gibt es nicht.",
                           "Erlaubt: " + ", ".join(data.kategorien) + ".")
    for label, values in data.reihen.items():
        if not data.negativ and any(v < 0 for v in values):
            problems.error(doc.where(("reihen", label)), f"Reihe „{label}“ enthält negative Werte.",
                           "Prüfen Sie das Vorzeichen; für Veränderungen schreiben Sie „negativ: ja“ in die Datei.")
        if len(values) != len(data.kategorien):
            hint = "Jede Reihe braucht genau einen Wert je Kategorie."
            if len(values) == 2 * len(data.kategorien):
                hint = ("In [ … ] trennt das Komma die Werte – auch in 19,5. Schreiben Sie Dezimalzahlen in "
                        "Anführungszeichen [\"19,5\", \"19,9\"] oder jeden Wert in eine eigene Zeile mit „- “.")
            problems.error(doc.where(("reihen", label)),
                           f"Reihe „{label}“ hat {len(values)} Werte für {len(data.kategorien)} Kategorien.", hint)
    return SeriesFigures(name, data, doc)


def cross_check(kennzahlen_figs: list[KennzahlenFigures], portfolios: list[tuple[PortfolioFigures, Document]],
                problems: Collector) -> None:
    """A Portfolio row and a Kennzahlen row with the same key must plan the same number of Eintritte."""
    for figs in kennzahlen_figs:
        for pf, doc in portfolios:
            for i, prow in enumerate(pf.rows):
                if not prow.key or prow.key not in figs.by_key or prow.low is None:
                    continue
                krow = figs.by_key[prow.key]
                if Decimal(krow.plan) != prow.low:
                    problems.error(doc.where(("zeilen", i, "eintritte")),
                                   f"Portfolio „{prow.instrument}“: {prow.value} Eintritte, die Kennzahlen "
                                   f"({figs.key_locations[prow.key]}) planen {fmt.number(krow.plan)}.",
                                   "Gleichen Sie beide Dateien an – der Schlüssel "
                                   f"„{prow.key}“ verbindet sie.")


# ---------------------------------------------------------------- values for prose

def prose_values(figures: dict, edition_number: int, year: int) -> dict[str, tuple[str, Decimal]]:
    """Every value an author may quote with [[wert: …]]: path → (printed text, number)."""
    values: dict[str, tuple[str, Decimal]] = {
        "ausgabe.nummer": (str(edition_number), Decimal(edition_number)),
        "ausgabe.jahr": (str(year), Decimal(year)),
        "ausgabe.vorjahr": (str(year - 1), Decimal(year - 1)),
    }
    for name, figs in figures.items():
        if isinstance(figs, KennzahlenFigures):
            totals = [r for r in figs.rows if r.kind == "summe"]
            for i, r in enumerate(totals, start=1):
                _row_values(values, f"{name}.summe" if i == 1 else f"{name}.summe{i}", r)
            for r in figs.rows:
                if r.key and r.kind != "summe":
                    _row_values(values, f"{name}.{r.key}", r)
        elif isinstance(figs, PortfolioFigures):
            values[f"{name}.summe"] = (figs.sum_value, figs.sum_low)
            for r in figs.rows:
                if r.key and r.low is not None:
                    values[f"{name}.{r.key}"] = (fmt.number(r.low), r.low)
        elif isinstance(figs, SeriesFigures):
            from .charts import display

            series = list(figs.data.reihen.items())
            total = sum(series[0][1], Decimal(0))
            values[f"{name}.summe"] = (display(total, figs.data.einheit), total)
            for i, category in enumerate(figs.data.kategorien):
                for j, (label, numbers) in enumerate(series):
                    if i < len(numbers):
                        entry = (display(numbers[i], figs.data.einheit), numbers[i])
                        values[f"{name}.{category}.{label}"] = entry
                        if j == 0:
                            values[f"{name}.{category}"] = entry
    return values


def _row_values(values: dict, prefix: str, row: KRow) -> None:
    values[f"{prefix}.plan"] = (fmt.number(row.plan), Decimal(row.plan))
    values[f"{prefix}.basis"] = (fmt.number(row.basis), Decimal(row.basis))
    values[f"{prefix}.vergleich"] = (row.comparison, Decimal(0))


# ---------------------------------------------------------------- figures from files

IMAGE_TYPES = {".svg", ".png", ".jpg", ".jpeg"}


@dataclass(frozen=True)
class ImageFigures:
    name: str
    data: object
    path: object  # resolved Path inside the organisation's content folder


def image(name: str, data, doc: Document, problems: Collector) -> ImageFigures | None:
    """Resolve the image file relative to the data file; it must lie inside the organisation folder."""
    base = doc.path.resolve().parent
    allowed = base.parents[1]  # content/<org>/
    path = (base / data.datei).resolve()
    where = doc.where(("datei",))
    if allowed not in path.parents:
        problems.error(where, f"Bilddatei „{data.datei}“ liegt außerhalb des Inhaltsordners.",
                       f"Legen Sie das Bild in den Ordner der Ausgabe, z. B. {base.parent.name}/bilder/.")
        return None
    if path.suffix.lower() not in IMAGE_TYPES:
        problems.error(where, f"„{data.datei}“ ist kein unterstütztes Bildformat.", "Möglich: SVG, PNG, JPEG.")
        return None
    if not path.is_file():
        problems.error(where, f"Bilddatei „{data.datei}“ nicht gefunden.", "Prüfen Sie Pfad und Dateinamen (relativ zu daten/).")
        return None
    from .images import check_image

    before = len(problems.problems)
    check_image(path, where, problems)
    if any(p.level == "fehler" for p in problems.problems[before:]):
        return None
    return ImageFigures(name, data, path)
