"""Charts readable by construction: labels that never overlap, honest axes, one precision, room above."""

from __future__ import annotations

import dataclasses
import re

import pytest

from amip.charts import ChartSpec, _draw, alt_text, data_rows
from conftest import run_amip
from svgtext import collisions, text_boxes
from test_check import errors, line_of

NINE = ChartSpec("torte", "Neun Gruppen", tuple(f"Herkunftsgruppe {c}" for c in "ABCDEFGHI"),
                 (("Anteil", ("40", "26", "15", "9", "2.9", "2.5", "2.1", "1.5", "1.0")),), unit="%")
MONTHS = tuple(f"{m} {y}" for y in (23, 24, 25) for m in ("Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug",
                                                         "Sep", "Okt", "Nov", "Dez"))[:25]
MONTHLY = ChartSpec("linie", "Arbeitslose je Monat", MONTHS,
                    (("Arbeitslose", tuple(str(21000 + 37 * i % 900) for i in range(25))),
                     ("Langzeitarbeitslose", tuple(str(9000 + 23 * i % 500) for i in range(25)))))
WATERFALL = ChartSpec("wasserfall", "Mittel", ("Eingliederungstitel", "Drittmittel für Arbeitsmarktdienstleistungen",
                                               "Bundesprogramm Teilhabe am Arbeitsmarkt", "Umschichtung"),
                      (("Mio. €", ("33.77", "4.89", "2.5", "-1.2")),), unit="Mio. €")
GESUNDHEIT = ChartSpec("gruppiert", "Teilnehmende", ("2024", "2025", "2026"), (("Teilnehmende", ("334", "360", "390")),),
                       highlight="2026")
QUOTE = ChartSpec("balken", "Integrationsquote", ("Deutschland", "gE TYP IIIb", "Nordrhein-Westfalen", "Düsseldorf"),
                  (("Dez 16", ("24.3", "23.2", "21", "19.9")),), unit="%")


def laid_out(spec):
    from amip.charting.draw import figure

    return figure(spec)


def value_labels(fig):
    return [t for t in fig.axes[0].texts if t.get_visible() and t.get_text().strip()]


def test_donut_with_nine_slices_five_small_has_no_overlapping_text_in_the_svg():
    """Nine slices, five under 3 %: every label is drawn, and no two text boxes in the SVG overlap."""
    svg, findings = _draw(NINE)
    assert findings == ()
    boxes, _ = text_boxes(svg)
    shown = " ".join(b.text for b in boxes)
    for letter in "ABCDEFGHI":                                  # all nine named, nothing silently dropped
        assert f"Herkunftsgruppe {letter}" in shown or "Sonstige" in shown
    assert "1,0%" in shown and "2,9%" in shown                  # the small slices keep their values
    assert collisions(svg) == []


