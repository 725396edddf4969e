"""Turn `amip import AUSGABE TABELLE DATEI` into a shown, confirmed, atomic and validated edit of one data file.

The data file is written only after confirmation (or `--ja`), in one atomic step, and the edition is
loaded again afterwards: if the new values bring an error that was not there before (a stated total
`erwartet` that no longer fits, a value the model refuses), the old file is put back unchanged and
the errors are reported.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import Collector, ContentError, Location, Problem
from ..load import load_yaml
from ..output import atomic_write
from . import edit, plan as planning, sheet
from .targets import Unsupported, target


@dataclass
class Outcome:
    plan: planning.Plan
    written: bool
    reason: str = ""      # why nothing was written


def data_file(edition: Path, table: str) -> Path:
    """daten/<table>.yaml of the edition; a German error naming the files there otherwise."""
    if not (edition / "ausgabe.yaml").is_file():
        raise ContentError([Problem(Location(edition), "Hier liegt keine Ausgabe (ausgabe.yaml fehlt).",
                                    "Geben Sie den Ordner einer Ausgabe an, z. B. content/duesseldorf/2026.")])
    name = table.removesuffix(".yaml")
    path = edition / "daten" / f"{name}.yaml"
    if "/" in name or "\\" in name or not path.is_file():
        present = sorted(p.stem for p in (edition / "daten").glob("*.yaml"))
        raise ContentError([Problem(Location(edition / "daten"), f"Datendatei „{table}“ gibt es nicht.",
                                    "Vorhanden: " + (", ".join(present) or "keine") + ".")])
    return path


def prepare(edition: Path, table: str, source: Path, blatt: str | None) -> planning.Plan:
    path = data_file(edition, table)
    problems = Collector()
    doc = load_yaml(path, problems)
    problems.raise_if_errors()
    try:
        tgt = target(doc.data)
    except Unsupported as exc:
        raise ContentError([Problem(doc.where(("art",)), f"In eine Datei der Art „{exc.args[0]}“ übernimmt amip "
                                    "keine Zahlen.", "amip import füllt Kennzahlen, Portfolios, Tabellen und "
                                    "Diagrammdaten (art: kennzahlen, portfolio, tabelle, reihe).")]) from None
    grid = sheet.read(source, blatt)
    if not grid.rows:
        raise ContentError([Problem(Location(source), f"Das Blatt „{grid.name}“ ist leer.",
                                    "Die erste Zeile enthält die Überschriften, darunter je Zeile Schlüssel und Werte.")])
    if len(grid.rows) < 2:
        raise ContentError([Problem(grid.rows[0][0].where, f"Das Blatt „{grid.name}“ hat nur Überschriften, keine Werte.",
                                    "Tragen Sie unter den Überschriften je Zeile Schlüssel und Werte ein.")])
    made = planning.make(path, doc, tgt, grid)
    ausgabe = load_yaml(edition / "ausgabe.yaml", Collector())
    if ausgabe is not None and isinstance(ausgabe.data, dict) and ausgabe.data.get("status") == "beschlossen":
        made.problems.warn(ausgabe.where(("status",)), "Die Ausgabe ist beschlossen – geänderte Zahlen weichen vom "
                           "Beschluss der Trägerversammlung ab.",
                           "Übernehmen Sie Zahlen in einen Entwurf (status: entwurf) oder als Korrektur mit neuem Beschluss.")
    made.problems.raise_if_errors()
    return made


def table_lines(made: planning.Plan) -> list[str]:
    """The changes as a German table: Zeile | Spalte | bisher | neu | Zelle."""
    head = ("Zeile", "Spalte", "bisher", "neu", "aus")
    rows = [(c.row, c.column, c.old or "–", c.new, _cell_name(c.where)) for c in made.changes]
    widths = [min(40, max(len(r[i]) for r in [head, *rows])) for i in range(len(head))]

    def fit(text: str, width: int) -> str:
        return text if len(text) <= width else text[: width - 1] + "…"

    lines = ["  ".join(fit(v, w).ljust(w) for v, w in zip(r, widths)).rstrip() for r in [head, *rows]]
    lines.insert(1, "  ".join("─" * w for w in widths))
    return lines


def _cell_name(where: Location) -> str:
    if isinstance(where, sheet.CellLocation):
        return where.cell
    return f"Zeile {where.line}, Spalte {where.column}"


def write(made: planning.Plan, edition: Path) -> None:
    """Make the edits, write atomically, load the edition again; put the old file back on a new error."""
    original = made.data_file.read_bytes()
    mode = stat.S_IMODE(made.data_file.stat().st_mode)
    text = original.decode("utf-8")
    lines = edit.split_lines(text, ends=False)
    edits = []
    problems = Collector()
    for change in made.changes:
        try:
            edits.append(edit.locate(made.doc, lines, change.path, change.new))
        except edit.NotEditable as exc:
            problems.error(made.doc.where(change.path), f"Den Wert „{change.old}“ ({change.row}, {change.column}) kann "
                           f"amip nicht selbst ersetzen ({exc}).",
                           f"Schreiben Sie ihn als einfache Zahl in eine Zeile, z. B. „{change.path[-1]}: {change.new}“, "
                           "und importieren Sie erneut.")
    problems.raise_if_errors()
    before = _errors(edition)
    atomic_write(made.data_file, edit.apply(text, edits).encode("utf-8"))
    os.chmod(made.data_file, mode)        # atomic_write gives 0644; the author's file keeps its own mode
    try:
        after = _errors(edition)
    except BaseException:
        atomic_write(made.data_file, original)
        os.chmod(made.data_file, mode)
        raise
    new = [p for p in after if p.format() not in {b.format() for b in before}]
    if new:
        atomic_write(made.data_file, original)
        os.chmod(made.data_file, mode)
        raise ContentError(new + [Problem(Location(made.data_file), "Mit den neuen Werten ließe sich die Ausgabe nicht "
                                          "mehr bauen – die Datei ist wieder im alten Zustand, nichts wurde übernommen.",
                                          "Korrigieren Sie die Werte in der Tabelle (oder „erwartet“ in der Datei) und "
                                          "importieren Sie erneut.")])


def _errors(edition: Path) -> list[Problem]:
    from ..edition.load import load_edition

    try:
        load_edition(edition)
    except ContentError as exc:
        return [p for p in exc.problems if p.level == "fehler"]
    return []


def run(edition: Path, table: str, source: Path, blatt: str | None, yes: bool, interactive: bool,
        echo: Callable[[str], None], confirm: Callable[[str], bool],
        warn: Callable[[str], None] | None = None) -> Outcome:
    """Show the changes, ask (or not), write. `echo` for the table, `warn` (default: echo) for warnings."""
    made = prepare(edition, table, source, blatt)
    for warning in made.problems.warnings:
        (warn or echo)(warning.format())
    if not made.changes:
        echo(f"Keine Änderungen: alle {made.unchanged} Werte aus „{made.grid.name}“ stehen schon so in "
             f"{made.data_file.name}." if made.unchanged else
             f"Keine Änderungen: „{made.grid.name}“ enthält keinen Wert, den amip übernehmen kann (siehe Warnungen).")
        return Outcome(made, False, "keine Änderungen")
    echo(f"Änderungen in {Location(made.data_file)} aus „{made.grid.name}“:")
    for line in table_lines(made):
        echo("  " + line)
    echo(f"{_count(len(made.changes), 'Wert wird', 'Werte werden')} geändert, {made.unchanged} unverändert.")
    if not yes:
        if not interactive:
            echo("Nur angezeigt, nichts geändert: ohne Terminal fragt amip nicht nach. Übernehmen Sie die Werte "
                 "mit „--ja“.")
            return Outcome(made, False, "ohne Bestätigung")
        if not confirm("Werte übernehmen?"):
            echo("Abgebrochen – nichts geändert.")
            return Outcome(made, False, "abgelehnt")
    write(made, edition)
    echo(f"{_count(len(made.changes), 'Wert', 'Werte')} in {Location(made.data_file)} übernommen.")
    return Outcome(made, True)


def _count(n: int, one: str, many: str) -> str:
    return f"1 {one}" if n == 1 else f"{n} {many}"

