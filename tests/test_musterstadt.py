"""The second organisation in the repo, Jobcenter Musterstadt 2027: its own design and table shapes."""

from __future__ import annotations

import re

import pdfplumber
import pytest
from conftest import MM, ROOT
from pdfinspect import destinations, words

EDITION = ROOT / "content" / "musterstadt" / "2027"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from amip.build import build

    return build(EDITION, tmp_path_factory.mktemp("build-musterstadt"))


def _all_text(pdf) -> list[str]:
    with pdfplumber.open(pdf) as doc:
        return [page.extract_text() or "" for page in doc.pages]


def _line_of(pdf, page: int, needle: str) -> list[dict]:
    """The characters of the text line on `page` that contains `needle`."""
    with pdfplumber.open(pdf) as doc:
        for line in doc.pages[page].extract_text_lines():
            if needle in line["text"]:
                return line["chars"]
    raise AssertionError(f"„{needle}“ not on page {page + 1}")


def test_a_fourth_level_heading_is_numbered_in_text_and_toc_with_its_page(built):
    """„1.1.1.1. Netzwerk Übergang Schule–Beruf“ in the text, and in the TOC with the page it stands on."""
    dests = destinations(built.pdf)
    page = dests["netzwerk-uebergang"].page
    assert "1.1.1.1. Netzwerk Übergang Schule–Beruf" in words(built.pdf, page)
    toc = next(line for line in words(built.pdf, 1).splitlines() if "Netzwerk Übergang" in line)
    assert toc.startswith("1.1.1.1.") and toc.rstrip().endswith(str(page + 1))
    assert re.search(r"\.{3,}", toc)  # leader dots between title and page number


def test_a_reference_to_a_fourth_level_heading_names_its_number(built):
    assert "siehe Kapitel 3.1.1.1" in " ".join(_all_text(built.pdf)).replace("\n", " ")


def test_body_text_spans_the_full_type_width(built):
    """Without a margin column a justified-width paragraph runs from the left to the right margin (174 mm)."""
    line = _line_of(built.pdf, 2, "Das Jobcenter Musterstadt legt mit diesem Programm")
    left = min(c["x0"] for c in line)
    with pdfplumber.open(built.pdf) as doc:
        right = max(c["x1"] for c in doc.pages[2].chars if abs(c["top"] - line[0]["top"]) < 2)
        width = float(doc.pages[2].width)
    assert left == pytest.approx(18 * MM, abs=1.5 * MM)
    assert right > width - 18 * MM - 12 * MM  # a full line ends near the right margin
    assert right - left > 150 * MM           # far wider than the 126 mm column of an edition with notes


def test_cover_shows_slogan_logo_and_address_and_the_footer_the_reference_number(built):
    cover = words(built.pdf, 0)
    assert "Gemeinsam in Arbeit – für Musterstadt" in cover
    assert "Am Marktplatz 7" in cover  # anschrift: [impressum, titelseite]
    assert "Programm" in cover and "Stand 15.11.2026" in cover
    with pdfplumber.open(built.pdf) as doc:
        assert doc.pages[0].images or doc.pages[0].rects or doc.pages[0].curves  # the logo is drawn
        footer = doc.pages[3].within_bbox((0, float(doc.pages[3].height) - 22 * MM, float(doc.pages[3].width),
                                           float(doc.pages[3].height))).extract_text()
        header = doc.pages[3].within_bbox((0, 0, float(doc.pages[3].width), 24 * MM)).extract_text()
    assert "Az. 50.1-2027/04" in footer and "Jobcenter Musterstadt" in footer
    assert "AMIP Musterstadt" in header


def test_the_theme_colour_is_used_in_the_pdf(built):
    """Headings are set in the organisation's colour #2e6b3a, not Düsseldorf's blue."""
    line = _line_of(built.pdf, 2, "Einleitung")
    colour = tuple(round(v * 255) for v in line[0]["non_stroking_color"])
    assert colour == (0x2E, 0x6B, 0x3A)


def test_the_planning_table_has_one_value_column_and_the_total_at_the_bottom(built):
    text = " ".join(_all_text(built.pdf))
    lines = text.splitlines()
    assert "Zweckbestimmung Eintritte 2027" in lines  # the header row: one value column, no basis, no Vergleich
    rows = [line for line in lines if line.startswith(("I. ", "VIII. ", "Summe"))]
    assert rows[-1] == "Summe 1.262"  # 410+260+180+95+40+35+12+150+45+20+15, computed, after the groups
    assert "I. Aktivierung und berufliche Eingliederung 670" in rows


def test_the_budget_table_has_cents_a_computed_total_and_shares(built):
    text = " ".join(_all_text(built.pdf))
    assert "Eingliederungstitel 6.480.000,00 € 39,4%" in text
    assert "Verwaltungskostenbudget 9.438.250,75 € 57,3%" in text
    assert "Kommunale Mittel 540.000,00 € 3,3%" in text
    assert "Gesamt 16.458.250,75 € 100,0%" in text


def test_the_waterfall_shows_its_computed_subtotal(built):
    """„Bundesmittel zusammen“ is drawn from zero with 6,48 + 9,44 = 15,92, computed by amip."""
    web = built.web.parent / "assets" / "abbildungen"
    html = built.web.read_text(encoding="utf-8")
    assert "Zwischensumme Bundesmittel zusammen: 15,92" in html  # the alt text names it
    page = destinations(built.pdf)["abb-budgetkette"].page
    assert "15,92" in words(built.pdf, page) and "Bundesmittel" in words(built.pdf, page)
    assert any(web.iterdir())


def test_tables_and_figures_share_one_abb_sequence(built):
    """Abb. 1 (planning table), Abb. 2 (bar chart), Abb. 3 (budget table), Abb. 4 (waterfall)."""
    text = " ".join(_all_text(built.pdf))
    labels = re.findall(r"Abb\. (\d+): (Geplante Eintritte 2027 je|Geplante Eintritte 2027 in|Gesamtbudget|Vom Eing)", text)
    assert [int(n) for n, _ in labels] == [1, 2, 3, 4]
    assert "Tabelle 1" not in text
