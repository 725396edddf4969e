"""The table of contents as a typesetter sets it, measured on real PDFs (pdfplumber coordinates)."""

from __future__ import annotations

import re
import textwrap
from itertools import groupby

import pdfplumber
import pytest

from amip.build import build
from amip.errors import ContentError
from pdfinspect import destinations, internal_links
from test_layout import make_edition

LONG_TITLE = ("Gemeinsame Bildungszielplanung mit der Agentur für Arbeit und den kommunalen Partnern für "
              "langzeitarbeitslose Kundinnen und Kunden im SGB II")


def _lines(chars) -> list[list[dict]]:
    """Characters grouped into printed lines (same baseline), left to right."""
    ordered = sorted(chars, key=lambda c: (round(c["bottom"]), c["x0"]))
    return [sorted(group, key=lambda c: c["x0"]) for _, group in groupby(ordered, key=lambda c: round(c["bottom"]))]


def toc_entries(pdf_path) -> list[dict]:
    """Every TOC entry: its lines of characters, level (from its number), printed page and target."""
    with pdfplumber.open(pdf_path) as pdf:
        page_index = next(i for i in range(4) if "Inhalt" in (pdf.pages[i].extract_text() or "").splitlines()[:3])
        page = pdf.pages[page_index]
        chars = [c for c in page.chars if c["text"].strip()]
    entries, seen = [], set()
    for name, (x0, top, x1, bottom) in internal_links(pdf_path, page_index):
        if name in seen:
            continue
        seen.add(name)
        inside = [c for c in chars if x0 - 1 <= c["x0"] and c["x1"] <= x1 + 1 and top - 1 <= c["top"] and c["bottom"] <= bottom + 1]
        lines = _lines(inside)
        first = "".join(c["text"] for c in lines[0])
        number = re.match(r"^(Anlage \d+:|[\d.]+(?=[^\d.]))", first)
        level = 1 if not number or number.group(1).startswith("Anlage") else len(re.findall(r"\d+", number.group(1)))
        entries.append({"name": name, "lines": lines, "level": level, "number": number.group(1) if number else "",
                        "page_index": page_index})
    return entries


def check_toc(pdf_path) -> int:
    """Levels indent further, wrapped titles hang in their column, leaders + page number end the last line."""
    entries = toc_entries(pdf_path)
    dests = destinations(pdf_path)
    assert entries
    # x where each entry starts (number column, or title for entries without a number)
    starts: dict[int, list[float]] = {}
    for e in entries:
        if not e["number"].startswith("Anlage"):
            starts.setdefault(e["level"], []).append(e["lines"][0][0]["x0"])
    for level in starts:
        if level + 1 in starts:
            assert max(starts[level]) < min(starts[level + 1]) - 5, (level, starts)
    rights = []
    for e in entries:
        last = e["lines"][-1]
        text = "".join(c["text"] for c in last)
        match = re.search(r"(\.{3,})(\d+)$", text)
        assert match, f"leaders and page number not on the last line: {text!r}"
        printed = int(match.group(2))
        assert dests[e["name"]].page + 1 == printed, (text, dests[e["name"]].page + 1)
        digits = last[-len(match.group(2)):]
        rights.append(digits[-1]["x1"])
        dots = [c for c in last if c["text"] == "."][-len(match.group(1)):]
        assert dots[-1]["x1"] < digits[0]["x0"]
        # the title column: every line after the first starts where the title starts on the first line
        first = e["lines"][0]
        title_x = first[len(e["number"].replace(" ", ""))]["x0"] if e["number"] else first[0]["x0"]
        for line in e["lines"][1:]:
            assert abs(line[0]["x0"] - title_x) < 1, ("".join(c["text"] for c in line), title_x)
        # no title glyph reaches into the page-number column
        for line in e["lines"]:
            letters = [c for c in line if c["text"] != "." and c not in digits]
            assert max(c["x1"] for c in letters) < min(d["x0"] for d in digits) - 3
        for line in e["lines"][:-1]:
            assert not re.search(r"\.{3,}", "".join(c["text"] for c in line)), "leaders on an inner line"
    assert max(rights) - min(rights) < 0.5, "page numbers are not right-aligned"
    return len(entries)


def test_toc_2026(built_2026):
    assert check_toc(built_2026.pdf) >= 11


def test_long_title_wraps_inside_its_column(tmp_path):
    """A 140-character title wraps in its title column; leaders and page number stand on its last line."""
    assert len(LONG_TITLE) == 140
    chapter = textwrap.dedent(f"""\
        ---
        titel: {LONG_TITLE}
        ---

        Text.

        ## {LONG_TITLE} {{#zwei}}

        Mehr Text.

        ### {LONG_TITLE} {{#drei}}

        Noch mehr Text.
        """)
    edition = make_edition(tmp_path, chapter)
    result = build(edition, tmp_path / "out")
    entries = toc_entries(result.pdf)
    long_ones = [e for e in entries if len(e["lines"]) > 1]
    assert len(long_ones) == 3
    assert [e["level"] for e in long_ones] == [1, 2, 3]
    assert check_toc(result.pdf) == len(entries)


@pytest.mark.parametrize(("where", "depth", "levels"), [("ausgabe.yaml", 1, {1}), ("../traeger.yaml", 2, {1, 2})])
def test_depth_is_configurable(tmp_path, where, depth, levels):
    """inhaltsverzeichnis: {tiefe: n} in ausgabe.yaml or traeger.yaml limits the levels listed."""
    edition = make_edition(tmp_path, "---\ntitel: Eins\n---\n\n## Zwei\n\nText.\n\n### Drei\n\nText.\n")
    path = edition / where
    path.write_text(path.read_text(encoding="utf-8") + f"inhaltsverzeichnis:\n  tiefe: {depth}\n", encoding="utf-8")
    result = build(edition, tmp_path / "out")
    assert {e["level"] for e in toc_entries(result.pdf)} == levels


def test_depth_out_of_range_is_a_located_error(tmp_path):
    edition = make_edition(tmp_path, "---\ntitel: Eins\n---\n\nText.\n")
    path = edition / "ausgabe.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "inhaltsverzeichnis:\n  tiefe: 7\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        build(edition, tmp_path / "out")
    problem = caught.value.problems[0]
    assert problem.location.path.name == "ausgabe.yaml" and problem.location.line == 10
    assert "nicht erlaubt" in problem.message
