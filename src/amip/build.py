"""Turn an Edition into the PDF and the web edition (the one orchestrator of a build)."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from . import hyphenation, images, lint, output, sourcecheck
from .errors import BuildError, Collector, ContentError, Location
from .marginnotes import NoteSpace
from .output import atomic_write  # noqa: F401 – used here and by callers of build
from .toc import fonts as toc_fonts, layout as toc_layout
from .theme.folder import ThemeSetup
from .numbering import figure_list, table_labels
from .terminal.progress import silent, weasyprint_pages


from .edition import Edition, collation_key, load_edition  # noqa: F401 – re-exported
from .charting.refs import chart_declarations, chart_refs  # noqa: F401 – re-exported


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
    chunk_layouts: int | None = None   # chunks WeasyPrint laid out (None: set in one piece)


def output_dir(edition: Edition) -> Path:
    return edition.root / "build" / edition.organisation_slug / str(edition.ausgabe.jahr)


def pdf_name(edition: Edition) -> str:
    return f"amip-{edition.organisation_slug}-{edition.ausgabe.jahr}.pdf"


def build(folder: Path, out: Path | None = None, strict: bool = False, version: int | None = None,
          changes: bool = False, progress=silent) -> BuildResult:
    """Build the PDF and the web edition of the edition in `folder`; previous outputs stay intact on failure.

    With `strict` (amip build --streng) a layout finding stops the build before anything is written.
    `version` is the archive version a publish is making; it goes into the PDF's XMP record.
    With `changes` (amip build --aenderungen) the print edition marks what changed against the previous
    edition, and everything goes to build/<träger>/<jahr>-aenderungen/.
    `progress(stage, done, total)` hears of every stage (terminal.progress).
    """
    from .chunks import pool

    pool.start(folder)   # the layout workers import WeasyPrint and parse the hyphenation patterns meanwhile
    try:
        return _build(folder, out, strict, version, changes, progress)
    finally:
        pool.cool_down()


def _build(folder: Path, out: Path | None, strict: bool, version: int | None, changes: bool, progress) -> BuildResult:
    from .record import pdfa, tables

    edition = load_edition(folder, progress)
    if changes:
        from .diff.marks import attach

        attach(edition)
    out = out or (output_dir(edition).with_name(f"{edition.ausgabe.jahr}-aenderungen") if changes else output_dir(edition))
    with output.locked(out):
        problems = Collector()
        charts, drawn = chart_refs(edition, problems, edition.root / "build" / ".cache" / "diagramme", progress)
        problems.raise_if_errors()
        progress("Seiten vorbereiten")
        chapters = render_chapters(edition, "print", charts)
        base = render_html(edition, "print", charts, chapters=chapters)
        words = hyphenation_words(edition, base)
        patterns = hyphenation_patterns(edition, base, words)
        # the hyphenation list changes the layout without changing the HTML: it is part of the key
        # … and so do the theme's CSS, fonts and logo
        key = hashlib.sha256((base + edition.theme.fingerprint).encode() + patterns.name.encode()).hexdigest()
        web: dict[str, str] = {}
        record = pdfa.record(edition, _epoch(edition), version)

        def meanwhile():   # in this process while the workers lay out the pages
            engine.record(record)
            web["warnings"], _ = edition_warnings(edition, chapters)  # counted as amip check counts them
            web["html"] = hyphenation.soft_hyphens(render_html(edition, "web", charts), patterns)
            web["tables"] = tables.files(web["html"], _epoch(edition))

        with chunk_engine(edition, patterns, words, progress) as engine:
            engine.meanwhile(meanwhile)
            laid = lay_out(edition, charts, engine, _cached_space(out, key), hyphenation.drop_soft_hyphens(base),
                           patterns, progress)
            _check_tables(edition, laid.tables)
            if laid.page_of("inhalt") not in (None, 1):
                raise BuildError("Die Titelseite ist zu voll und läuft auf eine weitere Seite über. Kürzen Sie Slogan oder "
                                 "Untertitel, oder lassen Sie Titelbild, Anschrift oder Kurztitel auf der Titelseite weg "
                                 "(gestaltung: titelseite: in traeger.yaml / ausgabe.yaml).")
            if strict and laid.findings:
                from .errors import Problem

                raise ContentError([Problem(p.location, p.message, p.hint) for p in laid.findings])
            progress("PDF schreiben")
            data = laid.write(record)
        html, space, findings = laid.html, laid.space, laid.findings
        warnings = web["warnings"] if "warnings" in web else edition_warnings(edition, chapters)[0]
        progress("Web-Ausgabe")
        web_html = web.get("html") or hyphenation.soft_hyphens(render_html(edition, "web", charts), patterns)
        with output.staged(out) as stage:  # PDF and web edition are switched in together
            atomic_write(stage / _ROOM_CACHE, json.dumps({"key": key, "platz": space.room,
                                                          "umbruch": sorted(space.breaks)}, sort_keys=True).encode())
            atomic_write(stage / pdf_name(edition), data)
            atomic_write(stage / "druck.html", html.encode("utf-8"))  # the exact HTML the PDF was set from
            _write_web(stage / "web", web_html, charts, edition.theme)
            tables.write(stage / "web" / tables.FOLDER, web_html, _epoch(edition), web.get("tables"))   # CSV + XLSX
    engine.commit()   # the chunk layouts of a build whose outputs were written
    return BuildResult(out / pdf_name(edition), out / "web" / "index.html", laid.pages, laid.passes, drawn,
                       len(warnings), tuple(findings), laid.chunk_layouts)


_ROOM_CACHE = ".amip-randnotizen.json"


def _check_tables(edition: Edition, overflows: list) -> None:
    """A data table that leaves the type area stops the build before anything is written."""
    from . import tablecheck

    if overflows:
        raise ContentError(tablecheck.problems(overflows, edition.folder / "daten"))


def hyphenation_words(edition: Edition, html: str) -> dict[str, str]:
    """The edition's own hyphenation entries: soft hyphens typed by authors, the project's and the organisation's lists."""
    return {**hyphenation.from_text(html),
            **hyphenation.exceptions(edition.folder.parent, project=edition.theme.find(hyphenation.FILE_NAME))}


