"""amip diff: the Änderungsübersicht of two editions – table rows followed by key, a word-level
redline per chapter, unchanged text collapsed – as a real PDF and HTML, and its bad-input messages."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pdfplumber
import pytest

from conftest import ROOT, copy_content, run_amip

from amip.diff import compare
from amip.diff.paragraphs import words
from amip.diff.redline import Piece

sys.path.insert(0, str(Path(__file__).parent / "bad_inputs"))
from edition import FILES, ORG  # noqa: E402 – the small edition's organisation (traeger.yaml)

TRAEGER = FILES[f"content/{ORG}/traeger.yaml"]


def ausgabe(jahr: int, kapitel: list[str]) -> str:
    listed = "\n".join(f"  - {name}" for name in kapitel)
    return f"""\
jahr: {jahr}
titel: Arbeitsmarkt- und Integrationsprogramm
status: entwurf
stand: 01.12.{jahr - 1}
impressum:
  herausgeber: [Jobcenter Musterstadt]
  verantwortlich: [Erika Muster, Hauptstraße 1, 12345 Musterstadt]
kapitel:
{listed}
"""


def chapter(title: str, body: str, ident: str | None = None) -> str:
    head = f"titel: {title}\n" + (f"id: {ident}\n" if ident else "")
    return f"---\n{head}---\n\n{body}"


def table(rows: list[tuple[str | None, str, str]], total_label: str = "Summe") -> str:
    lines = []
    for key, label, value in rows:
        cells = f"[{label}, {value}]"
        lines.append(f"  - {{schluessel: {key}, zellen: {cells}}}" if key else f"  - {cells}")
    return ("art: tabelle\ntitel: Instrumente\nspalten:\n  - {name: Instrument}\n  - {name: Plätze, art: anzahl}\n"
            "zeilen:\n" + "\n".join(lines) + f"\nsummen:\n  - bezeichnung: {total_label}\n")


UNCHANGED = ("Dieser Abschnitt bleibt in beiden Jahren gleich und wird deshalb nur als unverändert gezählt.\n\n"
             "Ein zweiter Absatz, der ebenfalls gleich bleibt.\n")

OLD_START = """\
Das Jobcenter plant für das Jahr neue Angebote. Dieser Satz wird gestrichen. Der Rest bleibt.

Ein unveränderter Absatz über die Eingliederungs&shy;leistungen.

Ein Schlussabsatz mit Zahlen: [[wert: instrumente.agh.plaetze]] Plätze.

[[tabelle: instrumente]]
"""

NEW_START = """\
Das Jobcenter plant für das Jahr neue Angebote. Der Rest bleibt. Ein ganz neuer Satz kommt hinzu.

Ein unveränderter Absatz über die
Eingliederungsleistungen.

Ein Schlussabsatz mit Zahlen: [[wert: instrumente.agh.plaetze]] Plätze.

