"""Turn an edition folder into a checked Edition, and an Edition into the PDF and the web edition.

`load_edition` reads like the table of contents of a build: organisation, edition, data, chapters,
references, abbreviations. Every stage reports into one Collector, and the build stops once, with
all problems, before anything is written.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from . import compute, formatting as fmt, glyphs, hyphenation, images, lint, output, platzhalter, sourcecheck
from .errors import BuildError, Collector, ContentError, Location
from .load import Document, confined, load_markdown, load_yaml
from .marginnotes import NoteSpace
from .markdown import Chapter, Heading, parse_chapter
from .model import Ausgabe, Kapitelkopf, Traeger, validate, validate_data
from .output import atomic_write  # noqa: F401 – used here and by callers of build
from .toc import fonts as toc_fonts, layout as toc_layout
from .projekt import project_root
from .theme.folder import ThemeSetup, default_setup, load_theme
from .numbering import figure_list, figure_numbers, table_labels


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
    warnings: list = field(default_factory=list)
    theme: ThemeSetup = field(default_factory=default_setup)  # template search path, font, design

    @property
    def margin_column(self) -> bool:
        """randspalte: the edition's setting, else the organisation's (default: with margin notes)."""
        own = self.ausgabe.randspalte
        return self.traeger.randspalte if own is None else own

    @property
    def edition_number(self) -> int:
        return self.ausgabe.jahr - self.traeger.erstes_programm + 1


def load_edition(folder: Path) -> Edition:
    """Load, validate and compute an edition; raise ContentError with every problem found."""
    problems = Collector()
    folder = Path(folder)
    ausgabe_path = folder / "ausgabe.yaml"
    if not ausgabe_path.is_file():
        raise ContentError([_missing_edition(folder)])
    if folder.resolve().parent.parent.name != "content":
        from .errors import Problem

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
    figures, docs = _load_data(folder / "daten", problems)
    compute.cross_check([f for f in figures.values() if isinstance(f, compute.KennzahlenFigures)],
                        [(f, docs[n]) for n, f in figures.items() if isinstance(f, compute.PortfolioFigures)],
                        problems)
    if ausgabe is None or traeger is None:
        problems.raise_if_errors()
    theme = load_theme(folder.resolve().parent, folder.resolve(), traeger, traeger_doc, ausgabe, ausgabe_doc, problems)
    cmap = glyphs.house_cmap(glyphs.font_files(theme))  # the characters the edition's font can print
    for doc in (traeger_doc, ausgabe_doc, *docs.values()):
        glyphs.check_document(doc, problems, cmap)
    chapters = _load_chapters(folder, ausgabe, ausgabe_doc, problems, traeger.ueberschriften.nummeriert_bis, cmap)
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
    problems.raise_if_errors()
    edition = Edition(folder=folder, root=project_root(folder), organisation_slug=folder.resolve().parent.name,
                      ausgabe=ausgabe, traeger=traeger, chapters=chapters, headings=headings, figures=figures,
                      abbreviations=register or [], abbreviations_heading=abbr_heading, theme=theme,
                      abbreviation_locations={short: register_doc.where((short,), key=True) for short, _ in register or []})
    edition.values = compute.prose_values(figures, edition.edition_number, ausgabe.jahr)
    lint.check_prose(edition, problems)
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
    from .errors import Problem

    return Problem(Location(folder), "Hier liegt keine Ausgabe (ausgabe.yaml fehlt).",
                   "Geben Sie den Ordner einer Ausgabe an, z. B. content/duesseldorf/2026.")


def _load_data(folder: Path, problems: Collector) -> tuple[dict[str, Any], dict[str, Document]]:
    """Every daten/*.yaml, computed after the files it takes values from (`=datei.zeile.spalte`)."""
    from .tables import references

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
    for path in sorted(folder.glob("*.yaml")):
        if confined(path, folder.resolve().parents[1], Location(path), problems, "Datendatei") is not None:
            loaded[path.stem] = load_yaml(path, problems)
    figures = references.in_order(loaded, compute_one, values_of, problems)
    return figures, dict(sorted(docs.items()))


def _load_chapters(folder: Path, ausgabe: Ausgabe, doc: Document, problems: Collector,
                   depth: int = 3, cmap: frozenset[int] | None = None) -> list[Chapter]:
    chapters: list[Chapter] = []
    cmap = cmap if cmap is not None else glyphs.house_cmap(glyphs.font_files(None))
    directory = folder / "kapitel"
    existing = sorted(p.name for p in directory.glob("*.md")) if directory.is_dir() else []
    entries = [("kapitel", i, name) for i, name in enumerate(ausgabe.kapitel)]
    entries += [("anlagen", i, name) for i, name in enumerate(ausgabe.anlagen)]
    org = folder.resolve().parent
    seen: dict[Path, Location] = {}
    for key, index, name in entries:
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
        chapters.append(parse_chapter(source.body, path=path, body_line=source.body_line, heading=heading,
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


# ---------------------------------------------------------------- charts


def chart_declarations(edition: Edition, problems: Collector) -> list[tuple[str, str, Any]]:
    """Every `[[diagramm: name | art]]` in document order, with its ChartSpec; errors are located."""

    found = []
    seen = set()
    for chapter in edition.chapters:
        for token in chapter.tokens:
            if token.type != "amip_block" or token.meta["kind"] not in ("diagramm", "abbildung"):
                continue
            where = Location(chapter.source_path, chapter.body_line + (token.map[0] if token.map else 0))
            name = token.meta["name"]
            kind = "bild" if token.meta["kind"] == "abbildung" else (token.meta["option"] or "").strip()
            if (name, kind) in seen:
                continue
            seen.add((name, kind))
            spec = _image(edition, name, where, problems) if kind == "bild" else \
                _chart_spec(edition, name, kind, where, problems)
            if spec is not None:
                found.append((name, kind, spec))
    return found


def _image(edition: Edition, name: str, where: Location, problems: Collector):
    figures = edition.figures.get(name)
    if not isinstance(figures, (compute.ImageFigures, platzhalter.PlaceholderFigures)):
        problems.error(where, f"Bild „{name}“ gibt es nicht.",
                       "Ein Bild wird in daten/<name>.yaml mit art: bild, datei, titel und alt beschrieben "
                       "(eine noch fehlende Grafik mit art: platzhalter, titel und alt).")
        return None
    return figures


def _chart_spec(edition: Edition, name: str, kind: str, where: Location, problems: Collector):
    from .charts import HOUSE, KINDS, ChartSpec as Spec

    theme = edition.traeger.theme
    style = {**HOUSE, "farben": [theme.farbe, *HOUSE["farben"][1:]], "ziel": theme.akzent}
    if theme.farbe.lower() != HOUSE["farben"][0]:  # the second series: a tint of the house colour, as the default's
        from .theme.view import tint

        style["farben"][1] = tint(theme.farbe, 0.45)
    if edition.theme.font is not None:  # charts speak the theme's font; its bytes are part of the chart key
        font = edition.theme.font
        style |= {"schrift": font.name, "schrift_dateien": tuple(str(p) for _, _, p in font.faces),
                  "schrift_hash": hashlib.sha256(b"".join(p.read_bytes() for _, _, p in font.faces)).hexdigest()[:16]}

    def ChartSpec(*args, **kwargs):  # noqa: N802 – every chart of this edition in its house style
        return Spec(*args, style=style, **kwargs)

    if kind not in KINDS and kind != "portfolio":
        problems.error(where, f"Diagrammart „{kind}“ gibt es nicht." if kind else "Diagrammart fehlt.",
                       "Schreiben Sie [[diagramm: name | art]] mit art = " + ", ".join(KINDS) + ".")
        return None
    figures = edition.figures.get(name)
    if figures is None:
        problems.error(where, f"Daten „{name}“ für das Diagramm gibt es nicht.",
                       "Bekannte Daten (Dateien in daten/): " + ", ".join(sorted(edition.figures)) + ".")
        return None
    if isinstance(figures, compute.KennzahlenFigures):
        plan = figures.value_columns[0][1]
        if kind == "portfolio":
            overview = compute.portfolio_overview(figures)
            return ChartSpec("balken", f"Geplante {plan} je Instrument",
                             tuple(row.cells[1].text for row in overview.rows),
                             ((plan, tuple(row.cells[2].text.replace(".", "") for row in overview.rows)),))
        if kind not in ("balken", "gruppiert"):
            problems.error(where, f"Kennzahlen lassen sich als balken, gruppiert oder portfolio zeigen, nicht als {kind}.", "")
            return None
        groups = [r for r in figures.rows if r.kind == "gruppe"]
        shown = figures.value_columns[:2]       # plan (and basis): the columns a Vergleich compares
        title = f"{plan} je Zweckbestimmung" + (f" im Vergleich zu {shown[1][1]}" if len(shown) > 1 else "")
        return ChartSpec(kind, figures.title or title, tuple(r.label for r in groups),
                         tuple((header, tuple(str(r.numbers.get(key, 0)) for r in groups)) for key, header in shown))
    if isinstance(figures, compute.SeriesFigures):
        data = figures.data
        if kind in ("torte", "wasserfall") and len(data.reihen) != 1:
            problems.error(where, f"Ein {KINDS[kind]} zeigt genau eine Reihe; „{name}“ hat {len(data.reihen)}.",
                           "Nehmen Sie „gruppiert“ oder „linie“ für mehrere Reihen.")
            return None
        if kind == "torte" and any(v < 0 for values in data.reihen.values() for v in values):
            problems.error(where, "Ein Kreisdiagramm kann keine negativen Werte zeigen.", "")
            return None
        if kind == "torte" and not any(v > 0 for values in data.reihen.values() for v in values):
            problems.error(figures.doc.where(("reihen",)), f"Das Kreisdiagramm „{name}“ hat nur Nullwerte.",
                           "Tragen Sie die Werte ein oder lassen Sie das Diagramm weg.")
            return None
        if kind == "linie" and len(data.kategorien) < 2:
            problems.error(figures.doc.where(("kategorien",)),
                           f"Ein Liniendiagramm braucht mindestens zwei Punkte je Reihe; „{name}“ hat nur einen "
                           f"(Kategorie „{data.kategorien[0]}“).",
                           "Ergänzen Sie weitere Kategorien (z. B. Jahre) oder zeigen Sie die Werte als „balken“ "
                           "oder „gruppiert“.")
            return None
        if data.zwischensummen and kind != "wasserfall":
            problems.error(where, f"„{name}“ hat Zwischensummen; sie lassen sich nur im Wasserfalldiagramm zeigen.",
                           "Schreiben Sie [[diagramm: " + name + " | wasserfall]] oder zeigen Sie die Daten als Tabelle.")
            return None
        return ChartSpec(kind, data.titel, tuple(data.kategorien),
                         tuple((n, tuple(str(v) for v in values)) for n, values in data.reihen.items()),
                         unit=data.einheit, highlight=data.hervorheben, subtotals=tuple(data.zwischensummen))
    problems.error(where, f"„{name}“ ist eine Tabelle ohne Zahlenreihen und lässt sich nicht zeichnen.",
                   "Diagramme zeichnen Kennzahlen oder Daten der Art „reihe“.")
    return None


def chart_refs(edition: Edition, problems: Collector, cache: Path | None) -> tuple[dict, int]:
    """ChartRefs for rendering; with a cache folder the SVGs are drawn (only stale ones). → (refs, drawn)"""
    from . import charts
    from .render import ChartRef

    declared = chart_declarations(edition, problems)
    specs = [spec for _, kind, spec in declared if kind != "bild"]
    specs += [dataclasses.replace(spec, medium="web") for spec in specs]   # web: phone-sized, Open Sans as paths
    paths, findings = charts.ensure(specs, cache) if cache is not None and specs else ({}, {})
    _report_chart_findings(edition, declared, findings, problems)
    style = edition.traeger.abbildungen
    numbers = figure_numbers(edition)
    refs = {}
    for number, (name, kind, spec) in enumerate(declared, start=1):
        figures = edition.figures[name]
        data = getattr(figures, "data", None)
        label = f"{style.bezeichnung} {numbers.get(('abbildung', f'{name}|{kind}'), number)}" if style.nummeriert else ""
        figure_id = f"abb-{name}" if not any(n == name for n, k, _ in declared[: number - 1]) else f"abb-{name}-{kind}"
        if isinstance(figures, platzhalter.PlaceholderFigures):
            refs[(name, kind)] = platzhalter.figure_ref(figures, figure_id, label, _source_line(data),
                                                        edition.traeger.theme.farbe, cache)
            continue
        if kind == "bild":
            digest = hashlib.sha256(figures.path.read_bytes()).hexdigest()[:20]
            relative = figures.path.relative_to(edition.folder.resolve().parent).as_posix()
            refs[(name, kind)] = ChartRef(figure_id, label, data.titel, data.alt, _source_line(data),
                                          data.fussnote or "", digest + figures.path.suffix.lower(),
                                          figures.path, (), (), url="amip://inhalt/" + quote(relative))
            continue
        alt = (getattr(data, "alt", None) or charts.alt_text(spec))
        header, rows = charts.data_rows(spec)
        web = dataclasses.replace(spec, medium="web").key()
        refs[(name, kind)] = ChartRef(figure_id, label, spec.title, alt, _source_line(data),
                                      getattr(data, "fussnote", None) or "", spec.key() + ".svg",
                                      paths.get(spec.key(), (None,))[0], header, tuple(rows),
                                      web + ".svg", paths.get(web, (None,))[0], url=f"amip://diagramme/{spec.key()}.svg")
    drawn = sum(1 for _, kind, spec in declared if kind != "bild" and any(
        paths[key][1] for key in (spec.key(), dataclasses.replace(spec, medium="web").key()) if key in paths))
    return refs, drawn


def _report_chart_findings(edition: Edition, declared, findings: dict, problems: Collector) -> None:
    """Overlapping or clipped chart labels stop the build, located at the chart's data file."""
    for name, kind, spec in declared:
        for medium, label in (("druck", "im PDF"), ("web", "in der Web-Ausgabe")):
            found = findings.get(dataclasses.replace(spec, medium=medium).key(), []) if kind != "bild" else []
            if len(found) > 3:
                found = [*found[:3], f"… und {len(found) - 3} weitere Überschneidungen."]
            for finding in found:
                doc = getattr(edition.figures[name], "doc", None)
                where = (doc.where(("kategorien",)) if doc is not None
                         else Location(edition.folder / "daten" / f"{name}.yaml", 1))
                problems.error(where, f"Diagramm „{name}“ ({kind}) {label}: {finding}",
                               "Kürzen Sie lange Kategorienamen, fassen Sie kleine Werte zusammen oder wählen Sie "
                               "eine andere Diagrammart.")


def _source_line(data) -> str:
    if data is None or not (getattr(data, "quelle", None) or getattr(data, "stand", None)):
        return ""
    return ", ".join(p for p in (f"Quelle: {data.quelle}" if data.quelle else "",
                                 f"Stand: {data.stand}" if data.stand else "") if p)


# ---------------------------------------------------------------- output


@dataclass(frozen=True)
class BuildResult:
    pdf: Path
    web: Path
    pages: int
    layout_passes: int
    charts_drawn: int
    warnings: int = 0
    layout_findings: tuple = ()   # Problems of the layout check (warnings), already in page order


def output_dir(edition: Edition) -> Path:
    return edition.root / "build" / edition.organisation_slug / str(edition.ausgabe.jahr)


def pdf_name(edition: Edition) -> str:
    return f"amip-{edition.organisation_slug}-{edition.ausgabe.jahr}.pdf"


def build(folder: Path, out: Path | None = None, strict: bool = False) -> BuildResult:
    """Build the PDF and the web edition of the edition in `folder`; previous outputs stay intact on failure.

    With `strict` (amip build --streng) a layout finding stops the build before anything is written.
    """
    from . import pdf

    edition = load_edition(folder)
    out = out or output_dir(edition)
    with output.locked(out):
        problems = Collector()
        charts, drawn = chart_refs(edition, problems, edition.root / "build" / ".cache" / "diagramme")
        problems.raise_if_errors()
        base = render_html(edition, "print", charts)
        patterns = hyphenation_patterns(edition, base)
        # the hyphenation list changes the layout without changing the HTML: it is part of the key
        # … and so do the theme's CSS, fonts and logo
        key = hashlib.sha256((base + edition.theme.fingerprint).encode() + patterns.name.encode()).hexdigest()
        lay, html, findings, space, passes = set_pages(edition, charts, _cached_space(out, key),
                                                       hyphenation.drop_soft_hyphens(base), patterns)
        _check_tables(edition, lay)
        if lay.page_of("inhalt") not in (None, 1):
            raise BuildError("Die Titelseite ist zu voll und läuft auf eine weitere Seite über. Kürzen Sie Slogan oder "
                             "Untertitel, oder lassen Sie Titelbild, Anschrift oder Kurztitel auf der Titelseite weg "
                             "(gestaltung: titelseite: in traeger.yaml / ausgabe.yaml).")
        if strict and findings:
            from .errors import Problem

            raise ContentError([Problem(p.location, p.message, p.hint) for p in findings])
        data = pdf.write(lay, _document_title(edition), edition.theme.font)
        web_html = render_html(edition, "web", charts)
        with output.staged(out) as stage:  # PDF and web edition are switched in together
            atomic_write(stage / _ROOM_CACHE, json.dumps({"key": key, "platz": space.room,
                                                          "umbruch": sorted(space.breaks)}, sort_keys=True).encode())
            atomic_write(stage / pdf_name(edition), data)
            atomic_write(stage / "druck.html", html.encode("utf-8"))  # the exact HTML the PDF was set from
            _write_web(stage / "web", web_html, charts, edition.theme)
    return BuildResult(out / pdf_name(edition), out / "web" / "index.html", len(lay.document.pages), passes, drawn,
                       len(edition.warnings), tuple(findings))


_ROOM_CACHE = ".amip-randnotizen.json"


def _check_tables(edition: Edition, lay) -> None:
    """A data table that leaves the type area stops the build before anything is written."""
    from . import tablecheck

    overflows = tablecheck.overflowing_tables(lay.document)
    if overflows:
        raise ContentError(tablecheck.problems(overflows, edition.folder / "daten"))


def hyphenation_patterns(edition: Edition, html: str) -> Path:
    """The hyphenation patterns for this edition: soft hyphens typed by authors, the project's and the organisation's lists."""
    words = {**hyphenation.from_text(html),
             **hyphenation.exceptions(edition.folder.parent, project=edition.theme.find(hyphenation.FILE_NAME))}
    return hyphenation.dictionary(words, edition.root / "build" / ".cache" / "silbentrennung")


def set_pages(edition: Edition, charts: dict, space: NoteSpace | None = None, html: str | None = None,
              patterns: Path | None = None):
    """Lay the print HTML out, place the margin notes, check the pages (see pagelayout.set_pages).

    → (layout, its HTML, layout findings as warnings with file:line, NoteSpace, layout passes).
    `html` is the HTML without any room for notes (soft hyphens dropped), if the caller rendered it
    already; `patterns` the edition's hyphenation patterns, if the caller made them already.
    """
    from . import pagelayout, pdf

    if patterns is None:
        html = html or render_html(edition, "print", charts)
        patterns = hyphenation_patterns(edition, html)
        html = hyphenation.drop_soft_hyphens(html)
    return pagelayout.set_pages(
        lambda room: hyphenation.drop_soft_hyphens(render_html(edition, "print", charts, room)),
        lambda text: pdf.layout(text, edition.theme.defaults.as_uri() + "/", _fetch_roots(edition), _epoch(edition),
                                patterns, named=fetch_names(edition),
                                overlay=(edition.theme.folder, edition.theme.defaults) if edition.theme.folder else None),
        lambda src, section: locate_source(edition, src, section), space or NoteSpace(), html)


def _cached_space(out: Path, key: str) -> NoteSpace:
    """Room found by an earlier build of the very same sources; a stale cache costs a pass, never a misplaced note."""
    try:
        cached = json.loads((out / _ROOM_CACHE).read_text(encoding="utf-8"))
        if cached.get("key") == key:
            return NoteSpace({str(k): float(v) for k, v in cached["platz"].items()},
                             frozenset(str(b) for b in cached["umbruch"]))
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        pass
    return NoteSpace()


def locate_source(edition: Edition, src: str, section: str) -> Location:
    """data-src "kapitel/<file>:<line>" (or a chapter id) → the author's file and line."""
    if src:
        name, _, line = src.rpartition(":")
        return Location(edition.folder / name, int(line) if line.isdigit() else None)
    heading = edition.headings.get(section)
    return heading.location if heading is not None else Location(edition.folder / "ausgabe.yaml")


def _document_title(edition: Edition) -> str:
    return f"{edition.ausgabe.titel} {edition.ausgabe.jahr} – {edition.traeger.name}"


def _epoch(edition: Edition) -> int:
    import calendar
    import time

    return calendar.timegm(time.strptime(edition.ausgabe.stand, "%Y-%m-%d"))


def _fetch_roots(edition: Edition) -> list[Path]:
    # default theme, the organisation's folder (its theme/ and images), the chart cache
    return [*edition.theme.roots(), edition.folder.resolve().parent, edition.root / "build" / ".cache"]


def fetch_names(edition: Edition) -> dict[str, Path]:
    """What `amip://<name>/…` in the print HTML means: every pdf.layout of edition HTML needs this."""
    return {"diagramme": edition.root / "build" / ".cache" / "diagramme", "inhalt": edition.folder.resolve().parent}


def render_html(edition: Edition, target: str, charts: dict | None = None,
                note_space=None) -> str:
    """The complete HTML document for "print" or "web"; reference errors abort with their locations."""
    import jinja2

    from .theme.folder import template_error

    try:
        return _render_html(edition, target, charts, note_space)
    except jinja2.TemplateError as exc:  # an organisation's own template: located, not a traceback
        raise template_error(exc) from None


def _render_html(edition: Edition, target: str, charts: dict | None, note_space) -> str:
    from . import render

    chapters = render_chapters(edition, target, charts, note_space)
    a = edition.ausgabe
    toc = []
    for chapter in edition.chapters:
        h = chapter.heading
        toc.append((h.id, h.label, h.title, 1, h.kind))
        toc += [(h.id, h.label, h.title, h.level, h.kind) for h in chapter.headings if h.in_toc]
    abbreviations = None
    if edition.abbreviations_heading is not None:
        h = edition.abbreviations_heading
        toc.append((h.id, h.label, h.title, 1, h.kind))
        entries = edition.abbreviations
        if a.abkuerzungsverzeichnis.auswahl == "verwendete":
            used, _ = lint.used_abbreviations(edition, main_text(chapters))
            entries = [e for e in entries if e[0] in used]
        if target == "web":
            chapters = render.mark_abbreviations(chapters, edition.abbreviations)
        abbreviations = render.Abbreviations(h.id, h.label, h.title, a.abkuerzungsverzeichnis.spalten,
                                             tuple(entries))
    from .theme.view import page_design, theme_view

    design = page_design(edition, target)
    ctx = render.Context(
        target=target, document_title=_document_title(edition), title=a.titel, year=a.jahr,
        organisation=edition.traeger.name, running_header=design.kopfzeile,
        edition_number=edition.edition_number, stand=fmt.german_date(a.stand), stand_iso=a.stand,
        draft=a.status == "entwurf", chapters_on_new_page=a.kapitel_auf_neuer_seite,
        margin_column=edition.margin_column,
        colour=edition.traeger.theme.farbe, accent=edition.traeger.theme.akzent, impressum=a.impressum,
        toc=toc_layout(toc, toc_depth(edition), toc_fonts(edition.theme)), chapters=chapters,
        abbreviations=abbreviations, theme=theme_view(edition.theme, target, edition.folder.resolve().parent), design=design)
    # "&shy;" typed into a data file (YAML text is escaped) means the soft hyphen, as in Markdown
    return render.render_document(ctx, edition.theme.search_path).replace("&amp;shy;", "\u00ad")


def toc_depth(edition: Edition) -> int:
    """The deepest level the contents list: as set (edition before organisation), else every numbered level."""
    setting = edition.ausgabe.inhaltsverzeichnis or edition.traeger.inhaltsverzeichnis
    return setting.tiefe if "tiefe" in setting.model_fields_set else edition.traeger.ueberschriften.nummeriert_bis


def render_chapters(edition: Edition, target: str = "print", charts: dict | None = None,
                    note_space=None):
    """Every chapter as HTML, with all references, tables and charts resolved (errors located).

    Without `charts` (as in `amip check`) charts are declared and checked but not drawn.
    """
    import jinja2

    from . import render

    problems = Collector()
    if charts is None:
        charts, _ = chart_refs(edition, problems, None)
    labels = table_labels(edition)
    resolver = render.Resolver(target, edition.headings, edition.figures, problems, charts, edition.values,
                               edition.traeger.abbildungen.bezeichnung, labels,
                               figure_list=figure_list(edition, charts, labels), jinja=render.env(edition.theme.search_path),
                               toc_faces=toc_fonts(edition.theme))
    try:
        chapters = render.render_chapters(edition.chapters, resolver, edition.margin_column, note_space)
    except jinja2.TemplateError as exc:  # the theme's tabellen.html.j2
        from .theme.folder import template_error

        raise template_error(exc) from None
    for source, rendered in zip(edition.chapters, chapters):  # every paragraph, note, box, footnote arrived
        sourcecheck.report_missing(source, str(rendered.html), problems)
    problems.raise_if_errors()
    return chapters


def main_text(chapters) -> str:
    """The reader-visible text of rendered chapters (tags removed), for abbreviation usage."""
    import html as html_module
    import re

    return html_module.unescape(re.sub(r"<[^>]+>", " ", " ".join(str(c.html) for c in chapters)))


def _write_web(folder: Path, html: str, charts: dict, theme: ThemeSetup) -> None:
    """Write index.html with its assets (styles, fonts, figures) into `folder` (inside the staging folder)."""
    from .theme.view import copy_web_assets

    assets = folder / "assets"
    copy_web_assets(theme, assets)
    if charts:
        (assets / "abbildungen").mkdir()
        for ref in charts.values():  # author SVGs without scripts, event handlers, foreignObject
            (assets / "abbildungen" / (ref.web_key or ref.key)).write_bytes(images.web_copy(ref.web_svg or ref.svg))
    (folder / "index.html").write_text(html, encoding="utf-8")
    for path in (folder, assets, *(p for p in assets.rglob("*") if p.is_dir())):
        os.chmod(path, 0o755)
