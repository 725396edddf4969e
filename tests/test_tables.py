"""The one table model: column types, computed totals and shares, marks, notes, two-level headers,
Kennzahlen in any column shape, text cells in sums, and values taken from another data file."""

from __future__ import annotations

import re
import subprocess
import textwrap
from pathlib import Path

import pdfplumber
import pytest

from conftest import run_amip

TRAEGER = """\
name: Jobcenter Tabellenstadt
erstes_programm: 2010
anschrift: {strasse: Am Markt 1, plz: "12345", ort: Tabellenstadt}
"""

AUSGABE = """\
jahr: 2027
titel: Arbeitsmarkt- und Integrationsprogramm
status: entwurf
stand: 01.12.2026
impressum:
  herausgeber: [Jobcenter Tabellenstadt]
  verantwortlich: [Geschäftsführung]
kapitel:
  - 01-tabellen.md
"""

CHAPTER = """\
---
titel: Tabellen
---

Geplant sind [[wert: eintritte.summe.plan]] Eintritte; das Budget beträgt [[wert: haushalt.gesamt.betrag]].

[[tabelle: eintritte]]

[[tabelle: haushalt]]

[[tabelle: stellen]]

[[tabelle: mittel]]

[[diagramm: kette | wasserfall]]
"""

EINTRITTE = """\
art: kennzahlen
titel: Eintritte 2027 je Zweckbestimmung
spalten:
  bezeichnung: Zweckbestimmung
  plan: Eintritte 2027
summen_position: unten
summen:
  - bezeichnung: Summe Eintritte
gruppen:
  - zweck: aktivierung
    zeilen:
      - {bezeichnung: Maßnahmen bei einem Träger, plan: 410}
      - {bezeichnung: Vermittlungsgutschein, plan: 90}
  - zweck: weiterbildung
    zeilen:
      - {bezeichnung: Weiterbildung mit Abschluss, plan: 120}
"""

HAUSHALT = """\
art: tabelle
titel: Budget 2027
spalten:
  - {name: Budgetposten}
  - {name: Betrag, art: betrag}
  - {name: Anteil, art: anteil, aus: [Betrag]}
zeilen:
  - [Eingliederungsleistungen, "1.234.567,80"]
  - [Verwaltungskosten, "765.432,20"]
  - [Beratung vor Ort, {text: noch offen}]
summen:
  - bezeichnung: Gesamt
"""

STELLEN = """\
art: tabelle
titel: Stellen und Plätze
spalten:
  - {name: ""}
  - {name: Plätze, gruppe: "2026", art: anzahl}
  - {name: Stellen, gruppe: "2026", art: anzahl}
  - {name: Plätze, gruppe: "2027", art: anzahl}
  - {name: Stellen, gruppe: "2027", art: anzahl}
zeilen:
  - [Nord, 60*, 4, 70, 5]
  - [Süd, 35, 3, 40, 3]
fussnoten:
  "*": davon 10 Plätze in Teilzeit
anmerkungen:
  - Stand der Planung vom November 2026.
"""

KETTE = """\
art: reihe
titel: Vom Eingliederungsbudget zum Gesamtbudget
einheit: €
kategorien: [Eingliederung, Verwaltung]
reihen:
  Betrag: ["=haushalt.eingliederungsleistungen.betrag", "=haushalt.verwaltungskosten.betrag"]
"""


MITTEL = """\
art: kennzahlen
titel: Plan, Ist, Ansatz und Mittel
spalten:
  bezeichnung: Zweckbestimmung
  plan: Plan 2027
  ist: Ist 2026
  ansatz: Ansatz 2026
  vergleich: {name: Plan zu Ansatz, aus: [plan, ansatz]}
  mittel: {name: Mittel 2027, art: betrag, nachkommastellen: 0}
summen:
  - bezeichnung: Insgesamt
    erwartet: {plan: 300, mittel: 1.500.000}
gruppen:
  - zweck: aktivierung
    zeilen:
      - {bezeichnung: MAT, schluessel: mat, plan: 200, ist: 180, ansatz: 160, mittel: 1.000.000}
  - zweck: weiterbildung
    plan: 100
    ist: 90
    ansatz: 0
    mittel: 500.000
"""