[[tabelle: instrumente]]
"""

# only soft hyphens, manual hyphenation at a line end and line breaks differ
OLD_FORMAL = "Die Arbeitsmarkt&shy;integration junger Menschen bleibt ein Schwerpunkt der Arbeit.\n"
NEW_FORMAL = "Die Arbeitsmarkt-\nintegration junger\nMenschen bleibt ein Schwer&shy;punkt der Arbeit.\n"


def write_pair(root: Path) -> tuple[Path, Path]:
    """Two small editions of one organisation, 2025 → 2026."""
    org = root / "content" / ORG
    files = {
        "traeger.yaml": TRAEGER,
        "2025/ausgabe.yaml": ausgabe(2025, ["01-start.md", "02-gleich.md", "03-formal.md", "04-alt.md"]),
        "2025/kapitel/01-start.md": chapter("Einleitung 2025", OLD_START),
        "2025/kapitel/02-gleich.md": chapter("Grundsätze", UNCHANGED),
        "2025/kapitel/03-formal.md": chapter("Junge Menschen", OLD_FORMAL),
        "2025/kapitel/04-alt.md": chapter("Ein Kapitel, das entfällt", "Sein einziger Absatz.\n"),
        "2025/daten/instrumente.yaml": table([("agh", "Arbeitsgelegenheiten MAE", "1.400"),
                                              ("fav", "Förderung von Arbeitsverhältnissen", "100"),
                                              ("esg", "Einstiegsgeld", "400")]),
        "2026/ausgabe.yaml": ausgabe(2026, ["01-start.md", "02-gleich.md", "03-formal.md", "05-neu.md"]),
        "2026/kapitel/01-start.md": chapter("Einleitung 2026", NEW_START),
        "2026/kapitel/02-gleich.md": chapter("Grundsätze", UNCHANGED),
        "2026/kapitel/03-formal.md": chapter("Junge Menschen", NEW_FORMAL),
        "2026/kapitel/05-neu.md": chapter("Ein neues Kapitel", "## Ein Abschnitt\n\nText des neuen Kapitels.\n"),
        "2026/daten/instrumente.yaml": table([("agh", "Arbeitsgelegenheiten", "1.600"),
                                              ("esg", "Einstiegsgeld", "400"),
                                              ("p16i", "§ 16i Teilhabe am Arbeitsmarkt", "95")]),
    }
    for name, text in files.items():
        (org / name).parent.mkdir(parents=True, exist_ok=True)
        (org / name).write_text(text, encoding="utf-8")
    (root / "amip-projekt.yaml").write_text("standardausgabe: content/muster/2026\n", encoding="utf-8")
    return org / "2025", org / "2026"


@pytest.fixture()
def pair(tmp_path: Path) -> tuple[Path, Path]:
    return write_pair(tmp_path)


def by_title(report, title: str):
    return next(c for c in report.chapters if (c.new or c.old).title == title)


def pieces(change, kind: str) -> list[str]:
    return [p.text for item in change.items for p in item.pieces if p.kind == kind]


# ---------------------------------------------------------------- the redline


def test_inserted_and_deleted_sentence_are_marked_word_by_word(pair):
    report = compare(*pair)
    start = by_title(report, "Einleitung 2026")
    assert start.status == "geaendert" and start.renamed and start.matched_by == "Dateiname"
    # the sentences, and the number quoted from the data ([[wert: …]] is compared as printed)
    assert pieces(start, "aus") == ["Dieser Satz wird gestrichen.", "1.400"]
    assert pieces(start, "ein") == ["Ein ganz neuer Satz kommt hinzu.", "1.600"]
    # a changed paragraph keeps its unchanged words; unchanged paragraphs are counted items
    changed = next(item for item in start.items if item.status == "geaendert")
    assert changed.pieces[0].text == "Das Jobcenter plant für das Jahr neue Angebote." and changed.pieces[0].kind == "gleich"
    assert [(item.status, item.count) for item in start.items] == [
        ("geaendert", 0), ("unveraendert", 1), ("geaendert", 0), ("unveraendert", 1)]   # soft hyphen, line break: unchanged


def test_unchanged_and_formally_changed_chapters_are_collapsed(pair):
    report = compare(*pair)
    assert by_title(report, "Grundsätze").status == "unveraendert"
    formal = by_title(report, "Junge Menschen")
    assert formal.status == "unveraendert", [item for item in formal.items if item.status != "unveraendert"]
    assert report.chapters_with("unveraendert") == 2


def test_a_rewritten_long_chapter_is_paired_paragraph_by_paragraph_in_linear_time():
    """Every paragraph of the 2018 edition's longest chapter (548) changed by one word: each stays one
    changed paragraph (also a two-word heading like "Ziele 2025" → "Ziele 2026"), and quickly."""
    import time

    from amip.diff.paragraphs import Paragraph
    from amip.diff.redline import redline, side
    from amip.edition import load_edition

    edition = load_edition(ROOT / "content/duesseldorf/2018")
    old = side(edition.chapters[7], edition.values, edition.headings).paragraphs
    new = tuple(Paragraph(p.kind, p.words[:-1] + ("geändert",), p.line) for p in old)
    start = time.process_time()
    items = redline(old + (Paragraph("ueberschrift", ("Ziele", "2025"), 1),),
                    new + (Paragraph("ueberschrift", ("Ziele", "2026"), 1),))
    assert time.process_time() - start < 3
    changed = [item for item in items if item.status == "geaendert"]
    assert len(changed) >= 0.98 * len(old) and changed[-1].pieces == (
        Piece("gleich", "Ziele"), Piece("aus", "2025"), Piece("ein", "2026"))


def test_words_ignore_soft_hyphens_manual_hyphenation_and_line_breaks():
    assert words("Eingliederungs\u00adzuschuss und\nmehr") == ("Eingliederungszuschuss", "und", "mehr")
    assert words("Eingliederungs&shy;zuschuss") == ("Eingliederungszuschuss",)
    assert words("Eingliederungs-\nzuschuss") == ("Eingliederungszuschuss",)
    # an elided compound ("Arbeitsmarkt- und …") is not a hyphenated word, even at a line end
    assert words("Arbeitsmarkt-\nund Integrationsprogramm") == ("Arbeitsmarkt-", "und", "Integrationsprogramm")
    assert words("Arbeitsmarkt- und Integrationsprogramm") == ("Arbeitsmarkt-", "und", "Integrationsprogramm")


def test_new_dropped_and_moved_chapters(pair):
    old, new = pair
    # chapter 02 gets a new file name and title and comes last: recognised by its text, moved and renamed
    listed = (new / "ausgabe.yaml").read_text(encoding="utf-8")
    (new / "ausgabe.yaml").write_text(listed.replace("  - 02-gleich.md\n", "").replace("  - 05-neu.md\n",
                                                                                       "  - 05-neu.md\n  - 09-grundsaetze.md\n"),
                                      encoding="utf-8")
    (new / "kapitel" / "02-gleich.md").unlink()
    (new / "kapitel" / "09-grundsaetze.md").write_text(chapter("Grundsätze der Arbeit", UNCHANGED), encoding="utf-8")
    report = compare(old, new)
    statuses = {(c.new or c.old).title: c.status for c in report.chapters}
    assert statuses["Ein neues Kapitel"] == "neu" and statuses["Ein Kapitel, das entfällt"] == "entfallen"
    moved = by_title(report, "Grundsätze der Arbeit")
    assert moved.matched_by == "Textähnlichkeit" and moved.moved and moved.renamed and moved.old.title == "Grundsätze"
    assert moved.status == "geaendert" and [item.status for item in moved.items] == ["unveraendert"]
    assert moved.old.label == "2." and moved.new.label == "4."
    # the new edition's order; the dropped chapter where it stood (after "Junge Menschen")
    assert [(c.new or c.old).title for c in report.chapters] == [
        "Einleitung 2026", "Junge Menschen", "Ein Kapitel, das entfällt", "Ein neues Kapitel", "Grundsätze der Arbeit"]


# ---------------------------------------------------------------- tables


def rows_of(report, name: str) -> dict:
    table = next(t for t in report.tables if t.name == name)
    return {r.key: r for r in table.rows}


def test_renamed_instrument_is_followed_by_its_key(pair):
    rows = rows_of(compare(*pair), "instrumente")
    agh = rows["agh"]
    assert agh.old_label == "Arbeitsgelegenheiten MAE" and agh.label == "Arbeitsgelegenheiten" and agh.keyed
    assert [(c.column, c.old, c.new, c.change) for c in agh.cells] == [("Plätze", "1.400", "1.600", "+14,3%")]
    assert rows["fav"].status == "entfallen" and rows["fav"].cells[0].old == "100"
    assert rows["p16i"].status == "neu" and rows["p16i"].cells[0].new == "95"
    assert "esg" not in rows   # unchanged rows are only counted
    total = rows["summe"]   # computed sums compared as printed: 1.900 → 2.095
    assert (total.cells[0].old, total.cells[0].new, total.cells[0].change) == ("1.900", "2.095", "+10,3%")


def test_2018_against_2026_lists_instruments_with_numbers():
    """The acceptance of issue 10 on the real editions (figures from their kennzahlen.yaml)."""
    report = compare(ROOT / "content/duesseldorf/2018", ROOT / "content/duesseldorf/2026")
    kennzahlen = next(t for t in report.tables if t.name == "kennzahlen")
    assert kennzahlen.columns_renamed == [("Plätze 2018", "Eintritte 2026"), ("Ansatz 2017", "Ergebnis 2025")]
    rows = rows_of(report, "kennzahlen")
    agh = rows["agh"]   # renamed, followed by its key, numbers changed
    assert (agh.old_label, agh.label) == ("Arbeitsgelegenheiten MAE", "Arbeitsgelegenheiten")
    assert ("Eintritte 2026", "1.400", "1.600", "+14,3%") in [(c.column, c.old, c.new, c.change) for c in agh.cells]
    assert rows["fav"].status == "entfallen" and rows["fav"].label == "Förderung von Arbeitsverhältnissen"
    assert rows["p16i"].status == "neu" and rows["p16i"].cells[0].new == "95"
    assert rows["p16e"].status == "neu" and rows["mat"].status == "neu"
    esg = {c.column: c for c in rows["esg"].cells}
    assert (esg["Eintritte 2026"].old, esg["Eintritte 2026"].new, esg["Eintritte 2026"].change) == ("400", "600", "+50,0%")
    total = {c.column: c for c in rows["summe"].cells}   # the computed total of each edition
    assert (total["Eintritte 2026"].old, total["Eintritte 2026"].new) == ("12.001", "8.510")
    assert total["Eintritte 2026"].change == "-29,1%"
    assert total["Vergleich"].change == "+16,0 %-Punkte"
    leistungen = next(t for t in report.tables if t.name == "leistungen-16a")   # no keys: only a hint
    assert ("Beratung zur häuslichen Pflege von Angehörigen", "Häusliche Pflege von Angehörigen") in leistungen.maybe_renamed
    assert ("Schuldnerberatung", "Schuldnerberatung") not in leistungen.maybe_renamed   # matched, not a hint
    kapitel = next(c for c in report.chapters if c.new and c.new.title == "Kennzahlen 2026")
    assert kapitel.old.name == "6. Kennzahlen" and kapitel.new.name == "Anlage 1: Kennzahlen 2026"
    assert kapitel.matched_by == "Titel" and kapitel.renamed and not kapitel.moved   # the only chapter in both


def test_row_key_is_the_schluessel_else_the_normalised_label():
    from amip.diff.keys import row_key

    assert row_key("agh", "Arbeitsgelegenheiten MAE") == row_key("agh", "Arbeitsgelegenheiten") == "agh"
    assert row_key(None, "Eingliederungs&shy;zuschuss") == row_key(None, "Eingliederungs\u00adzuschuss") \
        == row_key(None, "eingliederungszuschuss ") == "eingliederungszuschuss"
    assert row_key(None, "Häusliche  Pflege") == "haeusliche-pflege"
    assert row_key(None, "Schuldnerberatung") != row_key(None, "Suchtberatung")


@pytest.mark.parametrize("old, new, change", [
    ("400", "600", "+50,0%"),
    ("1.400", "1.400", "0,0%"),
    ("12.001", "8.510", "-29,1%"),
    ("0", "25", "–"),                                  # no percentage against zero
    ("1.234,50 €", "1.500,00 €", "+21,5%"),
    ("12,5%", "15,0%", "+2,5 %-Punkte"),               # percentages change in points
    ("60*", "66*", "+10,0%"),                          # a footnote mark is not part of the number
    ("15 bis 30", "20 bis 30", ""),                    # a range has no single change
    ("offen", "1.200", ""),
])
def test_cell_change(old, new, change):
    from amip.diff.tables import cell_change

    assert cell_change("Spalte", old, new).change == change


def test_columns_match_by_name_then_without_year_then_by_place():
    from amip.diff.tables import match_columns

    assert match_columns(("Vergleich", "Plätze 2018", "Ansatz 2017"), ("Plätze 2019", "Ansatz 2018", "Vergleich")) == \
        {2: 0, 0: 1, 1: 2}
    assert match_columns(("Plätze 2018", "Ansatz 2017"), ("Eintritte 2026", "Ergebnis 2025")) == {0: 0, 1: 1}
    assert match_columns(("A", "B"), ("A", "B", "C")) == {0: 0, 1: 1}   # a new column has no partner


# ---------------------------------------------------------------- the command, PDF and HTML


def test_amip_diff_writes_pdf_and_html(pair, tmp_path):
    old, new = pair
    result = run_amip("diff", str(old), str(new), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "build" / ORG / "aenderungen-2025-2026"
    pdf_file = out / "aenderungen-muster-2025-2026.pdf"
    assert "aenderungen-muster-2025-2026.pdf" in result.stdout
    with pdfplumber.open(pdf_file) as document:
        text = " ".join(page.extract_text() for page in document.pages).replace("\n", " ")
        first = document.pages[0]
        words_on_page = first.extract_words()
        rules = [line for line in first.lines if abs(line["top"] - line["bottom"]) < 1]
    for expected in ("Änderungsübersicht 2026 gegenüber 2025", "Schlüssel agh", "+14,3%",
                     "Dieser Satz wird gestrichen.", "Ein ganz neuer Satz kommt hinzu.",
                     "unverändert: Kapitel 2. Grundsätze; Kapitel 3. Junge Menschen", "… 1 unveränderter Absatz",
                     "Entfallen: Förderung von Arbeitsverhältnissen",   # at a glance, under the counts
                     "Umbenannt: „Arbeitsgelegenheiten MAE“ heißt jetzt „Arbeitsgelegenheiten“"):
        assert expected in text, expected
    assert "bleibt in beiden Jahren gleich" not in text   # the unchanged chapter's text is not repeated

    def marked(word: dict, how: str) -> bool:
        """A drawn rule across the word's middle (struck through) or just under it (underlined)."""
        middle, bottom = (word["top"] + word["bottom"]) / 2, word["bottom"]
        for rule in rules:
            if rule["x0"] <= word["x0"] + 1 and rule["x1"] >= word["x1"] - 1:
                if how == "aus" and abs(rule["top"] - middle) < 2.5:
                    return True
                if how == "ein" and 0 <= rule["top"] - bottom + 1.5 < 4:
                    return True
        return False

    old_label = next(w for w in words_on_page if w["text"] == "MAE")   # "Arbeitsgelegenheiten MAE" struck out
    new_label = max((w for w in words_on_page if w["text"] == "Arbeitsgelegenheiten"), key=lambda w: (w["top"], w["x0"]))
    assert marked(old_label, "aus") and not marked(old_label, "ein")
    assert marked(new_label, "ein") and not marked(new_label, "aus")
    old_value, new_value = (next(w for w in words_on_page if w["text"] == t) for t in ("1.400", "1.600"))
    assert marked(old_value, "aus") and marked(new_value, "ein") and old_value["top"] < new_value["top"]
    html = (out / "aenderungen-muster-2025-2026.html").read_text(encoding="utf-8")
    assert '<html lang="de">' in html and "<title>Änderungsübersicht 2026 gegenüber 2025" in html
    assert "<del>Dieser Satz wird gestrichen.</del>" in html and "<ins>Ein ganz neuer Satz kommt hinzu.</ins>" in html
    assert '<th scope="row"' in html and '<th scope="col">bisher</th>' in html
    assert (out / "assets" / "aenderungen.css").is_file() and (out / "assets" / "fonts" / "OpenSans-Regular.ttf").is_file()


