"""Numbered heading levels (traeger.yaml `ueberschriften: {nummeriert_bis: 4}`) in text, TOC, bookmarks, references."""

from __future__ import annotations

import re

import pikepdf
import pytest

from amip.build import build, load_edition
from amip.errors import ContentError
from pdfinspect import destinations, internal_links, words
from test_layout import make_edition

FILLER = "Ein Satz über die Arbeit des Jobcenters, der den Abschnitt füllt. " * 12

CHAPTER = f"""---
titel: Tief gegliedert
---

Siehe [[kapitel: feinziel]] auf [[seite: feinziel]].

## Erster Abschnitt

{FILLER}

## Zweiter Abschnitt

{FILLER}

### Unterabschnitt

{FILLER}

#### Erstes Feinziel

{FILLER}

#### Zweites Feinziel {{#feinziel}}

{FILLER}

#### Ohne Nummer {{-}}

{FILLER}

##### Fünfte Ebene

Text.
"""


def with_depth(edition, depth: int):
    traeger = edition.parent / "traeger.yaml"
    traeger.write_text(traeger.read_text(encoding="utf-8") + f"ueberschriften:\n  nummeriert_bis: {depth}\n",
                       encoding="utf-8")
    return edition


def outline(path) -> list[tuple[int, str]]:
    """(depth, title) of every PDF bookmark, depth-first."""
    found: list[tuple[int, str]] = []
    with pikepdf.open(path) as pdf:
        with pdf.open_outline() as tree:
            def walk(items, depth):
                for item in items:
                    found.append((depth, item.title))
                    walk(item.children, depth + 1)
            walk(tree.root, 1)
    return found


