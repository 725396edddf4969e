"""Turn a basis column's `{art, jahr}` into values by row key: from an earlier edition or the series file.

`ansatz` of year J is the plan of edition content/<org>/J/ (the same data file, computed by that
edition as it would print it). For years without an edition in the repository, and for every
`ergebnis` and `hochrechnung`, the values come from the organisation's series file
content/<org>/zeitreihe.yaml (`zeitreihe` reads it). Every file read lies inside content/<org>/.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic_core import PydanticCustomError

from ..errors import Collector, Location
from ..load import confined
from ..tables.columns import Value, decimals_of, parse_cell
from .keys import rows
from .zeitreihe import SERIES_FILE, heading, load_series


def organisation_of(data_path: Path) -> tuple[Path, int | None]:
    """content/<org>/ and the edition year for a data file content/<org>/<jahr>/daten/<name>.yaml."""
    edition = Path(data_path).parent.parent
    return edition.parent, int(edition.name) if edition.name.isdigit() else None


def edition_figures(org: Path, year: int, problems: Collector, where: Location,
                    name: str | None = None) -> dict[str, Any] | None:
    """The computed data files of edition content/<org>/<year>/, or None where there is no such edition.

    With `name`, only that data file (and the files it takes values from) is computed. The edition's
    own errors are reported (located in its files); its warnings belong to it, not here.
    """
    from ..edition.load import _load_data

    folder = org / str(year)     # its data is what counts (an archived copy holds only an edition's daten/)
    if not (folder / "daten").is_dir():
        return None
    if confined(folder / "daten", org, where, problems, "Ausgabe") is None:
        return None
    own = Collector()
    figures, _ = _load_data(folder / "daten", own, only=name)
    errors = [p for p in own.problems if p.level == "fehler"]
    if errors:
        problems.problems.extend(errors)
        problems.error(where, f"Die Ausgabe {year} enthält Fehler; ihre Werte lassen sich nicht übernehmen.",
                       "Beheben Sie zuerst die oben genannten Fehler der Ausgabe " + str(year) + ".")
        return None
    return figures


@dataclass
class BasisColumn:
    """The values of one column taken from the series, handed out row by row to the table stage."""

    described: str                                  # "Ergebnis 2025"
    art: str                                        # the column's value type (anzahl, betrag …)
    column: str                                     # the column's key, for messages
    origin: str = ""                                # where the values come from, for messages
    hint: str = ""                                  # how to add a missing key ({key} is filled in)
    values: dict[str, Any] = field(default_factory=dict)      # key → raw text (series file) or Decimal/str
    where: dict[str, Location] = field(default_factory=dict)  # key → location in the series file
    broken: bool = False                            # the source itself is missing: rows stay silent
    used: set = field(default_factory=set)

    @property
    def failed(self) -> bool:
        """Some value could not be taken (already reported): totals of this column are not worth comparing."""
        return self.broken or bool(self.missing)

    missing: set = field(default_factory=set)

    def value(self, key: str, label: str, where: Location, problems: Collector) -> Value:
        """The value for the row `key` (labelled `label`, at `where`); a missing key is a located error."""
        if self.broken:
            return Value(text="–")
        if key not in self.values:
            self.missing.add(key)
            problems.error(where, f"Zeile „{label}“ (Schlüssel „{key}“): kein Wert für {self.described} in "
                                  f"{self.origin}.", self.hint.format(key=key))
            return Value(text="–")
        self.used.add(key)
        raw = self.values[key]
        if isinstance(raw, Decimal):
            return Value(raw, decimals=decimals_of(raw))
        if key in self.where:           # as an author wrote it in the series file: parsed like a cell
            try:
                return parse_cell(raw, self.art, self.art == "anzahl", False, self.column)
            except PydanticCustomError as exc:    # located at the value in the series file
                self.missing.add(key)
                problems.error(self.where[key], exc.message(), (exc.context or {}).get("hint", ""))
                return Value(text="–")
        return Value(text=str(raw))

    def report_unused(self, problems: Collector) -> None:
        """Keys in the series file that no row of the table asks for: probably a typo or a renamed key."""
        for key, where in self.where.items():
            if key not in self.used and not self.broken:
                problems.warn(where, f"Schlüssel „{key}“ ({self.described}) kommt in der Tabelle nicht vor.",
                              "Prüfen Sie die Schreibweise oder geben Sie der Zeile in der Tabelle diesen schluessel.")


def basis_column(name: str, column: str, art: str, spec: Any, data_path: Path, where: Location,
                 problems: Collector) -> BasisColumn:
    """The source of the column `column` of data file `name` described by `spec` (art, jahr, spalte):
    `ansatz` from an edition takes its plan column (`spalte:` names another one)."""
    described = heading(spec.art, spec.jahr)
    out = BasisColumn(described, art, column)
    org, own_year = organisation_of(data_path)
    if own_year is not None and spec.jahr >= own_year:
        problems.error(where, f"{described}: das Jahr liegt nicht vor dem Jahr der Ausgabe ({own_year}).",
                       "Eine Vergleichsspalte nimmt Werte früherer Jahre, z. B. {art: ansatz, jahr: "
                       f"{own_year - 1}}}.")
        out.broken = True
        return out
    if spec.art == "ansatz" and (org / str(spec.jahr) / "daten" / f"{name}.yaml").is_file():
        return _from_edition(out, name, spec, org, where, problems)
    return _from_series_file(out, name, spec, org, where, problems)


def _from_edition(out: BasisColumn, name: str, spec: Any, org: Path, where: Location,
                  problems: Collector) -> BasisColumn:
    relative = f"{org.name}/{spec.jahr}/daten/{name}.yaml"
    out.origin = f"der Ausgabe {spec.jahr} ({relative})"
    figures = edition_figures(org, spec.jahr, problems, where, name)
    if figures is None or name not in figures:
        out.broken = True
        return out
    source = figures[name]
    table = getattr(source, "table", source)
    columns = [key for key, art in getattr(table, "columns", ())
               if art not in ("text", "summe", "vergleich", "anteil", "differenz")]
    plan = source.value_columns[0][0] if getattr(source, "value_columns", None) else None  # Kennzahlen
    wanted = spec.spalte or plan or (columns[0] if columns else None)
    if wanted not in columns:
        problems.error(where, f"Die Ausgabe {spec.jahr} hat in {relative} keine Zahlenspalte „{wanted}“.",
                       "Nennen Sie die Spalte mit spalte: …; Zahlenspalten dort: " + (", ".join(columns) or "keine") + ".")
        out.broken = True
        return out
    out.values = {key: row.values[wanted] for key, row in rows(source).items() if wanted in row.values}
    out.hint = (f"Geben Sie der passenden Zeile in {relative} „schluessel: {{key}}“ – oder der Zeile hier den "
                "Schlüssel, den sie dort hat.")
    return out


def _from_series_file(out: BasisColumn, name: str, spec: Any, org: Path, where: Location,
                      problems: Collector) -> BasisColumn:
    path = org / SERIES_FILE
    shown = f"{org.name}/{SERIES_FILE}"
    out.origin = shown
    out.broken = True
    if confined(path, org, where, problems, "Zeitreihe") is None:
        return out
    if not path.is_file():
        found = ""
        if spec.art == "ansatz":
            found = (f" (die Ausgabe {spec.jahr} hat keine daten/{name}.yaml)" if (org / str(spec.jahr)).is_dir()
                     else f" (es gibt keine Ausgabe {spec.jahr})")
        problems.error(where, f"{out.described} für „{name}“: die Zeitreihe {shown} fehlt{found}.",
                       f"Legen Sie {shown} an, mit den Werten unter {name}: → {spec.jahr}: → {spec.art}: "
                       "→ Schlüssel: Wert (siehe docs/content-format.md, „Zeitreihe“).")
        return out
    series = load_series(path, problems)
    if series is None:
        return out
    entry = series.get((name, spec.jahr, spec.art))
    if entry is None:
        problems.error(where, f"In {shown} steht kein {out.described} für „{name}“.",
                       f"Ergänzen Sie dort {name}: → {spec.jahr}: → {spec.art}: mit einer Zeile „Schlüssel: Wert“ "
                       "je Tabellenzeile.")
        return out
    out.broken = False
    out.values = {key: raw for key, (raw, _) in entry.items()}
    out.where = {key: loc for key, (_, loc) in entry.items()}
    out.hint = f"Tragen Sie in {shown} unter {name} → {spec.jahr} → {spec.art} eine Zeile „{{key}}: <Wert>“ ein."
    return out
