"""Tables stay inside the type area: columns follow their content, long text wraps, numbers never do."""

from __future__ import annotations

import pdfplumber
import pytest

from amip.build import build
from amip.errors import ContentError
from conftest import MM
from test_layout import make_edition

TYPE_AREA = (22 * MM, (22 + 174) * MM)   # print.css: left margin 22 mm, text 126 mm + notes 48 mm
LONG = " ".join(["Die Maßnahme verbindet Coaching, Qualifizierung und betriebliche Erprobung für Langzeitarbeitslose "
                 "mit mehreren Vermittlungshemmnissen; sie wird mit Trägern der Wohlfahrtspflege umgesetzt."] * 4)[:400]


def _table(name: str, columns: list[tuple[str, str]], rows: list[list[str]]) -> dict[str, str]:
    spalten = "".join(f"  - {{name: {n}, art: {a}}}\n" for n, a in columns)
    zeilen = "".join("  - [" + ", ".join(f'"{c}"' for c in row) + "]\n" for row in rows)
    return {name: f"art: tabelle\nspalten:\n{spalten}zeilen:\n{zeilen}"}


def test_a_400_character_cell_wraps_inside_the_type_area(tmp_path):
    """Every glyph of the table lies inside the type area; the number column stays on one line, right-aligned."""
    assert len(LONG) == 400
    data = _table("lang", [("Angebot", "text"), ("Beschreibung", "text"), ("Plätze", "zahl"), ("Kosten in Euro", "zahl")],
                  [["Arbeitsgelegenheiten", LONG, "1.200", "3.456.789"], ["Kurz", "kurz", "5", "7"]])
    edition = make_edition(tmp_path, "---\ntitel: Tabelle\n---\n\nVorher ein Absatz.\n\n[[tabelle: lang]]\n", data)
    result = build(edition, tmp_path / "out")
    with pdfplumber.open(result.pdf) as pdf:
        page = next(p for p in pdf.pages if "Arbeitsgelegenheiten" in (p.extract_text() or ""))
        chars = [c for c in page.chars if c["top"] > 30 * MM and c["bottom"] < page.height - 22 * MM]
        text = page.extract_text()
    assert chars
    assert min(c["x0"] for c in chars) >= TYPE_AREA[0] - 0.5
    assert max(c["x1"] for c in chars) <= TYPE_AREA[1] + 0.5
    assert "3.456.789" in text and "1.200" in text            # numbers not broken
    assert "Vermittlungshemmnissen;" in text.replace("-\n", "").replace("\n", " ")  # long text wrapped, nothing lost
    ends = [c["x1"] for c in chars if c["text"] == "9" and abs(c["x1"] - max(x["x1"] for x in chars)) < 1]
    assert ends, "the last number column is right-aligned at the table edge"


def test_a_table_that_cannot_fit_stops_the_build_with_its_data_file(tmp_path):
    """Twelve wide number columns cannot fit: a German error at the data file, nothing written."""
    columns = [("Angebot", "text")] + [(f"Jahr {i}", "zahl") for i in range(12)]
    data = _table("breit", columns, [["Arbeitsgelegenheiten"] + ["1.234.567.890"] * 12])
    edition = make_edition(tmp_path, "---\ntitel: Tabelle\n---\n\n[[tabelle: breit]]\n", data)
    with pytest.raises(ContentError) as caught:
        build(edition, tmp_path / "out")
    problem = caught.value.problems[0]
    assert problem.location.path == edition / "daten" / "breit.yaml" and problem.location.line == 2
    assert "breiter als der Satzspiegel" in problem.message and "Seite 3" in problem.message
    assert "Spalten" in problem.hint
    assert not (tmp_path / "out" / "amip-test-2030.pdf").exists()


def test_a_word_too_long_for_its_fixed_column_names_its_row(tmp_path):
    """A Kennzahlen label column has a fixed width: a word wider than it is reported at its line."""
    word = "Kennziffer_" + "_".join(["1234567890"] * 8)     # no break opportunity, no syllables
    kennzahlen = (
        "art: kennzahlen\nspalten:\n  bezeichnung: Zweckbestimmung\n  plan: Eintritte 2030\n"
        "  basis: Ergebnis 2029\n  vergleich: Vergleich\nsummen:\n  - bezeichnung: Insgesamt\ngruppen:\n  - zweck: aktivierung\n    zeilen:\n"
        "      - {bezeichnung: Kurz, plan: 10, basis: 8}\n"
        f"      - {{bezeichnung: {word}, plan: 10, basis: 8}}\n")
    edition = make_edition(tmp_path, "---\ntitel: Tabelle\n---\n\n[[tabelle: kennzahlen]]\n", {"kennzahlen": kennzahlen})
    with pytest.raises(ContentError) as caught:
        build(edition, tmp_path / "out")
    problem = caught.value.problems[0]
    assert problem.location.path.name == "kennzahlen.yaml" and problem.location.line == 13
    assert f"ragt „{word[:37]}…“" in problem.message and "über seine Spalte hinaus" in problem.message
