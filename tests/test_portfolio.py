"""Portfolio tables: computed Summe with ranges and 'enthalten' rows, and the link to the Kennzahlen."""

from __future__ import annotations

import re
import textwrap

from amip import compute
from amip.errors import Collector
from amip.load import load_yaml
from amip.model import validate_data
from conftest import copy_content, run_amip


def figures_from(tmp_path, text: str):
    path = tmp_path / "portfolio.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    problems = Collector()
    doc = load_yaml(path, problems)
    data = validate_data(doc, problems)
    assert data is not None, [p.format() for p in problems.problems]
    return compute.portfolio("portfolio", data, doc, problems), problems


def test_range_and_contained_rows(tmp_path):
    """A range makes the Summe a range; a row contained in another is shown but not added."""
    figs, problems = figures_from(tmp_path, """\
        art: portfolio
        spalten: {eintritte: Eintritte 2018}
        zeilen:
          - {instrument: Fort- und Weiterbildung (FbW), eintritte: 2.000}
          - {instrument: Grundkompetenzen, eintritte: 155, enthalten_in: FbW}
          - {instrument: Projekt A, eintritte: 25 bis 30}
          - {instrument: BaE, eintritte: 116, bemerkung: 98 Plätze}
          - {instrument: Coaching, eintritte: 20, zusatz: und Stundenkontingente}
          - {instrument: Beratung, text: nach Bedarf}
        summe: {erwartet: 2.161 bis 2.166, funktion: Hinzu kommen Inhouse-Angebote}
        """)
    assert not problems.problems
    values = [row.value for row in figs.rows]
    assert values == ["2.000", "155 (in FbW enthalten)", "25 (bis 30)", "116 (98 Plätze)",
                      "20 und Stundenkontingente", "nach Bedarf"]
    assert figs.sum_value == "2.161 - 2.166"
    assert figs.sum_function == "Hinzu kommen Inhouse-Angebote"


def test_stated_summe_that_disagrees_is_located(tmp_path):
    figs, problems = figures_from(tmp_path, """\
        art: portfolio
        spalten: {eintritte: Eintritte 2018}
        zeilen:
          - {instrument: A, eintritte: 100}
          - {instrument: B, eintritte: 55, enthalten_in: A}
        summe: {erwartet: 155}
        """)
    [problem] = problems.problems
    assert problem.format().startswith(f"{tmp_path / 'portfolio.yaml'}:6:")
    assert "erwartet 155, berechnet 100" in problem.message


def test_check_reports_portfolio_kennzahlen_mismatch_with_both_places(tmp_path):
    content = copy_content(tmp_path)
    portfolio = content / "2018/daten/portfolio-integration.yaml"
    text = portfolio.read_text(encoding="utf-8")
    new = re.sub(r"(schluessel: egz\n(?:.*\n)*?\s*eintritte: )450", r"\g<1>460", text, count=1)
    assert new != text
    portfolio.write_text(new, encoding="utf-8")
    result = run_amip("check", str(content / "2018"), cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    # the changed value also breaks the table's stated Summe; the link to the Kennzahlen is its own message
    [message] = [line for line in result.stderr.splitlines() if ": Fehler: Portfolio" in line]
    p_line = next(i for i, l in enumerate(new.splitlines(), 1) if "eintritte: 460" in l)
    k_text = (content / "2018/daten/kennzahlen.yaml").read_text(encoding="utf-8").splitlines()
    k_line = next(i for i, l in enumerate(k_text, 1) if "schluessel: egz" in l)
    assert message.startswith(f"content/duesseldorf/2018/daten/portfolio-integration.yaml:{p_line}:")
    assert f"content/duesseldorf/2018/daten/kennzahlen.yaml:{k_line}:" in message
    assert "460 Eintritte" in message and "planen 450" in message