def test_the_same_editions_give_the_same_pdf(pair, tmp_path):
    from amip.diff import write_report

    report = compare(*pair)
    first = write_report(report, tmp_path / "a").pdf.read_bytes()
    second = write_report(compare(*pair), tmp_path / "b").pdf.read_bytes()
    assert first == second


def test_a_failing_diff_keeps_the_previous_report(pair, tmp_path):
    old, new = pair
    assert run_amip("diff", str(old), str(new), cwd=tmp_path).returncode == 0
    out = tmp_path / "build" / ORG / "aenderungen-2025-2026"
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    (new / "daten" / "instrumente.yaml").write_text(table([("agh", "Arbeitsgelegenheiten", "1.99")]), encoding="utf-8")
    result = run_amip("diff", str(old), str(new), cwd=tmp_path)
    assert result.returncode == 1
    assert "instrumente.yaml:" in result.stderr and "1.99" in result.stderr and "Traceback" not in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


@pytest.mark.parametrize("case", ["keine-ausgabe", "zweimal", "vertauscht", "anderer-traeger"])
def test_bad_calls_get_a_german_message(pair, tmp_path, case):
    old, new = pair
    if case == "anderer-traeger":
        copy_content(tmp_path, "musterstadt")
    args, code, words_expected = {
        "keine-ausgabe": ((old.parent, new), 1, "Hier liegt keine Ausgabe"),
        "zweimal": ((new, new), 2, "Zweimal dieselbe Ausgabe"),
        "vertauscht": ((new, old), 2, "Die ältere Ausgabe steht zuerst"),
        "anderer-traeger": ((tmp_path / "content" / "musterstadt" / "2027", new), 2, "verschiedenen Trägern"),
    }[case]
    result = run_amip("diff", *map(str, args), cwd=tmp_path)
    assert result.returncode == code, result.stderr
    assert words_expected in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "build" / ORG).exists() or not any((tmp_path / "build" / ORG).glob("aenderungen-*/*.pdf"))


