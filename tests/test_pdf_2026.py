"""The 2026 edition as the Trägerversammlung receives it: checked on the real PDF."""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser

import pytest

from conftest import MM, ROOT
from pdfinspect import destinations, internal_links, structure, words


def layout_text(pdf) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def row_pattern(*cells: str) -> re.Pattern:
    """A table row as pdftotext -layout prints it: the cells in order, separated by spaces."""
    return re.compile(r"\s{2,}".join(re.escape(c) for c in cells) + r"\s*$", re.M)


KENNZAHLEN_2026 = [
    ("mit FbW / Reha", "8.510", "7.274", "17,0%"),
    ("ohne FbW / Reha", "7.300", "5.938", "22,9%"),
    ("I. Aktivierung und berufliche Eingliederung", "4.444", "3.693", "20,3%"),
    ("Aktivierung und berufliche Eingliederung", "4.444", "3.693", "20,3%"),
    ("davon MAT inkl. U25", "1.994", "1.162", "71,6%"),
    ("davon AVGS MAT inkl. U25", "1.500", "1.962", "-23,5%"),
    ("davon MAG inkl. U25", "950", "569", "67,0%"),
    ("II. berufliche Weiterbildung", "1.160", "1.326", "-12,5%"),
    ("Förderung berufliche Weiterbildung", "1.160", "1.326", "-12,5%"),
    ("davon nao", "800", "1.019", "-21,5%"),
    ("davon ao", "360", "307", "17,3%"),
    ("III. Aufnahme einer Erwerbstätigkeit", "1.000", "706", "41,6%"),
    ("Betriebliche Eingliederungshilfen", "400", "254", "57,5%"),
    ("Einstiegsgeld", "600", "448", "33,9%"),
    ("Begleitende Hilfen für Selbständigkeit nach § 16c SGB II", "0", "4", "-100,0%"),
    ("IV. Berufswahl und Berufsbildung", "61", "33", "84,8%"),
    ("Förderung benachteiligter Auszubildender einschl. AsA", "41", "22", "86,4%"),
    ("EQ (Einstiegsqualifizierung)", "20", "11", "81,8%"),
    ("V. Teilhabe behinderter Menschen am Arbeitsleben", "50", "10", "400,0%"),
    ("VI. Öffentlich geförderte Beschäftigung", "1.720", "1.415", "21,6%"),
    ("Arbeitsgelegenheiten", "1.600", "1.335", "19,9%"),
    ("§ 16e SGB II", "25", "28", "-10,7%"),
    ("§ 16i Teilhabe am Arbeitsmarkt", "95", "52", "82,7%"),
    ("VII. Freie Förderung nach § 16 f", "75", "91", "-17,6%"),
    ("VIII. § 16h Förderung schwer zu erreichender junger Menschen", "0", "0", "0,0%"),
]


@pytest.mark.parametrize("cells", KENNZAHLEN_2026, ids=lambda c: c[0])
def test_every_kennzahlen_row_is_printed_with_its_values(built_2026, cells):
    """pdftotext -layout shows each Kennzahlen row of the original, values computed by amip."""
    assert row_pattern(*cells).search(layout_text(built_2026.pdf)), cells


def test_kennzahlen_headers_come_from_the_data(built_2026):
    """The column headings are the edition's own ("Eintritte 2026", "Ergebnis 2025")."""
    assert row_pattern("Zweckbestimmung", "Eintritte 2026", "Ergebnis 2025", "Vergleich").search(
        layout_text(built_2026.pdf))


@pytest.mark.parametrize("cells", [
    ("Kinderbetreuung", "i-Punkt Familie des Jugendamtes", "15 bis 30"),
    ("Häusliche Pflege von Angehörigen", "Städtisches Pflegebüro", "100 bis 150"),
    ("Schuldnerberatung", "Schuldnerberatung Landeshauptstadt Düsseldorf und Träger", "300 bis 500"),
    ("Psychosoziale Betreuung und Suchtberatung", "Gesundheitsamt", "450 bis 500"),
])
def test_every_16a_row_is_printed(built_2026, cells):
    assert row_pattern(*cells).search(layout_text(built_2026.pdf)), cells


def abbreviations_of_the_original() -> list[tuple[str, str]]:
    """The 2026 Abkürzungsverzeichnis as exported from the printed original (two tab columns)."""
    text = (ROOT.parent / "shared" / "reference" / "duesseldorf-amip-2026.txt")
    if not text.exists():
        pytest.skip("../shared/reference is not beside this clone")
    lines = text.read_text(encoding="utf-8").split("Abkürzungsverzeichnis\n", 2)[-1].splitlines()
    entries = []
    for line in lines:
        for cell in line.split("\t"):
            if cell.strip():
                entries.append(cell.strip())
    return entries


