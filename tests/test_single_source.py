"""One source of truth: a value changed in the data changes the table, the chart and the sentence."""

from __future__ import annotations

import re
import subprocess

from amip.build import build
from conftest import copy_content, run_amip
from test_check import edit, errors, line_of


def pdf_text(pdf) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_changed_value_reaches_table_chart_and_prose_and_only_its_charts_are_redrawn(tmp_path):
    content = copy_content(tmp_path)
    first = build(content / "2026", tmp_path / "a")
    assert first.charts_drawn == 3
    again = build(content / "2026", tmp_path / "a")
    assert again.charts_drawn == 0                               # unchanged: nothing redrawn
    edit(content / "2026/daten/kennzahlen.yaml", "{bezeichnung: ao, schluessel: ao, plan: 360, basis: 307}",
         "{bezeichnung: ao, schluessel: ao, plan: 365, basis: 307}")
    edit(content / "2026/daten/kennzahlen.yaml", "erwartet: {plan: 8.510", "erwartet: {plan: 8.515")  # stated total
    changed = build(content / "2026", tmp_path / "a")
    assert changed.charts_drawn == 2                             # Kennzahlen and Portfolio charts, not Gesundheit
    text = pdf_text(changed.pdf)
    assert re.search(r"davon ao\s{2,}365\s{2,}307\s{2,}18,9%", text)              # table row
    assert re.search(r"II\. berufliche Weiterbildung\s{2,}1\.165", text)           # computed group sum
    assert "Eintritte in abschlussorientierte FbW: 365," in re.sub(r"\s+", " ", text)  # sentence in chapter 4
    svgs = [p.read_text(encoding="utf-8") for p in (tmp_path / "build/.cache/diagramme").glob("*.svg")]
    assert any(">1.165<" in svg for svg in svgs)                 # bar label in the Kennzahlen chart
    web = changed.web.read_text(encoding="utf-8")
    assert "Berufliche Weiterbildung: Eintritte 2026 1.165" in web or "berufliche Weiterbildung: Eintritte 2026 1.165" in web


def test_charts_in_the_web_edition_have_alt_text_and_a_data_table(built_2026):
    html = built_2026.web.read_text(encoding="utf-8")
    figures = re.findall(r'<figure class="abbildung".*?</figure>', html, re.S)
    assert len(figures) == 3
    for figure in figures:
        alt = re.search(r'<img src="assets/abbildungen/\w+\.svg" alt="([^"]+)"', figure).group(1)
        assert alt.split(":")[0] in ("Balkendiagramm", "Gruppiertes Balkendiagramm") and len(alt) > 60
        assert "<details" in figure and "<table" in figure and "<summary>" in figure
    assert ("Gruppiertes Balkendiagramm: Teilnehmende am Modellprojekt Gesundheitsförderung 2024–2026. "
            "2024: 334 Teilnehmende; 2025: 360 Teilnehmende; 2026: 390 Teilnehmende.") in html


def test_svg_charts_are_vectors_with_text_in_the_pdf(built_2026):
    """Axis and category labels are searchable text, not pixels."""
    text = pdf_text(built_2026.pdf)
    assert "VIII. § 16h Förderung schwer zu erreichender junger Menschen" in text
    for label in ("2.000", "Eintritte 2026", "2026: Ziel"):
        assert label in text


def test_unknown_chart_data_and_kind_are_located_errors(content):
    chapter = content / "2026/kapitel/05-gesundheit.md"
    edit(chapter, "[[diagramm: teilnehmende-gesundheit | gruppiert]]",
         "[[diagramm: teilnehmende | gruppiert]]\n\n[[diagramm: kennzahlen | torte]]")
    result = run_amip("check", str(content / "2026"), cwd=content.parents[1])
    assert result.returncode == 1 and "Traceback" not in result.stderr
    found = errors(result.stderr)
    line = line_of(chapter, "[[diagramm: teilnehmende |")
    assert any(m.startswith(f"content/duesseldorf/2026/kapitel/05-gesundheit.md:{line}: Fehler: Daten „teilnehmende“")
               for m in found), found
    assert any("nicht als torte" in m for m in found), found


def test_highlight_of_a_missing_category_is_a_located_error(content):
    data = content / "2026/daten/teilnehmende-gesundheit.yaml"
    edit(data, 'hervorheben: "2026"', 'hervorheben: "2027"')
    result = run_amip("check", str(content / "2026"), cwd=content.parents[1])
    assert result.returncode == 1
    [message] = errors(result.stderr)
    assert message.startswith(f"content/duesseldorf/2026/daten/teilnehmende-gesundheit.yaml:{line_of(data, '2027')}:")


def test_two_chart_drawings_are_byte_identical():
    from amip.charts import ChartSpec, _draw

    spec = ChartSpec("torte", "Test", ("a", "b"), (("Anzahl", ("3", "1")),))
    assert _draw(spec) == _draw(spec)