def test_diff_of_an_edition_with_itself_copied_is_empty(pair, tmp_path):
    """A copy of the edition as the next year (nothing else changed): no change but the year."""
    old, new = pair
    copy = new.parent / "2027"
    shutil.copytree(new, copy)
    listed = (copy / "ausgabe.yaml").read_text(encoding="utf-8").replace("jahr: 2026", "jahr: 2027")
    (copy / "ausgabe.yaml").write_text(listed, encoding="utf-8")
    report = compare(new, copy)
    assert all(c.status == "unveraendert" for c in report.chapters)
    assert all(t.status == "unveraendert" for t in report.tables) and report.unchanged


# ---------------------------------------------------------------- amip build --aenderungen


def test_build_marks_changed_paragraphs_against_the_predecessor(pair, tmp_path):
    old, new = pair
    result = run_amip("build", "--aenderungen", str(new), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "build" / ORG / "2026-aenderungen"
    html = (out / "druck.html").read_text(encoding="utf-8")
    # chapter 1: the first paragraph changed (line 5 of the file), the second did not (line 7)
    assert '<p data-aenderung data-src="kapitel/01-start.md:5">' in html
    assert 'data-src="kapitel/01-start.md:7"' in html and 'data-aenderung data-src="kapitel/01-start.md:7"' not in html
    assert "data-aenderung data-src=\"kapitel/05-neu.md:" in html               # the new chapter
    assert "data-aenderung data-src=\"kapitel/02-gleich.md:" not in html        # the unchanged one
    assert "geändert gegenüber 2025" in html
    with pdfplumber.open(out / "amip-muster-2026.pdf") as document:
        text = " ".join(page.extract_text() for page in document.pages)
        # WeasyPrint fills a left border as the border box minus the padding box: two rects 0,4 mm apart
        bars = [(a, b) for page in document.pages for a in page.rects for b in page.rects
                if 0.9 < b["x0"] - a["x0"] < 1.3 and abs(a["x1"] - b["x1"]) < 0.1 and abs(a["top"] - b["top"]) < 0.1
                and abs(a["bottom"] - b["bottom"]) < 0.1]
    assert "Strich am Rand: geändert gegenüber 2025" in text and bars
    assert not (tmp_path / "build" / ORG / "2026").exists()   # the regular build output is not touched


def test_build_with_changes_needs_a_predecessor(pair, tmp_path):
    old, _ = pair
    result = run_amip("build", "--aenderungen", str(old), cwd=tmp_path)
    assert result.returncode == 1 and "keine frühere Ausgabe" in result.stderr and "Traceback" not in result.stderr



def test_diff_with_one_edition_compares_with_its_predecessor(pair, tmp_path):
    old, new = pair
    result = run_amip("diff", str(new), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "build" / ORG / "aenderungen-2025-2026" / "aenderungen-muster-2025-2026.pdf").is_file()
    result = run_amip("diff", cwd=tmp_path)   # the project's standardausgabe (content/muster/2026)
    assert result.returncode == 0 and "aenderungen-2025-2026" in result.stdout, result.stderr
    result = run_amip("diff", str(old), cwd=tmp_path)
    assert result.returncode == 1 and "keine frühere Ausgabe" in result.stderr and "amip diff ALT NEU" in result.stderr
    result = run_amip("diff", str(old), str(new), str(new), cwd=tmp_path)
    assert result.returncode == 2 and "Zu viele Angaben" in result.stderr


def test_amip_diff_2018_2026_pdf_names_the_instruments(tmp_path):
    """The command on copies of the real editions: the PDF lists appearing, disappearing, renamed and
    changed instruments with their numbers."""
    content = copy_content(tmp_path)
    result = run_amip("diff", str(content / "2018"), str(content / "2026"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    pdf_file = tmp_path / "build" / "duesseldorf" / "aenderungen-2018-2026" / "aenderungen-duesseldorf-2018-2026.pdf"
    with pdfplumber.open(pdf_file) as document:
        text = " ".join(page.extract_text() for page in document.pages).replace("\n", " ")
    for expected in ("Arbeitsgelegenheiten MAE", "Schlüssel agh", "+14,3%",          # renamed, 1.400 → 1.600
                     "Förderung von Arbeitsverhältnissen", "Schlüssel fav",          # disappears
                     "§ 16i Teilhabe am Arbeitsmarkt", "Schlüssel p16i",             # appears
                     "+50,0%",                                                       # Einstiegsgeld 400 → 600
                     "Spalte „Plätze 2018“ heißt jetzt „Eintritte 2026“",
                     "Text der Kapitel", "Anlage 1: Kennzahlen 2026", "Vielleicht umbenannt"):
        assert expected in text, expected


def test_the_html_passes_axe_and_fits_a_320_px_phone(tmp_path):
    """The web Änderungsübersicht in a real browser, as the web editions are checked (test_web_a11y)."""
    import json
    import subprocess

    from test_web_a11y import WEB, _chromium

    content = copy_content(tmp_path)
    assert run_amip("diff", str(content / "2018"), str(content / "2026"), cwd=tmp_path).returncode == 0
    html = tmp_path / "build" / "duesseldorf" / "aenderungen-2018-2026" / "aenderungen-duesseldorf-2018-2026.html"
    out = subprocess.run(["node", str(WEB / "axe.mjs"), _chromium(), str(html)], cwd=WEB, capture_output=True,
                         text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    (entry,) = json.loads(out.stdout)
    for run in entry["runs"]:
        assert run["violations"] == [], json.dumps(run["violations"], ensure_ascii=False, indent=1)
    assert entry["overflow320"]["scrollWidth"] <= entry["overflow320"]["clientWidth"], entry["overflow320"]
