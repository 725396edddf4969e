"""Typing mistakes in the yearly-cycle syntax get the hint that names what was meant."""

from __future__ import annotations

import pytest

from amip.build import load_edition
from amip.errors import ContentError
from conftest import copy_content


def _only_error(content, old: str, new: str):
    data = content / "2026/daten/kennzahlen.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_edition(content / "2026")
    (problem,) = [p for p in info.value.problems if p.level == "fehler"]
    return problem


def test_a_misspelt_offen_is_named(tmp_path):
    problem = _only_error(copy_content(tmp_path), "plan: 1.994", "plan: offn")
    assert problem.hint.startswith("Meinten Sie „offen“?")


def test_a_misspelt_series_art_names_the_three_arts_once(tmp_path):
    problem = _only_error(copy_content(tmp_path), "art: ergebnis, jahr: 2025", "art: ergbnis, jahr: 2025")
    assert problem.message == "Wert „ergbnis“ ist hier nicht erlaubt."
    assert problem.hint == "Erlaubt: ansatz, ergebnis oder hochrechnung."
