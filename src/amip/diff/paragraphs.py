"""Turn a parsed chapter into the paragraphs a reader sees, as normalised words for comparison.

A paragraph is what a reader would call one: a text paragraph, a heading, a list item, a margin
note, a box title, a table row in the text, a footnote, a placed table or chart. References are
resolved the way the edition prints them (`[[wert: …]]` → "1.994", `[[kapitel: id]]` → "Kapitel
5.1"), so a changed figure shows as a changed word. Soft hyphens (`&shy;`), manual hyphenation at a
line end ("Eingliederungs-" ⏎ "zuschuss") and line breaks do not count as changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..markdown import Chapter
from .keys import SOFT_HYPHENS

KINDS = {"absatz": "", "ueberschrift": "Überschrift", "punkt": "Listenpunkt", "rand": "Randnotiz",
         "kasten": "Kasten", "zeile": "Tabellenzeile", "fussnote": "Fußnote", "verweis": ""}
_BLOCK_NAMES = {"tabelle": "Tabelle", "diagramm": "Diagramm", "abbildung": "Abbildung", "verzeichnis": "Verzeichnis"}
# "Arbeitsmarkt-" ⏎ "und …" is an elided compound, not a hyphenated word: never joined
_KEEP_HYPHEN_BEFORE = {"und", "oder", "bzw.", "sowie", "bis", "als", "wie", "noch", "u.", "o."}
_BREAK = "\u2028"   # a line break inside a paragraph while the words are collected


@dataclass(frozen=True)
class Paragraph:
    kind: str                  # a key of KINDS
    words: tuple[str, ...]     # normalised words, compared one by one
    line: int                  # line in the chapter file (1-based), for the reader's orientation
    level: int = 0             # headings: 2 for "##", 3 for "###" …

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def label(self) -> str:
        return KINDS[self.kind]


def words(text: str) -> tuple[str, ...]:
    """Words of a text with soft hyphens, manual hyphenation at line ends and line breaks removed."""
    for mark in SOFT_HYPHENS:
        text = text.replace(mark, "")
    text = text.replace("\u00a0", " ").replace("\n", _BREAK)
    out: list[str] = []
    for line in text.split(_BREAK):
        for i, word in enumerate(line.split()):
            previous = out[-1] if out else ""
            if (i == 0 and previous.endswith("-") and len(previous) > 2 and previous[-2].isalpha()
                    and word[:1].islower() and word not in _KEEP_HYPHEN_BEFORE):
                out[-1] = previous[:-1] + word
            else:
                out.append(word)
    return tuple(out)


def paragraphs(chapter: Chapter, values: dict, headings: dict) -> list[Paragraph]:
    """The chapter's paragraphs in reading order, the footnotes at the end."""
    out: list[Paragraph] = []
    context: list[str] = []
    row: list[str] = []
    row_line = 0
    body = chapter.body_line

    def add(kind: str, text: str, line: int, level: int = 0) -> None:
        found = words(text)
        if found:
            out.append(Paragraph(kind, found, line, level))

    tokens = chapter.tokens
    for i, token in enumerate(tokens):
        kind = token.type
        line = body + token.map[0] if token.map else body
        if kind.startswith("container_") and kind.endswith("_open"):
            name = kind[len("container_"):-len("_open")]
            context.append(name)
            title = token.info.strip().split(" ", 1)
            if len(title) > 1 and title[1].strip():
                add("kasten", title[1], line)
        elif kind.startswith("container_") and kind.endswith("_close"):
            context.pop()
        elif kind in ("bullet_list_open", "ordered_list_open"):
            context.append("liste")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            context.pop()
        elif kind == "tr_open":
            row, row_line = [], line
        elif kind == "tr_close":
            add("zeile", " | ".join(row), row_line)
        elif kind == "amip_block":
            meta = token.meta
            option = f" | {meta['option']}" if meta.get("option") else ""
            add("verweis", f"[{_BLOCK_NAMES.get(meta['kind'], meta['kind'])}: {meta['name']}{option}]", line)
        elif kind == "inline":
            text = inline_text(token.children or [], values, headings)
            previous = tokens[i - 1].type if i else ""
            if previous in ("th_open", "td_open"):
                row.append(" ".join(words(text)))
            elif previous == "heading_open":
                add("ueberschrift", text, line, int(tokens[i - 1].tag[1:]))
            elif "rand" in context:
                add("rand", text, line)
            elif "liste" in context:
                add("punkt", text, line)
            else:
                add("absatz", text, line)
    for inlines in chapter.footnotes.values():
        for token in inlines:
            add("fussnote", inline_text(token.children or [], values, headings),
                body + token.map[0] if token.map else body)
    return out


def inline_text(children, values: dict, headings: dict) -> str:
    """The printed text of one inline run; line breaks kept (as _BREAK) for the hyphenation rule."""
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(_BREAK)
        elif child.type == "image":
            parts.append(child.content)
        elif child.type == "amip_ref":
            parts.append(_reference(child.meta, values, headings))
    return re.sub(r"[ \t]*" + _BREAK + r"[ \t]*", _BREAK, "".join(parts))


def _reference(meta: dict, values: dict, headings: dict) -> str:
    kind, name = meta["kind"], meta["name"]
    if kind == "wert" and name in values:
        return str(values[name][0])
    if kind in ("kapitel", "seite") and name in headings:
        heading = headings[name]
        if kind == "kapitel":
            return f"Kapitel {heading.number}" if heading.number else f"„{heading.title}“"
        return f"Seite ({heading.title})"   # page numbers exist only after layout: name the target
    return f"[[{kind}: {name}]]"
