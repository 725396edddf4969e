"""`amip import`: numbers from a real XLSX/CSV file (made with openpyxl in tmp_path) into a copy of the data
YAML – only the changed values' characters change, comments and every other line stay byte-identical,
the edition's sums follow; located German errors (sheet!cell) for everything that cannot be imported."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from amip.edition.load import load_edition
from amip.errors import ContentError
from amip.importer.run import run

from conftest import copy_content, run_amip

COMMENTED = "# Planzahlen 2026 – Quelle: Controlling-Blatt\n"


def _edition(tmp_path: Path) -> Path:
    """A copy of Düsseldorf 2026 whose kennzahlen.yaml carries comment lines of every kind; both value columns
    typed in the file (as before the comparison column came from zeitreihe.yaml), so both can be imported."""
    content = copy_content(tmp_path)
    path = content / "2026" / "daten" / "kennzahlen.yaml"
    text = (Path(__file__).parent / "fixtures" / "kennzahlen-2026-getippt.yaml").read_text(encoding="utf-8")
    text = COMMENTED + text
    text = text.replace("  plan: Eintritte 2026\n", "  plan: Eintritte 2026      # Planjahr\n")
    text = text.replace("  - zweck: erwerbstaetigkeit\n", "  # III. Erwerbstätigkeit\n  - zweck: erwerbstaetigkeit\n")
    text = text.replace("        schluessel: egz\n        plan: 400\n",
                        "        schluessel: egz\n        plan: 400   # Stand Oktober\n")
    path.write_text(text, encoding="utf-8")
    load_edition(content / "2026")   # the commented copy is a valid edition
    return content / "2026"


def _xlsx(path: Path, rows: list[list], title: str = "Tabelle1", setup=None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if setup:
        setup(sheet)
    book.save(path)
    return path


PLAN = [["schluessel", "Eintritte 2026", "Bemerkung"],
        ["mat", 2000, "Ausweitung"],
        ["egz", 410, None],
        ["agh", 1650, None],
        ["mit FbW / Reha", 8576, "Summe"],
        ["ohne FbW / Reha", 7366, None]]


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def test_import_updates_three_values_keeps_every_other_line_and_sums_follow(tmp_path):
    edition = _edition(tmp_path)
    data = edition / "daten" / "kennzahlen.yaml"
    before = _lines(data)
    sheet = _xlsx(tmp_path / "planung.xlsx", PLAN)
    result = run_amip("import", str(edition), "kennzahlen", str(sheet), "--ja")
    assert result.returncode == 0, result.stderr
    assert "5 Werte in" in result.stdout and "übernommen" in result.stdout
    after = _lines(data)
    assert len(after) == len(before)
    changed = {i: (a, b) for i, (a, b) in enumerate(zip(before, after)) if a != b}
    expected = {
        b"    erwartet: {plan: 8.510, basis: 7.274}\n": b"    erwartet: {plan: 8.576, basis: 7.274}\n",
        b"    erwartet: {plan: 7.300, basis: 5.938}\n": b"    erwartet: {plan: 7.366, basis: 5.938}\n",
        b"          - {bezeichnung: MAT inkl. U25, schluessel: mat, plan: 1.994, basis: 1.162}\n":
            b"          - {bezeichnung: MAT inkl. U25, schluessel: mat, plan: 2.000, basis: 1.162}\n",
        b"        plan: 400   # Stand Oktober\n": b"        plan: 410   # Stand Oktober\n",
        b"        plan: 1.600\n": b"        plan: 1.650\n",
    }
    assert dict(changed.values()) == expected
    comments = [line for line in before if b"#" in line]
    assert len(comments) == 4
    assert [line for line in after if b"#" in line] == [c.replace(b"plan: 400 ", b"plan: 410 ") for c in comments]
    values = load_edition(edition).values
    assert values["kennzahlen.mat.plan"][0] == "2.000"
    assert values["kennzahlen.mabe.plan"][1] == 1994 + 1500 + 950 + 6     # the davon rows add up anew
    assert values["kennzahlen.summe.plan"][1] == 8576
    assert values["kennzahlen.summe2.plan"][1] == 7366
    assert values["kennzahlen.summe.basis"][1] == 7274                  # the other column untouched


def test_without_terminal_and_without_ja_only_shows(tmp_path):
    edition = _edition(tmp_path)
    data = edition / "daten" / "kennzahlen.yaml"
    original = data.read_bytes()
    rows = [row + [value] for row, value in zip(PLAN, ["Vergleich", "72,1%", None, None, None, None])]
    result = run_amip("import", str(edition), "kennzahlen", str(_xlsx(tmp_path / "p.xlsx", rows)))
    assert result.returncode == 0, result.stderr
    assert "Nur angezeigt, nichts geändert" in result.stdout and "--ja" in result.stdout
    assert "Tabelle1!D1: Warnung: Spalte „Vergleich“ rechnet amip selbst – sie wird nicht übernommen." in result.stderr
    assert "ausgabe.yaml:3:9: Warnung: Die Ausgabe ist beschlossen" in result.stderr
    table = result.stdout
    assert "bisher" in table and "neu" in table
    mat = next(line for line in table.splitlines() if "MAT inkl. U25" in line)
    assert "1.994" in mat and "2.000" in mat and "Tabelle1!B2" in mat
    assert "„Bemerkung“ gehört zu keiner Wertspalte" in result.stderr
    assert "Warnung: 13 Zeilen der Datei fehlen in der Tabelle und bleiben unverändert: „AVGS MAT inkl. U25“" in result.stderr
    assert data.read_bytes() == original


def test_confirmation_yes_and_no(tmp_path):
    edition = _edition(tmp_path)
    data = edition / "daten" / "kennzahlen.yaml"
    original = data.read_bytes()
    sheet = _xlsx(tmp_path / "p.xlsx", PLAN)
    said: list[str] = []
    asked: list[str] = []
    outcome = run(edition, "kennzahlen", sheet, None, False, True, said.append, lambda q: asked.append(q) or False)
    assert asked == ["Werte übernehmen?"] and not outcome.written and data.read_bytes() == original
    assert said[-1] == "Abgebrochen – nichts geändert."
    outcome = run(edition, "kennzahlen", sheet, None, False, True, said.append, lambda q: True)
    assert outcome.written and b"plan: 2.000" in data.read_bytes()
    again = run(edition, "kennzahlen", sheet, None, True, False, said.append, lambda q: True)
    assert not again.written and "Keine Änderungen" in said[-1]


def test_text_in_a_number_cell_is_refused_with_sheet_and_cell(tmp_path):
    edition = _edition(tmp_path)
    data = edition / "daten" / "kennzahlen.yaml"
    original = data.read_bytes()
    rows = [["Zweckbestimmung", "basis", "plan"],
            ["MAT inkl. U25", 1162, 2000],
            ["begleitende-hilfen-fuer-selbstaendigkeit-nach-16c-sgb-ii", 4, 1],   # the key as [[wert: …]] writes it
            ["Betriebliche  Eingliederungshilfen", 254, "viele"]]
    result = run_amip("import", str(edition), "kennzahlen", str(_xlsx(tmp_path / "p.xlsx", rows)), "--ja")
    assert result.returncode == 1
    assert "p.xlsx:Tabelle1!C4: Fehler: „viele“ ist keine Zahl" in result.stderr
    assert result.stderr.count("Fehler:") == 1            # the other rows were found (label, slug, spaces)
    assert "Traceback" not in result.stderr
    assert data.read_bytes() == original


def test_unknown_rows_wrong_numbers_and_missing_values(tmp_path):
    edition = _edition(tmp_path)
    rows = [["schluessel", "plan", "basis"],
            ["mta", 2000, None],             # typo of mat
            ["egz", "8.51", None],           # what a spreadsheet made of 8.510
            ["esg", 12.5, None],             # not a whole number
            ["mabe", 4000, None],            # computed from its davon rows: a warning, not imported
            ["reha", None, None]]
    result = run_amip("import", str(edition), "kennzahlen", str(_xlsx(tmp_path / "p.xlsx", rows)), "--ja")
    assert result.returncode == 1
    err = result.stderr
    assert "Tabelle1!A2: Fehler: Zeile „mta“ gibt es in kennzahlen.yaml nicht." in err and "Meinten Sie „mat“?" in err
    assert "Tabelle1!B3: Fehler: „8.51“ ist keine Zahl im deutschen Format – gemeint 8.510?" in err
    assert "Tabelle1!B4: Fehler: 12,5 ist keine ganze Zahl" in err
    assert "Tabelle1!B5: Warnung: „Aktivierung und berufliche Eingliederung“ (Eintritte 2026) rechnet amip selbst" in err


def test_merged_and_hidden_cells_in_the_data_area_are_refused(tmp_path):
    edition = _edition(tmp_path)
    data = edition / "daten" / "kennzahlen.yaml"
    original = data.read_bytes()

    def merged(sheet):
        sheet.merge_cells("B3:C3")

    result = run_amip("import", str(edition), "kennzahlen", str(_xlsx(tmp_path / "m.xlsx", PLAN, setup=merged)), "--ja")
    assert result.returncode == 1 and "Tabelle1!B3:C3: Fehler: Verbundene Zellen B3:C3 im Datenbereich" in result.stderr

    def hidden_row(sheet):
        sheet.row_dimensions[4].hidden = True

    result = run_amip("import", str(edition), "kennzahlen", str(_xlsx(tmp_path / "h.xlsx", PLAN, setup=hidden_row)), "--ja")
    assert result.returncode == 1 and "Tabelle1!A4: Fehler: Zeile 4 ist ausgeblendet" in result.stderr

    def hidden_column(sheet):
        sheet.column_dimensions["B"].hidden = True

    result = run_amip("import", str(edition), "kennzahlen", str(_xlsx(tmp_path / "c.xlsx", PLAN, setup=hidden_column)),
                      "--ja")
    assert result.returncode == 1 and "Tabelle1!B1: Fehler: Spalte „Eintritte 2026“ ist ausgeblendet" in result.stderr
    assert data.read_bytes() == original

    def outside(sheet):   # merged cells and a hidden column that amip does not read are fine
        sheet.merge_cells("C2:C3")
        sheet.column_dimensions["C"].hidden = True

    result = run_amip("import", str(edition), "kennzahlen", str(_xlsx(tmp_path / "o.xlsx", PLAN, setup=outside)), "--ja")
    assert result.returncode == 0, result.stderr
    assert b"plan: 2.000" in data.read_bytes()


def test_a_total_that_no_longer_fits_restores_the_file(tmp_path):
    edition = _edition(tmp_path)
    data = edition / "daten" / "kennzahlen.yaml"
    original = data.read_bytes()
    result = run_amip("import", str(edition), "kennzahlen", str(_xlsx(tmp_path / "p.xlsx", PLAN[:4])), "--ja")
    assert result.returncode == 1
    assert "erwartet 8.510" in result.stderr
    assert "die Datei ist wieder im alten Zustand, nichts wurde übernommen" in result.stderr
    assert data.read_bytes() == original
    assert not list(data.parent.glob(".*.part"))


def test_formula_without_saved_result(tmp_path):
    edition = _edition(tmp_path)
    rows = [["schluessel", "plan"], ["mat", "=1000+1000"]]
    result = run_amip("import", str(edition), "kennzahlen", str(_xlsx(tmp_path / "f.xlsx", rows)), "--ja")
    assert result.returncode == 1
    assert "Tabelle1!B2: Fehler: Formel ohne gespeichertes Ergebnis" in result.stderr


@pytest.mark.parametrize("name, content, message", [
    ("leer.xlsx", b"", "Die Datei ist leer."),
    ("kaputt.xlsx", b"Das ist keine Excel-Datei\n", "keine gültige Excel-Datei"),
    ("alt.xls", b"\xd0\xcf\x11\xe0 altes Format", "Das Format .xls liest amip nicht."),
    ("notiz.txt", b"plan;2000\n", "weder eine Excel-Datei (.xlsx) noch eine CSV-Datei"),
])
def test_files_that_are_not_sheets(tmp_path, name, content, message):
    edition = _edition(tmp_path)
    (tmp_path / name).write_bytes(content)
    result = run_amip("import", str(edition), "kennzahlen", str(tmp_path / name), "--ja")
    assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr


def test_sheet_by_name_and_unknown_sheet(tmp_path):
    edition = _edition(tmp_path)
    path = tmp_path / "zwei.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Deckblatt"
    book.active.append(["Controlling 2026"])
    second = book.create_sheet("Eintritte")
    for row in PLAN:
        second.append(row)
    old = book.create_sheet("Alt")
    old.append(["schluessel", "plan"])
    old.append(["mat", 1])
    old.sheet_state = "hidden"
    book.move_sheet("Alt", offset=-2)        # the first sheet of the file, but hidden
    book.active = 1
    book.save(path)
    result = run_amip("import", str(edition), "kennzahlen", str(path), "--ja")
    assert result.returncode == 1 and "zwei.xlsx:Deckblatt!A1" in result.stderr   # the first visible sheet
    result = run_amip("import", str(edition), "kennzahlen", str(path), "--blatt", "Alt", "--ja")
    assert result.returncode == 1 and "Blatt „Alt“ ist ausgeblendet." in result.stderr
    result = run_amip("import", str(edition), "kennzahlen", str(path), "--blatt", "Eintrite", "--ja")
    assert result.returncode == 1 and "Blatt „Eintrite“ gibt es nicht" in result.stderr and "„Eintritte“" in result.stderr
    result = run_amip("import", str(edition), "kennzahlen", str(path), "--blatt", "Eintritte", "--ja")
    assert result.returncode == 0, result.stderr
    assert b"plan: 1.650" in (edition / "daten" / "kennzahlen.yaml").read_bytes()


def test_csv_with_semicolons_and_german_numbers(tmp_path):
    edition = _edition(tmp_path)
    data = edition / "daten" / "kennzahlen.yaml"
    csv = ("Zweckbestimmung;Eintritte 2026;Ergebnis 2025\n"
           "Förderung benachteiligter Auszubildender einschl. AsA;45;22\n"
           "MAT inkl. U25;1.994;1.170\n"
           "Einstiegsgeld;zwei;448\n"
           "mit FbW / Reha;8.514;7.282\n"
           "ohne FbW / Reha;7.304;5.946\n")
    path = tmp_path / "planung.csv"
    path.write_bytes(csv.encode("cp1252"))                 # as Excel on Windows saves it
    result = run_amip("import", str(edition), "kennzahlen", str(path), "--ja")
    assert result.returncode == 1
    assert "planung.csv:4:2: Fehler: „zwei“ ist keine Zahl – die Spalte „Eintritte 2026“ erwartet Zahlen." in result.stderr
    path.write_bytes(csv.replace("zwei", "600").encode("cp1252"))
    result = run_amip("import", str(edition), "kennzahlen", str(path), "--ja")
    assert result.returncode == 0, result.stderr
    text = data.read_text(encoding="utf-8")
    assert "        plan: 45\n" in text and "plan: 1.994, basis: 1.170}" in text
    assert "erwartet: {plan: 8.514, basis: 7.282}" in text
    assert "6 Werte werden geändert, 4 unverändert." in result.stdout
    assert load_edition(edition).values["kennzahlen.summe2.basis"][1] == 5946
    bad = tmp_path / "fehler.csv"
    bad.write_text("schluessel;plan\nmat;1,5\n", encoding="utf-8")
    result = run_amip("import", str(edition), "kennzahlen", str(bad), "--ja")
    assert result.returncode == 1 and "fehler.csv:2:2: Fehler: 1,5 ist keine ganze Zahl" in result.stderr
    comma = tmp_path / "komma.csv"
    comma.write_text("schluessel,plan\nmat,2000\n", encoding="utf-8")
    result = run_amip("import", str(edition), "kennzahlen", str(comma), "--ja")
    assert result.returncode == 1 and "mit Komma, nicht mit Semikolon" in result.stderr


def test_general_table_keeps_quotes_and_decimals(tmp_path):
    content = copy_content(tmp_path, "musterstadt")
    edition = content / "2027"
    data = edition / "daten" / "budget.yaml"
    before = _lines(data)
    rows = [["schluessel", "Betrag"], ["egt", 6500000], ["kommune", 545000.5]]
    result = run_amip("import", str(edition), "budget", str(_xlsx(tmp_path / "b.xlsx", rows)), "--ja")
    assert result.returncode == 0, result.stderr
    after = _lines(data)
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert changed == [
        (b'  - {schluessel: egt, zellen: [Eingliederungstitel, "6.480.000,00"]}\n',
         b'  - {schluessel: egt, zellen: [Eingliederungstitel, "6.500.000,00"]}\n'),
        (b'  - {schluessel: kommune, zellen: [Kommunale Mittel, "540.000,00"]}\n',
         b'  - {schluessel: kommune, zellen: [Kommunale Mittel, "545.000,50"]}\n')]
    load_edition(edition)


def test_data_file_that_holds_no_importable_values(tmp_path):
    content = copy_content(tmp_path)
    rows = [["schluessel", "plan"], ["mat", 1]]
    with pytest.raises(ContentError) as caught:
        run(content / "2018", "umsetzungsstand", _xlsx(tmp_path / "x.xlsx", rows), None, True, False, print, lambda q: True)
    assert "In eine Datei der Art „matrix“ übernimmt amip keine Zahlen." in caught.value.render()
    with pytest.raises(ContentError) as caught:
        run(content / "2018", "gibtsnicht", _xlsx(tmp_path / "x.xlsx", rows), None, True, False, print, lambda q: True)
    assert "Datendatei „gibtsnicht“ gibt es nicht" in caught.value.render() and "kennzahlen" in caught.value.render()


def test_chart_series_running_totals_and_references(tmp_path):
    edition = copy_content(tmp_path, "musterstadt") / "2027"
    chain = edition / "daten" / "budgetkette.yaml"
    before = _lines(chain)
    rows = [["Kategorie", "Mio. €"],
            ["Eingliederungstitel", 6.5],
            ["Bundesmittel zusammen", 15.94],     # amip adds it up itself
            ["Kommunale Mittel", "0,55"]]
    said: list[str] = []
    warned: list[str] = []
    outcome = run(edition, "budgetkette", _xlsx(tmp_path / "k.xlsx", rows), None, True, False, said.append,
                  lambda q: True, warned.append)
    assert outcome.written
    changed = [(a, b) for a, b in zip(before, _lines(chain)) if a != b]
    assert changed == [(b'  Mio. \xe2\x82\xac: ["6,48", "9,44", "0,54"]          # gerundete Werte aus daten/budget.yaml\n',
                        b'  Mio. \xe2\x82\xac: ["6,50", "9,44", "0,55"]          # gerundete Werte aus daten/budget.yaml\n')]
    assert any("„Bundesmittel zusammen“ (Mio. €) rechnet amip selbst" in w for w in warned)
    # a value taken from another data file is not overwritten
    rows = [["Kategorie", "Eintritte 2027"], ["Gutscheine", 999]]
    warned.clear()
    outcome = run(edition, "schwerpunkte", _xlsx(tmp_path / "s.xlsx", rows), None, True, False, said.append,
                  lambda q: True, warned.append)
    assert not outcome.written and "enthält keinen Wert, den amip übernehmen kann" in said[-1]
    assert any("übernimmt amip aus =eintritte.avgs.plan" in w for w in warned)


def test_portfolio_with_ranges_and_its_stated_total(tmp_path):
    edition = copy_content(tmp_path) / "2018"
    data = edition / "daten" / "portfolio-jugendliche.yaml"
    before = _lines(data)
    rows = [["Instrument", "Eintritte 2018"],
            ["Aufsuchendes Angebot", 130],
            ["kooperationsprojekte mit dem  Jugendamt", "40 bis 60"],     # label as printed, other case/spaces
            ["Summe", "1.208 bis 1.228"],
            ["Peu à Peu für ehemalige Förderschüler/innen", "50"],                  # unchanged
            ["Angebot für Jugendliche mit psychischen Problemlagen", "60 bis 60"]]  # the same as 60
    for label in ("Binnendifferenziertes System an Aktivierungshilfen", "Innovative Angebote über AVGS-MAT wie "
                  "Steilvorlage/ JobAct", "Produktionsschule.NRW", "Praxiscenter U 25", "Vermittlung intensiv mit "
                  "Betreuung", "Jugend in Arbeit plus", "Einstiegsqualifizierung (EQ)",
                  "Außerbetriebliche Ausbildung/ „Dritter Weg“", "Assistierte Ausbildung"):
        rows.append([label, None])
    result = run_amip("import", str(edition), "portfolio-jugendliche", str(_xlsx(tmp_path / "p.xlsx", rows)), "--ja")
    assert result.returncode == 0, result.stderr
    assert "3 Werte werden geändert, 2 unverändert." in result.stdout
    assert "Warnung: 1 Zeile der Datei fehlt in der Tabelle und bleibt unverändert: „Ausbildungsbegleitende Hilfen (abH)“." \
        in result.stderr
    changed = [(a, b) for a, b in zip(before, _lines(data)) if a != b]
    assert changed == [(b"    eintritte: 35\n", b"    eintritte: 40 bis 60\n"),
                       (b"    eintritte: 120\n", b"    eintritte: 130\n"),
                       (b"  erwartet: 1.193\n", b"  erwartet: 1.208 bis 1.228\n")]
    load_edition(edition)


def test_percent_cells_units_and_footnote_marks_are_kept(tmp_path):
    edition = _edition(tmp_path)
    data = edition / "daten" / "quoten.yaml"
    data.write_text("art: tabelle\nspalten:\n  - {name: Bereich}\n  - {name: Quote, art: prozent}\n"
                    "  - {name: Mittel, art: betrag}\nzeilen:\n  - [U25, \"12,5%\", \"1.200,00 €*\"]\n"
                    "  - [Ü25, 20, 300]\n  - [Ü50, {text: offen}, 100]\nfussnoten:\n  \"*\": vorläufig\n", encoding="utf-8")
    load_edition(edition)

    def percent(sheet):
        sheet["B2"].number_format = "0.0%"
        sheet["B3"].number_format = "0%"

    rows = [["Bereich", "Quote", "Mittel"], ["U25", 0.131, 1250], ["Ü25", 0.25, 300.5], ["Ü50", "17,5", None]]
    result = run_amip("import", str(edition), "quoten", str(_xlsx(tmp_path / "q.xlsx", rows, setup=percent)), "--ja")
    assert result.returncode == 0, result.stderr
    text = data.read_text(encoding="utf-8")
    assert '  - [U25, "13,1%", "1.250,00 €*"]\n' in text
    assert "  - [Ü25, 25, \"300,5\"]\n" in text     # quoted: in [ … ] a comma separates cells
    assert '  - [Ü50, "17,5", 100]\n' in text        # a text cell {text: offen} becomes the number
    load_edition(edition)


def test_windows_line_endings_and_file_mode_are_kept(tmp_path):
    edition = _edition(tmp_path)
    data = edition / "daten" / "kennzahlen.yaml"
    data.write_bytes(data.read_bytes().replace(b"\n", b"\r\n"))
    data.chmod(0o664)
    before = _lines(data)
    result = run_amip("import", str(edition), "kennzahlen", str(_xlsx(tmp_path / "p.xlsx", PLAN)), "--ja")
    assert result.returncode == 0, result.stderr
    after = _lines(data)
    assert all(line.endswith(b"\r\n") for line in after) and len(after) == len(before)
    assert sum(a != b for a, b in zip(before, after)) == 5
    assert b"        plan: 410   # Stand Oktober\r\n" in after
    assert data.stat().st_mode & 0o777 == 0o664


def test_sheet_without_headings_or_values(tmp_path):
    edition = _edition(tmp_path)
    only_headings = _xlsx(tmp_path / "k.xlsx", [["schluessel", "plan"]])
    result = run_amip("import", str(edition), "kennzahlen", str(only_headings), "--ja")
    assert result.returncode == 1 and "hat nur Überschriften, keine Werte" in result.stderr
    empty = _xlsx(tmp_path / "e.xlsx", [])
    result = run_amip("import", str(edition), "kennzahlen", str(empty), "--ja")
    assert result.returncode == 1 and "Das Blatt „Tabelle1“ ist leer." in result.stderr
    wrong = _xlsx(tmp_path / "w.xlsx", [["Nummer", "Menge"], ["mat", 5]])
    result = run_amip("import", str(edition), "kennzahlen", str(wrong), "--ja")
    assert result.returncode == 1
    assert "Keine Spalte der Tabelle passt zu einer Wertspalte der Datei." in result.stderr
    assert "„plan“ bzw. „Eintritte 2026“" in result.stderr
    blank = tmp_path / "leer.csv"
    blank.write_text("\n\nmat;5\n", encoding="utf-8")
    result = run_amip("import", str(edition), "kennzahlen", str(blank), "--ja")
    assert result.returncode == 1 and "Keine Spalte der Tabelle passt" in result.stderr and "Traceback" not in result.stderr


def _in_terminal(args: list[str], answer: str, timeout: float = 120) -> tuple[int, str]:
    """Run amip in a real pseudo-terminal, answer its question, return exit code and everything it printed."""
    import os
    import pty
    import select
    import subprocess
    import sys
    import time

    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "amip.cli", *args], stdin=slave, stdout=slave, stderr=slave,
                            close_fds=True)
    os.close(slave)
    seen, answered, end = b"", False, time.monotonic() + timeout
    while time.monotonic() < end:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:      # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
            if not answered and b"[j/N]" in seen:
                os.write(master, answer.encode() + b"\n")
                answered = True
        elif proc.poll() is not None:
            break
    code = proc.wait(timeout=10)
    os.close(master)
    return code, seen.decode("utf-8", errors="replace")


@pytest.mark.parametrize("answer, written", [("ja", True), ("", False), ("n", False)])
def test_question_in_a_terminal(tmp_path, answer, written):
    edition = _edition(tmp_path)
    data = edition / "daten" / "kennzahlen.yaml"
    original = data.read_bytes()
    code, output = _in_terminal(["import", str(edition), "kennzahlen", str(_xlsx(tmp_path / "p.xlsx", PLAN))], answer)
    assert code == 0, output
    assert "Werte übernehmen? [j/N]" in output
    assert (data.read_bytes() != original) == written
    assert ("5 Werte in" in output) == written and ("Abgebrochen – nichts geändert." in output) != written


def test_formatting_far_below_the_data_is_not_read(tmp_path):
    """Excel's used range reaches as far as any formatting; amip reads only up to the last value."""
    from openpyxl.styles import Font

    from amip.importer.sheet import read

    def formatted(sheet):
        for row in range(len(PLAN) + 1, 20001):
            sheet.cell(row=row, column=1).font = Font(bold=True)
        sheet.cell(row=20000, column=40).font = Font(bold=True)

    path = _xlsx(tmp_path / "formatiert.xlsx", PLAN, setup=formatted)
    assert openpyxl.load_workbook(path).active.max_row == 20000
    grid = read(path, None)
    assert len(grid.rows) == len(PLAN) and len(grid.rows[0]) == 3
    empty = _xlsx(tmp_path / "nur-formatiert.xlsx", [], setup=formatted)
    assert read(empty, None).rows == []


