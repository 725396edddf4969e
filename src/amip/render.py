"""Turn an Edition (parsed chapters + computed figures) into the final HTML for print or web.

Jinja2 runs with autoescape and StrictUndefined over one documented context object (`Context`);
author Markdown is rendered by `amip.markdown` and handed in as Markup, never as a template.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import formatting as fmt
from .compute import KennzahlenFigures, MatrixFigures, PortfolioFigures, SeriesFigures, TableFigures
from .errors import Collector, Location
from .marginnotes import NoteSpace
from .markdown import Chapter, Heading, RenderEnv, render_chapter
from .theme.folder import default_templates
from .toc import TocEntry

TEMPLATES = default_templates()  # the default theme; an organisation's theme/ folder comes before it


@dataclass(frozen=True)
class RenderedChapter:
    id: str
    number: str
    title: str
    kind: str  # kapitel | anlage
    html: Markup


@dataclass(frozen=True)
class Abbreviations:
    id: str
    number: str
    title: str
    columns: int
    entries: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Context:
    """Everything the template may use. A field missing here is an error in the template (StrictUndefined)."""

    target: str                    # "print" | "web"
    document_title: str            # <title>, PDF title
    title: str                     # "Arbeitsmarkt- und Integrationsprogramm"
    year: int
    organisation: str
    running_header: str            # "Arbeitsmarkt- und Integrationsprogramm 2026"
    edition_number: int            # 22 for 2026 in Düsseldorf
    stand: str                     # "01.12.2025"
    stand_iso: str                 # "2025-12-01"
    draft: bool                    # entwurf or vorlage (amip.cycle.status)
    mark: str                      # "ENTWURF" / "VORLAGE" on every page of a draft, "" once decided
    beschluss: str                 # "Beschluss der Trägerversammlung vom …", "" before the decision
    metadata: dict                 # custom PDF info entries: Status, Beschlussdatum, Beschlussnummer
    chapters_on_new_page: bool     # every chapter starts a page (Anlagen and Verzeichnis always do)
    margin_column: bool            # print: a note column beside the text; False: text over the whole type area
    colour: str                    # the organisation's house colour (#rrggbb), headings, tables, charts
    accent: str                    # highlight colour (#rrggbb), e.g. the target year in a chart
    impressum: Any                 # model.Impressum
    toc: tuple[TocEntry, ...]
    chapters: tuple[RenderedChapter, ...]
    abbreviations: Abbreviations | None
    theme: Any                     # theme.view.ThemeView: colours, font faces, stylesheets
    design: Any                    # theme.view.PageDesign: cover, header, footer, address
    pdf_file: str = ""             # web: the PDF's file name beside web/ ("amip-duesseldorf-2026.pdf")


def _css_string(value: str) -> Markup:
    """A CSS string literal that cannot break out of <style> (quotes, backslashes, "<" escaped)."""
    escaped = "".join(c if c.isalnum() or c in " .,-–:;()/§äöüÄÖÜß" else f"\\{ord(c):x} " for c in str(value))
    return Markup(f'"{escaped}"')


def _css_colour(value: str) -> Markup:
    """Only a validated #rrggbb reaches a stylesheet (the model checks the pattern as well)."""
    import re

    if not re.fullmatch(r"#[0-9a-fA-F]{6}", str(value)):
        raise ValueError(f"not a colour: {value!r}")
    return Markup(value)


