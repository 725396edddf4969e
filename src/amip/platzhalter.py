"""Turn a placeholder description (`art: platzhalter`) into a framed SVG box for a graphic still to come.

The box is placed like an author's image (`[[abbildung: name]]`): numbered, captioned, with alt text,
listed in the list of figures. Its figure reference is flagged `offen`, so that a final check can
list every graphic that has not been delivered yet.
"""

from __future__ import annotations

import hashlib
import os
import textwrap
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from .errors import Collector, Location
from .load import Document

WIDTH, HEIGHT = 630, 240  # the proportions of a chart (6.3 in wide), in SVG user units
HEADLINE = "Grafik folgt"


@dataclass(frozen=True)
class PlaceholderFigures:
    name: str
    data: object        # model.Platzhalter
    location: Location  # where the placeholder is described, for the final check's list


def figures(name: str, data, doc: Document, problems: Collector) -> PlaceholderFigures:
    return PlaceholderFigures(name, data, doc.where())


def svg(data, colour: str) -> bytes:
    """A dashed frame with "Grafik folgt", the title and the author's note; deterministic bytes."""
    lines = [(HEADLINE, 22, 700, colour)]
    lines += [(line, 13, 600, "#1a1a1a") for line in textwrap.wrap(data.titel, 70)]
    lines += [(line, 12, 400, "#5a5a5a") for line in textwrap.wrap(data.hinweis or "", 80)]
    step = 22
    y = HEIGHT / 2 - (len(lines) - 1) * step / 2 + 6
    texts = []
    for text, size, weight, fill in lines:
        texts.append(f'<text x="{WIDTH / 2:g}" y="{y:g}" text-anchor="middle" font-family="Open Sans" '
                     f'font-size="{size}" font-weight="{weight}" fill="{fill}">{escape(text)}</text>')
        y += step
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}">'
            f'<rect x="2" y="2" width="{WIDTH - 4}" height="{HEIGHT - 4}" fill="#f4f7fa" stroke="{colour}" '
            f'stroke-width="2" stroke-dasharray="10 6"/>' + "".join(texts) + "</svg>\n").encode("utf-8")


def figure_ref(figures: PlaceholderFigures, figure_id: str, label: str, source: str, colour: str,
               cache: Path | None):
    """The placeholder's figure reference, flagged open; its SVG is written to the cache (if given)."""
    from .render import ChartRef

    data = figures.data
    drawing = svg(data, colour)
    key = hashlib.sha256(drawing).hexdigest()[:20] + ".svg"
    path = None
    if cache is not None:
        path = cache / key
        if not path.is_file():
            cache.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.part")
            tmp.write_bytes(drawing)
            os.replace(tmp, path)
    return ChartRef(figure_id, label, data.titel, data.alt, source, data.fussnote or "", key, path, (), (),
                    url=f"amip://diagramme/{key}", offen=True)
