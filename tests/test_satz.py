"""amip checks its own layout: findings with page and file:line, notes that never move the text,
and the full-width layout (randspalte: nein)."""

from __future__ import annotations

import re

import pdfplumber
import pytest

from conftest import MM, ROOT, run_amip
from pagecheck import TEXT_RIGHT, unexplained_gaps
from test_layout import make_edition

TALL_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="540">'
            '<rect width="400" height="540" fill="#8fb3d9"/></svg>')


def stranded_heading_edition(tmp_path):
    """Half a page of text, a heading with one short line, then a figure as tall as a page:
    the figure must go to the next page, and the heading stays behind with a single line."""
    filler = "\n\n".join("Ein Absatz über die Arbeit des Jobcenters mit Kundinnen und Kunden. " * 6 for _ in range(3))
    chapter = (f"---\ntitel: Gestrandet\n---\n\n{filler}\n\n## Abschnitt vor dem Bild {{#vor-bild}}\n\n"
               "Eine kurze Zeile.\n\n[[abbildung: gross]]\n\nText nach dem Bild.\n")
    edition = make_edition(tmp_path, chapter, {
        "gross": "art: bild\ndatei: ../bilder/gross.svg\ntitel: Ein großes Bild\nalt: Eine blaue Fläche\n"})
    (edition / "bilder").mkdir()
    (edition / "bilder/gross.svg").write_text(TALL_SVG, encoding="utf-8")
    line = chapter.splitlines().index("## Abschnitt vor dem Bild {#vor-bild}") + 1
    return edition, line


