"""Turn numbers into German text ("8.510", "17,0%", "25 (bis 30)") independent of the process locale.

One module for every number a reader sees, so tables, charts and prose can never disagree on format.
Written by hand instead of with Babel: the house style differs from CLDR's de_DE in the two places
that matter here (no space before "%", ASCII minus as in the printed programmes), and the rest is
three lines of Decimal arithmetic.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

# A comparison whose basis is 0 while the plan is positive has no percentage. We print "neu":
# the instrument is new against the basis year. Documented in the README.
NEW_AGAINST_ZERO = "neu"
# A plan value not decided yet (D3): written `offen` by authors, printed "offen" (marked), never 0;
# every sum, share and comparison that depends on it is open as well.
OPEN = "offen"


def number(value: int | Decimal, decimals: int = 0) -> str:
    """8510 → "8.510", Decimal("1234.5") with decimals=1 → "1.234,5"."""
    quantized = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "-" if quantized < 0 else ""
    whole, _, frac = f"{abs(quantized):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = ".".join(groups)
    if decimals:
        text += "," + frac.ljust(decimals, "0")[:decimals]
    return sign + text


def percent(share: Decimal, decimals: int) -> str:
    """A ratio-minus-one as German percent: Decimal("0.16993") → "17,0%" (ROUND_HALF_UP)."""
    text = number(share * 100, decimals)
    if text.lstrip("-").strip("0,.") == "":  # "-0,0" after rounding is "0,0"
        text = text.lstrip("-")
    return text + "%"


def comparison_ratio(plan: int | Decimal, basis: int | Decimal) -> Decimal | None:
    """plan ÷ basis − 1; 0 against 0 is 0; None where a positive plan meets a zero basis ("neu")."""
    if basis == 0:
        return Decimal(0) if plan == 0 else None
    return Decimal(plan) / Decimal(basis) - 1


def comparison(plan: int | Decimal, basis: int | Decimal, decimals: int) -> str:
    """Vergleich = plan ÷ basis − 1, with the conventions for a zero basis (0/0 → 0%, x/0 → neu)."""
    ratio = comparison_ratio(plan, basis)
    return NEW_AGAINST_ZERO if ratio is None else percent(ratio, decimals)


def value_range(low: int | Decimal, high: int | Decimal, decimals: int = 0) -> str:
    """A range as written in § 16a tables: "60 bis 150"; a degenerate range is one number."""
    if low == high:
        return number(low, decimals)
    return f"{number(low, decimals)} bis {number(high, decimals)}"


def sum_range(low: int, high: int) -> str:
    """A computed range sum as printed in Portfolio tables: "655 - 660"."""
    if low == high:
        return number(low)
    return f"{number(low)} - {number(high)}"


def roman(n: int) -> str:
    """1 → "I", 8 → "VIII" (Zweckbestimmungen are numbered by catalogue position)."""
    numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, letters in numerals:
        while n >= value:
            out += letters
            n -= value
    return out


def german_date(iso: str) -> str:
    """"2025-12-01" → "01.12.2025"."""
    year, month, day = iso.split("-")
    return f"{day}.{month}.{year}"
