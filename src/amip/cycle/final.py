"""Turn an edition into its list of open items: what must be settled before the board decides.

Open items are plan values still `offen`, chapters whose front matter says `status: zu überarbeiten`
and placeholder figures (`art: platzhalter`). Placeholders in prose ("um X %", "TODO", "[…]") are
errors of every build already (amip.lint). `amip check --final` adds every remaining warning
(stale years, numbers typed instead of quoted, abbreviations …) to the list, each with file:line.
A decided edition (status: beschlossen) does not build while an open item is left; a draft builds
and lists its open values as warnings.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import Collector, Location, Problem
from ..load import load_markdown, load_yaml
from . import status

OPEN = "offen"
REVISE = "zu überarbeiten"
_TABLE_ARTS = ("kennzahlen", "portfolio", "tabelle")


def apply(edition, problems: Collector, final: bool = False) -> None:
    """During loading: with `final` (amip check --final) every open item and every warning is an error;
    in a decided edition the open items are; in a draft the open values are warnings."""
    if final:
        problems.problems[:] = [_as_error(p) for p in problems.problems]
        problems.problems += open_items(edition)
    elif status.is_decided(edition.ausgabe):
        for item in open_items(edition):
            problems.problems.append(_with_status_hint(item))
    else:
        for where, label in open_values(edition.folder):
            problems.warn(where, f"Wert „{OPEN}“ ({label}) – noch nicht festgelegt.",
                          "Im Entwurf erlaubt; vor dem Beschluss tragen Sie die Zahl ein (amip check --final listet "
                          "alles Offene).")


def _as_error(problem: Problem) -> Problem:
    return problem if problem.level == "fehler" else Problem(problem.location, problem.message, problem.hint)


def final_problems(warnings: list[Problem]) -> list[Problem]:
    """`amip check --final` after rendering: the warnings found there (abbreviations) are errors too."""
    return [_as_error(w) for w in warnings]


def open_items(edition) -> list[Problem]:
    items = [Problem(where, f"Wert „{OPEN}“ ({label}) ist noch nicht festgelegt.",
                     "Tragen Sie die beschlossene Zahl ein.") for where, label in open_values(edition.folder)]
    for chapter in edition.chapters:
        where = chapter_to_revise(Path(chapter.source_path))
        if where is not None:
            items.append(Problem(where, f"Kapitel „{chapter.heading.title}“ ist noch als „{REVISE}“ markiert.",
                                 "Überarbeiten Sie das Kapitel und löschen Sie dann die Zeile "
                                 f"„status: {REVISE}“ im Kopfbereich (oder schreiben Sie „status: fertig“)."))
    from ..platzhalter import PlaceholderFigures

    for name, figs in sorted(edition.figures.items()):
        if isinstance(figs, PlaceholderFigures):
            items.append(Problem(figs.location, f"Abbildung „{figs.data.titel}“ ist noch ein Platzhalter "
                                                f"(art: platzhalter, daten/{name}.yaml).",
                                 "Ersetzen Sie den Platzhalter durch die Grafik: art: bild mit datei: und alt:."))
    return items


def open_values(folder: Path) -> list[tuple[Location, str]]:
    """(location, what) of every cell written as the bare word `offen` in the edition's data files."""
    found: list[tuple[Location, str]] = []
    directory = Path(folder) / "daten"
    for path in sorted(directory.glob("*.yaml")) if directory.is_dir() else ():
        doc = load_yaml(path, Collector())
        if doc is None or not isinstance(doc.data, dict) or doc.data.get("art") not in _TABLE_ARTS:
            continue
        for loc, parent in _open_cells(doc.data, ()):
            found.append((doc.where(loc), f"daten/{path.name}, {_label(parent, loc)}"))
    return found


def _open_cells(value, loc: tuple):
    if isinstance(value, dict):
        for key, item in value.items():
            if item == OPEN and key != "text":
                yield loc + (key,), value
            else:
                yield from _open_cells(item, loc + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if item == OPEN:
                yield loc + (i,), value
            else:
                yield from _open_cells(item, loc + (i,))


def _label(parent, loc: tuple) -> str:
    """"Zeile „Einstiegsgeld“, plan" – what an author recognises in the file."""
    if isinstance(parent, dict):
        from ..model import ZWECKE

        zweck = parent.get("zweck")
        name = parent.get("bezeichnung") or parent.get("instrument") or ZWECKE.get(zweck, zweck)
        return f"„{name}“, {loc[-1]}" if isinstance(name, str) else str(loc[-1])
    if isinstance(parent, list) and parent and isinstance(parent[0], str):
        return f"Zeile „{parent[0]}“, Spalte {loc[-1] + 1}"
    return "Zelle"


def chapter_to_revise(path: Path) -> Location | None:
    """The front matter line `status: zu überarbeiten` of a chapter file, or None."""
    source = load_markdown(path, Collector())
    if source is None or not isinstance(source.front.data, dict) or source.front.data.get("status") != REVISE:
        return None
    return source.front.where(("status",))


def _with_status_hint(problem: Problem) -> Problem:
    hint = problem.hint + " Die Ausgabe ist „beschlossen“; solange etwas offen ist, setzen Sie „status: entwurf“."
    return Problem(problem.location, problem.message, hint, problem.level)
