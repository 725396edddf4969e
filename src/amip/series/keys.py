"""Turn the computed figures of one data file into its rows by key: {key: (label, {column: value})}.

A row's key is its `schluessel`, or else its label normalised ("Arbeitsgelegenheiten MAE" →
"arbeitsgelegenheiten-mae"); a Zweckbestimmung is keyed by its catalogue name (`aktivierung`).
Keys are what follows an instrument from one year to the next when its label changes. Explicit
keys are unique per file (the table stages report a second one at its line); a label that occurs
twice without a `schluessel` is ambiguous and left out, because following it could pick the wrong row.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

from ..tables.columns import slug

Wert = Decimal | str       # a known number, or the text printed instead ("offen", "–", "nach Bedarf")


class Zeile(NamedTuple):
    """One row of a data file: its printed label and its author-given columns (computed ones left out)."""

    label: str
    values: dict[str, Wert]


_KINDS = ("", "zeile", "davon", "darunter", "gruppe", "zwischensumme")


def row_key(schluessel: str | None, label: str) -> str:
    """The key of a row: its `schluessel`, else its label normalised (soft hyphens do not count:
    "Be&shy;darfs…" and "Bedarfs…" are one row – the same rule as amip.diff.keys)."""
    return schluessel or slug(label.replace("\u00ad", "").replace("&shy;", ""))


def rows(figures: Any) -> dict[str, Zeile]:
    """Every keyed row of one data file's figures (`edition.figures[name]`), in table order.

    - Kennzahlen: the Zweckbestimmungen (key = catalogue name, values = their computed sums), their
      rows and davon/darunter rows; columns = the value columns (`plan`, `basis`, …), not Vergleich.
    - Tabellen (`art: tabelle`): plain rows and row groups (their subtotal); every column that is not
      computed, by its column key; text columns as text.
    - Portfolio: instruments, column `eintritte` (a range or a remark as printed text).
    - Reihe: one row per series, one column per category.
    Totals are not rows. Values are Decimal where the cell holds one number, else the printed text.
    A derived key (no `schluessel`) that two rows share is left out.
    """
    from .. import compute

    found: list[tuple[str, str, dict[str, Wert]]] = []
    if isinstance(figures, (compute.KennzahlenFigures, compute.TableFigures)):
        table = figures.table if isinstance(figures, compute.KennzahlenFigures) else figures
        wanted = {key for key, art in table.columns if art not in ("summe", "vergleich", "anteil", "differenz")}
        positions = {key: i + 1 for i, (key, _) in enumerate(table.columns)}
        for row in table.rows:
            if row.kind not in _KINDS:
                continue
            label = row.label
            if row.kind in ("davon", "darunter"):
                label = label.removeprefix(row.kind + " ")
            elif row.kind == "gruppe" and isinstance(figures, compute.KennzahlenFigures):
                label = label.split(". ", 1)[-1]         # "II. berufliche Weiterbildung" → its name
            values: dict[str, Wert] = {}
            for key in wanted:
                if key in row.numbers:
                    values[key] = row.numbers[key]
                else:
                    text = row.cells[positions[key]].text
                    values[key] = text if isinstance(text, str) else ", ".join(text)
            values = {key: values[key] for key, _ in table.columns if key in values}
            found.append((row_key(row.key, label), label, values))
    elif isinstance(figures, compute.PortfolioFigures):
        for prow in figures.rows:
            plain = prow.low is not None and prow.value.replace(".", "").isdigit()
            found.append((row_key(prow.key, prow.instrument), prow.instrument,
                          {"eintritte": prow.low if plain else prow.value}))
    elif isinstance(figures, compute.SeriesFigures):
        for name, numbers in figures.data.reihen.items():
            found.append((row_key(None, name), name, dict(zip(figures.data.kategorien, numbers))))
    counts: dict[str, int] = {}
    for key, _, _ in found:
        counts[key] = counts.get(key, 0) + 1
    out: dict[str, Zeile] = {}
    for key, label, values in found:
        if key and key not in out and (counts[key] == 1 or _explicit(figures, key)):
            out[key] = Zeile(label, values)
    return out


def _explicit(figures: Any, key: str) -> bool:
    """An author's own key (unique by the table checks): a Kennzahlen group shares it with its subtotal only."""
    return key in getattr(figures, "key_locations", {})