def hyphenation_patterns(edition: Edition, html: str, words: dict[str, str] | None = None) -> Path:
    """The hyphenation patterns for this edition: Pyphen's German patterns plus `hyphenation_words`."""
    words = hyphenation_words(edition, html) if words is None else words
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


@dataclass
class Laid:
    """The print edition laid out – in chunks or in one piece – and checked, ready to be written."""

    html: str
    space: NoteSpace
    findings: list
    passes: int
    pages: int
    tables: list
    page_of: object                  # anchor → page index
    write: object                    # record → PDF bytes
    chunk_layouts: int | None


def chunk_engine(edition: Edition, patterns: Path, words: dict[str, str], progress=silent):
    """The chunked layout engine of one build (amip.chunks), with its cache under build/.cache/seiten/."""
    from .chunks.engine import Engine
    from .chunks.worker import Setup

    overlay = (edition.theme.folder, edition.theme.defaults) if edition.theme.folder else None
    setup = Setup(edition.theme.defaults.as_uri() + "/", tuple(_fetch_roots(edition)), _epoch(edition), patterns,
                  tuple(fetch_names(edition).items()), overlay, _document_title(edition), edition.theme.font)
    return Engine(setup, edition.root / "build" / ".cache" / "seiten", progress=progress, words=words)


def lay_out(edition: Edition, charts: dict, engine, space: NoteSpace, html: str, patterns: Path, progress=silent) -> Laid:
    """Lay the print edition out in chunks (amip.chunks); a document that cannot be cut is set in one piece."""
    from .chunks import pages as chunked
    from .chunks.engine import Uncut

    def render(room):
        return hyphenation.drop_soft_hyphens(render_html(edition, "print", charts, room))

    def locate(src, section):
        return locate_source(edition, src, section)

    try:
        outcome, html_, found, space_, passes, layouts = chunked.set_pages(render, engine, locate, space, html)
    except Uncut:
        from . import pdf

        with weasyprint_pages(progress):
            lay, html_, found, space_, passes = set_pages(edition, charts, space, html, patterns)
        from . import tablecheck

        return Laid(html_, space_, found, passes, len(lay.document.pages), tablecheck.overflowing_tables(lay.document),
                    lay.page_of, lambda record: pdf.write(lay, _document_title(edition), edition.theme.font, record), None)
    return Laid(html_, space_, found, passes, outcome.pages, chunked.table_overflows(outcome), outcome.page_of,
                lambda record: engine.write(outcome, record), layouts)


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

    from .cycle import status

    return calendar.timegm(time.strptime(status.stand_iso(edition.ausgabe), "%Y-%m-%d"))


def _fetch_roots(edition: Edition) -> list[Path]:
    # default theme, the organisation's folder (its theme/ and images), the chart cache
    return [*edition.theme.roots(), edition.folder.resolve().parent, edition.root / "build" / ".cache"]


