"""German numbers, exactly as printed: "8.510", "17,0%", "-100,0%", "25 (bis 30)"."""

from decimal import Decimal

import pytest

from amip import formatting as fmt
from amip.model import parse_decimal, parse_int, parse_range
from pydantic_core import PydanticCustomError


@pytest.mark.parametrize("value, text", [(0, "0"), (950, "950"), (8510, "8.510"), (12001, "12.001"),
                                         (1234567, "1.234.567"), (-1500, "-1.500")])
def test_number(value, text):
    assert fmt.number(value) == text


@pytest.mark.parametrize("plan, basis, decimals, text", [
    (8510, 7274, 1, "17,0%"), (1500, 1962, 1, "-23,5%"), (0, 4, 1, "-100,0%"), (0, 0, 1, "0,0%"),
    (50, 10, 1, "400,0%"), (1600, 1335, 1, "19,9%"), (251, 226, 0, "11%"), (12001, 11904, 0, "1%"),
    (350, 300, 0, "17%"), (7240, 7368, 0, "-2%"), (5, 0, 1, "neu"), (1001, 1000, 1, "0,1%"), (9995, 10000, 1, "-0,1%"), (99951, 100000, 1, "0,0%"),
])
def test_comparison(plan, basis, decimals, text):
    """Vergleich = plan ÷ basis − 1, ROUND_HALF_UP, with the documented zero-basis conventions."""
    assert fmt.comparison(plan, basis, decimals) == text


def test_half_up_rounding():
    assert fmt.percent(Decimal("0.1725"), 1) == "17,3%"   # half-up, not banker's rounding (17,2)
    assert fmt.percent(Decimal("0.165"), 0) == "17%"


@pytest.mark.parametrize("text, value", [("8.510", 8510), ("850", 850), ("12.001", 12001), ("0", 0), ("-4", -4)])
def test_parse_german_int(text, value):
    assert parse_int(text) == value


@pytest.mark.parametrize("text, guess", [("8.51", "8.510"), ("1.5", "1.500"), ("1,234.56", "")])
def test_yaml_or_spreadsheet_numbers_are_rejected_with_a_hint(text, guess):
    with pytest.raises(PydanticCustomError) as info:
        parse_int(text)
    if guess:
        assert f"gemeint {guess}?" in info.value.message()


def test_parse_decimal_and_range():
    assert parse_decimal("1.234,5") == Decimal("1234.5")
    assert parse_decimal("24,3") == Decimal("24.3")
    assert parse_range("60 bis 150") == (60, 150)
    assert parse_range("1.500 bis 2.000") == (1500, 2000)
    with pytest.raises(PydanticCustomError):
        parse_decimal("1.23")


def test_ranges_and_range_sums():
    assert fmt.value_range(60, 150) == "60 bis 150"
    assert fmt.sum_range(655, 660) == "655 - 660"
    assert fmt.sum_range(2850, 2850) == "2.850"


def test_roman():
    assert [fmt.roman(i) for i in range(1, 9)] == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
