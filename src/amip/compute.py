"""Turn validated data into figures: Portfolio sums, series, matrices, images and the values prose may quote.

Tables (general tables and Kennzahlen) are computed by the one table model in `amip.tables`; this
module re-exports its entry points so that the build sees one stage. Pure functions on the models;
the only side channel is the Collector, which receives located messages when an author's stated
cross-check ("erwartet") disagrees with the computed value.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


from . import formatting as fmt
from .errors import Collector
from .load import Document
from .model import Matrix, Portfolio, Reihe
from .tables.compute import unique_key
from .tables.figures import TableFigures, plain_table
from .tables.general import table
from .tables.kennzahlen import KennzahlenFigures, kennzahlen, portfolio_overview

__all__ = ["KennzahlenFigures", "TableFigures", "kennzahlen", "portfolio_overview", "table"]


# ---------------------------------------------------------------- Portfolio

@dataclass(frozen=True)
class PRow:
    instrument: str
    value: str
    function: str
    key: str | None
    low: Decimal | None
    counted: bool
    open: bool = False        # eintritte: offen (D3)


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
    sum_open: bool = False    # a counted row is open: so is the Summe


def portfolio(name: str, data: Portfolio, doc: Document, problems: Collector) -> PortfolioFigures:
    """Render each value as printed ("25 (bis 30)", "155 (in FbW enthalten)") and add up the Summe."""
    rows = []
    low_sum = high_sum = Decimal(0)
    any_open = False
    keys: dict = {}
    for i, line in enumerate(data.zeilen):
        loc = ("zeilen", i)
        if line.schluessel:
            unique_key(line.schluessel, keys, doc.where(loc + ("schluessel",)), problems)
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
        if line.eintritte == fmt.OPEN:
            any_open = any_open or not line.enthalten_in
            value = fmt.OPEN + (f" (in {line.enthalten_in} enthalten)" if line.enthalten_in else "")
            rows.append(PRow(line.instrument, value, line.funktion, line.schluessel, None, not line.enthalten_in, True))
            continue
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
    if data.summe.erwartet is not None and not any_open and data.summe.erwartet != (low_sum, high_sum):
        stated = fmt.sum_range(*data.summe.erwartet)
        problems.error(doc.where(("summe", "erwartet")),
                       f"Summe: erwartet {stated}, berechnet {fmt.sum_range(low_sum, high_sum)}.",
                       "Prüfen Sie die Zeilen (Werte mit „enthalten_in“ zählen nicht mit) oder „erwartet“.")
    return PortfolioFigures(name, data.titel, (data.spalten.instrument, data.spalten.eintritte, data.spalten.funktion),
                            tuple(rows), data.summe.bezeichnung,
                            fmt.OPEN if any_open else fmt.sum_range(low_sum, high_sum),
                            data.summe.funktion, low_sum, high_sum, any_open)


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
        return plain_table(self.name, self.data.titel, tuple(columns), aligns, tuple(rows))


def series(name: str, data: Reihe, doc: Document, problems: Collector) -> SeriesFigures:
    if data.hervorheben is not None and data.hervorheben not in data.kategorien:
        problems.error(doc.where(("hervorheben",)), f"Kategorie „{data.hervorheben}“ gibt es nicht.",
                       "Erlaubt: " + ", ".join(data.kategorien) + ".")
    for ci, category in enumerate(data.hinweise):
        if category not in data.kategorien:
            problems.error(doc.where(("hinweise", category), key=False), f"Kategorie „{category}“ gibt es nicht.",
                           "Erlaubt: " + ", ".join(data.kategorien) + ".")
    for reserved in [c for c in data.kategorien if c == "summe"] + [r for r in data.reihen if r == "summe"]:
        problems.error(doc.where(("kategorien",) if reserved in data.kategorien else ("reihen", reserved), key=True),
                       "„summe“ ist als Name einer Kategorie oder Reihe reserviert.",
                       "[[wert: datei.summe]] nennt die berechnete Summe; nennen Sie die Kategorie z. B. „Summe“.")
    subtotals = set(data.zwischensummen)
    for i, category in enumerate(data.zwischensummen):
        if category not in data.kategorien:
            problems.error(doc.where(("zwischensummen", i)), f"Kategorie „{category}“ gibt es nicht.",
                           "Zwischensummen nennen Kategorien aus „kategorien“: " + ", ".join(data.kategorien) + ".")
    expected = len([c for c in data.kategorien if c not in subtotals])
    complete = True
    for label, values in data.reihen.items():
        if not data.negativ and any(v < 0 for v in values):
            problems.error(doc.where(("reihen", label)), f"Reihe „{label}“ enthält negative Werte.",
                           "Prüfen Sie das Vorzeichen; für Veränderungen schreiben Sie „negativ: ja“ in die Datei.")
        if len(values) != expected:
            complete = False
            hint = "Jede Reihe braucht genau einen Wert je Kategorie."
            if subtotals:
                hint = ("Zwischensummen (" + ", ".join(data.zwischensummen) + ") bekommen keinen Wert – amip "
                        "rechnet sie aus. Jede Reihe braucht einen Wert je übriger Kategorie.")
            elif len(values) == 2 * len(data.kategorien):
                hint = ("In [ … ] trennt das Komma die Werte – auch in 19,5. Schreiben Sie Dezimalzahlen in "
                        "Anführungszeichen [\"19,5\", \"19,9\"] oder jeden Wert in eine eigene Zeile mit „- “.")
            counted = f"{expected} Kategorien" + (" ohne Zwischensummen" if subtotals else "")
            problems.error(doc.where(("reihen", label)),
                           f"Reihe „{label}“ hat {len(values)} Werte für {counted}.", hint)
    if subtotals and complete:
        data = data.model_copy(update={"reihen": {label: _with_subtotals(data.kategorien, subtotals, values)
                                                  for label, values in data.reihen.items()}})
    return SeriesFigures(name, data, doc)


def _with_subtotals(categories: list[str], subtotals: set[str], values: list[Decimal]) -> list[Decimal]:
    """One value per category: a subtotal is the running total of every value before it."""
    given = iter(values)
    running = Decimal(0)
    out = []
    for category in categories:
        if category in subtotals:
            out.append(running)
        else:
            value = next(given)
            running += value
            out.append(value)
    return out


def cross_check(kennzahlen_figs: list[KennzahlenFigures], portfolios: list[tuple[PortfolioFigures, Document]],
                problems: Collector) -> None:
    """A Portfolio row and a Kennzahlen row with the same key must plan the same number of Eintritte."""
    for figs in kennzahlen_figs:
        for pf, doc in portfolios:
            for i, prow in enumerate(pf.rows):
                if not prow.key or prow.key not in figs.by_key or prow.low is None:
                    continue
                krow = figs.by_key[prow.key]
                planned = krow.numbers.get(figs.value_columns[0][0])
                if planned is not None and planned != prow.low:
                    problems.error(doc.where(("zeilen", i, "eintritte")),
                                   f"Portfolio „{prow.instrument}“: {prow.value} Eintritte, die Kennzahlen "
                                   f"({figs.key_locations[prow.key]}) planen {fmt.number(planned)}.",
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
        if isinstance(figs, (KennzahlenFigures, TableFigures)):
            table_values = figs.table.values if isinstance(figs, KennzahlenFigures) else figs.values
            values.update({f"{name}.{path}": value for path, value in table_values.items()})
        elif isinstance(figs, PortfolioFigures):
            values[f"{name}.summe"] = (figs.sum_value, None if figs.sum_open else figs.sum_low)
            for r in figs.rows:
                if r.key and r.open:
                    values[f"{name}.{r.key}"] = (fmt.OPEN, None)
                elif r.key and r.low is not None:
                    values[f"{name}.{r.key}"] = (fmt.number(r.low), r.low)
        elif isinstance(figs, SeriesFigures):
            from .charts import display

            _series_values(values, name, figs.data, display)
    return values


def _series_values(values: dict, name: str, data: Reihe, display) -> None:
    """A series' values and sums: `name.summe` (all series), `name.summe.<reihe>` (one series),
    `name.<kategorie>.summe` (one category over all series, where there are several series).
    Zwischensummen are shown by their category but never added again."""
    series = list(data.reihen.items())
    counted = [i for i, c in enumerate(data.kategorien) if c not in set(data.zwischensummen)]

    def entry(number: Decimal) -> tuple[str, Decimal]:
        return display(number, data.einheit), number

    sums = {label: sum((numbers[i] for i in counted if i < len(numbers)), Decimal(0)) for label, numbers in series}
    values[f"{name}.summe"] = entry(sum(sums.values(), Decimal(0)))
    for label, total in sums.items():
        values[f"{name}.summe.{label}"] = entry(total)
    for i, category in enumerate(data.kategorien):
        for j, (label, numbers) in enumerate(series):
            if i < len(numbers):
                values[f"{name}.{category}.{label}"] = entry(numbers[i])
                if j == 0:
                    values[f"{name}.{category}"] = entry(numbers[i])
        if len(series) > 1 and all(i < len(numbers) for _, numbers in series):
            values[f"{name}.{category}.summe"] = entry(sum((numbers[i] for _, numbers in series), Decimal(0)))


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
