"""Hyphenation an author can fix inside the edition: organisation list, soft hyphens, abbreviations."""

from __future__ import annotations

import re

import pdfplumber
import pytest

from amip.build import build, load_edition
from amip.errors import ContentError
from amip.hyphenation import exceptions, from_text
from test_layout import make_edition

BAD_BREAKS = ("ein-schl.", "(mul-ti-)", "Anspra-che", "Forts-chritt")


def broken_words(pdf_path) -> list[str]:
    """Every word the PDF breaks at a line end, written "Bedarfs-gemeinschaften" (pdfplumber keeps line ends)."""
    out = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            lines = (page.extract_text() or "").splitlines()
            for line, following in zip(lines, lines[1:]):
                if re.search(r"\w-$", line) and following.split():
                    out.append(line.split()[-1] + following.split()[0])
    return out


def check_no_bad_breaks(pdf_path) -> int:
    broken = broken_words(pdf_path)
    for bad in BAD_BREAKS:
        assert not [w for w in broken if bad in w], bad
    return len(broken)


def _notes_with(word: str) -> str:
    """Margin notes are narrow (42 mm): with growing prefixes the word has to break somewhere in them."""
    return "\n".join(f"::: rand\n{'x' * k} {word} und mehr\n:::\n\nAbsatz {k}.\n" for k in range(1, 30))


def test_the_organisation_list_wins_and_a_change_reaches_a_cached_build(tmp_path):
    """content/<träger>/silbentrennung.txt overrides the project list; editing it changes the next build."""
    edition = make_edition(tmp_path, "---\ntitel: Trennung\n---\n\n" + _notes_with("Bedarfsgemeinschaften") + "\n")
    out = tmp_path / "out"
    before = [w for w in broken_words(build(edition, out).pdf) if w.startswith("Be")]
    assert before and {w.split("-")[0] for w in before} - {"Bedarfsgemeinschaf"}, before

    (edition.parent / "silbentrennung.txt").write_text("# nur hier\nBedarfsgemeinschaf-ten\n", encoding="utf-8")
    after = [w for w in broken_words(build(edition, out).pdf) if w.startswith("Be")]
    assert after, "the word should still break somewhere"
    assert {w.split("-")[0] for w in after} == {"Bedarfsgemeinschaf"}, after


def test_a_bad_line_in_the_organisation_list_is_a_located_error(tmp_path):
    edition = make_edition(tmp_path, "---\ntitel: Trennung\n---\n\nText.\n")
    (edition.parent / "silbentrennung.txt").write_text("Be-darf\nBedarfs gemeinschaft\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_edition(edition)
    problem = caught.value.problems[0]
    assert problem.location.path == edition.parent / "silbentrennung.txt" and problem.location.line == 2
    assert "Silbentrennung" in problem.message and "Be-darfs-ge-mein-schaft" in problem.hint


def test_the_document_implies_abbreviations_fragments_and_soft_hyphens():
    """Words only ever written with a full stop and "(multi-)" fragments never break; soft hyphens are kept."""
    words = from_text("<p>bis einschl. 2025, einschl. AsA; der Betrieb. Der Betrieb läuft. (multi-)problembeladen "
                      "und Teil&shy;qualifizierung.</p><style>p { x: y. }</style>")
    assert words["einschl"] == "einschl" and words["multi"] == "multi"
    assert words["Teilqualifizierung"] == "Teil-qualifizierung"
    assert "Betrieb" not in words and "x" not in words
    assert exceptions()["Ansprache"] == "An-sprache"


def test_soft_hyphen_in_a_table_cell_breaks_there_and_the_table_fits(tmp_path):
    """An author's &shy; (typed into the data file) in a narrow table column: the word breaks there only."""
    word = "Eingliederungs&shy;zuschussverlängerung"
    data = {"t": "art: tabelle\nspalten:\n" + "".join(f"  - {{name: S{i}}}\n" for i in range(4))
            + "zeilen:\n  - [" + ", ".join([f'"{word}"'] * 4) + "]\n"}
    edition = make_edition(tmp_path, "---\ntitel: T\n---\n\n[[tabelle: t]]\n", data)
    result = build(edition, tmp_path / "out")
    broken = [w for w in broken_words(result.pdf) if w.startswith("Eingliederungs")]
    assert broken and set(broken) == {"Eingliederungs-zuschussverlängerung"}
