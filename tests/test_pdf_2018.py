"""The long 2018 edition: Kennzahlen in the older shape, six Portfolio tables, dense margin notes."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from test_pdf_2026 import check_margin_notes, layout_text, row_pattern, test_toc_page_numbers_are_the_pages_of_their_headings as toc_check


@pytest.fixture(scope="module")
def built_2018(tmp_path_factory):
    from amip.build import build

    return build(ROOT / "content/duesseldorf/2018", tmp_path_factory.mktemp("build-2018"))


def test_page_count_in_range(built_2018):
    assert 60 <= built_2018.pages <= 110


def test_toc_page_numbers_2018(built_2018):
    toc_check(built_2018)


def test_toc_set_in_columns_2018(built_2018):
    """Three levels (8.4.1 …), long titles wrapping: the typesetter's rules hold here as well."""
    from test_toc import check_toc, toc_entries

    assert check_toc(built_2018.pdf) >= 20
    assert {e["level"] for e in toc_entries(built_2018.pdf)} == {1, 2, 3}


@pytest.mark.parametrize("cells", [
    ("Insgesamt", "12.001", "11.904", "1%"),
    ("I. Aktivierung und berufliche Eingliederung", "7.240", "7.368", "-2%"),
    ("II. berufliche Weiterbildung", "2.000", "1.980", "1%"),
    ("darunter abschlussorientiert", "350", "300", "17%"),
    ("darunter Grundkompetenzen", "155", "155", "0%"),
    ("III. Aufnahme einer Erwerbstätigkeit", "860", "710", "21%"),
    ("Einstiegsgeld", "400", "250", "60%"),
    ("IV. Berufswahl und Berufsbildung", "251", "226", "11%"),      # printed "0%" in the original (D1)
    ("EQ (Einstiegsqualifizierung)", "75", "50", "50%"),
    ("VI. Öffentlich geförderte Beschäftigung", "1.500", "1.470", "2%"),
    ("Förderung von Arbeitsverhältnissen", "100", "70", "43%"),
    ("VII. Freie Förderung nach § 16 f", "100", "100", "0%"),       # numbered VIII in the original (D2)
])
def test_kennzahlen_2018_rows(built_2018, cells):
    assert row_pattern(*cells).search(layout_text(built_2018.pdf)), cells


def test_kennzahlen_2018_headers(built_2018):
    assert row_pattern("Zweckbestimmung", "Plätze 2018", "Ansatz 2017", "Vergleich").search(layout_text(built_2018.pdf))


@pytest.mark.parametrize("total", ["2.850", "2.176", "3.368", "554", "1.193", "1.990"])
def test_every_portfolio_summe_is_computed(built_2018, total):
    assert re.search(rf"^\s*Summe\s+{re.escape(total)}(\s|$)", layout_text(built_2018.pdf), re.M), total


def test_grundkompetenzen_shown_as_contained(built_2018):
    assert "155 (in FbW enthalten)" in layout_text(built_2018.pdf)


def test_margin_notes_2018(built_2018):
    """Over the whole 2018 PDF: every note on its paragraph's page, in the margin, overlapping nothing."""
    html = (built_2018.pdf.parent / "druck.html").read_text(encoding="utf-8")
    assert check_margin_notes(built_2018.pdf, html) >= 140


def test_charts_are_vectors_with_searchable_text(built_2018):
    """The pies and the bar chart are embedded as SVG vectors: their labels are text in the PDF."""
    text = layout_text(built_2018.pdf)
    for label in ("Arabische Republik Syrien", "Hochschulreife", "Akademische Ausbildung", "5 und mehr Personen", "gE TYP IIIb"):
        assert label in text, label


def test_handlungsstrategien_gesamt_is_computed(built_2018):
    assert row_pattern("Berufserfahrung ermöglichen", "12.623", "9.695", "22.318").search(layout_text(built_2018.pdf))


def test_2018_builds_are_byte_identical_and_web_figures_accessible(built_2018, tmp_path):
    import re

    from amip.build import build

    again = build(ROOT / "content/duesseldorf/2018", tmp_path / "nochmal")
    assert again.pdf.read_bytes() == built_2018.pdf.read_bytes()
    web = built_2018.web.read_text(encoding="utf-8")
    figures = re.findall(r'<figure class="abbildung".*?</figure>', web, re.S)
    assert len(figures) == 6
    for figure in figures:
        assert re.search(r'alt="(Kreisdiagramm|Balkendiagramm|Wasserfalldiagramm): [^"]{20,}"', figure), figure[:200]
        assert "<details" in figure and "<table" in figure


def test_no_unexplained_gap_in_the_body_column_2018(built_2018):
    """The 2018 edition had holes of 3–9 lines under long notes (p. 22, 43): none remain."""
    from pagecheck import unexplained_gaps

    assert unexplained_gaps(built_2018.pdf) == []


def test_no_heading_is_the_last_line_of_a_page_2018(built_2018):
    from pagecheck import headings_at_page_foot

    assert headings_at_page_foot(built_2018.pdf) == []


def test_layout_check_finds_nothing_in_2018(built_2018):
    assert [p.format() for p in built_2018.layout_findings] == []


def test_no_bad_hyphenation_2018(built_2018):
    from test_hyphenation import check_no_bad_breaks

    assert check_no_bad_breaks(built_2018.pdf) > 10
