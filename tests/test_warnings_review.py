"""Warnings worth reading (issue 11 §4): reviewed marks, historical years, shares, the register summary."""

from __future__ import annotations

import re
import subprocess

import pytest

from conftest import copy_content, run_amip

from amip.edition import load_edition
from amip.findings.years import historical

SENTENCE = "Ziel ist die Senkung der Zahl der Langzeitbeziehenden um X % (Festlegung Wert im Zielvereinbarungsprozess).\n"


def append(path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_a_reviewed_placeholder_no_longer_blocks_the_build_until_its_sentence_changes(tmp_path):
    from amip.build import build

    content = copy_content(tmp_path)
    chapter = content / "2026/kapitel/03-schwerpunkte.md"
    append(chapter, "\n" + SENTENCE)
    first = run_amip("check", str(content / "2026"), cwd=tmp_path)
    assert first.returncode == 1 and "Platzhalter „um X %“" in first.stderr
    assert "Festlegung Wert" not in first.stderr.split("Platzhalter")[0]  # one error, not also "Festlegung Wert"
    mark = re.findall(r"<!-- geprüft: [0-9a-f]{8}: Grund -->", first.stderr.split("Fehler: Platzhalter")[1])[0]

    # the mark with "Grund" left as it is does not count
    append(chapter, mark + "\n")
    unchanged = run_amip("check", str(content / "2026"), cwd=tmp_path)
    assert unchanged.returncode == 1 and "Der Prüfvermerk braucht einen Grund" in unchanged.stderr

    text = chapter.read_text(encoding="utf-8").replace(mark, mark.replace("Grund", "Wert kommt aus der Zielvereinbarung im März"))
    chapter.write_text(text, encoding="utf-8")
    result = build(content / "2026", tmp_path / "out")
    pdf = subprocess.run(["pdftotext", str(result.pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Langzeitbeziehenden um X %" in " ".join(pdf.split()) and "geprüft" not in pdf

    quiet = run_amip("check", str(content / "2026"), cwd=tmp_path)
    assert quiet.returncode == 0 and "Platzhalter" not in quiet.stderr and "1 geprüft" in quiet.stdout
    shown = run_amip("check", "--alle", str(content / "2026"), cwd=tmp_path)
    assert shown.returncode == 0
    assert "Geprüft (Wert kommt aus der Zielvereinbarung im März): Platzhalter „um X %“ im Text." in shown.stderr

    chapter.write_text(text.replace("Senkung der Zahl", "Senkung der Anzahl"), encoding="utf-8")
    back = run_amip("check", str(content / "2026"), cwd=tmp_path)
    assert back.returncode == 1 and "Platzhalter „um X %“" in back.stderr


def test_a_reviewed_warning_leaves_edition_warnings(tmp_path):
    """A Markdown mark under the list the warning is about; D5: edition.warnings holds unreviewed ones only."""
    content = copy_content(tmp_path)
    chapter = content / "2026/kapitel/04-bildungszielplanung.md"
    [warning] = [w for w in load_edition(content / "2026").warnings if "Zahl 950" in w.message]
    mark = re.search(r"<!-- geprüft: [0-9a-f]{8}: Grund -->", warning.hint).group(0)
    lines = chapter.read_text(encoding="utf-8").split("\n")
    end = next(i for i in range(warning.location.line, len(lines)) if not lines[i].strip())
    lines.insert(end, mark.replace("Grund", "Hochrechnung aus dem Herbst, Ergebnis kam später"))
    chapter.write_text("\n".join(lines), encoding="utf-8")
    edition = load_edition(content / "2026")
    assert not [w for w in edition.warnings if "Zahl 950" in w.message]
    assert [r.reason for r in edition.reviewed if "Zahl 950" in r.problem.message] == [
        "Hochrechnung aus dem Herbst, Ergebnis kam später"]
    assert [w for w in edition.warnings if "Zahl 350" in w.message]  # the other warning of the list stays


def test_a_yaml_mark_at_the_end_of_the_line(tmp_path):
    """The register summary sits at ausgabe.yaml's abkuerzungsverzeichnis: the mark goes at the end of that line."""
    content = copy_content(tmp_path)
    result = run_amip("check", str(content / "2026"), cwd=tmp_path)
    mark = re.findall(r"# geprüft: [0-9a-f]{8}: Grund", result.stderr.split("Registereinträgen")[1])[0]
    before = int(re.search(r"(\d+) Warnungen", result.stdout).group(1))
    ausgabe = content / "2026/ausgabe.yaml"
    ausgabe.write_text(ausgabe.read_text(encoding="utf-8").replace(
        "abkuerzungsverzeichnis:", "abkuerzungsverzeichnis:  " + mark.replace("Grund", "Register des Trägers, bewusst vollständig"),
        1), encoding="utf-8")
    after = run_amip("check", str(content / "2026"), cwd=tmp_path)
    assert after.returncode == 0 and "Registereinträgen" not in after.stderr
    assert int(re.search(r"(\d+) Warnungen", after.stdout).group(1)) == before - 1


def test_unused_register_entries_are_one_line_or_nothing(tmp_path):
    content = copy_content(tmp_path)
    result = run_amip("check", str(content / "2026"), cwd=tmp_path)
    assert sum("Registereinträgen kommen in dieser Ausgabe nicht vor" in line for line in result.stderr.splitlines()) == 1
    ausgabe = content / "2026/ausgabe.yaml"
    ausgabe.write_text(ausgabe.read_text(encoding="utf-8").replace("auswahl: alle", "auswahl: verwendete"), encoding="utf-8")
    quiet = run_amip("check", str(content / "2026"), cwd=tmp_path)
    assert quiet.returncode == 0 and "Registereintr" not in quiet.stderr


@pytest.mark.parametrize("sentence, stale", [
    ("Seit 2005 gibt es das Angebot.", False),
    ("Im Jahr 2015 kamen besonders viele Geflüchtete.", False),
    ("Das Projekt lief von 2019 bis 2021.", False),
    ("Das Modellprojekt (2019 bis 2021) wird fortgesetzt.", False),
    ("Der Anteil liegt bei 49 % (2015 waren es noch 40 %).", False),
    ("Die 2016 neu geordnete Führungsstruktur bleibt.", False),
    ("Das Team hat das Angebot 2020 neu gestaltet; die Neuerungen werden fortgesetzt.", False),
    ("Ergebnis 2019: 1.080 Eintritte.", False),
    ("Auf die Steigerungsraten in 2016 soll aufgesetzt werden.", True),
    ("Im Jahr 2019 werden 300 Plätze geschaffen.", True),
    ("Für 2026 sind 300 Plätze geplant, wie schon 2019 beschlossen.", True),
    ("2019 fördert das Jobcenter 300 Menschen.", True),
])
def test_years_in_historical_context_are_not_stale(sentence, stale):
    match = re.search(r"(19|20)\d\d", sentence if not sentence.startswith("Für 2026") else sentence[9:])
    start = match.start() + (9 if sentence.startswith("Für 2026") else 0)
    assert historical(sentence, start, start + 4) is not stale


def test_a_share_of_100_percent_is_no_data_value_and_festlegung_wert_is_no_placeholder(tmp_path):
    content = copy_content(tmp_path)
    data = content / "2026/daten/kennzahlen.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("plan: 950}", "plan: 100}", 1)
                    .replace("plan: 8.510", "plan: 7.660").replace("plan: 7.300", "plan: 6.450"), encoding="utf-8")
    chapter = content / "2026/kapitel/06-besondere-zielgruppen.md"
    append(chapter, "\nDie Kosten trägt der Bund zu 100 % und zu 100%. Die Quote sinkt um 5 % (Festlegung Wert im "
                    "Zielvereinbarungsprozess).\nEs gibt 100 Plätze für die MAG.\n")
    edition = load_edition(content / "2026")
    last = len(chapter.read_text(encoding="utf-8").splitlines())
    mine = [w.message for w in edition.warnings if w.location.path.name == chapter.name and w.location.line >= last - 1]
    assert mine == ["Zahl 100 steht auch in den Daten (kennzahlen.mag.plan)."]  # the count, not the shares
