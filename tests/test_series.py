"""Editions as a series: row keys, comparison columns taken from the predecessor or zeitreihe.yaml, the series chart."""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from conftest import copy_content

from amip.build import build
from amip.edition import load_edition
from amip.errors import ContentError
from amip.series import rows


def pdf_text(pdf) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def the_error(folder):
    """The one error loading the edition reports."""
    with pytest.raises(ContentError) as caught:
        load_edition(folder)
    [problem] = [p for p in caught.value.problems if p.level == "fehler"]
    return problem


def next_edition(content, year: int = 2027):
    """A copy of 2026 as edition `year` whose Kennzahlen compare with Ansatz 2026 (what amip new-edition writes)."""
    folder = content / str(year)
    shutil.copytree(content / "2026", folder)
    edit(folder / "ausgabe.yaml", "jahr: 2026", f"jahr: {year}")
    data = folder / "daten/kennzahlen.yaml"
    edit(data, "basis: {art: ergebnis, jahr: 2025}", "basis: {art: ansatz, jahr: 2026}")
    edit(data, "erwartet: {plan: 8.510, basis: 7.274}", "erwartet: {basis: 8.510}")   # last year's plan totals
    edit(data, "erwartet: {plan: 7.300, basis: 5.938}", "erwartet: {basis: 7.300}")
    return folder


def test_a_changed_result_in_the_series_file_changes_the_vergleich_in_the_2026_pdf(tmp_path):
    """Issue 10 acceptance: the 2026 comparison column comes from zeitreihe.yaml; change a value there,
    and the printed Ergebnis, the group sum and the Vergleich change with it."""
    content = copy_content(tmp_path)
    edit(content / "zeitreihe.yaml", "ao: 307 ", "ao: 300 ")
    edit(content / "2026/daten/kennzahlen.yaml", "erwartet: {plan: 8.510, basis: 7.274}", "erwartet: {plan: 8.510, basis: 7.267}")
    text = pdf_text(build(content / "2026", tmp_path / "out").pdf)
    assert re.search(r"davon ao\s{2,}360\s{2,}300\s{2,}20,0%", text)              # 360 ÷ 300 − 1
    assert re.search(r"II\. berufliche Weiterbildung\s{2,}1\.160\s{2,}1\.319\s{2,}-12,1%", text)   # 1.019 + 300
    assert re.search(r"mit FbW / Reha\s{2,}8\.510\s{2,}7\.267\s{2,}17,1%", text)
    assert "Ergebnis 2025" in text


def test_ansatz_comes_from_the_predecessor_edition_as_it_computes_it(tmp_path):
    """`{art: ansatz, jahr: 2026}` takes 2026's plan values by key; a changed plan in 2026 reaches 2027."""
    content = copy_content(tmp_path)
    folder = next_edition(content)
    figures = rows(load_edition(folder).figures["kennzahlen"])
    assert figures["ao"].values["basis"] == Decimal(360)
    assert figures["fbw"].values["basis"] == Decimal(1160)            # computed again from the davon rows
    assert figures["weiterbildung"].values["basis"] == Decimal(1160)
    edit(content / "2026/daten/kennzahlen.yaml", "{bezeichnung: ao, schluessel: ao, plan: 360}",
         "{bezeichnung: ao, schluessel: ao, plan: 365}")
    edit(content / "2026/daten/kennzahlen.yaml", "erwartet: {plan: 8.510", "erwartet: {plan: 8.515")
    edit(folder / "daten/kennzahlen.yaml", "erwartet: {basis: 8.510}", "erwartet: {basis: 8.515}")
    changed = load_edition(folder)
    assert rows(changed.figures["kennzahlen"])["ao"].values["basis"] == Decimal(365)
    assert changed.values["kennzahlen.ao.vergleich"][0] == "-1,4%"      # plan 360 against Ansatz 365


