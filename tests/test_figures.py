"""Figure options: waterfall subtotals, sums over series for [[wert: …]], tables in the Abb. sequence, placeholders."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from amip.build import build, load_edition
from amip.errors import ContentError
from pdfinspect import structure, words
from test_layout import make_edition

BUDGET = """\
art: reihe
titel: Budget 2030 (Mio. €)
einheit: Mio. €
kategorien: [Eingliederungstitel, Verwaltungskosten, Bundesmittel, Landesmittel, Kommunale Mittel]
zwischensummen: [Bundesmittel]
negativ: ja
reihen:
  Mio. €: ["33,5", "41,25", "2,5", "-1,25"]
quelle: Jobcenter Test
"""


def all_text(result) -> str:
    return re.sub(r"\s+", " ", " ".join(words(result.pdf, p) for p in range(result.pages)))


def errors_of(edition, step=load_edition) -> list:
    """The errors that loading (or `step`, e.g. a build) reports for an edition."""
    with pytest.raises(ContentError) as info:
        step(edition)
    return [p for p in info.value.problems if p.level == "fehler"]


# ---------------------------------------------------------------- waterfall with subtotals

def test_waterfall_subtotal_is_computed_and_labelled_in_the_chart(tmp_path):
    """The subtotal bar carries its category and the computed running total (33,5 + 41,25 = 74,75)."""
    edition = make_edition(tmp_path, "---\ntitel: Budget\n---\n\nBund: [[wert: budget.Bundesmittel]] Mio. €.\n\n"
                                     "[[diagramm: budget | wasserfall]]\n", {"budget": BUDGET})
    result = build(edition, tmp_path / "out")
    text = all_text(result)
    assert "Bund: 74,75 Mio. €." in text
    # the print chart keeps its text as text (the web one draws glyphs as paths)
    [svg] = [p.read_text(encoding="utf-8") for p in (tmp_path / "build/.cache/diagramme").glob("*.svg")
             if "<text" in p.read_text(encoding="utf-8")]
    texts = [t.strip() for t in re.findall(r"<text[^>]*>([^<]+)</text>", svg)]
    for label in ("Bundesmittel", "74,75", "Insgesamt", "76,00"):  # 33,5 + 41,25 + 2,5 − 1,25 = 76
        assert label in texts, (label, texts)
    assert "Bundesmittel" in text and "74,75" in text  # the chart's text is text in the PDF too
    html = (tmp_path / "out/web/index.html").read_text(encoding="utf-8")
    assert "Zwischensumme Bundesmittel: 74,75 Mio. €" in html  # alt text
    assert "Insgesamt: 76,00 Mio. €" in html


def test_waterfall_subtotal_bar_stands_on_zero():
    """Drawn from zero with its computed value: the bar's height is the running total, not a step."""
    from amip.charts import ChartSpec, _draw

    spec = ChartSpec("wasserfall", "T", ("A", "B", "Zwischen", "C"), (("W", ("10", "5", "15", "3")),),
                     subtotals=("Zwischen",))
    svg, findings = _draw(spec)
    svg = svg.decode()
    assert not findings  # every label readable
    bars = sorted((float(x), float(bottom), float(top)) for x, bottom, top in re.findall(
        r'<path d="M ([\d.]+) ([\d.]+) \nL [\d.]+ [\d.]+ \nL [\d.]+ ([\d.]+) \nL[^"]*"\s+clip-path', svg))
    assert len(bars) == 5  # A, B, subtotal, C, Insgesamt
    (_, zero, top_a), _, (_, sub_bottom, sub_top), _, (_, total_bottom, total_top) = bars
    assert sub_bottom == pytest.approx(zero) and total_bottom == pytest.approx(zero)
    assert (sub_bottom - sub_top) == pytest.approx(1.5 * (zero - top_a))      # 15 against 10
    assert (total_bottom - total_top) == pytest.approx(1.8 * (zero - top_a))  # 18 against 10


def test_subtotal_must_not_be_typed(tmp_path):
    """Five values for five categories of which one is a Zwischensumme: a located error with a hint."""
    data = BUDGET.replace('["33,5", "41,25", "2,5", "-1,25"]', '["33,5", "41,25", "74,75", "2,5", "-1,25"]')
    edition = make_edition(tmp_path, "---\ntitel: B\n---\n\nText.\n", {"budget": data})
    [problem] = errors_of(edition)
    assert str(problem.location).endswith("daten/budget.yaml:8:11")
    assert problem.message == "Reihe „Mio. €“ hat 5 Werte für 4 Kategorien ohne Zwischensummen."
    assert "bekommen keinen Wert" in problem.hint


def test_unknown_subtotal_category_is_located(tmp_path):
    edition = make_edition(tmp_path, "---\ntitel: B\n---\n\nText.\n",
                           {"budget": BUDGET.replace("[Bundesmittel]", "[Bundesmittel, Bundmittel]")})
    [problem] = errors_of(edition)
    assert problem.message == "Kategorie „Bundmittel“ gibt es nicht."
    assert str(problem.location).endswith("budget.yaml:5:32")


