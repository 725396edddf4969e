"""Turn chapter Markdown into HTML blocks: numbered headings, margin notes, boxes, amip references.

One configured markdown-it parser (CommonMark, raw HTML off, GFM tables on). amip's own syntax:
`::: rand|ziel|kasten|strategie|haken` containers, `[[tabelle: name]]` block lines, inline
`[[kapitel: id]]` / `[[seite: id]]`, and heading suffixes `{#id}` / `{-}`. Author text is never
run through Jinja.

Parsing happens once per chapter (`parse_chapter`), rendering once per output (`render_chapter`),
because references need the numbers of all chapters before any chapter can be rendered.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin

from . import sourcecheck
from .errors import Collector, Location
from .marginnotes import NoteSpace, attach_notes, note_html, with_source

CONTAINERS = ("rand", "ziel", "kasten", "strategie", "haken")
_REF = re.compile(r"\[\[\s*([a-zäöü]+)\s*:\s*([^\]|]+?)\s*(?:\|\s*([^\]]+?)\s*)?\]\]")
_HEADING_ATTRS = re.compile(r"\s*\{([^{}]*)\}\s*$")


def _block_directive(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A line that is nothing but `[[kind: name]]` places a table or chart."""
    pos = state.bMarks[start] + state.tShift[start]
    line = state.src[pos:state.eMarks[start]].strip()
    match = _REF.fullmatch(line)
    if not match or match.group(1) not in ("tabelle", "diagramm", "abbildung", "verzeichnis"):
        return False
    if silent:
        return True
    token = state.push("amip_block", "", 0)
    token.meta = {"kind": match.group(1), "name": match.group(2), "option": match.group(3)}
    token.map = [start, start + 1]
    state.line = start + 1
    return True


