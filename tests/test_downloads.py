"""Machine-readable tables: every table of an edition as CSV and in one XLSX workbook, equal to the print.

The values are compared with what the PDF prints (pdftotext), so a CSV can never show another number
than the page; the "(Zahl)" columns must be the printed number read the German way.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import time

import pytest
from openpyxl import load_workbook

from amip.record import tables


def _csv(path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")                     # BOM: Excel opens it as UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture(scope="module")
def daten(built_2026):
    return built_2026.web.parent / "daten"


def _pdf_text(pdf, mode: str) -> str:
    text = subprocess.run(["pdftotext", mode, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = re.sub(r"(\w)-\n\s*([a-zäöüß])", r"\1\2", text)        # words hyphenated at a line end, joined
    return re.sub(r"\s+", " ", text.replace("\u00ad", ""))


@pytest.fixture(scope="module")
def pdf_text(built_2026) -> str:
    return _pdf_text(built_2026.pdf, "-layout")


@pytest.fixture(scope="module")
def pdf_reading_order(built_2026) -> str:
    """Text in content order: a label wrapped over two lines stays before its numbers."""
    return _pdf_text(built_2026.pdf, "-raw")


def test_every_data_table_and_chart_has_its_csv_and_a_link(built_2026, daten):
    html = built_2026.web.read_text(encoding="utf-8")
    ids = set(re.findall(r'<table class="daten[^"]*" id="(tabelle-[^"]+)"', html))
    ids |= {f for f in re.findall(r'<figure class="abbildung[^"]*" id="(abb-[^"]+)"', html)
            if f'href="daten/{f}.csv"' in html}
    assert {"tabelle-kennzahlen", "tabelle-leistungen-16a", "tabelle-kennzahlen-portfolio", "abb-kennzahlen"} <= ids
    assert {p.stem for p in daten.glob("*.csv")} == ids
    for table_id in ids:
        assert f'href="daten/{table_id}.csv"' in html
    assert html.count('href="daten/tabellen.xlsx"') == len([i for i in ids if i.startswith("tabelle-")])


def test_kennzahlen_csv_equals_the_printed_table(daten, pdf_text):
    lines = _csv(daten / "tabelle-kennzahlen.csv")
    assert lines[0] == ["Zweckbestimmung", "Eintritte 2026", "Eintritte 2026 (Zahl)", "Ergebnis 2025",
                        "Ergebnis 2025 (Zahl)", "Vergleich", "Vergleich (Zahl)"]
    assert lines[1] == ["mit FbW / Reha", "8.510", "8510", "7.274", "7274", "17,0%", "17.0"]
    for line in lines[1:]:
        printed = [line[0], line[1], line[3], line[5]]
        assert " ".join(printed) in pdf_text, line            # every cell, in the same order, in the PDF
        for text, raw in ((line[1], line[2]), (line[3], line[4]), (line[5], line[6])):
            assert float(raw) == float(text.replace(".", "").replace(",", ".").rstrip("%"))


def test_portfolio_csv_equals_the_printed_portfolio(daten, pdf_reading_order):
    pdf_text = pdf_reading_order
    lines = _csv(daten / "tabelle-kennzahlen-portfolio.csv")
    assert lines[0] == ["Zweckbestimmung", "Instrument", "Geplante Eintritte 2026", "Geplante Eintritte 2026 (Zahl)",
                        "Anteil", "Anteil (Zahl)"]
    assert len(lines) > 10
    for line in lines[1:]:
        assert line[0] in pdf_text                              # the merged group cell, printed once
        assert " ".join([line[1], line[2], line[4]]) in pdf_text, line
        assert int(line[3]) == int(line[2].replace(".", "")) and float(line[5]) == float(line[4][:-1].replace(",", "."))


def test_the_tables_are_archived_with_the_edition(archived):
    import json

    version = archived / "archive/duesseldorf/2026/v1"
    files = json.loads((version / "manifest.json").read_text(encoding="utf-8"))["dateien"]
    assert "data/ausgabe/web/daten/tabellen.xlsx" in files and "data/ausgabe/web/daten/tabelle-kennzahlen.csv" in files


def test_general_table_with_ranges_keeps_text_and_gets_no_number_twin(daten, pdf_text):
    lines = _csv(daten / "tabelle-leistungen-16a.csv")
    assert lines[0] == ["Leistung nach § 16a", "Erbracht durch", "Bedarfsschätzung"]   # "15 bis 30" is no number
    assert ["Kinderbetreuung", "i-Punkt Familie des Jugendamtes", "15 bis 30"] in lines
    assert "15 bis 30" in pdf_text


def test_the_workbook_has_a_sheet_per_table_with_numbers_as_numbers(daten):
    book = load_workbook(daten / "tabellen.xlsx")
    assert len(book.sheetnames) == len(list(daten.glob("*.csv")))
    sheet = next(book[name] for name in book.sheetnames if book[name]["A3"].value == "mit FbW / Reha")
    assert sheet["A1"].value == "tabelle-kennzahlen"         # the caption, or the id where the table has none
    header = [c.value for c in sheet[2]]
    assert header[:3] == ["Zweckbestimmung", "Eintritte 2026", "Eintritte 2026 (Zahl)"]
    assert [c.value for c in sheet[3]][:3] == ["mit FbW / Reha", "8.510", 8510]
    assert isinstance(sheet["G3"].value, (int, float)) and sheet["G3"].value == 17.0   # xlsx keeps 17.0 as 17


def test_the_workbook_bytes_do_not_depend_on_the_clock(built_2026):
    found = tables.extract(built_2026.web.read_text(encoding="utf-8"))
    first = tables.workbook(found, 1764547200)
    time.sleep(2.1)                                          # zip times have a resolution of two seconds
    assert tables.workbook(found, 1764547200) == first


@pytest.mark.parametrize("text, value", [("8.510", 8510), ("17,0%", 17.0), ("-23,5 %", -23.5), ("1,2 Mio. €", 1.2),
                                         ("−4", -4), ("0", 0), ("15 bis 30", None), ("8.51", None), ("offen", None)])
def test_numbers_are_read_the_german_way(text, value):
    assert tables.number(text) == value


def test_merged_cells_are_repeated_in_every_row():
    html = ('<table class="daten" id="tabelle-x"><caption>Tabelle 1: X</caption><thead><tr><th rowspan="2">A</th>'
            '<th colspan="2">Plan</th></tr><tr><th>2026</th><th>2027</th></tr></thead><tbody>'
            '<tr><th scope="row" rowspan="2">Gruppe</th><td>1</td><td>2</td></tr><tr><td>3</td><td>4</td></tr></tbody></table>')
    (table,) = tables.extract(html)
    assert table.header == ["A", "Plan – 2026", "Plan – 2027"]
    assert table.rows == [["Gruppe", "1", "2"], ["Gruppe", "3", "4"]]
    assert table.caption == "Tabelle 1: X"
