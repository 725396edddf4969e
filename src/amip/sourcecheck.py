"""Turn parsed and rendered chapters into located errors for author text that would not reach the output.

Before rendering: unknown or unclosed containers, stray `:::`, undefined footnote markers, orphan
footnote definitions, overlong paragraphs and nesting so deep that markdown-it would drop the rest.
Every inline run of the source (paragraph, heading, table cell, note, box, footnote text) gets a
source id, rendered as an HTML comment `<!--qN-->`; after rendering, `missing_sources` compares the
ids in the HTML with those of the source, so text lost by any later stage is an error too.
"""

from __future__ import annotations

import difflib
import re

from markdown_it.token import Token

from .errors import Collector, Location

MAX_PARAGRAPH = 20_000   # characters; the longest real paragraph has 1.382
MAX_LEVEL = 16           # markdown-it drops everything nested 20 levels deep; real chapters reach 6
_MARKER_LINE = re.compile(r"^\s*(:{3,})\s*(\S*)")
_FOOTNOTE_MARK = re.compile(r"\[\^([^\]\s]+)\]")
_SOURCE = re.compile(r"<!--q(\d+)-->")


def annotate_lines(tokens: list[Token]) -> None:
    """Every inline token learns the 0-based body line of its block (inline tokens carry no map)."""
    last_line = 0
    for token in tokens:
        if token.map:
            last_line = token.map[0]
        if token.type == "inline":
            token.meta = {**(token.meta or {}), "line": last_line}


def check_structure(tokens: list[Token], lines: list[str], containers: tuple[str, ...], where, problems: Collector
                    ) -> None:
    """Containers, stray markers, nesting and paragraph length; `where(n)` locates 0-based body line n."""
    for index, token in enumerate(tokens):
        if token.level >= MAX_LEVEL:
            line = next((t.map[0] for t in reversed(tokens[: index + 1]) if t.map), 0)
            problems.error(where(line), f"Zu tief verschachtelt (mehr als {MAX_LEVEL} Ebenen aus Listen, Zitaten "
                           "und Kästen).", "Vereinfachen Sie die Gliederung; so tiefe Verschachtelung kann amip "
                           "nicht vollständig setzen.")
            return
        if token.type.startswith("container_") and token.type.endswith("_open") and token.map:
            start, end = token.map
            if end >= len(lines) or not re.fullmatch(r"\s*:{3,}\s*", lines[end]):
                name = token.info.strip().split(" ", 1)[0]
                problems.error(where(start), f"Kasten „::: {name}“ wird nicht geschlossen.",
                               "Beenden Sie den Kasten mit einer eigenen Zeile „:::“ – sonst gehört der ganze "
                               "folgende Text zum Kasten.")
        if token.type == "paragraph_open" and token.map and index + 1 < len(tokens):
            inline = tokens[index + 1]
            if len(inline.content) > MAX_PARAGRAPH:
                problems.error(where(token.map[0]), f"Absatz mit {len(inline.content):,} Zeichen – erlaubt sind "
                               f"höchstens {MAX_PARAGRAPH:,}.".replace(",", "."),
                               "Teilen Sie den Absatz durch Leerzeilen in mehrere Absätze.")
            _check_markers(inline.content.split("\n"), token.map[0], containers, where, problems)


def _check_markers(lines: list[str], first: int, containers: tuple[str, ...], where, problems: Collector) -> None:
    """A `:::` line that ended up as paragraph text: an unknown container name or a close without open."""
    unknown = False
    for offset, line in enumerate(lines):
        match = _MARKER_LINE.match(line)
        if not match:
            continue
        name = match.group(2)
        if name:
            unknown = True
            close = difflib.get_close_matches(name.lower(), containers, n=1, cutoff=0.5)
            hint = f"Meinten Sie „::: {close[0]}“? " if close else ""
            problems.error(where(first + offset), f"Unbekannter Kasten „::: {name}“ – der Text würde als "
                           "gewöhnlicher Absatz gedruckt.",
                           hint + "Möglich sind: " + ", ".join(containers) + " (klein geschrieben).")
        elif not unknown:
            problems.error(where(first + offset), "„:::“ schließt hier keinen Kasten.",
                           "Löschen Sie die Zeile oder ergänzen Sie davor den Anfang des Kastens, z. B. „::: kasten“.")


def check_footnotes(tokens: list[Token], env: dict, lines: list[str], where, problems: Collector) -> None:
    """Markers without a definition print literally; definitions without a marker vanish: both are errors.
    Markdown images are refused here as well (they bypass the checked figure files)."""
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        for child in token.children:
            if child.type == "image":  # would be fetched relative to the templates, outside the content
                problems.error(where((token.meta or {}).get("line", 0)),
                               f"Bild „{child.attrGet('src')}“ direkt im Text ist nicht möglich.",
                               "Beschreiben Sie das Bild in daten/<name>.yaml (art: bild, datei, titel, alt) und setzen "
                               "Sie es mit einer eigenen Zeile [[abbildung: name]].")
            if child.type == "text":
                for match in _FOOTNOTE_MARK.finditer(child.content):
                    problems.error(where((token.meta or {}).get("line", 0)),
                                   f"Fußnote „[^{match.group(1)}]“ ist nicht definiert.",
                                   f"Schreiben Sie irgendwo im Kapitel eine Zeile „[^{match.group(1)}]: Fußnotentext“.")
    for label, number in (env.get("footnotes") or {}).get("refs", {}).items():
        if number >= 0:
            continue
        label = label[1:]
        found = next((i for i, text in enumerate(lines) if text.lstrip().startswith(f"[^{label}]:")), 0)
        problems.error(where(found), f"Fußnote „[^{label}]“ wird im Text nirgends verwendet – ihr Text würde fehlen.",
                       f"Setzen Sie „[^{label}]“ an die Stelle im Text, zu der die Fußnote gehört, oder löschen Sie sie.")


def mark_sources(tokens: list[Token], footnotes: dict[int, list[Token]]) -> list[int]:
    """Give every inline run a source id (a child token rendered as <!--qN-->); return the body lines by id."""
    lines: list[int] = []
    runs = [t for t in tokens if t.type == "inline"] + [t for parts in footnotes.values() for t in parts]
    for token in runs:
        marker = Token("amip_source", "", 0)
        marker.meta = {"id": len(lines)}
        token.children = [marker, *(token.children or [])]
        lines.append((token.meta or {}).get("line", 0))
    return lines


def missing_sources(html: str, count: int) -> list[int]:
    """Source ids 0 … count-1 that do not occur in the rendered HTML."""
    found = {int(n) for n in _SOURCE.findall(html)}
    return [n for n in range(count) if n not in found]


def report_missing(chapter, html: str, problems: Collector) -> None:
    for number in missing_sources(html, len(chapter.source_lines)):
        problems.error(Location(chapter.source_path, chapter.body_line + chapter.source_lines[number]),
                       "Dieser Text fehlt in der fertigen Ausgabe.",
                       "Das ist ein Fehler in amip – bitte melden Sie ihn; bis dahin hilft es oft, den Absatz "
                       "an eine andere Stelle zu verschieben.")