def test_every_abbreviation_of_the_original_is_listed(built_2026):
    """Each abbreviation of the register (the 2026 original's list) stands in the PDF's Verzeichnis."""
    import yaml

    register = yaml.safe_load((ROOT / "content/duesseldorf/abkuerzungen.yaml").read_text(encoding="utf-8"))
    text = layout_text(built_2026.pdf).split("Abkürzungsverzeichnis")[-1]
    flat = re.sub(r"\s+", " ", text)
    assert len(register) >= 90
    for short in register:
        assert re.search(rf"(^|\s){re.escape(short)}\s", flat), short


def test_register_holds_the_abbreviations_of_the_original():
    """The register keeps every abbreviation the printed 2026 list had (typos of expansions fixed)."""
    import yaml

    register = yaml.safe_load((ROOT / "content/duesseldorf/abkuerzungen.yaml").read_text(encoding="utf-8"))
    fixed = {"Mul": "MuI"}
    for entry in abbreviations_of_the_original():
        short = entry.split(" ", 1)[0]
        if short == "SGB" and re.match(r"SGB [IVX]+ ", entry):
            short = " ".join(entry.split(" ")[:2])
        if short.startswith("ER-Verfahren") or short in ("THCG", "HKL"):
            short = short.split(" ")[0]
        short = fixed.get(short, short)
        assert short in register, entry


def test_toc_page_numbers_are_the_pages_of_their_headings(built_2026):
    """Every TOC entry links to its heading, and the number it prints is the page the heading is on."""
    pdf = built_2026.pdf
    dests = destinations(pdf)
    toc_page = next(i for i in range(3) if "Inhalt" in words(pdf, i).splitlines()[:3])
    links = internal_links(pdf, toc_page)
    checked = set()
    for name, box in links:
        if name in checked:
            continue
        line = words(pdf, toc_page, (box[0], box[1] - 1, box[2] + 1, box[3] + 1)).strip()
        match = re.search(r"(\d+)$", line)
        assert match, f"TOC entry without page number: {line!r}"
        printed = int(match.group(1))
        assert dests[name].page + 1 == printed, (line, dests[name].page + 1)
        title = re.sub(r"^[\d.]+\s|\.{2,}\s*\d+$|Anlage \d+:\s*", "", line).strip(" .")
        heading_page = re.sub(r"\s+", " ", words(pdf, printed - 1))
        assert title[:30] in heading_page, (title, printed)
        checked.add(name)
    assert len(checked) >= 11  # chapters 1–6, 5.1, 5.2, Anlage 1–2, Abkürzungsverzeichnis


class _Notes(HTMLParser):
    """Collects the text of every margin note from the print HTML, by id."""

    def __init__(self):
        super().__init__()
        self.notes: dict[str, str] = {}
        self._current: str | None = None
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "span" and (attrs.get("class") or "") == "rand":
            self._current, self._depth = attrs["id"], 0
            self.notes[self._current] = ""
        elif self._current:
            self._depth += 1

    def handle_endtag(self, tag):
        if self._current:
            if self._depth == 0:
                self._current = None
            else:
                self._depth -= 1

    def handle_data(self, data):
        if self._current:
            self.notes[self._current] += data


def note_texts(html: str) -> dict[str, str]:
    parser = _Notes()
    parser.feed(html)
    return parser.notes


def check_margin_notes(pdf, html: str) -> int:
    """Every note: on its paragraph's page, inside the right margin, overlapping nothing. Returns the count."""
    import pdfplumber

    dests = destinations(pdf)
    notes = note_texts(html)
    assert notes
    with pdfplumber.open(pdf) as doc:
        page_width = float(doc.pages[0].width)
        text_right = page_width - 62 * MM
        per_page: dict[int, list[tuple[float, float, str]]] = {}
        for note_id, text in notes.items():
            top, end = dests[note_id], dests[note_id + "-ende"]
            absatz = "absatz-" + note_id.split("-")[1]
            first, last = dests[absatz].page, dests[absatz + "-ende"].page
            assert top.page == end.page, (note_id, text, "split over two pages")
            # on the page where its paragraph starts (beside its first line), never on another
            assert top.page == first <= last, (note_id, text, top.page, first, last)
            assert top.x >= text_right + 5 * MM, (note_id, top.x)
            box = (top.x - 0.5, top.top - 1, page_width - 5 * MM, end.top + 1)
            assert box[2] - box[0] >= 40 * MM
            page = doc.pages[top.page]
            inside = page.within_bbox(box).extract_text() or ""
            # every glyph of the note stays inside the 42 mm note column (nothing runs past it)
            column = [c for c in page.chars if c["x0"] >= top.x - 0.5 and top.top - 1 <= c["top"] <= end.top + 1]
            assert column and max(c["x1"] for c in column) <= top.x + 42 * MM + 0.5, (note_id, text)
            squash = lambda s: re.sub(r"[\s\-­–•]", "", s)
            assert squash(inside) == squash(text), (note_id, inside, text)
            per_page.setdefault(top.page, []).append((top.top, end.top, note_id))
        for page, spans in per_page.items():
            spans.sort()
            for (a_top, a_end, a), (b_top, b_end, b) in zip(spans, spans[1:]):
                assert a_end <= b_top, f"notes {a} and {b} overlap on page {page + 1}"
    return len(notes)


