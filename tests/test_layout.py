"""Long-document layout on small synthetic editions: tables across pages, dense margin notes."""

from __future__ import annotations

import shutil
import textwrap

from amip.build import build
from conftest import ROOT
from pdfinspect import words
from test_pdf_2026 import check_margin_notes


def make_edition(tmp_path, chapter: str, data: dict[str, str] | None = None):
    org = tmp_path / "content" / "test"
    (org / "2030" / "kapitel").mkdir(parents=True)
    (org / "2030" / "daten").mkdir()
    shutil.copy(ROOT / "content/duesseldorf/traeger.yaml", org / "traeger.yaml")
    (org / "abkuerzungen.yaml").write_text("AA: Agentur für Arbeit\n", encoding="utf-8")
    (org / "2030" / "ausgabe.yaml").write_text(textwrap.dedent("""\
        jahr: 2030
        titel: Arbeitsmarkt- und Integrationsprogramm
        status: entwurf
        stand: 01.12.2029
        impressum:
          herausgeber: [Jobcenter Test]
          verantwortlich: [Geschäftsführung]
        kapitel: [01-test.md]
        """), encoding="utf-8")
    (org / "2030/kapitel/01-test.md").write_text(chapter, encoding="utf-8")
    for name, text in (data or {}).items():
        (org / "2030/daten" / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return org / "2030"


def test_long_table_repeats_its_header_on_every_page(tmp_path):
    rows = "\n".join(f"  - [Instrument {i}, Träger {i}, {i * 10}]" for i in range(1, 121))
    edition = make_edition(tmp_path, "---\ntitel: Tabelle\n---\n\n[[tabelle: lang]]\n", {"lang": (
        "art: tabelle\nspalten:\n  - {name: Angebot}\n  - {name: Erbracht von}\n  - {name: Plätze, art: zahl}\n"
        "zeilen:\n" + rows + "\n")})
    result = build(edition, tmp_path / "out")
    table_pages = [p for p in range(result.pages) if "Instrument " in words(result.pdf, p)]
    assert len(table_pages) >= 3
    for page in table_pages:
        text = words(result.pdf, page)
        assert "Angebot Erbracht von Plätze" in text, page
    last = words(result.pdf, table_pages[-1])
    assert "Instrument 120" in last and "1.200" in last


def test_dense_margin_notes_stay_on_their_page_without_overlap(tmp_path):
    """Four long notes on each of many short paragraphs: notes must move, never overlap or leave the page."""
    blocks = []
    for i in range(40):
        for k in range(4 if i % 3 == 0 else 1):
            blocks.append(f"::: rand\nNotiz {i}.{k}: eine etwas längere Randbemerkung, die über mehrere Zeilen läuft\n:::\n")
        blocks.append(f"Absatz {i}. " + "Ein Satz über die Arbeit des Jobcenters. " * (2 + i % 5) + "\n")
    edition = make_edition(tmp_path, "---\ntitel: Dicht\n---\n\n" + "\n".join(blocks))
    result = build(edition, tmp_path / "out")
    html = (tmp_path / "out/druck.html").read_text(encoding="utf-8")
    assert check_margin_notes(result.pdf, html) == 40 + 14 * 3


def test_footnotes_are_numbered_continuously_across_chapters(tmp_path):
    """Print: at the page bottom, numbered 1, 2, 3 through the document (also from a heading).
    Web: numbered links, the notes at the end of each chapter with back-links."""
    import re
    import subprocess

    edition = make_edition(tmp_path, "---\ntitel: Erstes\n---\n\n## Abschnitt mit Note[^h] {#a}\n\n"
                                     "Text eins[^1].\n\n[^1]: Erste Fußnote.\n[^h]: Fußnote der Überschrift.\n")
    (edition / "kapitel/02-zwei.md").write_text("---\ntitel: Zweites\n---\n\nText zwei[^x].\n\n[^x]: Dritte **Fußnote**.\n",
                                                encoding="utf-8")
    ausgabe = edition / "ausgabe.yaml"
    ausgabe.write_text(ausgabe.read_text(encoding="utf-8").replace("[01-test.md]", "[01-test.md, 02-zwei.md]"),
                       encoding="utf-8")
    result = build(edition, tmp_path / "out")
    text = subprocess.run(["pdftotext", "-layout", str(result.pdf), "-"], capture_output=True, text=True).stdout
    assert re.search(r"^\s*1 Fußnote der Überschrift\.", text, re.M)
    assert re.search(r"^\s*2 Erste Fußnote\.", text, re.M)
    assert re.search(r"^\s*3 Dritte Fußnote\.", text, re.M)
    assert "[^" not in text
    toc = words(result.pdf, 1)
    assert "Abschnitt mit Note" in toc and "Fußnote der Überschrift" not in toc
    web = result.web.read_text(encoding="utf-8")
    assert [int(n) for n in re.findall(r'<sup class="fn"><a href="#fn-(\d+)"', web)] == [1, 2, 3]
    for n in (1, 2, 3):
        assert f'<li id="fn-{n}" value="{n}">' in web and f'href="#fnref-{n}"' in web
    assert web.count('<section class="fussnoten"') == 2


def _figure_edition(tmp_path, bild_yaml: str, numbered: bool = True):
    chapter = ("---\ntitel: Bilder\n---\n\n[[verzeichnis: abbildungen]]\n\nSiehe [[abb: quote]] und [[abb: organigramm]].\n\n"
               + "FüllText. " * 400 + "\n\n[[diagramm: quote | linie]]\n\n" + "Mehr Text. " * 500
               + "\n\n[[abbildung: organigramm]]\n")
    edition = make_edition(tmp_path, chapter, {
        "quote": "art: reihe\ntitel: Integrationsquote\neinheit: \"%\"\nkategorien: [Dez 15, Dez 16]\n"
                 "reihen:\n  Düsseldorf: [\"19,5\", \"19,9\"]\n  NRW: [\"20,8\", \"21,0\"]\n",
        "organigramm": bild_yaml})
    (edition / "bilder").mkdir()
    (edition / "bilder/organigramm.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="100"><rect width="400" height="100" fill="#8fb3d9"/></svg>',
        encoding="utf-8")
    if numbered:
        traeger = edition.parent / "traeger.yaml"
        text = traeger.read_text(encoding="utf-8")
        text = text.split("abbildungen:")[0] + "abbildungen:\n  bezeichnung: Abb.\n  nummeriert: ja\n"
        traeger.write_text(text, encoding="utf-8")
    return edition


GOOD_BILD = "art: bild\ndatei: ../bilder/organigramm.svg\ntitel: Aufbau der Arbeitsvermittlung\nalt: Organigramm mit drei Teams\nquelle: Jobcenter\n"


def test_figures_numbered_referenced_and_listed_with_right_pages(tmp_path):
    import re

    from pdfinspect import destinations, internal_links

    edition = _figure_edition(tmp_path, GOOD_BILD)
    result = build(edition, tmp_path / "out")
    first = words(result.pdf, 2)
    assert "Siehe Abb. 1 und Abb. 2." in re.sub(r"\s+", " ", first)
    dests = destinations(result.pdf)
    checked = 0
    for name, box in internal_links(result.pdf, 2):
        if not name.startswith("abb-"):
            continue
        line = words(result.pdf, 2, (box[0] - 2, box[1] - 1, box[2] + 1, box[3] + 1)).strip()
        match = re.search(r"^(Abb\. \d): .*?(\d+)$", line)
        if match:
            assert dests[name].page + 1 == int(match.group(2)), line
            assert match.group(1) in words(result.pdf, dests[name].page)
            checked += 1
    assert checked == 2
    web = result.web.read_text(encoding="utf-8")
    assert 'alt="Organigramm mit drei Teams"' in web and re.search(r'src="assets/abbildungen/\w+\.svg"', web)


def test_figure_without_alt_text_is_a_located_error(tmp_path):
    from amip.build import load_edition
    from amip.errors import ContentError
    import pytest

    edition = _figure_edition(tmp_path, GOOD_BILD.replace("alt: Organigramm mit drei Teams\n", ""))
    with pytest.raises(ContentError) as info:
        load_edition(edition)
    [problem] = [p for p in info.value.problems if p.level == "fehler"]
    assert str(problem.location).endswith("daten/organigramm.yaml:1:1")
    assert "Pflichtangabe „alt“ fehlt" in problem.message


def test_figure_file_outside_the_project_is_a_located_error(tmp_path):
    from amip.build import load_edition
    from amip.errors import ContentError
    import pytest

    (tmp_path / "geheim.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    edition = _figure_edition(tmp_path, GOOD_BILD.replace("../bilder/organigramm.svg", "../../../../geheim.svg"))
    with pytest.raises(ContentError) as info:
        load_edition(edition)
    [problem] = [p for p in info.value.problems if p.level == "fehler"]
    assert str(problem.location).endswith("daten/organigramm.yaml:2:8")
    assert "außerhalb des Inhaltsordners" in problem.message


def test_missing_figure_file_is_a_located_error(tmp_path):
    from amip.build import load_edition
    from amip.errors import ContentError
    import pytest

    edition = _figure_edition(tmp_path, GOOD_BILD.replace("organigramm.svg", "fehlt.svg"))
    with pytest.raises(ContentError) as info:
        load_edition(edition)
    assert any("nicht gefunden" in p.message for p in info.value.problems)


def test_german_decimal_commas_in_a_flow_list_get_a_hint(tmp_path):
    from amip.build import load_edition
    from amip.errors import ContentError
    import pytest

    edition = make_edition(tmp_path, "---\ntitel: X\n---\n\nText.\n", {
        "quote": "art: reihe\ntitel: Quote\nkategorien: [A, B]\nreihen:\n  Q: [19,5, 19,9]\n"})
    with pytest.raises(ContentError) as info:
        load_edition(edition)
    [problem] = [p for p in info.value.problems if p.level == "fehler"]
    assert "trennt das Komma die Werte" in problem.hint


def test_tables_numbered_and_referenced_and_caption_footnotes(tmp_path):
    """With numbered tables: 'Tabelle N' in caption and reference; a chart caption can carry a footnote."""
    import re
    import subprocess

    chapter = ("---\ntitel: Tabellen\n---\n\nWie [[tab: zwei]] zeigt, und [[tab: eins]] auf [[seite: unten]].\n\n"
               "[[tabelle: eins]]\n\n[[tabelle: zwei]]\n\n## Unten {#unten}\n\n[[diagramm: quote | linie]]\n")
    edition = make_edition(tmp_path, chapter, {
        "eins": "art: tabelle\ntitel: Erste\nspalten:\n  - {name: A}\nzeilen:\n  - [x]\n",
        "zwei": "art: tabelle\nspalten:\n  - {name: B}\nzeilen:\n  - [y]\n",
        "quote": "art: reihe\ntitel: Quote\nkategorien: [A, B]\nreihen:\n  Q: [1, 2]\nfussnote: Werte geschätzt.\n"})
    traeger = edition.parent / "traeger.yaml"
    traeger.write_text(traeger.read_text(encoding="utf-8").split("tabellen:")[0], encoding="utf-8")
    result = build(edition, tmp_path / "out")
    text = re.sub(r"\s+", " ", subprocess.run(["pdftotext", str(result.pdf), "-"], capture_output=True, text=True).stdout)
    assert "Wie Tabelle 2 zeigt, und Tabelle 1 auf Seite 3." in text
    assert "Tabelle 1: Erste" in text and "Tabelle 2 B" in text
    assert re.search(r"Quote\s*1\b", text) and "1 Werte geschätzt." in text
    web = result.web.read_text(encoding="utf-8")
    assert '<a class="ref" href="#tabelle-zwei">Tabelle 2</a>' in web
    assert '<li id="fn-1" value="1">Werte geschätzt.' in web


def test_domain_words_break_only_at_the_listed_points(tmp_path):
    """templates/silbentrennung.txt overrides the dictionary: a listed word breaks only where listed."""
    from amip.hyphenation import exceptions

    listed = exceptions()["Bedarfsgemeinschaften"].split("-")
    assert listed[:2] == ["Be", "darfs"]  # Pyphen's dictionary would break "Be-da-rfs"
    # margin notes are narrow (42 mm), so the word has to break there
    notes = "\n".join(f"::: rand\n{'x' * k} Bedarfsgemeinschaften und mehr\n:::\n\nAbsatz {k}.\n" for k in range(1, 30))
    edition = make_edition(tmp_path, f"---\ntitel: Trennung\n---\n\n{notes}\n")
    result = build(edition, tmp_path / "out")
    # pdfplumber keeps the line ends as printed (pdftotext would join hyphenated words again)
    lines = [line for page in range(result.pages) for line in words(result.pdf, page).splitlines()]
    broken = [line for line in lines if line.rstrip().endswith(("‐", "-")) and "Be" in line.split()[-1][:2]]
    assert broken, "the text should force at least one break inside the word"
    allowed = {"".join(listed[:i]) for i in range(1, len(listed))}
    for line in broken:
        assert line.split()[-1].rstrip("‐-") in allowed, line
    assert "\u00ad" not in "".join(lines)