def test_columns_from_the_series_are_not_imported():
    """D2: `basis: {art: ergebnis, jahr: 2025}` takes its values from the series; a sheet column for it is
    named in a warning, never written into the rows."""
    from amip.importer.targets import SERIES_REASON, norm, target

    data = {"art": "kennzahlen",
            "spalten": {"bezeichnung": "Zweckbestimmung", "plan": "Eintritte 2026",
                        "basis": {"art": "ergebnis", "jahr": "2025"}, "vergleich": "Vergleich"},
            "gruppen": [{"zweck": "reha", "plan": "50"}], "summen": [{"bezeichnung": "Summe"}]}
    tgt = target(data)
    assert [c.key for c in tgt.columns] == ["plan"]
    assert tgt.fixed[norm("Ergebnis 2025")] == SERIES_REASON and tgt.fixed["basis"] == SERIES_REASON
    assert tgt.fixed["vergleich"] == "rechnet amip selbst"
    table = {"art": "tabelle", "spalten": [{"name": "Posten"}, {"name": "Plan", "art": "anzahl"},
                                           {"basis": {"art": "ansatz", "jahr": "2026"}}],
             "zeilen": [["A", "1"]]}
    tgt = target(table)
    assert [c.heading for c in tgt.columns] == ["Plan"] and tgt.fixed == {"ansatz 2026": SERIES_REASON}
