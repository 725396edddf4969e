"""Turn an organisation's series file content/<org>/zeitreihe.yaml into values by (file, year, art) and key.

The file holds what exists only on paper: the plans (Ansatz) of years without an edition in the
repository, results (Ergebnis) and projections (Hochrechnung). Its shape follows how a printed
column is copied, one column at a time:

    kennzahlen:            # the data file daten/kennzahlen.yaml
      2025:                # the year
        ergebnis:          # ansatz | ergebnis | hochrechnung
          mat: 1.162       # row key: value, in German number format

It is read with the same loader as every author file (positions, limits, no anchors or tags), so a
mistake is reported at its line; values are parsed later, by the type of the column they fill.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import Collector, Location
from ..load import load_yaml

SERIES_FILE = "zeitreihe.yaml"
ARTS = {"ansatz": "Ansatz", "ergebnis": "Ergebnis", "hochrechnung": "Hochrechnung"}
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

Entries = dict[tuple[str, int, str], dict[str, tuple[str, Location]]]


def heading(art: str, year: int) -> str:
    """The generated column heading: "Ansatz 2026", "Ergebnis 2025", "Hochrechnung 2025"."""
    return f"{ARTS[art]} {year}"


def load_series(path: Path, problems: Collector) -> Entries | None:
    """{(data file, year, art): {key: (value as written, location)}}; every misplaced entry is an error."""
    doc = load_yaml(path, problems)
    if doc is None:
        return None
    if doc.data in ({}, None):
        return {}
    if not isinstance(doc.data, dict):
        problems.error(doc.where(), "Die Zeitreihe ist eine Zuordnung Datendatei → Jahr → Art → Schlüssel: Wert.",
                       "Beispiel: kennzahlen: / 2025: / ergebnis: / mat: 1.162 (je eine Ebene tiefer eingerückt).")
        return None
    out: Entries = {}
    ok = True
    for name, years in doc.data.items():
        if not _NAME.match(name):
            ok = _wrong(problems, doc.where((name,), key=True), f"„{name}“ ist kein Name einer Datendatei.",
                        "Schreiben Sie den Dateinamen ohne .yaml, z. B. kennzahlen.")
            continue
        if not isinstance(years, dict):
            ok = _wrong(problems, doc.where((name,)), f"Unter „{name}“ stehen Jahre.",
                        "Beispiel: kennzahlen: / 2025: / ergebnis: / mat: 1.162.")
            continue
        for year, arts in years.items():
            if not re.fullmatch(r"(19|20)[0-9]{2}", year):
                ok = _wrong(problems, doc.where((name, year), key=True), f"„{year}“ ist kein Jahr.",
                            "Jahre werden vierstellig geschrieben, z. B. 2025.")
                continue
            if not isinstance(arts, dict):
                ok = _wrong(problems, doc.where((name, year)), f"Unter {name} → {year} steht die Art der Werte.",
                            "Möglich: " + ", ".join(ARTS) + ".")
                continue
            for art, values in arts.items():
                if art not in ARTS:
                    ok = _wrong(problems, doc.where((name, year, art), key=True), f"Unbekannte Art „{art}“.",
                                "Möglich: " + ", ".join(ARTS) + ".")
                    continue
                if not isinstance(values, dict) or not values:
                    ok = _wrong(problems, doc.where((name, year, art)),
                                f"Unter {name} → {year} → {art} steht je Zeile „Schlüssel: Wert“.",
                                "Beispiel: mat: 1.162")
                    continue
                entry: dict[str, tuple[str, Location]] = {}
                for key, raw in values.items():
                    if isinstance(raw, list) or (isinstance(raw, dict) and set(raw) != {"text"}):
                        ok = _wrong(problems, doc.where((name, year, art, key)),
                                    f"„{key}“: ein Wert ist eine Zahl (oder {{text: …}}).", "Beispiel: mat: 1.162")
                        continue
                    entry[key] = (raw, doc.where((name, year, art, key)))
                out[(name, int(year), art)] = entry
    return out if ok else None


def _wrong(problems: Collector, where: Location, message: str, hint: str) -> bool:
    problems.error(where, message, hint)
    return False
