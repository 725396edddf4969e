"""`amip check` reports every independent problem in one run (issue 11 §3); build and check count warnings alike."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, copy_content, run_amip


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_eight_planted_mistakes_in_different_files_come_in_one_run(tmp_path):
    content = copy_content(tmp_path)
    edition = content / "2026"
    chapters = edition / "kapitel"
    # data: a word in a number column (kennzahlen is then broken: references to it must stay quiet)
    edit(edition / "daten/kennzahlen.yaml", "plan: 1.994", "plan: 1.99x")
    # a second data file: a key the model does not know
    edit(edition / "daten/teilnehmende-gesundheit.yaml", "einheit: Teilnehmende", "einheit: Teilnehmende\nfarbe_x: rot")
    append(chapters / "02-rahmenbedingungen.md", "\n[[tabelle: gibtsnicht]]\n")              # a missing table
    append(chapters / "03-schwerpunkte.md", "\nZiel ist die Senkung um X % bis Jahresende.\n")  # a placeholder
    append(chapters / "05-gesundheit.md", "\nMehr dazu in [[kapitel: nirgendwo]].\n")         # a missing target
    append(chapters / "06-besondere-zielgruppen.md", "\nEs sind [[wert: gibtsnicht.a.plan]] Plätze.\n")  # a missing value
    append(content / "abkuerzungen.yaml", "QQX:\n")                                         # register: no meaning
    edit(edition / "ausgabe.yaml", "  - 01-einfuehrung.md", "  - 01-einfuehrung.md\n  - fehlt.md")  # a missing chapter
    append(chapters / "01-einfuehrung.md", "\nDie ZQW berät alle Träger.\n")                  # a missing abbreviation

    result = run_amip("check", str(edition), cwd=tmp_path)
    output = result.stderr
    assert result.returncode == 1 and "Traceback" not in output
    errors = [line for line in output.splitlines() if ": Fehler: " in line]
    expected = [
        ("daten/kennzahlen.yaml", "1.99x"),
        ("daten/teilnehmende-gesundheit.yaml", "farbe_x"),
        ("kapitel/02-rahmenbedingungen.md", "Tabelle „gibtsnicht“ gibt es nicht"),
        ("kapitel/03-schwerpunkte.md", "Platzhalter „um X %“"),
        ("kapitel/05-gesundheit.md", "Verweisziel „nirgendwo“ gibt es nicht"),
        ("kapitel/06-besondere-zielgruppen.md", "Wert „gibtsnicht.a.plan“ gibt es nicht"),
        ("abkuerzungen.yaml", "Abkürzung „QQX“ ohne Bedeutung"),
        ("ausgabe.yaml", "„kapitel/fehlt.md“ nicht gefunden"),
    ]
    for path, text in expected:
        matching = [e for e in errors if path in e.split(": ")[0] and text in e]
        assert len(matching) == 1, (path, text, errors)
    assert len(errors) == len(expected), errors  # nothing twice, no cascade from the broken data files
    assert "Abkürzung „ZQW“ wird verwendet, steht aber nicht im Abkürzungsregister" in output
    assert f"{len(expected)} Fehler gefunden" in output


def test_references_into_a_broken_data_file_do_not_cascade(tmp_path):
    content = copy_content(tmp_path)
    edit(content / "2026/daten/kennzahlen.yaml", "plan: 1.994", "plan: 1.99x")
    result = run_amip("check", str(content / "2026"), cwd=tmp_path)
    errors = [line for line in result.stderr.splitlines() if ": Fehler: " in line]
    assert len(errors) == 1 and "kennzahlen.yaml" in errors[0], errors


@pytest.mark.parametrize("edition", ["duesseldorf/2026", "duesseldorf/2018"])
def test_build_and_check_count_the_same_warnings(edition, tmp_path):
    from amip.build import build

    check = run_amip("check", str(ROOT / "content" / edition), cwd=ROOT)
    assert check.returncode == 0, check.stderr
    checked = int(re.search(r"(\d+) Warnungen\)", check.stdout).group(1))
    listed = sum(1 for line in check.stderr.splitlines() if ": Warnung: " in line)
    assert checked == listed and checked > 0
    result = build(ROOT / "content" / edition, tmp_path / "out")
    assert result.warnings == checked