def environment(search_path: tuple[Path, ...] = (TEMPLATES,)) -> jinja2.Environment:
    """Templates from the first folder of `search_path` that has them: organisation theme, then default."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p) for p in search_path]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters["css_string"] = _css_string
    env.filters["css_colour"] = _css_colour
    env.filters["zahl"] = fmt.number
    return env


_ENVS: dict[tuple[Path, ...], jinja2.Environment] = {}


def env(search_path: tuple[Path, ...] | None = None) -> jinja2.Environment:
    """One cached environment per template search path (one per theme)."""
    key = tuple(search_path or (TEMPLATES,))
    if key not in _ENVS:
        _ENVS[key] = environment(key)
    return _ENVS[key]


@dataclass(frozen=True)
class ChartRef:
    """A placed chart: its number (or None), the SVG to show, alt text, caption and data table."""

    id: str
    label: str                 # "Abb. 3" or "" (unnumbered)
    title: str
    alt: str
    source: str                # "Quelle: …, Stand: …" or ""
    footnote: str              # a footnote to the caption, or ""
    key: str                   # file name in the cache / web assets ("<hash>.svg")
    svg: Path | None           # None while only checking
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    web_key: str = ""          # the chart drawn for the web edition (phone-sized, text as paths); "" = `key`
    web_svg: Path | None = None
    url: str = ""              # how the print HTML addresses the SVG (amip://…, no local path)
    offen: bool = False        # a placeholder (art: platzhalter): the graphic is still to come


@dataclass
class Resolver:
    """Resolves `[[…]]` references for one output target; unknown names become located errors."""

    target: str
    headings: dict[str, Heading]
    tables: dict[str, Any]
    problems: Collector
    charts: dict[tuple[str, str], ChartRef] = field(default_factory=dict)
    values: dict[str, tuple[str, Any]] = field(default_factory=dict)
    figure_word: str = "Abb."
    table_labels: dict[str, str] = field(default_factory=dict)   # table id → "Tabelle 3" (numbered only)
    env: Any = None                                               # the RenderEnv of the chapter being rendered
    jinja: Any = None                                             # the theme's jinja2 Environment (None: default)
    figure_list: tuple[tuple[str, str, str], ...] = ()            # (id, label, title) for [[verzeichnis: abbildungen]]
    toc_faces: dict = field(default_factory=dict)                 # weight → font file (amip.toc.fonts; {}: default)
    broken: frozenset = frozenset()                               # data files that failed to load (already reported)

    def block(self, kind: str, name: str, option: str | None, where: Location) -> str:
        if kind == "tabelle":
            figures = self.tables.get(name)
            if figures is None and name in self.broken:
                return ""
            if figures is None:
                known = ", ".join(sorted(self.tables)) or "keine"
                self.problems.error(where, f"Tabelle „{name}“ gibt es nicht.",
                                    f"Bekannte Tabellen (Dateien in daten/): {known}.")
                return ""
            if not isinstance(figures, (KennzahlenFigures, PortfolioFigures, TableFigures, MatrixFigures,
                                        SeriesFigures)):  # an image or placeholder
                self.problems.error(where, f"„{name}“ ist eine Abbildung, keine Tabelle.",
                                    f"Setzen Sie sie mit [[abbildung: {name}]].")
                return ""
            if option == "portfolio" and isinstance(figures, KennzahlenFigures):
                from .compute import portfolio_overview

                overview = portfolio_overview(figures)
                return self._web_table(str(render_table(overview, self.table_labels.get(f"tabelle-{overview.name}", ""),
                                                        self.jinja)), f"tabelle-{overview.name}")
            if option:
                self.problems.error(where, f"Unbekannte Darstellung „{option}“ für Tabelle „{name}“.",
                                    "Möglich ist „| portfolio“ bei Kennzahlen-Tabellen.")
                return ""
            return self._web_table(str(render_table(figures, self.table_labels.get(f"tabelle-{name}", ""), self.jinja)),
                                   f"tabelle-{name}")
        if kind in ("diagramm", "abbildung"):
            ref = self.charts.get((name, "bild" if kind == "abbildung" else (option or "").strip()))
            if ref is None:  # already reported while collecting the charts
                return ""
            if ref.svg is None:
                src = ""
            elif self.target == "web":
                src = f"assets/abbildungen/{ref.web_key or ref.key}"
            else:
                src = ref.url or ref.svg.as_uri()
            macros = (self.jinja or env()).get_template("tabellen.html.j2").module
            note = Markup(self.env.footnote(str(Markup.escape(ref.footnote)))) if ref.footnote and self.env else ""
            return str(macros.abbildung(ref, src, self.target == "web", note))
        if kind == "verzeichnis":
            if name != "abbildungen":
                self.problems.error(where, f"Verzeichnis „{name}“ gibt es nicht.", "Möglich: [[verzeichnis: abbildungen]].")
                return ""
            from .toc import fonts, layout

            macros = (self.jinja or env()).get_template("tabellen.html.j2").module
            listed = self.figure_list or tuple((r.id, r.label, r.title) for r in self.charts.values())
            entries = layout([(i, label + (":" if label and title else ""), title, 1, "") for i, label, title in listed], 1,
                             self.toc_faces or fonts())
            return f'<ol class="abbildungsverzeichnis">{"".join(macros.eintrag(e) for e in entries)}</ol>'
        self.problems.error(where, f"„[[{kind}: …]]“ wird hier nicht unterstützt.",
                            "Möglich: [[tabelle: name]] und [[diagramm: name | art]].")
        return ""

    def _web_table(self, table: str, table_id: str) -> str:
        """Web edition: the table in a focusable, named region that scrolls sideways on a phone (the page
        itself never does), and the links to its data as CSV and to the workbook of all tables."""
        if self.target != "web":
            return table
        return web_table(table, table_id)

    def reference(self, kind: str, name: str, option: str | None, where: Location) -> str:
        if kind == "link":
            self.problems.error(where, f"Link-Ziel „{name}“ ist keine Web-Adresse.",
                                "Erlaubt sind https://…, mailto: und #kennung; für Kapitel nehmen Sie [[kapitel: kennung]].")
            return ""
        if kind == "wert":
            if name not in self.values and name.split(".", 1)[0] in self.broken:
                return ""
            if name not in self.values:
                import difflib

                close = difflib.get_close_matches(name, list(self.values), n=1, cutoff=0.6)
                self.problems.error(where, f"Wert „{name}“ gibt es nicht.",
                                    f"Meinten Sie „{close[0]}“?" if close else
                                    "Form: datei.schlüssel.plan|basis|vergleich, z. B. kennzahlen.fbw.plan.")
                return ""
            text, number = self.values[name][:2]
            css = "wert offen" if number is None and text == fmt.OPEN else "wert"   # D3: never 0, marked
            return f'<span class="{css}">{Markup.escape(text)}</span>'
        if kind == "abb":
            ref = next((r for r in self.charts.values() if r.id in (name, f"abb-{name}")), None)
            if ref is None and f"tabelle-{name}" in self.table_labels and \
                    self.table_labels[f"tabelle-{name}"].startswith(f"{self.figure_word} "):
                return self.reference("tab", name, option, where)  # a table in the figures' sequence
            if ref is None and name in self.broken:
                return ""
            if ref is None:
                self.problems.error(where, f"Abbildung „{name}“ gibt es nicht.",
                                    "Verweisen Sie mit dem Namen der Datendatei, z. B. [[abb: kennzahlen]].")
                return ""
            text = ref.label or f"{self.figure_word} „{ref.title}“"
            return f'<a class="ref" href="#{ref.id}">{Markup.escape(text)}</a>'
        if kind == "tab":
            table_id = f"tabelle-{name}"
            figures = self.tables.get(name.removesuffix("-portfolio"))
            if figures is None and name.removesuffix("-portfolio") in self.broken:
                return ""
            if figures is None:
                self.problems.error(where, f"Tabelle „{name}“ gibt es nicht.",
                                    "Verweisen Sie mit dem Namen der Datendatei, z. B. [[tab: kennzahlen]].")
                return ""
            if table_id in self.table_labels:
                return f'<a class="ref" href="#{table_id}">{Markup.escape(self.table_labels[table_id])}</a>'
            title = getattr(figures, "title", None) or getattr(getattr(figures, "data", None), "titel", None)
            text = f"Tabelle „{Markup.escape(title)}“" if title else "Tabelle"
            if self.target == "web":
                return f'<a class="ref" href="#{table_id}">{text}</a>'
            return f'<a class="seitenref" href="#{table_id}">{text} auf Seite</a>'
        if kind not in ("kapitel", "seite"):
            self.problems.error(where, f"Unbekannter Verweis „[[{kind}: …]]“.",
                                "Möglich sind [[kapitel: kennung]], [[seite: kennung]], [[abb: name]], [[tab: name]] "
                                "und [[wert: pfad]].")
            return ""
        heading = self.headings.get(name)
        if heading is None:
            self.problems.error(where, f"Verweisziel „{name}“ gibt es nicht.",
                                "Vergeben Sie die Kennung an der Überschrift ({#" + name + "}) oder im Kopfbereich (id:).")
            return ""
        if kind == "kapitel":
            return f'<a class="ref" href="#{heading.id}">{Markup.escape(label_of(heading))}</a>'
        if self.target == "web":
            return f'<a class="ref" href="#{heading.id}">Abschnitt „{Markup.escape(heading.title)}“</a>'
        # the number comes from CSS: a.seitenref::after { content: " " target-counter(attr(href), page) }
        return f'<a class="seitenref" href="#{heading.id}">Seite</a>'


def label_of(heading: Heading) -> str:
    """How prose names a heading: "Kapitel 5.1", "Anlage 1", or the title of an unnumbered one."""
    if heading.kind == "anlage":
        return heading.number
    if heading.number:
        return f"Kapitel {heading.number}"
    return f"„{heading.title}“"


def render_table(figures: Any, label: str = "", jinja: jinja2.Environment | None = None) -> Markup:
    """A data table; `label` ("Tabelle 3") prefixes the caption where the organisation numbers tables."""
    macros = (jinja or env()).get_template("tabellen.html.j2").module
    if isinstance(figures, KennzahlenFigures):
        return Markup(macros.tabelle(figures.table, label))
    if isinstance(figures, PortfolioFigures):
        return Markup(macros.portfolio(figures, label))
    if isinstance(figures, TableFigures):
        return Markup(macros.tabelle(figures, label))
    if isinstance(figures, MatrixFigures):
        depth = max((len(c.zellen) for c in figures.data.spalten), default=0)
        # drawn by CSS (filled / hollow circle), so no glyph outside the house font is needed;
        # the status word is printed too, so the matrix reads without colour or symbol
        symbols = {key: "voll" if i == 0 else "leer" for i, key in enumerate(figures.data.legende)}
        return Markup(macros.matrix({"name": figures.name, "data": figures.data, "depth": depth, "symbols": symbols},
                                    label))
    if isinstance(figures, SeriesFigures):
        return Markup(macros.tabelle(figures.as_table(), label))
    raise TypeError(type(figures))


def render_document(ctx: Context, search_path: tuple[Path, ...] | None = None) -> str:
    return env(search_path).get_template("ausgabe.html.j2").render(ctx=ctx)


def render_chapters(chapters: list[Chapter], resolver: Resolver, margin_column: bool = True,
                    note_space: NoteSpace | None = None) -> tuple[RenderedChapter, ...]:
    counter = [0]
    footnotes = [0]
    out = []
    for chapter in chapters:
        renv = RenderEnv(resolver.target, resolver.block, resolver.reference, counter, footnotes,
                         margin_column=margin_column, note_space=note_space or NoteSpace())
        resolver.env = renv
        h = chapter.heading
        out.append(RenderedChapter(h.id, h.label, h.title, h.kind, Markup(render_chapter(chapter, renv))))
    return tuple(out)


def mark_abbreviations(chapters: tuple[RenderedChapter, ...], register: list[tuple[str, str]]
                       ) -> tuple[RenderedChapter, ...]:
    """Web edition: the first use of each registered abbreviation becomes <abbr title="…">."""
    import re

    pending = dict(register)
    # compiled once; the plain substring test skips the regex for the many parts without the word
    patterns = {short: (str(Markup.escape(short)), re.compile(rf"(?<![\w-]){re.escape(Markup.escape(short))}(?![\w-])"))
                for short in pending}
    order = sorted(pending, key=len, reverse=True)
    anywhere = re.compile("|".join(re.escape(escaped) for escaped, _ in patterns.values())) if pending else None
    out = []
    for chapter in chapters:
        parts = re.split(r"(<[^>]+>)", str(chapter.html))
        skip = 0
        for i, part in enumerate(parts):
            if part.startswith("<"):
                tag = re.match(r"</?(\w+)", part)
                if tag and tag.group(1) in ("a", "abbr", "h1", "h2", "h3", "h4", "th", "figcaption"):
                    skip += -1 if part.startswith("</") else 1
                continue
            if skip or not part.strip() or not pending or not anywhere.search(part):
                continue
            for short in order:
                if short not in pending:
                    continue
                escaped, pattern = patterns[short]
                match = pattern.search(part) if escaped in part else None
                if match:
                    title = Markup.escape(pending.pop(short))
                    part = f'{part[:match.start()]}<abbr title="{title}">{match.group(0)}</abbr>{part[match.end():]}'
                    break
            parts[i] = part
        out.append(RenderedChapter(chapter.id, chapter.number, chapter.title, chapter.kind, Markup("".join(parts))))
    return tuple(out)


def web_table(table: str, table_id: str, downloads: bool = True) -> str:
    """A rendered table wrapped for the web edition (see RenderEnv._web_table); the region is named by
    the table's caption, so a screen reader announces which table scrolls."""
    import html as html_module
    import re

    caption = re.search(r"<caption>(.*?)</caption>", table, re.S)
    name = re.sub(r"<[^>]+>", "", caption.group(1)).strip() if caption else ""
    # without a caption the data file names it: region names must differ (axe: landmark-unique)
    name = html_module.unescape(re.sub(r"\s+", " ", name)) or f"Tabelle {table_id.removeprefix('tabelle-')}"
    links = (f'<p class="tabellen-daten">Daten: <a href="daten/{table_id}.csv" download>diese Tabelle als CSV</a> · '
             '<a href="daten/tabellen.xlsx" download>alle Tabellen als Excel-Datei</a></p>') if downloads else ""
    return (f'<div class="tabelle-rahmen" role="region" tabindex="0" aria-label="{html_module.escape(name)}">{table}</div>'
            f'<p class="wischen" aria-hidden="true">↔ Die Tabelle ist breiter als der Bildschirm: seitlich verschieben.</p>'
            f'{links}')