def _inline_reference(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("[[", state.pos):
        return False
    match = _REF.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("amip_ref", "", 0)
        token.meta = {"kind": match.group(1), "name": match.group(2), "option": match.group(3)}
    state.pos = match.end()
    return True


def _validate_container(name: str) -> Callable[[str, str], bool]:
    return lambda params, *args: params.strip().split(" ", 1)[0] == name


def make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
    for name in CONTAINERS:
        md.use(container_plugin, name=name, validate=_validate_container(name))
    md.use(footnote_plugin, inline=False, move_to_end=True, always_match_refs=False)
    md.block.ruler.before("paragraph", "amip_block", _block_directive)
    md.inline.ruler.before("link", "amip_ref", _inline_reference)
    return md


_PARSER: MarkdownIt | None = None


def parser() -> MarkdownIt:
    global _PARSER
    if _PARSER is None:
        _PARSER = make_parser()
    return _PARSER


@dataclass
class Heading:
    """A heading anywhere in the edition; number "5.1" or "" for unnumbered ones."""

    id: str
    level: int
    number: str
    title: str
    in_toc: bool
    location: Location
    kind: str = "abschnitt"  # abschnitt | kapitel | anlage
    label: str = ""          # as printed before the title: "5.1." / "Anlage 1:" / ""


@dataclass
class Chapter:
    """A parsed chapter: its tokens and headings, ready to render once all numbers are known."""

    source_path: object
    body_line: int
    heading: Heading
    tokens: list[Token]
    headings: list[Heading] = field(default_factory=list)
    text: str = ""  # the Markdown body, for the prose checks
    footnotes: dict[int, list[Token]] = field(default_factory=dict)  # footnote id → its inline tokens
    source_lines: list[int] = field(default_factory=list)  # source id → body line (see sourcecheck)


def parse_chapter(text: str, *, path, body_line: int, heading: Heading, annex: bool, trailing_dot: bool,
                  problems: Collector, depth: int = 3) -> Chapter:
    """Parse one chapter body; number its headings below the chapter number.

    `depth` is the deepest numbered level (the chapter is level 1): 3 numbers `##` and `###`
    ("5.1", "5.1.2"), 4 numbers `####` as well ("5.8.4.11"). Deeper headings are unnumbered.
    """
    parse_env: dict = {}
    tokens = parser().parse(text, parse_env)
    source_lines = text.split("\n")

    def where(line: int) -> Location:
        return Location(path, body_line + line)

    sourcecheck.annotate_lines(tokens)
    sourcecheck.check_structure(tokens, source_lines, CONTAINERS, where, problems)
    sourcecheck.check_footnotes(tokens, parse_env, source_lines, where, problems)
    footnotes: dict[int, list[Token]] = {}
    if tokens and tokens[-1].type == "footnote_block_close":
        start = max(i for i, t in enumerate(tokens) if t.type == "footnote_block_open")
        current = None
        for token in tokens[start:]:
            if token.type == "footnote_open":
                current = footnotes.setdefault(token.meta["id"], [])
            elif token.type == "inline" and current is not None:
                current.append(token)
                if any(child.type == "footnote_ref" for child in token.children or []):
                    # a footnote inside a footnote (or one naming itself) cannot be printed, and recursed
                    problems.error(where((token.meta or {}).get("line", 0)),
                                   "Eine Fußnote enthält eine Fußnote – das lässt sich nicht setzen.",
                                   "Schreiben Sie den Hinweis als Text in die Fußnote, ohne „[^…]“.")
                    token.children = [c for c in token.children if c.type != "footnote_ref"]
        tokens = tokens[:start]
    chapter = Chapter(path, body_line, heading, tokens, text=text, footnotes=footnotes)
    counters = [0] * max(depth - 1, 0)  # one counter per numbered level below the chapter
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        inline = tokens[i + 1]
        line = body_line + (token.map[0] if token.map else 0)
        where = Location(path, line)
        level = int(token.tag[1])
        if level == 1:
            problems.error(where, "Überschrift „#“ im Kapiteltext.",
                           "Der Kapiteltitel steht im Kopfbereich (titel:); Abschnitte beginnen mit „##“.")
            continue
        numbered, explicit_id = True, None
        match = _HEADING_ATTRS.search(inline.content)
        if match:
            for part in match.group(1).split():
                if part == "-" or part == ".unnumbered":
                    numbered = False
                elif part.startswith("#") and re.fullmatch(r"#[a-z0-9][a-z0-9-]*", part):
                    explicit_id = part[1:]
                else:
                    problems.error(where, f"Unbekannte Angabe „{part}“ an der Überschrift.",
                                   "Möglich sind {#kennung} und {-} (ohne Nummer).")
            inline.content = inline.content[: match.start()]
            inline.children = None
        if level > depth or annex or heading.kind == "anlage":
            numbered = False
        number = ""
        if numbered:
            index = level - 2
            if index and counters[index - 1] == 0:
                parent = "#" * (level - 1)
                word = "Abschnitt" if level == 3 else "Unterabschnitt"
                problems.error(where, f"„{'#' * level}“ ohne vorangehenden {word} „{parent}“.",
                               f"Setzen Sie zuerst eine Überschrift „{parent} …“ oder nehmen Sie {{-}}.")
            counters[index] += 1
            counters[index + 1:] = [0] * (len(counters) - index - 1)
            number = ".".join([heading.number, *(str(c) for c in counters[: index + 1])])
        anchor = explicit_id or (f"{heading.id}-{number.replace('.', '-')}" if number
                                 else f"{heading.id}-u{len(chapter.headings) + 1}")
        title = re.sub(r"\[\^[^\]]+\]", "", inline.content).strip()  # footnotes stay out of the TOC
        token.attrSet("id", anchor)
        label = number + ("." if number and trailing_dot else "")
        token.meta = {"number": label}
        chapter.headings.append(Heading(anchor, level, number, title, numbered, where, label=label))
    # re-run inline parsing for headings whose content changed
    md = parser()
    for i, token in enumerate(tokens):
        if token.type == "inline" and token.children is None:
            token.children = []
            md.inline.parse(token.content, md, parse_env, token.children)
    _check_notes(tokens, chapter, problems)
    chapter.source_lines = sourcecheck.mark_sources(tokens, footnotes)
    return chapter


def _check_notes(tokens: list[Token], chapter: Chapter, problems: Collector) -> None:
    for token in tokens:
        if token.type == "container_rand_open" and token.level > 0:
            problems.error(Location(chapter.source_path, chapter.body_line + token.map[0]),
                           "Randnotiz innerhalb eines Kastens oder einer Liste.",
                           "Setzen Sie „::: rand“ auf die oberste Ebene, direkt vor den Absatz.")
    last_top = [t for t in tokens if t.level == 0]
    if last_top and last_top[-1].type == "container_rand_close":
        opener = next(t for t in reversed(tokens) if t.type == "container_rand_open")
        problems.error(Location(chapter.source_path, chapter.body_line + opener.map[0]),
                       "Randnotiz am Kapitelende ohne folgenden Absatz.",
                       "Eine Randnotiz steht direkt vor dem Absatz, zu dem sie gehört.")


# ---------------------------------------------------------------- rendering

@dataclass
class RenderEnv:
    """What rendering needs from the rest of the build; `target` is "print" or "web".

    `margin_column` is False for a full-width print edition: margin notes then become callouts
    in the text, directly before their block. `note_space` comes from the layout (see NoteSpace).
    """

    target: str
    block: Callable[[str, str, str | None, Location], str]
    reference: Callable[[str, str, str | None, Location], str]
    counter: list[int]
    footnote_counter: list[int] = field(default_factory=lambda: [0])
    web_footnotes: list[tuple[int, str]] = field(default_factory=list)  # this chapter's, web only
    margin_column: bool = True
    note_space: NoteSpace = field(default_factory=lambda: NoteSpace())

    def footnote(self, body_html: str) -> str:
        """Print: the footnote text itself, floated to the page bottom (CSS float: footnote, numbered
        continuously by WeasyPrint's footnote counter). Web: a numbered link; the text goes to the
        end of the chapter. Used for Markdown footnotes and for footnotes of figure captions."""
        self.footnote_counter[0] += 1
        number = self.footnote_counter[0]
        if self.target == "print":
            return f'<span class="fussnote">{body_html}</span>'
        self.web_footnotes.append((number, body_html))
        return f'<sup class="fn"><a href="#fn-{number}" id="fnref-{number}">{number}</a></sup>'


def _top_level_blocks(tokens: list[Token]) -> list[list[Token]]:
    blocks, current, depth = [], [], 0
    for token in tokens:
        current.append(token)
        depth += token.nesting
        if depth == 0:
            blocks.append(current)
            current = []
    return blocks


def source_attr(chapter: Chapter, line: int) -> str:
    """"kapitel/<file>:<line>" – relative to the edition folder, as the layout check reads it back."""
    return f"kapitel/{getattr(chapter.source_path, 'name', chapter.source_path)}:{line}"


def render_chapter(chapter: Chapter, env: RenderEnv) -> str:
    """HTML of a chapter body; each margin note belongs to the block that follows it.

    Print: the note's placeholder sits in the first text line of its block (paragraph, list item,
    heading, box, table caption or first cell, figure caption). The note itself is out of the flow
    (position: absolute), so the body text is set exactly as if there were no notes; after layout
    amip.pagelayout moves each note into the margin column beside its block. In a full-width
    edition (no margin column) a note is a callout directly before its block. Web: an <aside>
    before its block (screen.css places it beside the text or, on a phone, above it).
    """
    md = parser()
    state = {"env": env, "chapter": chapter}
    env.web_footnotes = []
    out = []
    pending: list[str] = []
    for block in _top_level_blocks(chapter.tokens):
        if block[0].type == "container_rand_open":
            pending.append(md.renderer.render(block[1:-1], md.options, state))
            continue
        body = md.renderer.render(block, md.options, state)
        if env.target == "print" and block[0].map:
            body = with_source(body, source_attr(chapter, chapter.body_line + block[0].map[0]))
        if not pending:
            out.append(body)
            continue
        env.counter[0] += 1
        absatz = f"absatz-{env.counter[0]}"
        ids = [f"rand-{env.counter[0]}-{i}" for i in range(1, len(pending) + 1)]
        if env.target == "web" or not env.margin_column:
            css = "rand" if env.target == "web" else "rand rand-kasten"
            asides = "".join(f'<aside class="{css}" id="{i}">{inner}</aside>' for i, inner in zip(ids, pending))
            out.append(f'<div class="anker">{asides}{body}</div>')
        else:
            notes = "".join(note_html(i, absatz, inner) for i, inner in zip(ids, pending))
            out.append(attach_notes(body, absatz, notes, env.note_space))
        pending = []
    if env.web_footnotes:  # web edition: the chapter's footnotes at its end, with back-links
        items = "".join(f'<li id="fn-{n}" value="{n}">{body} <a class="zurueck" href="#fnref-{n}" '
                        f'aria-label="Zurück zum Text">↩</a></li>' for n, body in env.web_footnotes)
        out.append(f'<section class="fussnoten" aria-label="Fußnoten"><ol>{items}</ol></section>')
    return "\n".join(out)


def _loc(state: dict, token: Token | None = None) -> Location:
    chapter: Chapter = state["chapter"]
    line = chapter.body_line
    if token is not None and token.map:
        line += token.map[0]
    return Location(chapter.source_path, line)


def _render_heading_open(self, tokens, idx, options, env):
    token = tokens[idx]
    level = int(token.tag[1])
    number = (token.meta or {}).get("number", "")
    css = "" if number else ' class="ohne-nummer"'
    num = f'<span class="nr">{number}</span> ' if number else ""
    return f'<h{level} id="{html.escape(token.attrGet("id") or "")}"{css}>{num}'


def _render_block(self, tokens, idx, options, env):
    token = tokens[idx]
    meta = token.meta
    return env["env"].block(meta["kind"], meta["name"], meta["option"], _loc(env, token)) + "\n"


def _render_ref(self, tokens, idx, options, env):
    meta = tokens[idx].meta
    # inline tokens carry no line map; the enclosing block's line is the best location we have
    return env["env"].reference(meta["kind"], meta["name"], meta["option"], env.get("line") or _loc(env))


def _container(css: str, title_css: str | None = None, tag: str = "div"):
    def render(self, tokens, idx, options, env):
        token = tokens[idx]
        if token.nesting == 1:
            title = token.info.strip().split(" ", 1)[1].strip() if " " in token.info.strip() else ""
            head = f'<{tag} class="{css}">'
            if title_css and title:
                if css == "strategie":
                    return head + f'<div class="{title_css}">{html.escape(title)}</div><div class="strategie-inhalt">'
                return head + f'<p class="{title_css}">{html.escape(title)}</p>'
            if css == "strategie":
                return head + '<div class="strategie-titel"></div><div class="strategie-inhalt">'
            return head
        return ("</div>" if css == "strategie" else "") + f"</{tag}>\n"
    return render


def _render_paragraph_open(self, tokens, idx, options, env):
    token = tokens[idx]
    if token.map:
        env["line"] = _loc(env, token)
    return _sourced(self, tokens, idx, options, env)


def _sourced(self, tokens, idx, options, env):
    """Print: paragraphs and list items name their source line (data-src) for the layout check."""
    html_out = self.renderToken(tokens, idx, options, env)
    token = tokens[idx]
    if env["env"].target != "print" or not token.map or token.hidden or not html_out.startswith("<"):
        return html_out
    following = tokens[idx + 1] if idx + 1 < len(tokens) else None
    if token.type == "paragraph_open" and following is not None and following.content.rstrip().endswith(":"):
        html_out = html_out.replace("<p", '<p class="einleitung"', 1)  # a lead-in stays with what it introduces
    return with_source(html_out, source_attr(env["chapter"], _loc(env, token).line))


def _render_link_open(self, tokens, idx, options, env):
    token = tokens[idx]
    href = token.attrGet("href") or ""
    if not re.match(r"^(https?://|mailto:|#)", href):
        env["env"].reference("link", href, None, env.get("line") or _loc(env))
    if href.startswith("http"):
        token.attrSet("rel", "noopener")
    return self.renderToken(tokens, idx, options, env)


def _render_footnote_ref(self, tokens, idx, options, env):
    chapter: Chapter = env["chapter"]
    parts = chapter.footnotes.get(tokens[idx].meta["id"], [])
    return env["env"].footnote(" ".join(self.renderInline(t.children or [], options, env) for t in parts))


def _install_renderers() -> None:
    md = parser()
    rules = md.renderer.rules
    rules["heading_open"] = lambda *a: _render_heading_open(md.renderer, *a)
    rules["amip_block"] = lambda *a: _render_block(md.renderer, *a)
    rules["amip_ref"] = lambda *a: _render_ref(md.renderer, *a)
    rules["paragraph_open"] = lambda *a: _render_paragraph_open(md.renderer, *a)
    rules["link_open"] = lambda *a: _render_link_open(md.renderer, *a)
    rules["list_item_open"] = lambda *a: _sourced(md.renderer, *a)
    rules["footnote_ref"] = lambda *a: _render_footnote_ref(md.renderer, *a)
    rules["amip_source"] = lambda tokens, idx, *a: f"<!--q{tokens[idx].meta['id']}-->"
    rules["image"] = lambda tokens, idx, *a: html.escape(tokens[idx].content)  # refused in sourcecheck; never a src
    for name, css, title_css, tag in (("ziel", "ziel", None, "div"), ("kasten", "kasten", "kasten-titel", "section"),
                                      ("strategie", "strategie", "strategie-titel", "div"),
                                      ("haken", "haken", None, "div"), ("rand", "rand", None, "aside")):
        func = _container(css, title_css, tag)
        rules[f"container_{name}_open"] = lambda *a, f=func: f(md.renderer, *a)
        rules[f"container_{name}_close"] = lambda *a, f=func: f(md.renderer, *a)


_install_renderers()