def test_margin_notes_beside_their_paragraph_inside_the_margin_without_overlap(built_2026):
    html = (built_2026.pdf.parent / "druck.html").read_text(encoding="utf-8")
    assert check_margin_notes(built_2026.pdf, html) == 42


def test_pdf_embeds_only_the_house_font(built_2026):
    import pikepdf

    fonts = set()
    with pikepdf.open(built_2026.pdf) as pdf:
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                fonts.add(str(font.BaseFont).split("+")[-1])
    assert fonts and all(f.lstrip("/").replace("-", "").startswith("OpenSans") for f in fonts), fonts


def test_pdf_metadata_title_and_language(built_2026):
    import pikepdf

    with pikepdf.open(built_2026.pdf) as pdf:
        assert str(pdf.docinfo["/Title"]) == "Arbeitsmarkt- und Integrationsprogramm 2026 – Jobcenter Düsseldorf"
        assert str(pdf.Root.Lang) == "de"


def test_running_header_and_footer(built_2026):
    """Every page after the cover: title + year on top, organisation and "Seite N von M" below."""
    pdf = built_2026.pdf
    text = layout_text(pdf).split("\f")
    total = len([t for t in text if t.strip()])
    for number, page in enumerate(text[1:total], start=2):
        assert "Arbeitsmarkt- und Integrationsprogramm 2026" in page.splitlines()[0]
        assert re.search(rf"Jobcenter Düsseldorf\s+Seite {number} von {total}", page), number


def test_pdf_is_tagged_and_every_figure_has_alt_text(built_2026):
    """Accessibility: a structure tree (headings, tables, figures) and /Alt on every figure."""
    import pikepdf

    with pikepdf.open(built_2026.pdf) as pdf:
        assert pdf.Root.MarkInfo.Marked
    kinds, alts = structure(built_2026.pdf)
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/Figure"} <= kinds
    assert len(alts) == 4 and all(len(a) > 40 for a in alts)     # 3 charts + the series chart (Anlage 1)


def test_page_reference_prints_the_page_of_its_target(built_2026):
    """'(siehe auch Seite 8)' in chapter 1: the number is the page of the heading it points to."""
    dests = destinations(built_2026.pdf)
    text = re.sub(r"\s+", " ", layout_text(built_2026.pdf))
    page = dests["top-themen"].page + 1
    assert f"LISA-Tools (siehe auch Seite {page})" in text


def test_no_unexplained_gap_in_the_body_column(built_2026):
    """Body text flows as if there were no notes: no gap above one line except at headings,
    tables, figures, frames (something printed in the gap) and page ends."""
    from pagecheck import unexplained_gaps

    assert unexplained_gaps(built_2026.pdf) == []


def test_no_heading_is_the_last_line_of_a_page(built_2026):
    from pagecheck import headings_at_page_foot

    assert headings_at_page_foot(built_2026.pdf) == []


def test_layout_check_finds_nothing_in_the_edition(built_2026):
    """amip's own layout check (WeasyPrint's boxes) has no findings for the 2026 edition."""
    assert [p.format() for p in built_2026.layout_findings] == []


def test_kennzahlen_notes_stand_above_the_full_width_table(built_2026):
    """The three notes of the Kennzahlen table stand in the margin above it, on its page (no 5 cm hole)."""
    dests = destinations(built_2026.pdf)
    table = dests["tabelle-kennzahlen"]
    absatz = next(a for a in dests if a.startswith("absatz-") and not a.endswith("-ende")
                  and dests[a].page == table.page and abs(dests[a].top - table.top) < 15 * MM)
    notes = [n for n in dests if re.fullmatch(rf"rand-{absatz.split('-')[1]}-\d+", n)]
    assert len(notes) == 3
    for note in notes:  # on the table's page, starting above it (check_margin_notes: nothing overlaps)
        assert dests[note].page == table.page and dests[note].top < table.top
    assert table.top - dests[absatz].top < 3 * MM  # room for the notes: a few mm, no 5 cm hole


def test_no_bad_hyphenation_2026(built_2026):
    """The breaks seen in earlier editions ("ein-schl.", "(mul-ti-)", "Anspra-che") do not occur."""
    from test_hyphenation import check_no_bad_breaks

    assert check_no_bad_breaks(built_2026.pdf) > 10  # the text does break words, just not these ways
