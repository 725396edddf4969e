"""Read a PDF's body column as a typesetter would: lines, their gaps, and what explains a gap.

Independent of amip.pagelayout (which reads WeasyPrint's boxes): these helpers read only the
finished PDF with pdfplumber, so the tests check the pages a reader gets.
"""

from __future__ import annotations

from dataclasses import dataclass

import pdfplumber

from conftest import MM

TEXT_LEFT = 22 * MM
TEXT_RIGHT = TEXT_LEFT + 126 * MM      # the body column (print.css: 126 mm)
AREA_TOP = 24 * MM
AREA_BOTTOM = (297 - 22) * MM
LINE = 10 * 1.45                         # one body line in pt (10 pt, line-height 1.45)


@dataclass
class Line:
    top: float
    bottom: float
    text: str
    heading: bool   # set in the house colour (headings are; body text and bold run-ins are not)


def _coloured(char) -> bool:
    colour = char.get("non_stroking_color")
    if not colour or len(colour) != 3:
        return False
    r, g, b = colour
    return max(r, g, b) - min(r, g, b) > 0.15


def body_lines(page) -> list[Line]:
    """Lines of body-size text (≥ 9.5 pt) in the text column, top to bottom (tables, captions,
    chart labels, footnotes and notes are smaller or outside the column)."""
    chars = [c for c in page.chars if c["x0"] >= TEXT_LEFT - 1 and c["x1"] <= TEXT_RIGHT + 1
             and c["top"] >= AREA_TOP - 2 and c["bottom"] <= AREA_BOTTOM + 2 and c["size"] >= 9.4]
    lines: list[Line] = []
    for char in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])):
        if lines and abs(char["top"] - lines[-1].top) < 3:
            line = lines[-1]
            line.bottom = max(line.bottom, char["bottom"])
            line.text += char["text"]
            line.heading = line.heading or (_coloured(char) and char["text"].strip() != "")
        else:
            lines.append(Line(char["top"], char["bottom"], char["text"], _coloured(char)))
    return lines


def _drawn_between(page, top: float, bottom: float) -> bool:
    """Anything printed between two lines in the column: a table, figure, frame, rule or small text."""
    objects = page.rects + page.lines + page.curves + page.images
    for obj in objects:
        if obj["x1"] > TEXT_LEFT and obj["x0"] < TEXT_RIGHT and obj["bottom"] > top and obj["top"] < bottom:
            return True
    return any(c["x1"] > TEXT_LEFT and c["x0"] < TEXT_RIGHT and top <= c["top"] and c["bottom"] <= bottom
               for c in page.chars)


def unexplained_gaps(pdf_path, skip_pages: int = 1) -> list[tuple[int, float, str]]:
    """(page, gap in pt, text after it) for every vertical gap of more than one line between two
    body lines that is not next to a heading and has nothing printed in it."""
    found = []
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages):
            if number < skip_pages:
                continue
            lines = body_lines(page)
            for before, after in zip(lines, lines[1:]):
                gap = after.top - before.bottom
                if gap <= LINE + 0.5 or before.heading or after.heading:
                    continue
                if _drawn_between(page, before.bottom + 0.5, after.top - 0.5):
                    continue
                found.append((number + 1, round(gap, 1), after.text[:50]))
    return found


def headings_at_page_foot(pdf_path, skip_pages: int = 1) -> list[tuple[int, str]]:
    """(page, text) where the last body line of a page is a heading."""
    found = []
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages):
            lines = body_lines(page)
            if number >= skip_pages and lines and lines[-1].heading \
                    and not _drawn_between(page, lines[-1].bottom + 0.5, AREA_BOTTOM):
                found.append((number + 1, lines[-1].text))
    return found