def edition(root: Path, **data: str) -> Path:
    """A tiny edition below root/content/tabellenstadt/2027 with the given data files (name → YAML)."""
    org = root / "content" / "tabellenstadt"
    (org / "2027" / "kapitel").mkdir(parents=True)
    (org / "2027" / "daten").mkdir()
    (org / "traeger.yaml").write_text(TRAEGER, encoding="utf-8")
    (org / "2027" / "ausgabe.yaml").write_text(AUSGABE, encoding="utf-8")
    (org / "2027" / "kapitel" / "01-tabellen.md").write_text(data.pop("kapitel", CHAPTER), encoding="utf-8")
    for name, text in data.items():
        (org / "2027" / "daten" / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return org / "2027"


ALL = {"eintritte": EINTRITTE, "haushalt": HAUSHALT, "stellen": STELLEN, "kette": KETTE, "mittel": MITTEL}


def layout_text(pdf) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def row(*cells: str) -> re.Pattern:
    return re.compile(r"\s{2,}".join(re.escape(c) for c in cells) + r"\s*$", re.M)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The tiny edition built once into a real PDF."""
    from amip.build import build

    root = tmp_path_factory.mktemp("tabellen")
    return build(edition(root, **ALL), root / "out")


def check(folder: Path) -> tuple[int, list[str], str]:
    result = run_amip("check", str(folder), cwd=folder.parents[2])
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    return result.returncode, [line for line in output.splitlines() if ": Fehler: " in line], output


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


# ---------------------------------------------------------------- real PDF


def test_one_column_planning_table_with_total_at_the_bottom(built):
    """Kennzahlen with only a plan column: no basis, no Vergleich; the computed total is the last row."""
    text = layout_text(built.pdf)
    assert row("Zweckbestimmung", "Eintritte 2027").search(text)
    assert row("I. Aktivierung und berufliche Eingliederung", "500").search(text)
    assert row("II. berufliche Weiterbildung", "120").search(text)
    assert row("Summe Eintritte", "620").search(text)
    table = text[text.index("Eintritte 2027 je Zweckbestimmung"):text.index("Budget 2027")]
    assert "Vergleich" not in table and "neu" not in table.split()    # no basis, so no "0 / neu"
    above = table[:table.index("Summe Eintritte")]
    assert "Weiterbildung mit Abschluss" in above and "Vermittlungsgutschein" in above   # total at the bottom
    assert "Geplant sind 620 Eintritte; das Budget beträgt 2.000.000,00 €." in re.sub(r"\s+", " ", text)


def test_money_table_with_cents_gesamt_and_shares(built):
    """Betrag with two decimals and "€", a computed Gesamt row, Anteil of the total per row."""
    text = layout_text(built.pdf)
    assert row("Eingliederungsleistungen", "1.234.567,80 €", "61,7%").search(text)
    assert row("Verwaltungskosten", "765.432,20 €", "38,3%").search(text)
    assert row("Gesamt", "2.000.000,00 €*", "100,0%").search(text)


def test_text_cell_is_left_out_of_the_sum_and_the_total_says_so(built):
    """A number not yet known is printed as text, not added, and a notice under the table names it."""
    text = re.sub(r"\s+", " ", layout_text(built.pdf))
    assert "Beratung vor Ort noch offen –" in text
    assert "* Summe ohne „Beratung vor Ort“ (noch offen): Zeilen ohne Zahl werden nicht mitgezählt." in text


def test_two_level_header_mark_after_number_empty_header_and_notes(built):
    """Column groups span their columns above them; "60*" keeps the mark on the number; notes follow."""
    with pdfplumber.open(built.pdf) as pdf:
        page = next(p for p in pdf.pages if "Stellen und Plätze" in (p.extract_text() or ""))
        words = page.extract_words()
    caption = next(w for w in words if w["text"] == "Stellen")
    header = [w for w in words if w["top"] > caption["bottom"]]
    y2026 = next(w for w in header if w["text"] == "2026")
    y2027 = next(w for w in header if w["text"] == "2027")
    nord = next(w for w in words if w["text"] == "Nord")
    subs = [w for w in header if w["text"] in ("Plätze", "Stellen") and y2026["bottom"] < w["top"] < nord["top"]]
    assert len(subs) == 4
    left, right = sorted(subs, key=lambda w: w["x0"])[:2], sorted(subs, key=lambda w: w["x0"])[2:]
    assert left[0]["x0"] - 1 <= (y2026["x0"] + y2026["x1"]) / 2 <= left[1]["x1"] + 1   # centred over its pair
    assert right[0]["x0"] - 1 <= (y2027["x0"] + y2027["x1"]) / 2 <= right[1]["x1"] + 1
    assert any(w["text"] == "60*" for w in words)                    # the mark sits on the number
    assert not [w for w in header if w["bottom"] < nord["top"] and w["x1"] < subs[0]["x0"] - 5
                and w["top"] > y2026["top"] - 2]                     # the first header cell is empty
    text = re.sub(r"\s+", " ", layout_text(built.pdf))
    assert "* davon 10 Plätze in Teilzeit" in text
    assert "Stand der Planung vom November 2026." in text
    html = (built.pdf.parent / "druck.html").read_text(encoding="utf-8")
    assert '<th scope="colgroup" class="zahl" colspan="2">2026</th>' in html
    assert '<th scope="col" rowspan="2"></th>' in html


def test_kennzahlen_with_five_columns_stays_inside_the_page(built):
    """Plan, Ist, Ansatz, Vergleich and € per Zweckbestimmung: printed, and no cell runs off the page."""
    from conftest import MM

    text = layout_text(built.pdf)
    assert row("Insgesamt", "300", "270", "160", "87,5%", "1.500.000 €").search(text)
    assert row("II. berufliche Weiterbildung", "100", "90", "0", "neu", "500.000 €").search(text)
    with pdfplumber.open(built.pdf) as pdf:
        page = next(p for p in pdf.pages if "Plan zu Ansatz" in (p.extract_text() or ""))
        words = page.extract_words()
        top = next(w["top"] for w in words if w["text"] == "Ansatz" and w["top"] > 0)
        right = max(w["x1"] for w in words if w["top"] >= top - 20)
        assert right <= 22 * MM + 174 * MM + 1       # within the table width the house CSS gives Kennzahlen


def test_waterfall_takes_its_parts_from_the_budget_table(built):
    """The chart's data come from haushalt.yaml by reference; the web data table shows them."""
    web = built.web.read_text(encoding="utf-8")
    figure = re.search(r'<figure class="abbildung".*?</figure>', web, re.S).group(0)
    assert "1.234.567,8" in figure and "765.432,2" in figure


# ---------------------------------------------------------------- checks with file:line


def test_text_cell_in_a_column_that_forbids_it_is_located(tmp_path):
    strict = HAUSHALT.replace("{name: Betrag, art: betrag}", "{name: Betrag, art: betrag, textzellen: nein}")
    folder = edition(tmp_path, haushalt=strict, kapitel="---\ntitel: T\n---\n\n[[tabelle: haushalt]]\n")
    code, errors, output = check(folder)
    assert code == 1, output
    [message] = errors
    line = line_of(folder / "daten/haushalt.yaml", "noch offen")
    assert message.startswith(f"content/tabellenstadt/2027/daten/haushalt.yaml:{line}:")
    assert "Textzelle „noch offen“ in der summierten Spalte „Betrag“ ist nicht erlaubt" in message


def test_plain_word_in_a_number_column_points_to_the_text_cell(tmp_path):
    wrong = HAUSHALT.replace("{text: noch offen}", "noch offen")
    folder = edition(tmp_path, haushalt=wrong, kapitel="---\ntitel: T\n---\n\n[[tabelle: haushalt]]\n")
    code, errors, output = check(folder)
    [message] = errors
    assert message.startswith(f"content/tabellenstadt/2027/daten/haushalt.yaml:{line_of(folder / 'daten/haushalt.yaml', 'noch offen')}:")
    assert "„noch offen“ ist keine Zahl" in message and "{text: noch offen}" in output


def test_reference_to_an_unknown_table_is_located(tmp_path):
    wrong = KETTE.replace("=haushalt.verwaltungskosten", "=haushalte.verwaltungskosten")
    folder = edition(tmp_path, **{**ALL, "kette": wrong})
    code, errors, output = check(folder)
    assert code == 1
    [message] = errors
    line = line_of(folder / "daten/kette.yaml", "=haushalte")
    assert re.match(rf"content/tabellenstadt/2027/daten/kette.yaml:{line}:\d+: Fehler: Verweis "
                    r"„=haushalte.verwaltungskosten.betrag“: die Datendatei „haushalte“ gibt es nicht\.", message), message
    assert "Meinten Sie „haushalt“?" in output


def test_reference_to_an_unknown_value_suggests_the_right_one(tmp_path):
    wrong = KETTE.replace("=haushalt.verwaltungskosten.betrag", "=haushalt.verwaltungskost.betrag")
    folder = edition(tmp_path, **{**ALL, "kette": wrong})
    code, errors, output = check(folder)
    [message] = errors
    assert message.startswith(f"content/tabellenstadt/2027/daten/kette.yaml:{line_of(folder / 'daten/kette.yaml', 'kost.')}:")
    assert "Meinten Sie „=haushalt.verwaltungskosten.betrag“?" in output


def test_reference_cycle_is_reported_at_every_reference(tmp_path):
    """a → b → a: both references are named with file:line; neither file is computed."""
    a = """\
        art: tabelle
        spalten: [{name: Posten}, {name: Wert, art: anzahl}]
        zeilen:
          - [Eins, "=b.zwei.wert"]
        """
    b = """\
        art: tabelle
        spalten: [{name: Posten}, {name: Wert, art: anzahl}]
        zeilen:
          - [Zwei, "=a.eins.wert"]
        """
    folder = edition(tmp_path, a=a, b=b, kapitel="---\ntitel: T\n---\n\n[[tabelle: a]]\n")
    code, errors, output = check(folder)
    assert code == 1
    assert len(errors) == 2, output
    line = line_of(folder / "daten/a.yaml", "=b.zwei")
    for message in errors:
        assert "Verweise im Kreis:" in message
        assert f"content/tabellenstadt/2027/daten/a.yaml:{line}:" in message
        assert f"content/tabellenstadt/2027/daten/b.yaml:{line}:" in message
    assert {m.split(": Fehler")[0].rsplit(":", 1)[0] for m in errors} == {
        f"content/tabellenstadt/2027/daten/a.yaml:{line}", f"content/tabellenstadt/2027/daten/b.yaml:{line}"}


def test_kennzahlen_with_plan_ist_ansatz_and_money_per_zweckbestimmung(tmp_path):
    """Any set of value columns; Vergleich between named columns; catalogue order still checked."""
    from amip.build import load_edition

    data = MITTEL
    folder = edition(tmp_path, k=data, kapitel="---\ntitel: T\n---\n\n[[tabelle: k]]\n")
    figures = load_edition(folder).figures["k"]
    rows = {r.label: [c.text for c in r.cells[1:]] for r in figures.rows}
    assert rows["Insgesamt"] == ["300", "270", "160", "87,5%", "1.500.000\u00a0€"]
    assert rows["MAT"] == ["200", "180", "160", "25,0%", "1.000.000\u00a0€"]
    assert rows["II. berufliche Weiterbildung"] == ["100", "90", "0", "neu", "500.000\u00a0€"]
    swapped = data.replace("zweck: aktivierung", "zweck: TMP").replace("zweck: weiterbildung", "zweck: aktivierung") \
        .replace("zweck: TMP", "zweck: weiterbildung")
    folder2 = edition(tmp_path / "b", k=swapped, kapitel="---\ntitel: T\n---\n\n[[tabelle: k]]\n")
    code, errors, output = check(folder2)
    assert code == 1
    assert any("steht nicht in der amtlichen Reihenfolge" in e for e in errors), output


def test_unknown_value_key_in_a_kennzahlen_row_suggests_the_column(tmp_path):
    data = EINTRITTE.replace("plan: 90}", "plna: 90}")
    folder = edition(tmp_path, eintritte=data, kapitel="---\ntitel: T\n---\n\n[[tabelle: eintritte]]\n")
    code, errors, output = check(folder)
    assert code == 1
    assert errors[0].startswith(f"content/tabellenstadt/2027/daten/eintritte.yaml:{line_of(folder / 'daten/eintritte.yaml', 'plna')}:")
    assert "Unbekannter Schlüssel „plna“" in errors[0] and "Meinten Sie „plan“?" in output


def test_group_subtotals_below_their_rows_and_differenz(tmp_path):
    """Row groups with their subtotal below, two totals (with and without a group), a Differenz column."""
    from amip.build import load_edition

    data = """\
        art: tabelle
        spalten:
          - {name: Posten}
          - {name: Plan, art: anzahl}
          - {name: Ist, art: anzahl}
          - {name: Differenz, art: differenz, aus: [Plan, Ist]}
        zwischensummen: unten
        zeilen:
          - gruppe: Maßnahmen
            zeilen:
              - [A, 10, 8]
              - [B, 5, 7]
          - gruppe: Zuschüsse
            summe: Zuschüsse zusammen
            zeilen:
              - [C, 3, 3]
        summen:
          - {bezeichnung: Gesamt, erwartet: {Plan: 18}}
          - {bezeichnung: ohne Zuschüsse, ohne: [Zuschüsse]}
        """
    folder = edition(tmp_path, t=data, kapitel="---\ntitel: T\n---\n\n[[tabelle: t]]\n")
    figures = load_edition(folder).figures["t"]
    shown = [(r.kind, r.label, [c.text for c in r.cells[1:]]) for r in figures.rows]
    assert shown == [
        ("gruppentitel", "Maßnahmen", ["", "", ""]),
        ("", "A", ["10", "8", "2"]),
        ("", "B", ["5", "7", "-2"]),
        ("zwischensumme", "Summe Maßnahmen", ["15", "15", "0"]),
        ("gruppentitel", "Zuschüsse", ["", "", ""]),
        ("", "C", ["3", "3", "0"]),
        ("zwischensumme", "Zuschüsse zusammen", ["3", "3", "0"]),
        ("summe", "Gesamt", ["18", "18", "0"]),
        ("summe", "ohne Zuschüsse", ["15", "15", "0"]),
    ]
    wrong = data.replace("erwartet: {Plan: 18}", "erwartet: {Plan: 19}")
    folder2 = edition(tmp_path / "b", t=wrong, kapitel="---\ntitel: T\n---\n\n[[tabelle: t]]\n")
    code, errors, _ = check(folder2)
    [message] = errors
    assert message.startswith(f"content/tabellenstadt/2027/daten/t.yaml:{line_of(folder2 / 'daten/t.yaml', 'Plan: 19')}:")
    assert "Summe „Gesamt“ (plan): erwartet 19, berechnet 18." in message


def test_ranges_add_up_to_a_range_and_percent_columns_are_not_summed(tmp_path):
    """Spanne totals are ranges; a Prozent column stays empty in the total; a text cell's share is "–"."""
    from amip.build import load_edition

    data = """\
        art: tabelle
        spalten:
          - {name: Angebot}
          - {name: Bedarf, art: spanne}
          - {name: Quote, art: prozent}
          - {name: Mittel, art: betrag, nachkommastellen: 0, einheit: ""}
          - {name: Anteil, art: anteil, aus: [Mittel]}
        zeilen:
          - [Schuldnerberatung, 300 bis 500, "12,5", 1.000]
          - [Suchtberatung, 450, "7", {text: offen}]
        summen:
          - bezeichnung: Summe
        """
    folder = edition(tmp_path, t=data, kapitel="---\ntitel: T\n---\n\n[[tabelle: t]]\n")
    rows = {r.label: [c.text for c in r.cells[1:]] for r in load_edition(folder).figures["t"].rows}
    assert rows["Schuldnerberatung"] == ["300 bis 500", "12,5%", "1.000", "100,0%"]
    assert rows["Suchtberatung"] == ["450", "7%", "offen", "–"]
    assert rows["Summe"] == ["750 bis 950", "", "1.000*", "100,0%"]


@pytest.mark.parametrize("raw, art, printed", [
    ("60 *", "anzahl", "60*"),            # the mark belongs to the number, whatever the spacing
    ("1.200**", "anzahl", "1.200**"),
    ("350¹", "zahl", "350¹"),
    ("1.234,5 €", "betrag", "1.234,50\u00a0€"),
    ("12,5 %", "prozent", "12,5%"),
    ("60 bis 150*", "spanne", "60 bis 150*"),
])
def test_cells_are_printed_in_their_column_type(raw, art, printed):
    from amip.tables.columns import Column, format_value, parse_cell

    unit = "€" if art == "betrag" else ""
    assert format_value(Column("x", "X", art, unit=unit), parse_cell(raw, art, whole=art == "anzahl")) == printed


def test_text_cell_in_kennzahlen_is_left_out_with_a_notice(tmp_path):
    """Kennzahlen take text cells too: the group and the total say which row is missing."""
    from amip.build import load_edition

    data = EINTRITTE.replace("{bezeichnung: Vermittlungsgutschein, plan: 90}",
                             "{bezeichnung: Vermittlungsgutschein, plan: {text: nach Bedarf}}")
    folder = edition(tmp_path, eintritte=data, kapitel="---\ntitel: T\n---\n\n[[tabelle: eintritte]]\n")
    figures = load_edition(folder).figures["eintritte"]
    rows = {r.label: r.cells[1].text for r in figures.rows}
    assert rows["Vermittlungsgutschein"] == "nach Bedarf"
    assert rows["I. Aktivierung und berufliche Eingliederung"] == "410*"
    assert rows["Summe Eintritte"] == "530*"
    assert figures.table.notes == ("* Summe ohne „Vermittlungsgutschein“ (nach Bedarf): "
                                   "Zeilen ohne Zahl werden nicht mitgezählt.",)


def test_note_with_a_colon_is_explained(tmp_path):
    """`- Quelle: X` under anmerkungen is a mapping in YAML; the message says so and how to quote it."""
    data = STELLEN.replace("- Stand der Planung vom November 2026.", "- Quelle: Planung vom November 2026.")
    folder = edition(tmp_path, stellen=data, kapitel="---\ntitel: T\n---\n\n[[tabelle: stellen]]\n")
    code, errors, output = check(folder)
    [message] = errors
    assert message.startswith(f"content/tabellenstadt/2027/daten/stellen.yaml:{line_of(folder / 'daten/stellen.yaml', 'Quelle:')}:")
    assert "YAML liest hier aber „schlüssel: wert“" in message and 'Anführungszeichen: - "Quelle: …"' in output


def test_footnote_marks_on_headers_count_and_unexplained_marks_warn(tmp_path):
    """A mark on a column heading is a use of its footnote; a mark nobody explains is a located warning."""
    data = STELLEN.replace("{name: Stellen, gruppe: \"2027\", art: anzahl}", "{name: Stellen¹, gruppe: \"2027\", art: anzahl}") \
        .replace("fussnoten:\n", "fussnoten:\n  \"¹\": Vollzeitstellen\n").replace("[Süd, 35,", "[Süd, 35**,")
    folder = edition(tmp_path, stellen=data, kapitel="---\ntitel: T\n---\n\n[[tabelle: stellen]]\n")
    code, errors, output = check(folder)
    assert code == 0, output
    warnings = [line for line in output.splitlines() if "Warnung" in line and "stellen.yaml" in line]
    path = folder / "daten/stellen.yaml"
    line = line_of(path, "35**")
    column = path.read_text(encoding="utf-8").splitlines()[line - 1].index("35**") + 1
    assert warnings == [f"content/tabellenstadt/2027/daten/stellen.yaml:{line}:{column}: "
                        "Warnung: Das Zeichen „**“ wird unter der Tabelle nicht erklärt."], output


def test_kennzahlen_with_column_groups_and_a_share(tmp_path):
    """Kennzahlen columns may carry a two-level head and an Anteil of the first total."""
    from amip.build import load_edition

    data = """\
        art: kennzahlen
        spalten:
          bezeichnung: Zweckbestimmung
          plan: {name: Eintritte, gruppe: "2027"}
          mittel: {name: Mittel, gruppe: "2027", art: betrag}
          anteil: {name: Anteil, aus: [mittel]}
        summen:
          - bezeichnung: Summe
        gruppen:
          - {zweck: aktivierung, plan: 30, mittel: "750,00"}
          - {zweck: weiterbildung, plan: 10, mittel: "250,00"}
        """
    folder = edition(tmp_path, k=data, kapitel="---\ntitel: T\n---\n\n[[tabelle: k]]\n")
    table = load_edition(folder).figures["k"].table
    assert [(h.text, h.colspan, h.rowspan) for h in table.header[0]] == [
        ("Zweckbestimmung", 1, 2), ("2027", 2, 1), ("Anteil", 1, 2)]
    assert [h.text for h in table.header[1]] == ["Eintritte", "Mittel"]
    rows = {r.label: [c.text for c in r.cells[1:]] for r in table.rows}
    assert rows["Summe"] == ["40", "1.000,00\u00a0€", "100,0%"]
    assert rows["I. Aktivierung und berufliche Eingliederung"] == ["30", "750,00\u00a0€", "75,0%"]
