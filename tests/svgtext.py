"""Read the text of a matplotlib SVG (text kept as text) into boxes, measured with Open Sans itself.

Independent of matplotlib's own extents: positions come from the SVG, widths from the font's advance
widths, heights from the glyphs' outlines, so a test built on it checks what a reader sees.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SVG = "{http://www.w3.org/2000/svg}"
FONT = Path(__file__).resolve().parents[1] / "templates" / "fonts" / "OpenSans-Regular.ttf"


@dataclass(frozen=True)
class Box:
    group: str          # the <g id="text_N"> the line belongs to (one matplotlib text)
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: "Box", tolerance: float = 0.3) -> bool:
        return (min(self.x1, other.x1) - max(self.x0, other.x0) > tolerance
                and min(self.y1, other.y1) - max(self.y0, other.y0) > tolerance)


@lru_cache(maxsize=1)
def _font():
    from fontTools.ttLib import TTFont

    font = TTFont(str(FONT))
    return font, font.getBestCmap(), font["head"].unitsPerEm


def _extent(text: str, size: float) -> tuple[float, float, float]:
    """(advance width, height above baseline, depth below baseline) in SVG units."""
    font, cmap, units = _font()
    glyf, hmtx = font["glyf"], font["hmtx"]
    width, top, bottom = 0, 0, 0
    for char in text:
        name = cmap.get(ord(char), ".notdef")
        width += hmtx[name][0]
        glyph = glyf[name]
        if glyph.numberOfContours:
            top, bottom = max(top, glyph.yMax), min(bottom, glyph.yMin)
    scale = size / units
    return width * scale, top * scale, -bottom * scale


def text_boxes(svg: bytes | str) -> tuple[list[Box], tuple[float, float, float, float]]:
    """Every visible line of text as a box in SVG units, and the viewBox."""
    root = ET.fromstring(svg if isinstance(svg, bytes) else svg.encode())
    view = tuple(float(v) for v in root.get("viewBox").split())
    boxes = []
    for group in root.iter(f"{SVG}g"):
        if not (group.get("id") or "").startswith("text_"):
            continue
        for node in group.iter(f"{SVG}text"):
            style = node.get("style", "")
            size = float(re.search(r"font-size: ([\d.]+)px", style).group(1))
            anchor = (re.search(r"text-anchor: (\w+)", style) or [None, "start"])[1]
            transform = node.get("transform", "")
            moved = re.search(r"translate\(([-\d.e]+) ([-\d.e]+)\)", transform)
            x, y = (float(moved.group(1)), float(moved.group(2))) if moved else (float(node.get("x")), float(node.get("y")))
            angle = float((re.search(r"rotate\((-?[\d.]+)", transform) or [None, "0"])[1])
            width, above, below = _extent(node.text or "", size)
            start = {"start": 0, "middle": -width / 2, "end": -width}[anchor]
            if angle == 0:
                box = (x + start, y - above, x + start + width, y + below)
            elif angle == -90:   # text running upwards from (x, y)
                box = (x - above, y - start - width, x + below, y - start)
            else:
                raise AssertionError(f"unexpected text angle {angle}")
            boxes.append(Box(group.get("id"), node.text or "", *box))
    return boxes, view


def collisions(svg: bytes | str) -> list[tuple[str, str]]:
    """Pairs of texts (from different matplotlib texts) whose boxes overlap, and texts outside the view."""
    boxes, (vx, vy, vw, vh) = text_boxes(svg)
    found = [(b.text, "Rand") for b in boxes if b.x0 < vx - 0.3 or b.y0 < vy - 0.3 or b.x1 > vx + vw + 0.3
             or b.y1 > vy + vh + 0.3]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if a.group != b.group and a.overlaps(b):
                found.append((a.text, b.text))
    return found