def fetch_names(edition: Edition) -> dict[str, Path]:
    """What `amip://<name>/…` in the print HTML means: every pdf.layout of edition HTML needs this."""
    return {"diagramme": edition.root / "build" / ".cache" / "diagramme", "inhalt": edition.folder.resolve().parent}


def render_html(edition: Edition, target: str, charts: dict | None = None,
                note_space=None, chapters=None) -> str:
    """The complete HTML document for "print" or "web"; reference errors abort with their locations.

    `chapters`: the chapters rendered already (render_chapters with the same target, charts and room)."""
    import jinja2

    from .theme.folder import template_error

    try:
        return _render_html(edition, target, charts, note_space, chapters)
    except jinja2.TemplateError as exc:  # an organisation's own template: located, not a traceback
        raise template_error(exc) from None


def _render_html(edition: Edition, target: str, charts: dict | None, note_space, chapters=None) -> str:
    from . import render

    chapters = chapters if chapters is not None else render_chapters(edition, target, charts, note_space)
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

    from .cycle import status

    design = page_design(edition, target)
    ctx = render.Context(
        target=target, document_title=_document_title(edition), title=a.titel, year=a.jahr,
        organisation=edition.traeger.name, running_header=design.kopfzeile,
        edition_number=edition.edition_number, stand=status.stand_text(a), stand_iso=status.stand_iso(a),
        draft=not status.is_decided(a), mark=status.mark(a), beschluss=status.beschluss_text(a),
        metadata=status.metadata(a), chapters_on_new_page=a.kapitel_auf_neuer_seite,
        margin_column=edition.margin_column,
        colour=edition.traeger.theme.farbe, accent=edition.traeger.theme.akzent, impressum=a.impressum,
        toc=toc_layout(toc, toc_depth(edition), toc_fonts(edition.theme)), chapters=chapters,
        abbreviations=abbreviations, theme=theme_view(edition.theme, target, edition.folder.resolve().parent), design=design,
        pdf_file=pdf_name(edition))
    # "&shy;" typed into a data file (YAML text is escaped) means the soft hyphen, as in Markdown
    html = render.render_document(ctx, edition.theme.search_path).replace("&amp;shy;", "\u00ad")
    if edition.change_marks and target == "print":   # amip build --aenderungen
        from .diff.marks import mark

        html = mark(html, edition.change_marks)
    return html


def toc_depth(edition: Edition) -> int:
    """The deepest level the contents list: as set (edition before organisation), else every numbered level."""
    setting = edition.ausgabe.inhaltsverzeichnis or edition.traeger.inhaltsverzeichnis
    return setting.tiefe if "tiefe" in setting.model_fields_set else edition.traeger.ueberschriften.nummeriert_bis


def render_chapters(edition: Edition, target: str = "print", charts: dict | None = None,
                    note_space=None, problems: Collector | None = None):
    """Every chapter as HTML, with all references, tables and charts resolved (errors located).

    Without `charts` (as in `amip check`) charts are declared and checked but not drawn. With
    `problems` the caller collects the errors and raises.
    """
    import jinja2

    from . import render

    collect = problems is not None
    problems = problems if collect else Collector()
    if charts is None:
        charts, _ = chart_refs(edition, problems, None)
    labels = table_labels(edition)
    resolver = render.Resolver(target, edition.headings, edition.figures, problems, charts, edition.values,
                               edition.traeger.abbildungen.bezeichnung, labels,
                               figure_list=figure_list(edition, charts, labels), jinja=render.env(edition.theme.search_path),
                               toc_faces=toc_fonts(edition.theme), broken=edition.broken_data)
    try:
        chapters = render.render_chapters(edition.chapters, resolver, edition.margin_column, note_space)
    except jinja2.TemplateError as exc:  # the theme's tabellen.html.j2
        from .theme.folder import template_error

        raise template_error(exc) from None
    for source, rendered in zip(edition.chapters, chapters):  # every paragraph, note, box, footnote arrived
        sourcecheck.report_missing(source, str(rendered.html), problems)
    if not collect:
        problems.raise_if_errors()
    return chapters


def edition_warnings(edition: Edition, chapters) -> list:
    """Every open warning of an edition – loading, prose, abbreviations – counted alike by build and check.

    → (open warnings, reviewed ones); layout findings are separate (BuildResult.layout_findings)."""
    from .findings import review

    problems = Collector()
    lint.check_abbreviations(edition, main_text(chapters), problems)
    still, reviewed = review.settle(problems.warnings)
    return edition.warnings + still, edition.reviewed + reviewed


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