def test_subtotals_only_in_a_waterfall(tmp_path):
    edition = make_edition(tmp_path, "---\ntitel: B\n---\n\n[[diagramm: budget | balken]]\n", {"budget": BUDGET})
    [problem] = errors_of(edition, lambda e: build(e, tmp_path / "out"))
    assert "nur im Wasserfalldiagramm" in problem.message and str(problem.location).endswith("01-test.md:5")


# ---------------------------------------------------------------- [[wert: …]] over series

SERIES = """\
art: reihe
titel: Eintritte nach Geschlecht
kategorien: ["2028", "2029", "2030"]
reihen:
  Frauen: [100, 120, 130]
  Männer: [200, 210, 250]
"""


def test_series_values_give_per_series_and_overall_sums(tmp_path):
    """summe = all series; summe.<reihe> = one series; <kategorie>.summe = one category over all series."""
    edition = load_edition(make_edition(tmp_path, "---\ntitel: W\n---\n\nText.\n", {"eintritte": SERIES}))
    values = {path: number for path, (_, number) in edition.values.items()}
    assert values["eintritte.summe"] == Decimal(1010)  # not 350, the first series only
    assert values["eintritte.summe.Frauen"] == Decimal(350)
    assert values["eintritte.summe.Männer"] == Decimal(660)
    assert values["eintritte.2030.summe"] == Decimal(380)
    assert values["eintritte.2030.Männer"] == Decimal(250)
    assert values["eintritte.2030"] == Decimal(130)  # a category alone still names the first series
    assert edition.values["eintritte.summe"][0] == "1.010"


def test_series_sums_in_prose(tmp_path):
    chapter = ("---\ntitel: W\n---\n\nInsgesamt [[wert: eintritte.summe]], Frauen [[wert: eintritte.summe.Frauen]], "
               "2030 zusammen [[wert: eintritte.2030.summe]].\n")
    result = build(make_edition(tmp_path, chapter, {"eintritte": SERIES}), tmp_path / "out")
    assert "Insgesamt 1.010, Frauen 350, 2030 zusammen 380." in all_text(result)


def test_sums_leave_subtotals_out(tmp_path):
    edition = load_edition(make_edition(tmp_path, "---\ntitel: W\n---\n\nText.\n", {"budget": BUDGET}))
    assert edition.values["budget.summe"] == ("76", Decimal("76.00"))
    assert edition.values["budget.Bundesmittel"][0] == "74,75"


def test_summe_is_a_reserved_category_name(tmp_path):
    edition = make_edition(tmp_path, "---\ntitel: W\n---\n\nText.\n",
                           {"eintritte": SERIES.replace('"2030"]', 'summe]').replace("Frauen: [100, 120, 130]",
                                                                                     "Frauen: [100, 120, 130]")})
    [problem] = errors_of(edition)
    assert "„summe“ ist als Name" in problem.message and "eintritte.yaml:3" in str(problem.location)


# ---------------------------------------------------------------- tables in the figures' sequence

TRAEGER = """\
name: Jobcenter Test
erstes_programm: 2005
anschrift: {strasse: Teststraße 1, plz: "12345", ort: Teststadt}
"""

NUMBERED = """---
titel: Zahlen
---

Siehe [[tab: dritte]], [[abb: quote]] und [[abb: erste]].

[[tabelle: erste]]

[[diagramm: quote | linie]]

[[tabelle: dritte]]

[[verzeichnis: abbildungen]]
"""

TABLES = {
    "erste": "art: tabelle\ntitel: Erste Tabelle\nspalten:\n  - {name: A}\n  - {name: B, art: zahl}\nzeilen:\n  - [x, 1]\n",
    "dritte": "art: tabelle\ntitel: Dritte Tabelle\nspalten:\n  - {name: A}\nzeilen:\n  - [y]\n",
    "quote": "art: reihe\ntitel: Quote im Verlauf\nkategorien: [\"2028\", \"2029\"]\nreihen:\n  Q: [1, 2]\n",
}


def numbered_edition(tmp_path, traeger_extra: str = "", chapter: str = NUMBERED):
    edition = make_edition(tmp_path, chapter, TABLES)
    (edition.parent / "traeger.yaml").write_text(TRAEGER + traeger_extra, encoding="utf-8")
    return edition


def test_tables_join_the_figures_sequence(tmp_path):
    """`tabellen: {nummerierung: wie_abbildungen}`: Abb. 1 (table), Abb. 2 (chart), Abb. 3 (table),
    in captions, references and the list of figures."""
    edition = numbered_edition(tmp_path, "tabellen:\n  nummerierung: wie_abbildungen\n")
    result = build(edition, tmp_path / "out")
    text = all_text(result)
    assert "Siehe Abb. 3, Abb. 2 und Abb. 1." in text
    assert "Abb. 1: Erste Tabelle" in text and "Abb. 2: Quote im Verlauf" in text and "Abb. 3: Dritte Tabelle" in text
    assert "Tabelle 1" not in text and "Tabelle 2" not in text
    listing = re.search(r"Abb\. 1: Erste Tabelle ?\.+ ?3 Abb\. 2: Quote im Verlauf ?\.+ ?3 "
                        r"Abb\. 3: Dritte Tabelle ?\.+ ?3", text)
    assert listing, text


