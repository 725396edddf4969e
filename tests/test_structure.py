"""Heading levels without gaps: a jump (# → ###) is a located warning naming the level to use."""

from __future__ import annotations

from amip.build import load_edition
from conftest import copy_content


def test_a_skipped_heading_level_is_a_located_warning(tmp_path):
    content = copy_content(tmp_path)
    chapter = content / "2026/kapitel/05-gesundheit.md"
    text = chapter.read_text(encoding="utf-8")
    text = text.replace("## Fortsetzung Modellprojekt Gesundheitsförderung {#modellprojekt}",
                        "#### Fortsetzung Modellprojekt Gesundheitsförderung {#modellprojekt}")
    chapter.write_text(text, encoding="utf-8")
    line = text.split("\n").index("#### Fortsetzung Modellprojekt Gesundheitsförderung {#modellprojekt}") + 1
    edition = load_edition(content / "2026")
    found = [w for w in edition.warnings if "springt" in w.message]
    assert len(found) == 1
    assert str(found[0].location).endswith(f"kapitel/05-gesundheit.md:{line}")
    assert found[0].message == "Die Überschrift „Fortsetzung Modellprojekt Gesundheitsförderung“ springt von Ebene 2 auf Ebene 4."
    assert "„### Fortsetzung Modellprojekt Gesundheitsförderung“ (Ebene 3)" in found[0].hint


def test_the_editions_in_the_repository_have_no_gaps(root):
    for edition in ("duesseldorf/2026", "duesseldorf/2018", "musterstadt/2027"):
        assert not [w for w in load_edition(root / "content" / edition).warnings if "springt" in w.message], edition


def test_a_link_without_text_is_a_located_error(tmp_path):
    import pytest

    from amip.errors import ContentError

    content = copy_content(tmp_path)
    chapter = content / "2026/kapitel/06-besondere-zielgruppen.md"
    lines = chapter.read_text(encoding="utf-8").split("\n")
    lines += ["", "Mehr dazu [hier](https://example.org/a), aber nicht [ ](https://example.org/b)."]
    chapter.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_edition(content / "2026")
    found = [p for p in info.value.problems if "ohne Text" in p.message]
    assert [p.message for p in found] == ["Ein Link ohne Text („[](https://example.org/b)“)."]
    assert str(found[0].location).endswith(f"06-besondere-zielgruppen.md:{len(lines)}")
