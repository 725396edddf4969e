"""Turn the tables and figures placed in an edition into their numbers and the list of figures.

Tables and figures are numbered in document order, each in its own sequence ("Tabelle 2", "Abb. 3")
or, where the organisation says `tabellen: {nummerierung: wie_abbildungen}`, in one sequence that
takes the figures' word ("Abb. 1" table, "Abb. 2" chart, "Abb. 3" table).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .build import Edition


def placements(edition: Edition) -> list[tuple[str, str]]:
    """Tables and figures in document order, each once: ("tabelle", table id) or ("abbildung", "name|kind")."""
    found: dict[tuple[str, str], None] = {}
    for chapter in edition.chapters:
        for token in chapter.tokens:
            if token.type != "amip_block":
                continue
            kind, name = token.meta["kind"], token.meta["name"]
            option = (token.meta["option"] or "").strip()
            if kind == "tabelle":
                found.setdefault(("tabelle", f"tabelle-{name}" + ("-portfolio" if option == "portfolio" else "")))
            elif kind in ("diagramm", "abbildung"):
                found.setdefault(("abbildung", f"{name}|{'bild' if kind == 'abbildung' else option}"))
    return list(found)


def figure_numbers(edition: Edition) -> dict[tuple[str, str], int]:
    """The number of every placed table and figure: one sequence each, or one for both where tables
    join the figures' sequence (traeger.yaml `tabellen: {nummerierung: wie_abbildungen}`)."""
    joined = edition.traeger.tabellen.nummerierung == "wie_abbildungen"
    counters: dict[str, int] = {}
    numbers = {}
    for place in placements(edition):
        sequence = "abbildung" if joined else place[0]
        counters[sequence] = counters.get(sequence, 0) + 1
        numbers[place] = counters[sequence]
    return numbers


def table_labels(edition: Edition) -> dict[str, str]:
    """"Tabelle N" (or "Abb. N" in the joined sequence) for every placed table, where tables are numbered."""
    style = edition.traeger.tabellen
    word, numbered = style.bezeichnung, style.nummeriert
    if style.nummerierung == "wie_abbildungen":
        word, numbered = edition.traeger.abbildungen.bezeichnung, edition.traeger.abbildungen.nummeriert
    if not numbered:
        return {}
    return {table_id: f"{word} {number}" for (kind, table_id), number in figure_numbers(edition).items()
            if kind == "tabelle"}


def figure_list(edition: Edition, charts: dict, labels: dict[str, str]) -> tuple[tuple[str, str, str], ...]:
    """(id, label, title) of every entry of the list of figures, in document order; tables are
    listed too where they join the figures' sequence."""
    joined = edition.traeger.tabellen.nummerierung == "wie_abbildungen"
    entries = []
    for kind, key in placements(edition):
        if kind == "abbildung":
            name, _, option = key.partition("|")
            ref = charts.get((name, option))
            if ref is not None:
                entries.append((ref.id, ref.label, ref.title))
        elif joined:
            figures = edition.figures.get(key.removeprefix("tabelle-"))  # a Portfolio overview: no title
            title = getattr(figures, "title", None) or getattr(getattr(figures, "data", None), "titel", None) or ""
            entries.append((key, labels.get(key, ""), title))
    return tuple(entries)
