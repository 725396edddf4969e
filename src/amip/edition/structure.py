"""Turn an edition's chapters into findings about its document structure that readers of the
accessible PDF and web edition depend on: heading levels without gaps, links with text.

A screen reader lists headings by level and the PDF structure tree nests H1 → H2 → H3; a jump from
`#` to `###` leaves a hole that a sighted reader never notices. Authors coming from Word often pick
a level for its size – amip warns with the heading's file:line, so the author picks the level by
its place in the outline instead.
"""

from __future__ import annotations

from ..errors import Collector, Location


def check_heading_levels(chapters, problems: Collector) -> None:
    """A heading more than one level below the one before it in its chapter is a warning (unless the
    numbering already reported that heading as an error: one mistake, one message)."""
    reported = {(p.location.path, p.location.line) for p in problems.problems if p.level == "fehler"}
    for chapter in chapters:
        previous = chapter.heading.level
        for heading in chapter.headings:
            if heading is chapter.heading:
                continue
            if heading.level > previous + 1 and (heading.location.path, heading.location.line) not in reported:
                problems.warn(
                    heading.location,
                    f"Die Überschrift „{heading.title}“ springt von Ebene {previous} auf Ebene {heading.level}.",
                    f"Screenreader und die Struktur des PDF brauchen lückenlose Ebenen: schreiben Sie "
                    f"„{'#' * (previous + 1)} {heading.title}“ (Ebene {previous + 1}). Die Ebene richtet sich "
                    "nach der Gliederung, nicht nach der gewünschten Schriftgröße.")
            previous = heading.level


def check_links(chapters, problems: Collector) -> None:
    """A link without text is invisible on paper and announced only as its address: an error."""
    for chapter in chapters:
        inlines = [t for t in chapter.tokens if t.type == "inline"]
        inlines += [t for parts in chapter.footnotes.values() for t in parts]
        for token in inlines:
            children = token.children or []
            for i, child in enumerate(children):
                if child.type != "link_open":
                    continue
                text = []
                for inner in children[i + 1:]:
                    if inner.type == "link_close":
                        break
                    text.append(inner.content)
                if not "".join(text).strip():
                    href = child.attrGet("href") or ""
                    line = chapter.body_line + (token.map[0] if token.map else 0)
                    problems.error(Location(chapter.source_path, line), f"Ein Link ohne Text („[]({href})“).",
                                   "Schreiben Sie in die eckigen Klammern, wohin der Link führt: "
                                   f"„[Text, der das Ziel nennt]({href})“ – sonst ist er im PDF unsichtbar und "
                                   "ein Screenreader liest nur die Adresse vor.")
