"""The yearly cycle (issue 10 §3–4): new-edition, open values, draft marks, check --final, Beschluss."""

from __future__ import annotations

import re
import shutil
import subprocess

import pikepdf
import pytest
from conftest import copy_content, run_amip

from amip.build import build, load_edition, render_chapters, render_html
from amip.errors import ContentError

OLD, NEW = "content/duesseldorf/2026", "content/duesseldorf/2027"


def edit(path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def page_texts(pdf) -> list[str]:
    pages = len(pikepdf.open(pdf).pages)
    return [subprocess.run(["pdftotext", "-layout", "-f", str(i), "-l", str(i), str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout for i in range(1, pages + 1)]


def docinfo(pdf) -> dict[str, str]:
    with pikepdf.open(pdf) as document:
        return {str(k): str(v) for k, v in document.docinfo.items()}


@pytest.fixture(scope="module")
def next_year(tmp_path_factory):
    """A project whose 2026 edition (with an author's comment in the Kennzahlen) became 2027 via the CLI."""
    project = tmp_path_factory.mktemp("neues-jahr")
    content = copy_content(project)
    edit(content / "2026/daten/kennzahlen.yaml", "gruppen:\n", "gruppen:   # Reihenfolge nach Katalog\n")
    result = run_amip("new-edition", OLD, "2027", cwd=project)
    return project, result


def test_new_edition_writes_next_years_draft(next_year):
    project, result = next_year
    assert result.returncode == 0, result.stderr
    new = project / NEW
    ausgabe = (new / "ausgabe.yaml").read_text(encoding="utf-8")
    assert re.search(r"^jahr: 2027$", ausgabe, re.M) and re.search(r"^status: entwurf$", ausgabe, re.M)
    assert re.search(r"^stand:$", ausgabe, re.M) and "beschluss" not in ausgabe
    # chapters: marked for revision, years moved in titles, headings and standard phrases only
    intro = (new / "kapitel/01-einfuehrung.md").read_text(encoding="utf-8")
    assert intro.startswith("---\ntitel: Einführung und Grundlagen für 2027\nstatus: zu überarbeiten\n---\n")
    assert "Das Arbeitsmarkt- und Integrationsprogramm 2027 ist" in intro and "Die Planung für 2027 stellt" in intro
    assert "seit Jahresbeginn 2025" in intro            # history stays
    frame = (new / "kapitel/02-rahmenbedingungen.md").read_text(encoding="utf-8")
    assert "Eingliederungsmittelverordnung 2027" in frame and "2015" in frame
    assert "## Planung EGT 2027 {-}" in (new / "kapitel/anlage-1-kennzahlen.md").read_text(encoding="utf-8")
    for chapter in (new / "kapitel").glob("*.md"):
        assert "\nstatus: zu überarbeiten\n" in chapter.read_text(encoding="utf-8"), chapter
    # Kennzahlen: every plan value open, the comparison is last year's Ansatz, old expectations gone
    kennzahlen = (new / "daten/kennzahlen.yaml").read_text(encoding="utf-8")
    assert kennzahlen.count("plan: offen") == 16 and not re.search(r"plan: [0-9]", kennzahlen)
    assert "plan: Eintritte 2027" in kennzahlen and "erwartet" not in kennzahlen
    assert "gruppen:   # Reihenfolge nach Katalog\n" in kennzahlen           # the author's comment survived
    from amip.cycle.newedition import series_basis_supported

    if series_basis_supported():   # D2: looked up in the series by key
        assert "basis: {art: ansatz, jahr: 2026}" in kennzahlen and not re.search(r"basis: [0-9]", kennzahlen)
    else:                          # before the series lookup exists: last year's plan values typed as basis
        assert "basis: Ansatz 2026" in kennzahlen
        assert "{bezeichnung: MAT inkl. U25, schluessel: mat, plan: offen, basis: 1.994}" in kennzahlen
    # the list of changes (printed and in the edition) and the checklist
    listed = (new / "AENDERUNGEN-NEUES-JAHR.md").read_text(encoding="utf-8")
    title_line = line_of(new / "kapitel/01-einfuehrung.md", "titel:")
    assert f"`kapitel/01-einfuehrung.md:{title_line}`: titel: Einführung und Grundlagen für 2026 → " \
           "titel: Einführung und Grundlagen für 2027" in listed
    plan_line = line_of(new / "daten/kennzahlen.yaml", "schluessel: esg")
    assert f"{NEW}/daten/kennzahlen.yaml:{plan_line + 1}: plan: 600 → offen" in result.stdout
    assert "Was Sie jetzt tun müssen:" in result.stdout and f"amip check --final {NEW}" in result.stdout
    assert "16 Werte stehen auf „offen“" in result.stdout
    assert "daten/leistungen-16a.yaml" in result.stdout     # files amip left alone are named for review


def test_new_edition_builds_as_a_draft_with_entwurf_on_every_page(next_year, tmp_path):
    project, _ = next_year
    result = build(project / NEW, tmp_path / "out")
    pages = page_texts(result.pdf)
    assert len(pages) == result.pages > 10
    assert "ENTWURF" in pages[0] and "Stand offen · Entwurf" in pages[0]          # the cover's own mark
    for number, text in enumerate(pages[1:], 2):
        assert "ENTWURF · Stand offen" in text, f"Seite {number} ohne Entwurfsvermerk"
    kennzahlen = next(t for t in pages if "Zweckbestimmung" in t and "mit FbW / Reha" in t)
    assert re.search(r"Einstiegsgeld\s+offen\s+\S+\s+offen", kennzahlen), kennzahlen   # plan and Vergleich open
    assert re.search(r"mit FbW / Reha\s+offen", kennzahlen)                          # and the sums
    # the Kennzahlen chart has no value left to draw: a framed "Grafik folgt", never bars of 0
    assert sum("Grafik folgt" in t for t in pages) == 2          # the Kennzahlen chart and the Portfolio chart
    web = (tmp_path / "out/web/index.html").read_text(encoding="utf-8")
    assert '<p class="entwurf-banner" role="note"><strong>ENTWURF</strong> · Stand offen' in web
    assert '<td class="zahl offen">offen</td>' in web
    info = docinfo(result.pdf)
    assert info["/status"] == "entwurf" and "/Keywords" not in info


def test_check_final_lists_every_open_item_with_file_and_line(next_year, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(next_year[0] / "content", project / "content")
    new = project / NEW
    chapter = new / "kapitel/05-gesundheit.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nDie Quote steigt um XX Punkte.\n\n"
                       "[[abbildung: organigramm]]\n", encoding="utf-8")
    (new / "daten/organigramm.yaml").write_text("art: platzhalter\ntitel: Organigramm\nalt: Organigramm der "
                                                "Teams\n", encoding="utf-8")
    draft = run_amip("check", NEW, cwd=project)
    assert draft.returncode == 1          # the prose placeholder stops every build; the rest is open only in --final
    assert "„zu überarbeiten“ markiert" not in draft.stderr and "ist noch nicht festgelegt" not in draft.stderr
    assert "Warnung: Wert „offen“ (daten/kennzahlen.yaml, „Einstiegsgeld“, plan) – noch nicht festgelegt." in draft.stderr
    result = run_amip("check", "--final", NEW, cwd=project)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": Fehler: " in line]
    kennzahlen = new / "daten/kennzahlen.yaml"
    esg = line_of(kennzahlen, "schluessel: esg") + 1
    expected = [
        f"{NEW}/daten/kennzahlen.yaml:{esg}:15: Fehler: Wert „offen“ (daten/kennzahlen.yaml, „Einstiegsgeld“, plan) "
        "ist noch nicht festgelegt.",
        f"{NEW}/kapitel/01-einfuehrung.md:3:9: Fehler: Kapitel „Einführung und Grundlagen für 2027“ ist noch als "
        "„zu überarbeiten“ markiert.",
        f"{NEW}/kapitel/05-gesundheit.md:{line_of(chapter, 'um XX Punkte')}: Fehler: Platzhalter „XX“ im Text.",
        f"{NEW}/daten/organigramm.yaml:1:1: Fehler: Abbildung „Organigramm“ ist noch ein Platzhalter "
        "(art: platzhalter, daten/organigramm.yaml).",
        f"{NEW}/kapitel/01-einfuehrung.md:{line_of(new / 'kapitel/01-einfuehrung.md', 'nach dem 1. April 2025')}: "
        "Fehler: Jahreszahl 2025 liegt vor dem Vorjahr der Ausgabe (2026).",
    ]
    for line in expected:
        assert line in errors, "\n".join(errors)
    assert sum("Wert „offen“" in e for e in errors) == 16
    assert sum("„zu überarbeiten“ markiert" in e for e in errors) == 8
    assert result.stderr.rstrip().endswith(f"{len(errors)} Fehler gefunden – es wurde nichts geschrieben.")


def test_new_edition_never_overwrites(next_year):
    project, _ = next_year
    before = {p: p.read_bytes() for p in (project / NEW).rglob("*") if p.is_file()}
    again = run_amip("new-edition", OLD, "2027", cwd=project)
    assert again.returncode == 1
    assert f"{NEW} existiert bereits – amip überschreibt nie eine Ausgabe." in again.stderr
    assert {p: p.read_bytes() for p in (project / NEW).rglob("*") if p.is_file()} == before
    earlier = run_amip("new-edition", OLD, "2025", cwd=project)
    assert earlier.returncode == 2 and "meinten Sie 2027?" in earlier.stderr
    assert not (project / "content/duesseldorf/2025").exists()


def test_a_failure_midway_leaves_no_folder(tmp_path, monkeypatch):
    content = copy_content(tmp_path)
    from amip.cycle import newedition

    def broken(folder, result):
        assert (folder / "daten/kennzahlen.yaml").read_text(encoding="utf-8").count("plan: offen") == 16
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(newedition, "_write_changes", broken)
    with pytest.raises(OSError):
        newedition.create(content / "2026", "2027")
    assert sorted(p.name for p in content.iterdir()) == ["2018", "2026", "abkuerzungen.yaml", "traeger.yaml", "zeitreihe.yaml"]


def test_decided_edition_with_an_open_value_does_not_build(tmp_path):
    content = copy_content(tmp_path)
    kennzahlen = content / "2026/daten/kennzahlen.yaml"
    edit(kennzahlen, "schluessel: esg\n        plan: 600", "schluessel: esg\n        plan: offen")
    with pytest.raises(ContentError) as info:
        build(content / "2026", tmp_path / "out")
    [problem] = [p for p in info.value.problems if p.level == "fehler"]
    assert str(problem.location).endswith(f"2026/daten/kennzahlen.yaml:{line_of(kennzahlen, 'plan: offen')}:15")
    assert "„Einstiegsgeld“" in problem.message and "status: entwurf" in problem.hint
    assert not (tmp_path / "out").exists()


def test_beschluss_on_cover_impressum_and_in_pdf_metadata(built_2026):
    info = docinfo(built_2026.pdf)
    assert info["/beschlussdatum"] == "10.12.2025" and info["/status"] == "beschlossen"
    assert info["/Keywords"] == "Beschluss der Trägerversammlung vom 10.12.2025"
    pages = page_texts(built_2026.pdf)
    assert "Beschluss der Trägerversammlung vom 10.12.2025" in pages[0]                  # cover
    assert sum("Beschluss der Trägerversammlung vom 10.12.2025" in p for p in pages) == 2  # and the Impressum
    assert not any("ENTWURF" in page for page in pages)


def test_beschlossen_needs_a_beschluss_date(tmp_path):
    content = copy_content(tmp_path)
    ausgabe = content / "2026/ausgabe.yaml"
    text = ausgabe.read_text(encoding="utf-8")
    ausgabe.write_text(re.sub(r"(#[^\n]*\n)*beschluss:\n  datum: 10.12.2025\n", "", text), encoding="utf-8")
    result = run_amip("check", OLD, cwd=tmp_path)
    assert result.returncode == 1
    assert f"{OLD}/ausgabe.yaml:3:9: Fehler: Eine beschlossene Ausgabe braucht das Datum des Beschlusses." \
        in result.stderr
    assert "beschluss: {datum: 10.12.2025" in result.stderr


def test_open_values_propagate_and_are_marked(tmp_path):
    """Sums, Vergleich, shares, prose values and Portfolio sums that depend on `offen` are open, never 0."""
    content = copy_content(tmp_path)
    edit(content / "2026/ausgabe.yaml", "status: beschlossen", "status: vorlage")
    edit(content / "2026/daten/kennzahlen.yaml", "schluessel: esg\n        plan: 600", "schluessel: esg\n        plan: offen")
    chapter = content / "2026/kapitel/06-besondere-zielgruppen.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nGeplant: [[wert: kennzahlen.esg.plan]], "
                       "zusammen [[wert: kennzahlen.summe.plan]], ao [[wert: kennzahlen.ao.plan]].\n", encoding="utf-8")
    edition = load_edition(content / "2026")
    rows = {r.label: r for r in edition.figures["kennzahlen"].rows}
    assert [c.text for c in rows["Einstiegsgeld"].cells[1:]] == ["offen", "448", "offen"]
    assert all(c.open for c in rows["III. Aufnahme einer Erwerbstätigkeit"].cells[1:] if c.text == "offen")
    assert rows["mit FbW / Reha"].cells[1].text == "offen" and rows["mit FbW / Reha"].cells[2].text == "7.274"
    assert rows["IV. Berufswahl und Berufsbildung"].cells[1].text == "61"      # untouched groups keep numbers
    [warning] = [w for w in edition.warnings if "Wert „offen“" in w.message]
    assert "„Einstiegsgeld“, plan" in warning.message
    html = "".join(str(c.html) for c in render_chapters(edition))
    assert 'Geplant: <span class="wert offen">offen</span>, zusammen <span class="wert offen">offen</span>, ' \
           'ao <span class="wert">360</span>.' in html
    share = re.search(r"Einstiegsgeld</t[hd]><td class=\"zahl offen kurz\">offen</td><td class=\"zahl offen kurz\">"
                      r"offen</td>", html)
    assert share, "Portfolio-Übersicht: Anteil eines offenen Werts ist offen"
    print_html = render_html(edition, "print")
    assert 'content: "VORLAGE \\b7  Stand 01.12.2025"' in print_html and "<strong>VORLAGE</strong>" not in print_html
    assert "<strong>VORLAGE</strong> · Stand 01.12.2025" in render_html(edition, "web")


def test_open_portfolio_value_makes_the_sum_open(tmp_path):
    content = copy_content(tmp_path)
    edit(content / "2018/ausgabe.yaml", "status: beschlossen", "status: entwurf")
    portfolio = content / "2018/daten/portfolio-integration.yaml"
    text = portfolio.read_text(encoding="utf-8")
    first = re.search(r"eintritte: ([0-9.]+)\n", text)
    portfolio.write_text(text.replace(first.group(0), "eintritte: offen\n", 1), encoding="utf-8")
    figures = load_edition(content / "2018").figures["portfolio-integration"]
    assert figures.sum_value == "offen" and figures.sum_open
    assert any(r.open and r.value == "offen" for r in figures.rows)


def test_yaml_edits_keep_comments_and_flow_mappings():
    from amip.cycle.yamledit import YamlEdit

    text = ("# Kopf\nspalten:\n  plan: Eintritte 2026   # Planjahr\nsummen:\n  - bezeichnung: Summe\n"
            "    # erwartet aus dem Haushalt\n    erwartet: {plan: 8.510}\nzeilen:\n"
            "  - {bezeichnung: A, plan: 1.994, basis: 1.162}\n")
    e = YamlEdit.of(text)
    e.replace(e.node("spalten", "plan"), "Eintritte 2027")
    e.delete(e.node("summen", 0), "erwartet")
    e.delete(e.node("zeilen", 0), "basis")
    e.replace(e.node("zeilen", 0, "plan"), "offen", "plan: 1.994")
    out, changes = e.apply()
    assert out == ("# Kopf\nspalten:\n  plan: Eintritte 2027   # Planjahr\nsummen:\n  - bezeichnung: Summe\n"
                   "zeilen:\n  - {bezeichnung: A, plan: offen}\n")
    assert [(c.line, c.new) for c in changes] == [(3, "Eintritte 2027"), (6, "(gelöscht)"), (7, "offen"),
                                                  (7, "(gelöscht)")]


def test_publish_refuses_a_decided_edition_with_open_items(tmp_path):
    from amip.archive import publish

    content = copy_content(tmp_path)
    chapter = content / "2026/kapitel/03-schwerpunkte.md"
    edit(chapter, "---\n", "---\nstatus: zu überarbeiten\n")
    with pytest.raises(ContentError) as info:
        publish(content / "2026")
    [problem] = [p for p in info.value.problems if p.level == "fehler"]
    assert str(problem.location).endswith("2026/kapitel/03-schwerpunkte.md:2:9")
    assert "„zu überarbeiten“" in problem.message
    assert not (tmp_path / "archive" / "duesseldorf").exists()