def test_a_renamed_row_with_the_same_key_is_still_found(tmp_path):
    """„Arbeitsgelegenheiten“ → „Arbeitsgelegenheiten (AGH)“ keeps schluessel agh and so its basis."""
    content = copy_content(tmp_path)
    folder = next_edition(content)
    edit(folder / "daten/kennzahlen.yaml", "bezeichnung: Arbeitsgelegenheiten\n",
         "bezeichnung: Arbeitsgelegenheiten (AGH)\n")
    row = rows(load_edition(folder).figures["kennzahlen"])["agh"]
    assert row.label == "Arbeitsgelegenheiten (AGH)" and row.values["basis"] == Decimal(1600)


def test_a_row_whose_key_has_no_value_is_a_located_error_with_the_place_to_add_it(tmp_path):
    content = copy_content(tmp_path)
    edit(content / "zeitreihe.yaml", "      p16e: 28                    # § 16e SGB II\n", "")
    problem = the_error(content / "2026")
    data = content / "2026/daten/kennzahlen.yaml"
    assert problem.location.path == data
    assert problem.location.line == line_of(data, "bezeichnung: § 16e SGB II") - 0
    assert "Schlüssel „p16e“" in problem.message and "Ergebnis 2025" in problem.message
    assert "duesseldorf/zeitreihe.yaml unter kennzahlen → 2025 → ergebnis" in problem.hint
    assert "p16e: <Wert>" in problem.hint


def test_a_row_renamed_without_a_key_is_not_found_in_the_predecessor(tmp_path):
    """Without schluessel the key is the label: renamed, it no longer matches, and amip says which key is missing."""
    content = copy_content(tmp_path)
    folder = next_edition(content)
    edit(folder / "daten/kennzahlen.yaml", "{bezeichnung: nao, schluessel: nao, plan: 800}",
         "{bezeichnung: nicht abschlussorientiert, plan: 800}")
    with pytest.raises(ContentError) as caught:
        load_edition(folder)
    messages = [p.message + " " + p.hint for p in caught.value.problems if p.level == "fehler"]
    assert any("„nicht-abschlussorientiert“" in m and "Ausgabe 2026" in m and "schluessel" in m for m in messages)


def test_a_typed_value_in_a_column_from_the_series_is_an_error(tmp_path):
    content = copy_content(tmp_path)
    data = content / "2026/daten/kennzahlen.yaml"
    edit(data, "plan: 400\n", "plan: 400\n        basis: 254\n")
    problem = the_error(content / "2026")
    assert problem.location.line == line_of(data, "basis: 254")
    assert "kommt aus der Zeitreihe" in problem.message


def test_a_basis_year_not_before_the_edition_is_an_error(tmp_path):
    content = copy_content(tmp_path)
    data = content / "2026/daten/kennzahlen.yaml"
    edit(data, "basis: {art: ergebnis, jahr: 2025}", "basis: {art: ansatz, jahr: 2026}")
    problem = the_error(content / "2026")
    assert problem.location.line == line_of(data, "basis: {art: ansatz")
    assert "Ansatz 2026" in problem.message and "nicht vor dem Jahr der Ausgabe" in problem.message


@pytest.mark.parametrize("old, new, needle, message", [
    ("    ergebnis:", "    ergebniss:", "ergebniss:", "Unbekannte Art „ergebniss“"),
    ("agh: 1.335", "agh: 1.33", "agh: 1.33 ", "keine ganze Zahl"),
    ("  2025:", "  25:", "  25:", "„25“ ist kein Jahr"),
])
def test_a_mistake_in_the_series_file_is_located_there(tmp_path, old, new, needle, message):
    content = copy_content(tmp_path)
    series = content / "zeitreihe.yaml"
    edit(series, old, new)
    problem = the_error(content / "2026")
    assert problem.location.path == series and problem.location.line == line_of(series, needle)
    assert message in problem.message


def test_a_key_in_the_series_file_no_row_asks_for_is_a_warning(tmp_path):
    content = copy_content(tmp_path)
    edit(content / "zeitreihe.yaml", "      p16h: 0 ", "      p16x: 7\n      p16h: 0 ")
    edition = load_edition(content / "2026")
    [warning] = [w for w in edition.warnings if "p16x" in w.message]
    assert warning.location.path == content / "zeitreihe.yaml"