@pytest.fixture(scope="module")
def four_levels(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("vier-ebenen")
    edition = with_depth(make_edition(tmp, CHAPTER), 4)
    return build(edition, tmp / "out")


def test_fourth_level_is_numbered_in_the_text(four_levels):
    """`####` gets "1.2.1.1." and "1.2.1.2."; `{-}` and `#####` stay unnumbered."""
    text = " ".join(words(four_levels.pdf, p) for p in range(four_levels.pages))
    text = re.sub(r"\s+", " ", text)
    assert "1.2.1.1. Erstes Feinziel" in text
    assert "1.2.1.2. Zweites Feinziel" in text
    assert "Ohne Nummer" in text and "Fünfte Ebene" in text
    assert not re.search(r"\d\.? (Ohne Nummer|Fünfte Ebene)", text)


def test_fourth_level_is_in_the_toc_with_the_page_of_its_heading(four_levels):
    """The TOC lists "1.2.1.2. Zweites Feinziel" with the page the heading is printed on."""
    pdf = four_levels.pdf
    dests = destinations(pdf)
    toc_page = next(i for i in range(3) if "Inhalt" in words(pdf, i).splitlines()[:3])
    lines = {}
    for name, box in internal_links(pdf, toc_page):
        lines.setdefault(name, words(pdf, toc_page, (box[0] - 3, box[1] - 1, box[2] + 1, box[3] + 1)).strip())
    line = lines["feinziel"]
    assert line.startswith("1.2.1.2. Zweites Feinziel"), line
    printed = int(re.search(r"(\d+)$", line).group(1))
    assert printed == dests["feinziel"].page + 1
    assert printed > toc_page + 1  # a real page after the contents, not a default
    assert "Zweites Feinziel" in words(pdf, printed - 1)
    assert not any("Ohne Nummer" in value or "Fünfte Ebene" in value for value in lines.values())


def test_fourth_level_is_a_nested_pdf_bookmark(four_levels):
    """Bookmarks nest chapter > 1.2 > 1.2.1 > 1.2.1.x; unnumbered headings are no bookmarks."""
    marks = outline(four_levels.pdf)
    assert (4, "1.2.1.1. Erstes Feinziel") in marks
    assert (4, "1.2.1.2. Zweites Feinziel") in marks
    index = marks.index((4, "1.2.1.2. Zweites Feinziel"))
    parents = [title for depth, title in marks[:index] if depth == 3]
    assert parents[-1] == "1.2.1. Unterabschnitt"
    assert not any("Ohne Nummer" in t or "Fünfte Ebene" in t for _, t in marks)


def test_reference_names_the_fourth_level_number(four_levels):
    """[[kapitel: feinziel]] → "Kapitel 1.2.1.2", [[seite: …]] → its page."""
    text = re.sub(r"\s+", " ", " ".join(words(four_levels.pdf, p) for p in range(four_levels.pages)))
    page = destinations(four_levels.pdf)["feinziel"].page + 1
    assert f"Siehe Kapitel 1.2.1.2 auf Seite {page}." in text


def test_default_depth_keeps_three_levels(tmp_path):
    """Without the option `####` stays an unnumbered sub-heading outside the TOC (as before)."""
    edition = load_edition(make_edition(tmp_path, CHAPTER))
    numbers = {h.title: h.number for h in edition.chapters[0].headings}
    assert numbers["Unterabschnitt"] == "1.2.1"
    assert numbers["Zweites Feinziel"] == ""
    assert not edition.headings["feinziel"].in_toc


def test_depth_two_numbers_sections_only(tmp_path):
    edition = load_edition(with_depth(make_edition(tmp_path, CHAPTER.replace("Siehe [[kapitel: feinziel]] auf "
                                                                            "[[seite: feinziel]].", "")), 2))
    numbers = {h.title: h.number for h in edition.chapters[0].headings}
    assert numbers["Zweiter Abschnitt"] == "1.2" and numbers["Unterabschnitt"] == ""


def test_trailing_dot_style_applies_to_the_fourth_level(tmp_path):
    """`nummern_mit_punkt: nein` prints "1.2.1.2" in heading and TOC label alike."""
    edition = with_depth(make_edition(tmp_path, CHAPTER), 4)
    ausgabe = edition / "ausgabe.yaml"
    ausgabe.write_text(ausgabe.read_text(encoding="utf-8") + "nummern_mit_punkt: nein\n", encoding="utf-8")
    loaded = load_edition(edition)
    assert loaded.headings["feinziel"].label == "1.2.1.2"
    assert loaded.headings["feinziel"].number == "1.2.1.2"


def test_fourth_level_without_third_is_a_located_error(tmp_path):
    edition = with_depth(make_edition(tmp_path, "---\ntitel: T\n---\n\n## Abschnitt\n\nText.\n\n#### Zu tief\n\nText.\n"), 4)
    with pytest.raises(ContentError) as info:
        load_edition(edition)
    [problem] = info.value.problems
    assert str(problem.location).endswith("kapitel/01-test.md:9")
    assert "„####“ ohne vorangehenden Unterabschnitt „###“" in problem.message


def test_unknown_depth_is_a_located_error(tmp_path):
    edition = with_depth(make_edition(tmp_path, "---\ntitel: T\n---\n\nText.\n"), 5)
    with pytest.raises(ContentError) as info:
        load_edition(edition)
    [problem] = info.value.problems
    assert "traeger.yaml" in str(problem.location) and "„5“ ist hier nicht erlaubt" in problem.message


def test_deeper_counters_restart_under_a_new_parent(tmp_path):
    """1.1.1.2 is followed by 1.1.2 and then 1.1.2.1; a new ## restarts everything below it."""
    chapter = "---\ntitel: T\n---\n\n" + "".join(f"{marks} {title}\n\nText.\n\n" for marks, title in (
        ("##", "A"), ("###", "A1"), ("####", "A1a"), ("####", "A1b"), ("###", "A2"), ("####", "A2a"),
        ("##", "B"), ("####", "B-falsch {-}"), ("###", "B1"), ("####", "B1a")))
    edition = load_edition(with_depth(make_edition(tmp_path, chapter), 4))
    numbers = [(h.title, h.label) for h in edition.chapters[0].headings]
    assert numbers == [("A", "1.1."), ("A1", "1.1.1."), ("A1a", "1.1.1.1."), ("A1b", "1.1.1.2."), ("A2", "1.1.2."),
                       ("A2a", "1.1.2.1."), ("B", "1.2."), ("B-falsch", ""), ("B1", "1.2.1."), ("B1a", "1.2.1.1.")]


def test_toc_depth_follows_numbering_unless_set(tmp_path):
    """Four numbered levels put level 4 in the contents; an explicit `inhaltsverzeichnis.tiefe` wins."""
    from amip.build import toc_depth

    edition = with_depth(make_edition(tmp_path, CHAPTER), 4)
    assert toc_depth(load_edition(edition)) == 4
    traeger = edition.parent / "traeger.yaml"
    traeger.write_text(traeger.read_text(encoding="utf-8") + "inhaltsverzeichnis:\n  tiefe: 2\n", encoding="utf-8")
    assert toc_depth(load_edition(edition)) == 2