def test_separate_sequences_by_default(tmp_path):
    """Without the option tables and figures keep their own numbers: Tabelle 1, Abb. 1, Tabelle 2."""
    result = build(numbered_edition(tmp_path, chapter=NUMBERED.replace(" und [[abb: erste]]", "")), tmp_path / "out")
    text = all_text(result)
    assert "Siehe Tabelle 2, Abb. 1." in text
    assert "Tabelle 1: Erste Tabelle" in text and "Abb. 1: Quote im Verlauf" in text and "Tabelle 2: Dritte Tabelle" in text
    assert re.search(r"Abb\. 1: Quote im Verlauf ?\.+ ?3 Jobcenter", text) and "Abb. 2" not in text


def test_joined_sequence_takes_the_figures_word(tmp_path):
    """A table in the sequence is called what the organisation calls its figures ("Schaubild 1")."""
    edition = numbered_edition(tmp_path, "abbildungen: {bezeichnung: Schaubild}\n"
                                         "tabellen: {nummerierung: wie_abbildungen}\n")
    loaded = load_edition(edition)
    from amip.build import table_labels

    assert table_labels(loaded) == {"tabelle-erste": "Schaubild 1", "tabelle-dritte": "Schaubild 3"}


def test_table_word_with_joined_sequence_is_a_located_error(tmp_path):
    edition = numbered_edition(tmp_path, "tabellen:\n  bezeichnung: Tab.\n  nummerierung: wie_abbildungen\n")
    [problem] = errors_of(edition)
    assert "wie_abbildungen" in problem.message and str(problem.location).endswith("traeger.yaml:5:3")


# ---------------------------------------------------------------- placeholders

PLACEHOLDER = """\
art: platzhalter
titel: Organigramm der Arbeitsvermittlung
alt: Organigramm mit drei Teams der Arbeitsvermittlung und ihrer Leitung
hinweis: Die Grafik liefert das Team Controlling bis Ende Januar.
"""


def test_placeholder_is_a_framed_box_with_caption_and_alt_text(tmp_path):
    """`art: platzhalter`: a numbered, captioned box saying "Grafik folgt", alt text in the PDF tag and
    on the web, listed in the list of figures and flagged open."""
    chapter = ("---\ntitel: Aufbau\n---\n\nSiehe [[abb: organigramm]].\n\n[[abbildung: organigramm]]\n\n"
               "[[verzeichnis: abbildungen]]\n")
    edition = numbered_edition(tmp_path, chapter=chapter)
    (edition / "daten/organigramm.yaml").write_text(PLACEHOLDER, encoding="utf-8")
    result = build(edition, tmp_path / "out")
    text = all_text(result)
    assert "Siehe Abb. 1." in text
    for line in ("Grafik folgt", "Die Grafik liefert das Team Controlling bis Ende Januar."):
        assert line.replace(" ", "") in text.replace(" ", "")  # the box's text (SVG text: spaces not extracted)
    assert "Abb. 1: Organigramm der Arbeitsvermittlung" in text  # caption
    assert re.search(r"Abb\. 1: Organigramm der Arbeitsvermittlung ?\.+ ?3", text)  # list of figures
    assert structure(result.pdf)[1] == ["Organigramm mit drei Teams der Arbeitsvermittlung und ihrer Leitung"]
    web = (tmp_path / "out/web/index.html").read_text(encoding="utf-8")
    figure = re.search(r'<figure class="abbildung platzhalter" id="abb-organigramm" data-offen="ja">.*?</figure>',
                       web, re.S).group(0)
    assert 'alt="Organigramm mit drei Teams der Arbeitsvermittlung und ihrer Leitung"' in figure
    src = re.search(r'src="(assets/abbildungen/[0-9a-f]+\.svg)"', figure).group(1)
    svg = (tmp_path / "out/web" / src).read_text(encoding="utf-8")
    assert 'stroke-dasharray' in svg and "<rect" in svg  # the frame
    from amip.build import chart_refs
    from amip.errors import Collector

    refs, _ = chart_refs(load_edition(edition), Collector(), None)
    assert refs[("organigramm", "bild")].offen


def test_placeholder_needs_alt_text(tmp_path):
    edition = make_edition(tmp_path, "---\ntitel: A\n---\n\n[[abbildung: organigramm]]\n",
                           {"organigramm": "art: platzhalter\ntitel: Organigramm\n"})
    [problem] = errors_of(edition)
    assert problem.message == "Pflichtangabe „alt“ fehlt." and "organigramm.yaml:1" in str(problem.location)


def test_placeholder_placed_as_table_is_a_located_error(tmp_path):
    edition = make_edition(tmp_path, "---\ntitel: A\n---\n\n[[tabelle: organigramm]]\n", {"organigramm": PLACEHOLDER})
    [problem] = errors_of(edition, lambda e: build(e, tmp_path / "out"))
    assert "ist eine Abbildung, keine Tabelle" in problem.message and str(problem.location).endswith("01-test.md:5")