def test_the_series_file_must_not_lie_outside_the_organisation(tmp_path):
    content = copy_content(tmp_path)
    outside = tmp_path / "fremd.yaml"
    outside.write_text((content / "zeitreihe.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (content / "zeitreihe.yaml").unlink()
    (content / "zeitreihe.yaml").symlink_to(outside)
    with pytest.raises(ContentError) as caught:
        load_edition(content / "2026")
    assert any("außerhalb des Inhaltsordners" in p.message for p in caught.value.problems)


def test_rows_follow_keys_in_every_kind_of_data_file(root):
    """rows(): Kennzahlen (groups by catalogue name, derived keys), Portfolio, tables and series."""
    e2018 = load_edition(root / "content/duesseldorf/2018")
    kennzahlen = rows(e2018.figures["kennzahlen"])
    assert kennzahlen["agh"] == ("Arbeitsgelegenheiten MAE", {"plan": Decimal(1400), "basis": Decimal(1400)})
    assert kennzahlen["abschlussorientiert"].values == {"plan": Decimal(350), "basis": Decimal(300)}
    assert kennzahlen["aktivierung"].values["basis"] == Decimal(7368)
    assert "vergleich" not in kennzahlen["egz"].values and "summe" not in kennzahlen
    portfolio = rows(e2018.figures["portfolio-integration"])
    assert portfolio["egz"].values == {"eintritte": Decimal(450)}
    assert portfolio["massnahmen-beim-arbeitgeber-mag"].label == "Maßnahmen beim Arbeitgeber (MAG)"
    praemien = rows(e2018.figures["praemien"])
    assert praemien["nach-dem-absolvieren-der-abschlusspruefung"].values == {"praemie": "1.500 €"}
    e2026 = load_edition(root / "content/duesseldorf/2026")
    reihe = rows(e2026.figures["teilnehmende-gesundheit"])
    assert reihe and all(isinstance(v, Decimal) for row in reihe.values() for v in row.values.values())


def test_the_series_chart_shows_every_known_year_per_zweckbestimmung(root):
    """2026's series chart: Ansatz 2017 (zeitreihe.yaml, summed along 2018's rows), Ansatz 2018 (edition),
    Ergebnis 2025 (zeitreihe.yaml, summed along 2026's rows), Ansatz 2026 (this edition)."""
    from amip.charting.refs import chart_declarations
    from amip.charts import _draw, alt_text, data_rows
    from amip.errors import Collector

    edition = load_edition(root / "content/duesseldorf/2026")
    problems = Collector()
    [spec] = [spec for name, kind, spec in chart_declarations(edition, problems) if kind == "zeitreihe"]
    assert not problems.problems
    assert spec.kind == "balken" and spec.title == "Ansatz und Ergebnis je Zweckbestimmung 2017–2026"
    assert [name for name, _ in spec.series] == ["Ansatz 2017", "Ansatz 2018", "Ergebnis 2025", "Ansatz 2026"]
    values = {name: dict(zip(spec.categories, v)) for name, v in spec.series}
    first = "I. Aktivierung und berufliche Eingliederung"
    assert values["Ansatz 2017"][first] == "7368" and values["Ansatz 2018"][first] == "7240"
    assert values["Ergebnis 2025"][first] == "3693"                       # 1.162 + 1.962 + 569
    assert values["Ansatz 2026"][first] == "4444"
    assert values["Ansatz 2017"]["III. Aufnahme einer Erwerbstätigkeit"] == "710"      # 450 + 250 + 10
    assert values["Ergebnis 2025"]["VI. Öffentlich geförderte Beschäftigung"] == "1415"
    assert "Ergebnis 2025 3.693" in alt_text(spec)
    header, table = data_rows(spec)
    assert header == ("", "Ansatz 2017", "Ansatz 2018", "Ergebnis 2025", "Ansatz 2026")
    assert table[1] == ("II. berufliche Weiterbildung", "1.980", "2.000", "1.326", "1.160")
    svg, findings = _draw(spec)
    assert findings == ()                                   # every label readable (text-box check)
    assert b">3.693<" in svg and b">7.368<" in svg


def test_the_series_chart_takes_a_changed_predecessor_value(tmp_path):
    content = copy_content(tmp_path)
    edit(content / "2018/daten/kennzahlen.yaml", "plan: 7.240", "plan: 7.250")
    edit(content / "2018/daten/kennzahlen.yaml", "erwartet: {plan: 12.001", "erwartet: {plan: 12.011")
    from amip.charting.refs import chart_declarations
    from amip.errors import Collector

    [spec] = [s for _, kind, s in chart_declarations(load_edition(content / "2026"), Collector()) if kind == "zeitreihe"]
    assert dict(zip(spec.categories, dict(spec.series)["Ansatz 2018"]))["I. Aktivierung und berufliche Eingliederung"] == "7250"


PLAETZE = """\
art: tabelle
titel: Plätze je Standort
spalten:
  - {name: Standort}
  - {name: Plätze 2027, art: anzahl}
  - {basis: {art: ansatz, jahr: 2026}}            # heading generated: "Ansatz 2026"
  - {name: Vergleich, art: vergleich, aus: [Plätze 2027, Ansatz 2026]}
zeilen:
  - [Standort Nord, 60]
  - {schluessel: sued, zellen: [Standort Süd am Rhein, 45]}
summen:
  - bezeichnung: Gesamt
"""

SERIES = """\
plaetze:
  2026:
    ansatz:
      standort-nord: 50
      sued: 40
"""


def test_a_general_table_takes_a_column_from_the_series_by_row_key(tmp_path):
    """`art: tabelle`: a column {basis: …} has no cell in the rows; keys are schluessel or the normalised label."""
    from test_tables import edition as table_edition

    folder = table_edition(tmp_path, plaetze=PLAETZE)
    (folder.parent / "zeitreihe.yaml").write_text(SERIES, encoding="utf-8")
    loaded = load_edition(folder)
    table = rows(loaded.figures["plaetze"])
    assert table["standort-nord"].values == {"plaetze-2027": Decimal(60), "ansatz-2026": Decimal(50)}
    assert table["sued"] == ("Standort Süd am Rhein", {"plaetze-2027": Decimal(45), "ansatz-2026": Decimal(40)})
    assert loaded.values["plaetze.summe.ansatz-2026"][1] == Decimal(90)
    assert loaded.values["plaetze.standort-nord.vergleich"][0] == "20,0%"
    assert loaded.figures["plaetze"].header[0][2].text == "Ansatz 2026"


def test_a_typed_cell_for_a_series_column_of_a_general_table_is_explained(tmp_path):
    from test_tables import edition as table_edition

    folder = table_edition(tmp_path, plaetze=PLAETZE.replace("[Standort Nord, 60]", "[Standort Nord, 60, 50]"))
    (folder.parent / "zeitreihe.yaml").write_text(SERIES, encoding="utf-8")
    problem = the_error(folder)
    assert problem.location.line == line_of(folder / "daten/plaetze.yaml", "[Standort Nord, 60, 50]")
    assert "„Ansatz 2026“ kommen aus der Zeitreihe" in problem.hint


def test_an_incomplete_series_column_stops_the_series_chart_at_its_place(tmp_path):
    """A Hochrechnung for two FbW rows only would draw too small sums: a located error in zeitreihe.yaml."""
    from amip.charting.refs import chart_declarations
    from amip.errors import Collector

    content = copy_content(tmp_path)
    series = content / "zeitreihe.yaml"
    series.write_text(series.read_text(encoding="utf-8") + "    hochrechnung:\n      nao: 950\n      ao: 350\n",
                      encoding="utf-8")
    problems = Collector()
    declared = chart_declarations(load_edition(content / "2026"), problems)
    assert "zeitreihe" not in [kind for _, kind, _ in declared]
    [problem] = problems.problems
    assert problem.location.path == series and problem.location.line == line_of(series, "nao: 950")
    assert "Hochrechnung 2025" in problem.message and "„mat“" in problem.message


def test_a_published_edition_archives_the_earlier_data_its_series_reads(archived):
    """2026 draws the series chart from 2018's Kennzahlen and reads zeitreihe.yaml: both are in its sources,
    so the archived copy builds the same chart (publish builds from that copy)."""
    import json

    manifest = json.loads((archived / "archive/duesseldorf/2026/v1/manifest.json").read_text(encoding="utf-8"))
    assert "data/quellen/content/duesseldorf/zeitreihe.yaml" in manifest["dateien"]
    assert "data/quellen/content/duesseldorf/2018/daten/kennzahlen.yaml" in manifest["dateien"]
    assert not any(name.startswith("data/quellen/content/duesseldorf/2018/kapitel") for name in manifest["dateien"])
    web = next((archived / "archive/duesseldorf/2026/v1/data/ausgabe").rglob("index.html")).read_text(encoding="utf-8")
    assert "Ansatz 2017" in web and "Ansatz 2018" in web and "Ergebnis 2025" in web
    import pikepdf

    with pikepdf.open(archived / "archive/duesseldorf/2026/v1/data/ausgabe/amip-duesseldorf-2026.pdf") as pdf:
        attached = {str(spec.UF) for spec in pdf.Root.AF}        # built in the hidden staging folder .neu-*
    assert {"duesseldorf/zeitreihe.yaml", "duesseldorf/2018/daten/kennzahlen.yaml"} <= attached


def test_a_row_key_that_names_a_zweckbestimmung_is_an_error(tmp_path):
    """Zweckbestimmungen are keyed by their catalogue name; a row with the same key would be ambiguous."""
    content = copy_content(tmp_path)
    data = content / "2026/daten/kennzahlen.yaml"
    edit(data, "schluessel: agh", "schluessel: beschaeftigung")
    edit(content / "zeitreihe.yaml", "agh: 1.335", "beschaeftigung: 1.335")
    problem = the_error(content / "2026")
    assert problem.location.line == line_of(data, "schluessel: beschaeftigung")
    assert "Name einer Zweckbestimmung" in problem.message


def test_without_series_file_and_edition_the_column_says_what_to_create(tmp_path):
    content = copy_content(tmp_path)
    (content / "zeitreihe.yaml").unlink()
    data = content / "2018/daten/kennzahlen.yaml"
    problem = the_error(content / "2018")
    assert problem.location.path == data and problem.location.line == line_of(data, "basis: {art: ansatz")
    assert "Ansatz 2017" in problem.message and "es gibt keine Ausgabe 2017" in problem.message
    assert "duesseldorf/zeitreihe.yaml an" in problem.hint


def test_amip_check_names_a_missing_series_value_in_german_without_traceback(tmp_path):
    from conftest import run_amip

    content = copy_content(tmp_path)
    edit(content / "zeitreihe.yaml", "      eq: 11 ", "      eqq: 11 ")
    result = run_amip("check", str(content / "2026"), cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    line = line_of(content / "2026/daten/kennzahlen.yaml", "bezeichnung: EQ (Einstiegsqualifizierung)")
    assert (f"content/duesseldorf/2026/daten/kennzahlen.yaml:{line}:" in result.stderr
            and "Zeile „EQ (Einstiegsqualifizierung)“ (Schlüssel „eq“): kein Wert für Ergebnis 2025" in result.stderr)
    assert "Schlüssel „eqq“ (Ergebnis 2025) kommt in der Tabelle nicht vor." in result.stderr    # the typo, as a warning


def test_a_label_that_occurs_twice_without_a_key_cannot_be_followed(tmp_path):
    """rows() leaves out a derived key two rows share, rather than follow the wrong row; a schluessel settles it."""
    from test_tables import edition as table_edition

    table = ("art: tabelle\nspalten:\n  - {name: Angebot}\n  - {name: Plätze, art: anzahl}\nzeilen:\n"
             "  - [Beratung, 10]\n  - [Beratung, 20]\n  - {schluessel: beratung-sued, zellen: [Beratung, 30]}\n"
             "  - [Coaching, 5]\n")
    found = rows(load_edition(table_edition(tmp_path, angebote=table)).figures["angebote"])
    assert "beratung" not in found
    assert found["beratung-sued"].values == {"plaetze": Decimal(30)} and found["coaching"].values == {"plaetze": Decimal(5)}
