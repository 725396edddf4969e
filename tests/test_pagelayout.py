"""The placement of margin notes and the layout rules on plain page records (no WeasyPrint needed)."""

from __future__ import annotations

import pytest

from amip.pagelayout.check import LINE, check
from amip.pagelayout.notes import GAP, _stack
from amip.pagelayout.walk import MM, Item, Page


def page(number: int, items: list[Item]) -> Page:
    return Page(number, None, 0, 0, 126 * MM, 250 * MM, 174 * MM, items=items)


def lines(element, start: float, count: int, section: str = "k", tag: str = "p", kind: str = "text",
          list_element=None, frame=None) -> list[Item]:
    return [Item(start + i * LINE, start + (i + 1) * LINE, kind, element, tag, list_element, f"kapitel/a.md:{i}",
                 section, frame) for i in range(count)]


def test_notes_stack_down_and_move_up_at_the_foot():
    """Two notes wanting the same line: the second goes below the first; at the foot they move up."""
    tops, missing = _stack([100, 100], [30, 30], 0, 1000)
    assert tops == [100, 130 + GAP] and missing == 0
    tops, missing = _stack([950, 960], [30, 30], 0, 1000)
    assert tops[1] + 30 == 1000 and tops[0] + 30 + GAP == tops[1] and missing == 0


def test_notes_that_cannot_fit_report_what_is_missing():
    tops, missing = _stack([0, 0, 0], [400, 400, 400], 0, 1000)
    assert missing == pytest.approx(3 * 400 + 2 * GAP - 1000)  # three notes and two gaps in a 1000 px column
    assert tops[0] == 0 and tops[1] >= tops[0] + 400  # still in order, never on top of each other


def test_a_hole_in_the_text_is_found_but_not_before_a_heading_or_at_a_frame():
    a, b, h = object(), object(), object()
    body = lines(a, 0, 3) + lines(b, 3 * LINE + 2 * LINE + 5, 3)
    assert [f.message for f in check([page(0, body), page(1, lines(b, 0, 20))])][0].startswith("Seite 1: Lücke")
    heading = lines(a, 0, 3) + lines(h, 6 * LINE, 1, tag="h2", kind="heading") + lines(b, 7 * LINE, 30)
    assert not [f for f in check([page(0, heading), page(1, lines(b, 0, 20))]) if "Lücke" in f.message]
    framed = lines(a, 0, 3) + lines(b, 6 * LINE, 30, frame=object())
    assert not [f for f in check([page(0, framed), page(1, lines(b, 0, 20))]) if "Lücke" in f.message]


def test_heading_with_one_line_at_the_foot_is_stranded():
    a, h, b = object(), object(), object()
    items = lines(a, 0, 14) + lines(h, 15 * LINE, 1, tag="h3", kind="heading") + lines(b, 16 * LINE, 1)
    found = check([page(0, items), page(1, lines(b, 0, 5))])
    assert [f.message for f in found if "Überschrift" in f.message] == [
        "Seite 1: Überschrift am Seitenende – ihr folgen auf der Seite nur 1 Zeile."]


def test_lone_list_line_at_the_foot_and_widow_at_the_head():
    a, ul, li1, li2 = object(), object(), object(), object()
    foot = lines(a, 0, 16) + lines(li1, 16 * LINE, 1, tag="li", list_element=ul)
    head = lines(li2, 0, 1, tag="li", list_element=ul) + lines(object(), LINE, 16)
    found = [f.message for f in check([page(0, foot), page(1, head)])]
    assert "Seite 1: einzelne Zeile einer Liste am Seitenfuß." in found
    assert "Seite 2: einzelne Zeile einer Liste am Seitenkopf." in found


def test_a_nearly_empty_page_inside_a_chapter_is_found_but_not_at_its_end():
    a, b = object(), object()
    short = page(0, lines(a, 0, 3, section="k1"))
    assert [f.message for f in check([short, page(1, lines(b, 0, 20, section="k1"))])] == [
        "Seite 1 ist nur zu 6 % gefüllt, obwohl das Kapitel weitergeht."]
    assert check([short, page(1, lines(b, 0, 20, section="k2"))]) == []