def test_check_satz_reports_a_stranded_heading_with_page_and_line(tmp_path):
    """amip check --satz: the heading left with one line at the foot of page 3, as file:line."""
    edition, line = stranded_heading_edition(tmp_path)
    result = run_amip("check", "--satz", str(edition), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    findings = [f for f in result.stderr.split("\n") if "Überschrift am Seitenende" in f]
    assert len(findings) == 1, result.stderr
    assert findings[0].startswith(f"content/test/2030/kapitel/01-test.md:{line}: Warnung: Seite 3:"), findings[0]
    assert "Satz geprüft: 1 Befunde." in result.stdout
    assert not (tmp_path / "build" / "test").exists() or not list((tmp_path / "build" / "test").rglob("*.pdf"))


def test_build_streng_stops_on_a_layout_finding_and_writes_nothing(tmp_path):
    edition, line = stranded_heading_edition(tmp_path)
    result = run_amip("build", "--streng", str(edition), cwd=tmp_path)
    assert result.returncode == 1
    assert f"kapitel/01-test.md:{line}: Fehler: Seite 3: Überschrift am Seitenende" in result.stderr
    assert not list((tmp_path / "build").rglob("*.pdf"))
    relaxed = run_amip("build", str(edition), cwd=tmp_path)
    assert relaxed.returncode == 0, relaxed.stderr
    assert f"kapitel/01-test.md:{line}: Warnung: Seite 3: Überschrift am Seitenende" in relaxed.stderr


@pytest.mark.parametrize("year", ["2026", "2018"])
def test_check_satz_finds_nothing_in_the_editions(year):
    result = run_amip("check", "--satz", f"content/duesseldorf/{year}", "--streng", timeout=600)
    assert result.returncode == 0, result.stderr
    assert "Satz geprüft: 0 Befunde." in result.stdout


def test_notes_that_cannot_fit_move_their_paragraph_and_are_reported(tmp_path):
    """More notes than a page's margin column holds: the text moves (never a note onto another
    page or onto another note), and the build names the paragraph and what to shorten."""
    from amip.build import build

    blocks = []
    for i in range(12):
        blocks += [f"::: rand\nNotiz {i}.{k}: eine lange Randbemerkung, die über drei Zeilen der Spalte läuft\n:::\n"
                   for k in range(6)]
        blocks.append(f"Absatz {i}. Ein kurzer Satz.\n")
    result = build(make_edition(tmp_path, "---\ntitel: Voll\n---\n\n" + "\n".join(blocks)), tmp_path / "out")
    moved = [p for p in result.layout_findings if "auf die nächste Seite gerückt" in p.message]
    assert moved and all(re.search(r"kapitel/01-test\.md:\d+$", str(p.location)) for p in moved)
    assert all("Kürzen Sie die Randnotizen" in p.hint for p in moved)
    from test_pdf_2026 import check_margin_notes

    assert check_margin_notes(result.pdf, (tmp_path / "out/druck.html").read_text(encoding="utf-8")) == 72


def full_width_edition(tmp_path, edition_setting: str = ""):
    chapter = ("---\ntitel: Breit\n---\n\n::: rand\nEine Randnotiz wird hier zum Hinweis im Text.\n:::\n\n"
               + "Ein Absatz über die Arbeit des Jobcenters mit Kundinnen und Kunden. " * 30 + "\n")
    edition = make_edition(tmp_path, chapter)
    traeger = edition.parent / "traeger.yaml"
    traeger.write_text(traeger.read_text(encoding="utf-8") + "randspalte: nein\n", encoding="utf-8")
    if edition_setting:
        ausgabe = edition / "ausgabe.yaml"
        ausgabe.write_text(ausgabe.read_text(encoding="utf-8") + edition_setting, encoding="utf-8")
    return edition


def test_full_width_layout_uses_the_whole_type_area(tmp_path):
    """randspalte: nein in traeger.yaml: text over 174 mm, the note a callout before its paragraph."""
    from amip.build import build

    result = build(full_width_edition(tmp_path), tmp_path / "out")
    assert result.layout_findings == ()
    with pdfplumber.open(result.pdf) as pdf:
        page = pdf.pages[2]
        body = [c for c in page.chars if c["size"] >= 9.5 and 30 * MM < c["top"] < 270 * MM]
        note = [c for c in page.chars if 8 <= c["size"] < 9.5 and 30 * MM < c["top"] < 270 * MM]
    assert max(c["x1"] for c in body) > TEXT_RIGHT + 30 * MM          # wider than the 126 mm column
    assert max(c["x1"] for c in body) <= (18 + 174) * MM + 1           # inside the type area
    assert min(c["x0"] for c in body) >= 18 * MM - 1
    assert note and max(c["bottom"] for c in note) < min(c["top"] for c in body if c["text"] == "E" and c["top"] > 40 * MM)
    assert "".join(c["text"] for c in note).startswith("EineRandnotizwirdhier") or "Eine Randnotiz" in \
        "".join(c["text"] for c in note)
    assert unexplained_gaps(result.pdf) == []


def test_edition_setting_overrides_the_organisation(tmp_path):
    """randspalte: ja in ausgabe.yaml brings the note column back for this edition."""
    from amip.build import build

    result = build(full_width_edition(tmp_path, "randspalte: ja\n"), tmp_path / "out")
    with pdfplumber.open(result.pdf) as pdf:
        page = pdf.pages[2]
        notes = [c for c in page.chars if c["x0"] > TEXT_RIGHT + 5 * MM]
    assert "".join(c["text"] for c in notes).replace(" ", "").startswith("EineRandnotiz")


def test_layout_check_costs_little(tmp_path):
    """The note placement and the check read the boxes once: a small part of a layout."""
    import time

    from amip import pagelayout, pdf, render
    from amip.build import _epoch, _fetch_roots, chart_refs, fetch_names, load_edition, locate_source, render_html
    from amip.errors import Collector

    edition = load_edition(ROOT / "content/duesseldorf/2026")
    charts, _ = chart_refs(edition, Collector(), ROOT / "build" / ".cache" / "diagramme")
    html = render_html(edition, "print", charts)
    start = time.perf_counter()
    lay = pdf.layout(html, render.TEMPLATES.as_uri() + "/", _fetch_roots(edition), _epoch(edition),
                     named=fetch_names(edition))
    layout_time = time.perf_counter() - start
    start = time.perf_counter()
    pages, overflows = pagelayout.place(lay.document)
    pagelayout.findings(pages, overflows, [], lambda src, section: locate_source(edition, src, section))
    assert time.perf_counter() - start < 0.10 * layout_time


def test_web_notes_take_no_room_from_the_text_on_wide_screens():
    """Desktop: a note floats beside the text with an empty margin box (width + margins = 0), so
    lines never shorten around it and no hole opens; a phone shows it as a callout before its block."""
    css = (ROOT / "templates/screen.css").read_text(encoding="utf-8")
    wide = css.split("@media (min-width: 60rem)", 1)[1]
    rule = re.search(r"\.rand \{([^}]*)\}", wide).group(1)
    width = float(re.search(r"width: ([\d.]+)rem", rule).group(1))
    margins = [float(v) for v in re.search(r"margin: ([^;]+);", rule).group(1).replace("rem", "").split()]
    assert "float: right" in rule and "clear: right" in rule
    assert width + margins[1] + margins[3] == 0
    assert "flow-root" not in css  # a wrapper that encloses the float would open the hole again
    narrow = re.search(r"^\.rand \{([^}]*)\}", css, re.M).group(1)
    assert "display: block" in narrow and "float" not in narrow