def test_the_svg_overlap_reading_detects_the_old_crowded_donut():
    """The measuring helper is not blind: matplotlib's default pie labels for the same data do collide."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    plt.rcParams.update({"svg.fonttype": "none", "font.family": "Open Sans", "svg.hashsalt": "amip"})
    fig, ax = plt.subplots(figsize=(6.3, 3.2))
    ax.pie([float(v) for v in NINE.values(0)], labels=list(NINE.categories), startangle=90, counterclock=False,
           textprops={"fontsize": 7})
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg")
    plt.close(fig)
    assert collisions(buffer.getvalue())


@pytest.mark.parametrize("medium", ["druck", "web"])
def test_all_edition_like_charts_pass_their_own_text_check(medium):
    for spec in (NINE, MONTHLY, WATERFALL, GESUNDHEIT, QUOTE):
        svg, findings = _draw(dataclasses.replace(spec, medium=medium))
        assert findings == (), (spec.title, findings)
        if medium == "druck":
            assert collisions(svg) == [], spec.title


def test_bar_charts_start_their_value_axis_at_zero():
    for spec in (GESUNDHEIT, QUOTE, WATERFALL):
        fig = laid_out(spec)
        ax = fig.axes[0]
        low = ax.get_xlim()[0] if spec.kind == "balken" else ax.get_ylim()[0]
        assert low == 0, spec.title
    fig = laid_out(dataclasses.replace(GESUNDHEIT, series=(("Veränderung", ("-40", "25", "60")),)))
    low, high = fig.axes[0].get_ylim()
    assert low < -40 and high > 60                               # negative bars: zero inside, both ends shown


def test_one_precision_for_all_value_labels_of_a_chart():
    """24,3% and 21% in one chart become 24,3% and 21,0% – in the drawing, the alt text and the data table."""
    svg, _ = _draw(QUOTE)
    labels = [b.text for b in text_boxes(svg)[0]]
    assert "21,0%" in labels and "24,3%" in labels and "21%" not in labels
    assert "Nordrhein-Westfalen: 21,0%" in alt_text(QUOTE)
    assert ("Nordrhein-Westfalen", "21,0%") in data_rows(QUOTE)[1]
    svg, _ = _draw(WATERFALL)
    labels = [b.text for b in text_boxes(svg)[0]]
    assert {"33,77", "4,89", "2,50", "-1,20", "39,96"} <= set(labels)


def test_headroom_above_the_tallest_value_label():
    """The 390 label of 2026 p. 14 no longer touches the top: it ends at least 4 pt inside the plot area."""
    from amip.charting.layout import HEADROOM_PT

    for spec in (GESUNDHEIT, WATERFALL, dataclasses.replace(GESUNDHEIT, medium="web")):
        fig = laid_out(spec)
        renderer = fig.canvas.get_renderer()
        top = fig.axes[0].get_window_extent(renderer).y1
        highest = max(t.get_window_extent(renderer).y1 for t in value_labels(fig))
        assert highest <= top - HEADROOM_PT * fig.dpi / 72 + 0.5, spec.title
    fig = laid_out(QUOTE)                                         # horizontal bars: room to the right
    renderer = fig.canvas.get_renderer()
    right = fig.axes[0].get_window_extent(renderer).x1
    assert max(t.get_window_extent(renderer).x1 for t in value_labels(fig)) <= right - HEADROOM_PT * fig.dpi / 72 + 0.5


@pytest.mark.parametrize("medium", ["druck", "web"])
def test_dense_category_axes_thin_or_wrap_their_labels(medium):
    """25 months: every k-th label, none touching; long bar names: all shown, wrapped, none touching."""
    fig = laid_out(dataclasses.replace(MONTHLY, medium=medium))
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    ticks = [t for t in ax.get_xticklabels() if t.get_text()]
    assert 2 <= len(ticks) < 25
    assert ticks[0].get_text() == "Jan 23"
    boxes = sorted((t.get_window_extent(renderer) for t in ticks), key=lambda b: b.x0)
    assert all(a.x1 < b.x0 for a, b in zip(boxes, boxes[1:]))
    fig = laid_out(dataclasses.replace(WATERFALL, medium=medium))
    ax = fig.axes[0]
    names = [t.get_text() for t in ax.get_xticklabels()]
    assert len(names) == 5 and names[-1] == "Insgesamt"
    assert any("\n" in name for name in names)                    # the long names were wrapped …
    boxes = sorted((t.get_window_extent(renderer) for t in ax.get_xticklabels()), key=lambda b: b.x0)
    assert all(a.x1 < b.x0 for a, b in zip(boxes, boxes[1:]))     # … and stand apart


def test_overlap_check_fires_on_a_constructed_bad_case():
    """Two labels on one spot and one beyond the edge are each reported, in German."""
    from matplotlib import pyplot as plt

    from amip.charting.check import text_findings

    fig, ax = plt.subplots(figsize=(3, 2))
    ax.text(0.5, 0.5, "Erster Wert 12,5%")
    ax.text(0.52, 0.5, "Zweiter Wert 13,0%")
    ax.text(1.3, 0.5, "Weit draußen")
    try:
        findings = text_findings(fig)
    finally:
        plt.close(fig)
    assert "Die Beschriftungen „Erster Wert 12,5%“ und „Zweiter Wert 13,0%“ überdecken sich." in findings
    assert "Die Beschriftung „Weit draußen“ ragt über den Rand des Diagramms." in findings


def test_unreadable_chart_stops_the_build_at_its_data_file(content):
    """A chart whose labels cannot be set apart fails the build with the data file:line; nothing is written."""
    data = content / "2026/daten/viele.yaml"
    names = [f"Maßnahmeträger{i:02d}Gesellschaftsbereich" for i in range(90)]
    data.write_text("art: reihe\ntitel: Viele Träger\nkategorien: [" + ", ".join(names) + "]\nreihen:\n  Plätze: ["
                    + ", ".join(str(10 + i) for i in range(90)) + "]\n", encoding="utf-8")
    chapter = content / "2026/kapitel/05-gesundheit.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n[[diagramm: viele | gruppiert]]\n", encoding="utf-8")
    result = run_amip("build", str(content / "2026"), cwd=content.parents[1])
    assert result.returncode == 1 and "Traceback" not in result.stderr
    found = errors(result.stderr)
    line = line_of(data, "kategorien")
    assert found and all(re.match(rf"content/duesseldorf/2026/daten/viele\.yaml:{line}:\d+: Fehler: Diagramm „viele“ "
                                  r"\(gruppiert\) (im PDF|in der Web-Ausgabe): ", m) for m in found), found
    assert any("überdecken sich" in m for m in found) and len(found) <= 8      # a few examples, not hundreds
    written = content.parents[1] / "build/duesseldorf/2026"
    assert not (written / "amip-duesseldorf-2026.pdf").exists() and not (written / "web").exists()


def test_a_line_chart_with_one_point_per_series_is_a_located_german_error(content):
    data = content / "2026/daten/quote.yaml"
    data.write_text("art: reihe\ntitel: Integrationsquote\neinheit: \"%\"\nkategorien: [Dez 16]\nreihen:\n"
                    "  Düsseldorf: [\"19,9\"]\n  NRW: [\"21,0\"]\n", encoding="utf-8")
    chapter = content / "2026/kapitel/05-gesundheit.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n[[diagramm: quote | linie]]\n", encoding="utf-8")
    result = run_amip("check", str(content / "2026"), cwd=content.parents[1])
    assert result.returncode == 1 and "Traceback" not in result.stderr
    [message] = errors(result.stderr)
    assert re.fullmatch(rf"content/duesseldorf/2026/daten/quote\.yaml:{line_of(data, 'kategorien')}:\d+: Fehler: Ein "
                        "Liniendiagramm braucht mindestens zwei Punkte je Reihe; „quote“ hat nur einen "
                        "\\(Kategorie „Dez 16“\\)\\.", message), message
    assert "Hinweis: Ergänzen Sie weitere Kategorien" in result.stderr and "„balken“ oder „gruppiert“" in result.stderr


def test_web_charts_are_phone_sized_with_open_sans_as_paths():
    """Web SVGs carry no font-dependent text (glyph outlines of Open Sans) and no text below 11 CSS px at 390 px."""
    from amip.charting.layout import MEDIA

    content_px = 390 - 2 * 1.1 * 17                # screen.css: body padding 1.1rem at 17px
    web = MEDIA["web"]
    scale = min(1.0, content_px / (web.width * 96))
    assert min(web.font, web.label) * 96 / 72 * scale >= 11
    for spec in (NINE, GESUNDHEIT, MONTHLY):
        svg, findings = _draw(dataclasses.replace(spec, medium="web"))
        assert findings == ()
        text = svg.decode()
        assert "<text" not in text and "<path" in text
        assert re.search(r'width="331\.2pt"', text)
        printed, _ = _draw(spec)
        assert "font-family: 'Open Sans'" in printed.decode()    # the PDF keeps real, searchable text


def test_web_and_print_drawings_are_deterministic_and_keyed_apart():
    web = dataclasses.replace(NINE, medium="web")
    assert _draw(web) == _draw(web)
    assert web.key() != NINE.key()
    assert dataclasses.replace(NINE, unit="").key() != NINE.key()


def test_a_donut_too_crowded_for_a_phone_groups_its_smallest_slices_as_sonstige():
    """Twenty slices on the web: the smallest go into "Sonstige"; the large ones keep their own labels."""
    values = ("30", "20", "12", "8", "6", *("1.6",) * 15)
    spec = ChartSpec("torte", "Zwanzig", tuple(f"Staat Nummer {i}" for i in range(20)), (("Anteil", values),), unit="%",
                     medium="web")
    fig = laid_out(spec)
    labels = [" ".join(t.get_text().split()) for t in value_labels(fig)]
    assert any(label.startswith("Sonstige ") for label in labels)
    assert "Staat Nummer 0 30,0%" in labels and "Staat Nummer 2 12,0%" in labels
    assert len(labels) < 20
    assert _draw(spec)[1] == ()
    printed = laid_out(dataclasses.replace(spec, medium="druck"))     # the wide print page names all twenty
    assert len(value_labels(printed)) == 20


def test_a_pie_of_zeros_is_a_located_error_not_a_crash(content):
    data = content / "2026/daten/leer.yaml"
    data.write_text("art: reihe\ntitel: Leer\nkategorien: [A, B]\nreihen:\n  Anzahl: [0, 0]\n", encoding="utf-8")
    chapter = content / "2026/kapitel/05-gesundheit.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n[[diagramm: leer | torte]]\n", encoding="utf-8")
    result = run_amip("check", str(content / "2026"), cwd=content.parents[1])
    assert result.returncode == 1 and "Traceback" not in result.stderr
    [message] = errors(result.stderr)
    assert message.startswith(f"content/duesseldorf/2026/daten/leer.yaml:{line_of(data, 'Anzahl')}:")
    assert "Das Kreisdiagramm „leer“ hat nur Nullwerte." in message


def test_value_labels_wider_than_their_bars_stand_upright_or_give_way_to_grid_lines():
    """Three series over twelve months: print turns the values upright; the narrow web figure shows grid lines."""
    spec = ChartSpec("gruppiert", "Eintritte je Monat", tuple(f"Monat {i}" for i in range(12)),
                     tuple((n, tuple(str(100 + 7 * i * (j + 1)) for i in range(12))) for j, n in enumerate("ABC")))
    printed = laid_out(spec)
    assert value_labels(printed) and all(t.get_rotation() == 90 for t in value_labels(printed))
    web = laid_out(dataclasses.replace(spec, medium="web"))
    assert value_labels(web) == [] and any(line.get_visible() for line in web.axes[0].yaxis.get_gridlines())
    for medium in ("druck", "web"):
        assert _draw(dataclasses.replace(spec, medium=medium))[1] == ()