def test_check_warns_about_950_against_the_data(content):
    """The 2026 text gives a 2025 projection of 950 nao FbW entries, Anlage 1 says 1.019."""
    result = run_amip("check", str(content / "2026"), cwd=content.parents[1])
    assert result.returncode == 0
    line = line_of(content / "2026/kapitel/04-bildungszielplanung.md", "Hochrechnung 2025: 950")
    assert (f"content/duesseldorf/2026/kapitel/04-bildungszielplanung.md:{line}: Warnung: Zahl 950 weicht um -6,8% "
            "von kennzahlen.nao.basis (1.019) ab; der Satz nennt 2025.") in result.stderr


def test_check_warns_about_literal_data_values_and_old_years(content):
    chapter = content / "2026/kapitel/06-besondere-zielgruppen.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nFür 2026 sind 1.600 Arbeitsgelegenheiten geplant, "
                       "wie schon 2019 beschlossen.\n", encoding="utf-8")
    result = run_amip("check", str(content / "2026"), cwd=content.parents[1])
    line = len(chapter.read_text(encoding="utf-8").splitlines())
    prefix = f"content/duesseldorf/2026/kapitel/06-besondere-zielgruppen.md:{line}: Warnung: "
    assert prefix + "Zahl 1.600 steht auch in den Daten (kennzahlen.agh.plan)." in result.stderr
    assert "[[wert: kennzahlen.agh.plan]]" in result.stderr
    assert prefix + "Jahreszahl 2019 liegt vor dem Vorjahr der Ausgabe (2025)." in result.stderr


def test_placeholder_stops_the_build(content):
    chapter = content / "2026/kapitel/03-schwerpunkte.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nZiel ist die Senkung um X % bis Jahresende.\n",
                       encoding="utf-8")
    result = run_amip("check", str(content / "2026"), cwd=content.parents[1])
    assert result.returncode == 1
    [message] = errors(result.stderr)
    assert "Platzhalter „um X %“" in message


def test_unknown_value_path_is_located_with_a_suggestion(content):
    chapter = content / "2026/kapitel/02-rahmenbedingungen.md"
    edit(chapter, "[[wert: kennzahlen.ao.plan]]", "[[wert: kennzahlen.ao.plann]]")
    result = run_amip("check", str(content / "2026"), cwd=content.parents[1])
    assert result.returncode == 1
    [message] = errors(result.stderr)
    assert message.startswith("content/duesseldorf/2026/kapitel/02-rahmenbedingungen.md:")
    assert "Meinten Sie „kennzahlen.ao.plan“?" in result.stderr


def test_abbreviation_checks(content):
    """Used but undefined, and defined but never used (the 'LHD Landeshauptstadt Dresden' case)."""
    register = content / "abkuerzungen.yaml"
    register.write_text(register.read_text(encoding="utf-8") + "LHD: Landeshauptstadt Dresden\n", encoding="utf-8")
    result = run_amip("check", str(content / "2026"), cwd=content.parents[1])
    assert result.returncode == 0
    # issue 11 §4: unused register entries are one summary line at ausgabe.yaml's abkuerzungsverzeichnis (which
    # chooses to list them all), naming every unused entry – no longer one warning per entry
    setting = line_of(content / "2026/ausgabe.yaml", "abkuerzungsverzeichnis:")
    [summary] = [line for line in result.stderr.splitlines() if "Registereinträgen kommen in dieser Ausgabe nicht vor" in line]
    assert summary.startswith(f"content/duesseldorf/2026/ausgabe.yaml:{setting}: Warnung: ") and "LHD" in summary.split(": ")[-1]
    assert "Registereintrag „" not in result.stderr
    assert "Warnung: Abkürzung „GKV“ wird verwendet, steht aber nicht im Abkürzungsregister." in result.stderr


def test_used_only_abbreviation_list_and_abbr_in_web(tmp_path):
    content = copy_content(tmp_path)
    edit(content / "2026/ausgabe.yaml", "auswahl: alle", "auswahl: verwendete")
    result = build(content / "2026", tmp_path / "out")
    text = pdf_text(result.pdf).split("Abkürzungsverzeichnis")[-1]
    assert "SGB II" in text and "EGT" in text
    assert "StGB" not in text and "OwiG" not in text
    web = result.web.read_text(encoding="utf-8")
    assert web.count('<abbr title="Eingliederungstitel">EGT</abbr>') == 1


def test_house_colours_come_from_the_theme(tmp_path):
    """The organisation's colours reach the stylesheet and the charts; a wrong colour is located."""
    content = copy_content(tmp_path)
    edit(content / "traeger.yaml", 'farbe: "#00528c"', 'farbe: "#7a1f5c"')
    result = build(content / "2026", tmp_path / "out")
    assert "--farbe: #7a1f5c" in (tmp_path / "out/druck.html").read_text(encoding="utf-8")
    assert "--farbe: #7a1f5c" in result.web.read_text(encoding="utf-8")
    svgs = [p.read_text(encoding="utf-8") for p in (tmp_path / "build/.cache/diagramme").glob("*.svg")]
    assert svgs and all("#7a1f5c" in svg for svg in svgs)
    edit(content / "traeger.yaml", 'farbe: "#7a1f5c"', "farbe: blau")
    check = run_amip("check", str(content / "2026"), cwd=tmp_path)
    assert check.returncode == 1
    [message] = errors(check.stderr)
    assert message.startswith(f"content/duesseldorf/traeger.yaml:{line_of(content / 'traeger.yaml', 'farbe: blau')}:")
