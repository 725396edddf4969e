"""Turn an edition's chapters into findings about its document structure that readers of the
accessible PDF and web edition depend on: heading levels without gaps.

A screen reader lists headings by level and the PDF structure tree nests H1 → H2 → H3; a jump from
`#` to `###` leaves a hole that a sighted reader never notices. Authors coming from Word often pick
a level for its size – amip warns with the heading's file:line, so the author picks the level by
its place in the outline instead.
"""

from __future__ import annotations

from ..errors import Collector


def check_heading_levels(chapters, problems: Collector) -> None:
    """A heading more than one level below the one before it in its chapter is a warning."""
    for chapter in chapters:
        previous = chapter.heading.level
        for heading in chapter.headings:
            if heading is chapter.heading:
                continue
            if heading.level > previous + 1:
                problems.warn(
                    heading.location,
                    f"Die Überschrift „{heading.title}“ springt von Ebene {previous} auf Ebene {heading.level}.",
                    f"Screenreader und die Struktur des PDF brauchen lückenlose Ebenen: schreiben Sie "
                    f"„{'#' * (previous + 1)} {heading.title}“ (Ebene {previous + 1}). Die Ebene richtet sich "
                    "nach der Gliederung, nicht nach der gewünschten Schriftgröße.")
            previous = heading.level
