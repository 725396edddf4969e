"""The synthetic benchmark edition (bench/synthetic.py): a small one checks clean, builds, has about the asked pages."""

from __future__ import annotations

import sys
from pathlib import Path

import pikepdf

from conftest import ROOT, run_amip

sys.path.insert(0, str(ROOT / "bench"))
import synthetic  # noqa: E402


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_small_synthetic_edition_checks_and_builds_to_its_size(tmp_path):
    edition = synthetic.generate(12, tmp_path / "projekt")
    project = tmp_path / "projekt"
    assert edition == project / "content" / synthetic.ORG / str(synthetic.YEAR)
    assert (project / "amip-projekt.yaml").is_file()
    chapters = sorted((edition / "kapitel").glob("*.md"))
    assert len(chapters) >= 3   # at least two narrative chapters and the Kennzahlen chapter
    text = "\n".join(c.read_text(encoding="utf-8") for c in chapters)
    for element in ("::: rand", "[[tabelle: kennzahlen]]", "[[tabelle: portfolio-", "[[diagramm: ", "## "):
        assert element in text, element

    check = run_amip("check", "--leise", str(edition.relative_to(project)), cwd=project)
    assert check.returncode == 0, check.stderr + check.stdout
    assert "Keine Fehler" in check.stdout
    assert "Fehler:" not in check.stderr

    built = run_amip("build", "--leise", str(edition.relative_to(project)), cwd=project)
    assert built.returncode == 0, built.stderr + built.stdout
    pdf = synthetic.pdf_path(project)
    with pikepdf.open(pdf) as document:
        pages = len(document.pages)
    assert 11 <= pages <= 13, pages   # ±10 % of 12 pages
    assert synthetic.page_count(pdf) == pages


def test_generator_is_deterministic_and_scales(tmp_path):
    one = synthetic.generate(12, tmp_path / "a")
    two = synthetic.generate(12, tmp_path / "b")
    assert files(one.parents[2]) == files(two.parents[2])
    bigger = synthetic.generate(60, tmp_path / "c")
    small_words = sum(len(p.read_text(encoding="utf-8").split()) for p in (one / "kapitel").glob("*.md"))
    big_words = sum(len(p.read_text(encoding="utf-8").split()) for p in (bigger / "kapitel").glob("*.md"))
    assert 3.5 < big_words / small_words < 7.5   # about five times the pages, about five times the text
    assert len(list((bigger / "daten").glob("diagramm-*.yaml"))) > len(list((one / "daten").glob("diagramm-*.yaml")))
