"""Turn an edition folder into a checked Edition.

`load_edition` reads like the table of contents of a build: organisation, edition, data, chapters,
references, abbreviations. Every stage reports into one Collector, and the build stops once, with
all problems, before anything is written.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import compute, glyphs, hyphenation, lint, platzhalter
from . import structure
from ..cycle import final as final_check, status
from ..errors import Collector, ContentError, Location
from ..findings import review
from ..load import Document, confined, load_markdown, load_yaml
from ..markdown import Chapter, Heading, parse_chapter
from ..model import Ausgabe, Kapitelkopf, Traeger, validate, validate_data
from ..projekt import project_root
from ..terminal.progress import silent
from ..theme.folder import ThemeSetup, default_setup, load_theme


@dataclass
class Edition:
    """A validated edition with every figure computed; immutable by convention after loading."""

    folder: Path
    root: Path
    organisation_slug: str
    ausgabe: Ausgabe
    traeger: Traeger
    chapters: list[Chapter]
    headings: dict[str, Heading]
    figures: dict[str, Any]
    abbreviations: list[tuple[str, str]]
    abbreviations_heading: Heading | None
    values: dict = field(default_factory=dict)       # [[wert: …]] path → (text, number)
    abbreviation_locations: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)   # unreviewed only (findings.review)
    reviewed: list = field(default_factory=list)   # findings.review.Reviewed: marked as checked, with the reason
    broken_data: frozenset = frozenset()           # data files that could not be loaded: references to them stay quiet
    theme: ThemeSetup = field(default_factory=default_setup)  # template search path, font, design
    change_marks: tuple | None = None   # (year compared with, {"kapitel/<file>:<line>"}): amip build --aenderungen

    @property
    def margin_column(self) -> bool:
        """randspalte: the edition's setting, else the organisation's (default: with margin notes)."""
        own = self.ausgabe.randspalte
        return self.traeger.randspalte if own is None else own

    @property
    def edition_number(self) -> int:
        return self.ausgabe.jahr - self.traeger.erstes_programm + 1


def load_edition(folder: Path, progress=silent, problems: Collector | None = None,
                 final: bool = False) -> Edition | None:
    """Load, validate and compute an edition; raise ContentError with every problem found.

    `progress(stage, done, total)` hears of every chapter read (terminal.progress). With `problems`
    (amip check) the caller collects: errors go there, the edition is returned as far as it could be
    loaded (None when ausgabe.yaml or traeger.yaml are unusable), and the caller raises once.
    `final` (amip check --final): every open item and every unreviewed warning is an error (amip.cycle.final)."""
    keep_going = problems is not None
    problems = problems if keep_going else Collector()
    folder = Path(folder)
    ausgabe_path = folder / "ausgabe.yaml"
    if not ausgabe_path.is_file():
        raise ContentError([_missing_edition(folder)])
    if folder.resolve().parent.parent.name != "content":
        from ..errors import Problem

        raise ContentError([Problem(Location(folder), "Die Ausgabe liegt nicht in content/<träger>/<jahr>/.",
                                    "amip findet Träger-Angaben, Vorlagen und build/ über diese Ordnerstruktur; "
                                    "legen Sie die Ausgabe z. B. nach content/duesseldorf/2027/.")])
    traeger_doc = load_yaml(folder.parent / "traeger.yaml", problems,
                            missing_hint="Jeder Träger-Ordner (content/<träger>/) braucht eine traeger.yaml mit Name "
                                         "und Anschrift – kopieren Sie die eines anderen Trägers als Vorlage.")
    traeger = validate(Traeger, traeger_doc, problems) if traeger_doc else None
    ausgabe_doc = load_yaml(ausgabe_path, problems)
    ausgabe = validate(Ausgabe, ausgabe_doc, problems) if ausgabe_doc else None
    if ausgabe is not None and traeger is not None:
        _check_year(folder, ausgabe, ausgabe_doc, traeger, problems)
    if ausgabe is not None:
        status.check(ausgabe, ausgabe_doc, problems)
    figures, docs = _load_data(folder / "daten", problems)
    compute.cross_check([f for f in figures.values() if isinstance(f, compute.KennzahlenFigures)],
                        [(f, docs[n]) for n, f in figures.items() if isinstance(f, compute.PortfolioFigures)],
                        problems)
    if ausgabe is None or traeger is None:
        if keep_going:
            return None
        problems.raise_if_errors()
    theme = load_theme(folder.resolve().parent, folder.resolve(), traeger, traeger_doc, ausgabe, ausgabe_doc, problems)
    cmap = glyphs.house_cmap(glyphs.font_files(theme))  # the characters the edition's font can print
    for doc in (traeger_doc, ausgabe_doc, *docs.values()):
        glyphs.check_document(doc, problems, cmap)
    chapters = _load_chapters(folder, ausgabe, ausgabe_doc, problems, traeger.ueberschriften.nummeriert_bis, cmap,
                              progress)
    register, register_doc = _load_register(folder, ausgabe, ausgabe_doc, problems)
    hyphenation.exceptions(folder.parent, problems)  # a bad line in silbentrennung.txt is a located error
    glyphs.check_document(register_doc, problems, cmap)
    abbr_heading = None
    if register is not None:
        numbered = ausgabe.abkuerzungsverzeichnis.nummeriert
        number = str(len(ausgabe.kapitel) + 1) if numbered else ""
        abbr_heading = Heading("abkuerzungen", 1, number, ausgabe.abkuerzungsverzeichnis.titel, True,
                               Location(ausgabe_path), kind="kapitel" if numbered else "verzeichnis",
                               label=number + ("." if number and ausgabe.nummern_mit_punkt else ""))
    headings = _collect_headings(chapters, abbr_heading, problems)
    # no stop here: prose checks run on what loaded, references into broken data files stay quiet
    edition = Edition(folder=folder, root=project_root(folder), organisation_slug=folder.resolve().parent.name,
                      ausgabe=ausgabe, traeger=traeger, chapters=chapters, headings=headings, figures=figures,
                      abbreviations=register or [], abbreviations_heading=abbr_heading, theme=theme,
                      abbreviation_locations={short: register_doc.where((short,), key=True) for short, _ in register or []})
    edition.broken_data = frozenset(p.stem for p in (folder / "daten").glob("*.yaml")) - set(figures)
    edition.values = compute.prose_values(figures, edition.edition_number, ausgabe.jahr)
    lint.check_prose(edition, problems)
    structure.check_heading_levels(chapters, problems)
    structure.check_links(chapters, problems)
    problems.problems[:], edition.reviewed = review.settle(problems.problems)
    final_check.apply(edition, problems, final)   # after the review (D5): open items, --final: warnings too
    if not keep_going:
        problems.raise_if_errors()
    edition.warnings = problems.warnings
    return edition


def _check_year(folder: Path, ausgabe: Ausgabe, doc: Document, traeger: Traeger, problems: Collector) -> None:
    """The year is named twice (folder, jahr:) and counts the programmes since erstes_programm."""
    if str(ausgabe.jahr) != folder.resolve().name:
        problems.error(doc.where(("jahr",)), f"jahr: {ausgabe.jahr} passt nicht zum Ordner „{folder.resolve().name}“.",
                       "Der Ordner einer Ausgabe heißt wie ihr Jahr – korrigieren Sie das Jahr oder benennen Sie den "
                       "Ordner um.")
    elif ausgabe.jahr < traeger.erstes_programm:
        problems.error(doc.where(("jahr",)), f"jahr: {ausgabe.jahr} liegt vor dem ersten Programm des Trägers "
                       f"({traeger.erstes_programm}, traeger.yaml).", "Prüfen Sie beide Jahreszahlen.")


def _missing_edition(folder: Path):
    from ..errors import Problem

    return Problem(Location(folder), "Hier liegt keine Ausgabe (ausgabe.yaml fehlt).",
                   "Geben Sie den Ordner einer Ausgabe an, z. B. content/duesseldorf/2026.")


def _load_data(folder: Path, problems: Collector, only: str | None = None) -> tuple[dict[str, Any], dict[str, Document]]:
    """Every daten/*.yaml, computed after the files it takes values from (`=datei.zeile.spalte`);
    with `only`, just that file and the files it takes values from (another edition's basis, amip.series)."""
    from ..tables import references

    docs: dict[str, Document] = {}
    if not folder.is_dir():
        return {}, docs
    makers = {"kennzahlen": compute.kennzahlen, "portfolio": compute.portfolio, "tabelle": compute.table,
              "matrix": compute.matrix, "reihe": compute.series, "bild": compute.image,
              "platzhalter": platzhalter.figures}

    def compute_one(name: str, doc: Document):
        data = validate_data(doc, problems)
        if data is None:
            return None
        docs[name] = doc
        return makers[data.art](name, data, doc, problems)

    def values_of(name: str, figures) -> dict:
        return {path: value for path, value in compute.prose_values({name: figures}, 0, 0).items()
                if path.startswith(name + ".")}

    loaded: dict[str, Document | None] = {}
    wanted = [folder / f"{only}.yaml"] if only is not None else sorted(folder.glob("*.yaml"))
    while wanted:
        path = wanted.pop(0)
        if path.stem in loaded or not path.is_file():
            continue
        if confined(path, folder.resolve().parents[1], Location(path), problems, "Datendatei") is not None:
            loaded[path.stem] = load_yaml(path, problems)
            if only is not None and loaded[path.stem] is not None:
                wanted += [folder / f"{ref.file}.yaml" for ref in references.find(loaded[path.stem], Collector())]
    figures = references.in_order(loaded, compute_one, values_of, problems)
    return figures, dict(sorted(docs.items()))


def _load_chapters(folder: Path, ausgabe: Ausgabe, doc: Document, problems: Collector,
                   depth: int = 3, cmap: frozenset[int] | None = None, progress=silent) -> list[Chapter]:
    chapters: list[Chapter] = []
    cmap = cmap if cmap is not None else glyphs.house_cmap(glyphs.font_files(None))
    directory = folder / "kapitel"
    existing = sorted(p.name for p in directory.glob("*.md")) if directory.is_dir() else []
    entries = [("kapitel", i, name) for i, name in enumerate(ausgabe.kapitel)]
    entries += [("anlagen", i, name) for i, name in enumerate(ausgabe.anlagen)]
    org = folder.resolve().parent
    seen: dict[Path, Location] = {}
    for done, (key, index, name) in enumerate(entries, start=1):
        progress("Kapitel", done, len(entries))
        where = doc.where((key, index))
        path = confined(directory / name, org, where, problems, "Kapiteldatei")
        if path is None:
            continue
        if path in seen:
            problems.error(where, f"Kapiteldatei „{name}“ steht zweimal in ausgabe.yaml (zuerst {seen[path]}).",
                           "Jedes Kapitel wird nur einmal aufgeführt – löschen Sie einen der beiden Einträge.")
            continue
        seen[path] = where
        source = load_markdown(path, problems) if path.is_file() else None
        if source is None:
            if not path.is_file():
                close = difflib.get_close_matches(name, existing, n=1)
                hint = f"Meinten Sie „{close[0]}“?" if close else f"Legen Sie die Datei kapitel/{name} an."
                problems.error(doc.where((key, index)), f"Kapiteldatei „kapitel/{name}“ nicht gefunden.", hint)
            continue
        glyphs.check_document(source.front, problems, cmap)
        glyphs.check_markdown(path, source.body, source.body_line, problems, cmap)
        head = validate(Kapitelkopf, source.front, problems)
        if head is None:
            continue
        if key == "kapitel":
            number = str(index + 1)
            heading = Heading(head.id or f"kapitel-{number}", 1, number, head.titel, True,
                              Location(path, 2), kind="kapitel",
                              label=number + ("." if ausgabe.nummern_mit_punkt else ""))
        else:
            number = f"Anlage {index + 1}"
            heading = Heading(head.id or f"anlage-{index + 1}", 1, number, head.titel, True,
                              Location(path, 2), kind="anlage", label=number + ":")
        chapters.append(parse_chapter(review.blank_marks(source.body), path=path, body_line=source.body_line, heading=heading,
                                      annex=key == "anlagen", trailing_dot=ausgabe.nummern_mit_punkt,
                                      problems=problems, depth=depth))
    return chapters


def _collect_headings(chapters: list[Chapter], extra: Heading | None, problems: Collector) -> dict[str, Heading]:
    headings: dict[str, Heading] = {}
    everything = [h for c in chapters for h in [c.heading, *c.headings]] + ([extra] if extra else [])
    for heading in everything:
        if heading.id in headings:
            problems.error(heading.location, f"Kennung „{heading.id}“ doppelt vergeben "
                           f"(zuerst {headings[heading.id].location}).", "Jede Kennung darf nur einmal vorkommen.")
            continue
        headings[heading.id] = heading
    return headings


def collation_key(text: str) -> tuple:
    """German dictionary order: case-insensitive, Ä = Ae, ß = ss, letters before digits."""
    folded = text.casefold().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    return tuple((0, c) if c.isspace() or not c.isalnum() else (1, c) if c.isalpha() else (2, c) for c in folded), text


def _load_register(folder: Path, ausgabe: Ausgabe, doc: Document, problems: Collector):
    """The abbreviation register in German order → (entries or None, its Document or None)."""
    setting = ausgabe.abkuerzungsverzeichnis
    path = (folder / setting.register_datei) if setting.register_datei else folder.parent / "abkuerzungen.yaml"
    path = confined(path, folder.resolve().parent, doc.where(("abkuerzungsverzeichnis", "register")), problems,
                    "Abkürzungsregister")
    if path is None:
        return None, None
    if not path.is_file():
        if setting.register_datei:
            problems.error(doc.where(("abkuerzungsverzeichnis", "register")),
                           f"Abkürzungsregister „{setting.register_datei}“ nicht gefunden.",
                           "Der Pfad gilt relativ zum Ordner der Ausgabe.")
        return None, None
    register = load_yaml(path, problems)
    if register is None:
        return None, None
    if not isinstance(register.data, dict):
        problems.error(register.where(), "Das Abkürzungsregister ist eine Liste „Abkürzung: Bedeutung“.",
                       "Schreiben Sie je Zeile z. B. „AA: Agentur für Arbeit“.")
        return None, None
    entries = []
    for short, long in register.data.items():
        if not isinstance(long, str) or not long.strip():
            problems.error(register.where((short,)), f"Abkürzung „{short}“ ohne Bedeutung.",
                           "Schreiben Sie die Bedeutung hinter den Doppelpunkt.")
            continue
        entries.append((short, long))
    return sorted(entries, key=lambda e: collation_key(e[0])), register
