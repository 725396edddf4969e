"""Turn German numbers, dates and ja/nein written by authors into typed values (the model's field types).

Numbers are German: `8.510` is 8510, `1.234,5` is 1234.5; `8.51` or `1,234.56` are rejected with a
hint, because they are what a spreadsheet or YAML would make of a German number.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError


# [0-9], not \d: \d also matches Arabic-Indic, Devanagari or full-width digits, which int() would accept
_INT = re.compile(r"^-?([0-9]{1,3}(\.[0-9]{3})+|[0-9]+)$")
_DEC = re.compile(r"^-?([0-9]{1,3}(\.[0-9]{3})+|[0-9]+)(,[0-9]+)?$")
MAX_DIGITS = 15  # 999.999.999.999.999 – far above any figure of a Jobcenter, far below float/quantize trouble


def _fail(message: str, hint: str = "") -> PydanticCustomError:
    return PydanticCustomError("amip", message, {"hint": hint})


def _guess(text: str) -> str:
    """What an author probably meant by a number YAML or a spreadsheet mangled: "8.51" → "8.510"."""
    if re.fullmatch(r"[0-9]{1,3}\.[0-9]{1,2}", text):
        whole, frac = text.split(".")
        return f"{whole}.{frac.ljust(3, '0')}"
    if re.fullmatch(r"[0-9,]+\.[0-9]+", text):  # 1,234.56 → 1.234,56
        return text.replace(",", "_").replace(".", ",").replace("_", ".")
    return ""


def _check_digits(text: str) -> None:
    """Only the digits 0–9, and not more of them than any real figure needs."""
    foreign = next((c for c in text if c.isdigit() and c not in "0123456789"), None)
    if foreign is not None:
        raise _fail(f"„{text}“ enthält die Ziffer „{foreign}“ (U+{ord(foreign):04X}) – erlaubt sind nur 0 bis 9.",
                    "Tippen Sie die Zahl neu ein; sie wurde vermutlich aus einem anderen Programm kopiert.")
    if sum(c.isdigit() for c in text) > MAX_DIGITS:
        raise _fail(f"„{text}“ ist zu groß (mehr als {MAX_DIGITS} Stellen).", "Prüfen Sie die Zahl.")


def parse_int(value: Any) -> int:
    """German integer: "8.510" → 8510, "40" → 40."""
    if isinstance(value, bool) or value is None:
        raise _fail("Hier fehlt eine ganze Zahl.", "Tragen Sie eine Zahl ein, z. B. 8.510.")
    if isinstance(value, int):
        return value
    text = str(value).strip()
    _check_digits(text)
    if _INT.match(text):
        return int(text.replace(".", ""))
    guess = _guess(text)
    if guess:
        raise _fail(f"„{text}“ ist keine ganze Zahl im deutschen Format – gemeint {guess}?",
                    "Tausender werden mit Punkt in Dreiergruppen geschrieben: 8.510, 12.001.")
    raise _fail(f"„{text}“ ist keine ganze Zahl im deutschen Format.",
                "Schreiben Sie z. B. 850 oder 8.510 (Tausenderpunkt, keine Einheit).")


def parse_decimal(value: Any) -> Decimal:
    """German decimal: "1.234,5" → Decimal("1234.5"), "24,3" → Decimal("24.3")."""
    if value is None or isinstance(value, bool):
        raise _fail("Hier fehlt eine Zahl.", "Tragen Sie eine Zahl ein, z. B. 24,3.")
    text = str(value).strip()
    _check_digits(text)
    if _DEC.match(text):
        return Decimal(text.replace(".", "").replace(",", "."))
    guess = _guess(text)
    hint = "Dezimalzahlen mit Komma, Tausender mit Punkt: 1.234,5."
    if guess:
        raise _fail(f"„{text}“ ist keine Zahl im deutschen Format – gemeint {guess}?", hint)
    raise _fail(f"„{text}“ ist keine Zahl im deutschen Format.", hint)


_RANGE = re.compile(r"^\s*(\S+)\s+bis\s+(\S+)\s*$")


def parse_range(value: Any) -> tuple[Decimal, Decimal]:
    """"60 bis 150" → (60, 150); "25" → (25, 25)."""
    text = str(value if value is not None else "").strip()
    match = _RANGE.match(text)
    if match:
        low, high = parse_decimal(match.group(1)), parse_decimal(match.group(2))
        if low > high:
            raise _fail(f"Spanne „{text}“: der erste Wert ist größer als der zweite.", "Schreiben Sie „kleiner bis größer“.")
        return low, high
    number = parse_decimal(text)
    return number, number


def parse_yes_no(value: Any) -> bool:
    if value in ("ja", "nein"):
        return value == "ja"
    raise _fail(f"„{value}“ ist weder „ja“ noch „nein“.", "Schreiben Sie ja oder nein.")


def parse_date(value: Any) -> str:
    """"01.12.2025" → "2025-12-01" (kept as ISO text: no wall clock anywhere in the pipeline)."""
    text = str(value or "").strip()
    match = re.fullmatch(r"([0-9]{2})\.([0-9]{2})\.([0-9]{4})", text)
    if not match:
        raise _fail(f"„{text}“ ist kein Datum der Form TT.MM.JJJJ.", "Schreiben Sie z. B. 01.12.2025.")
    day, month, year = (int(g) for g in match.groups())
    import datetime

    try:
        datetime.date(year, month, day)
    except ValueError:
        raise _fail(f"„{text}“ ist kein gültiges Datum.", "Prüfen Sie Tag und Monat.") from None
    if not 1990 <= year <= 2100:
        raise _fail(f"„{text}“ ist kein plausibles Datum (Jahr {year}).", "Erlaubt sind die Jahre 1990 bis 2100.")
    return f"{year:04d}-{month:02d}-{day:02d}"


GInt = Annotated[int, BeforeValidator(parse_int)]


def parse_count(value: Any) -> int:
    """A count (Eintritte, Teilnehmende): a German integer that is not negative."""
    number = parse_int(value)
    if number < 0:
        raise _fail(f"„{value}“ ist negativ – eine Anzahl ist 0 oder größer.", "Prüfen Sie das Vorzeichen.")
    return number


def parse_count_range(value: Any) -> tuple[Decimal, Decimal]:
    low, high = parse_range(value)
    if low < 0:
        raise _fail(f"„{value}“ ist negativ – eine Anzahl ist 0 oder größer.", "Prüfen Sie das Vorzeichen.")
    return low, high


GDec = Annotated[Decimal, BeforeValidator(parse_decimal)]
Spanne = Annotated[tuple[Decimal, Decimal], BeforeValidator(parse_range)]
Anzahl = Annotated[int, BeforeValidator(parse_count)]
AnzahlSpanne = Annotated[tuple[Decimal, Decimal], BeforeValidator(parse_count_range)]
JaNein = Annotated[bool, BeforeValidator(parse_yes_no)]
Datum = Annotated[str, BeforeValidator(parse_date)]
Text = Annotated[str, Field(min_length=1)]


def _small(*allowed: int):
    """A small whole number out of `allowed` (e.g. columns 1 or 2), written as plain text in YAML."""
    def parse(value: Any) -> int:
        text = str(value).strip()
        if re.fullmatch(r"[0-9]+", text) and int(text) in allowed:
            return int(text)
        raise _fail(f"„{text}“ ist hier nicht erlaubt.", "Erlaubt: " + " oder ".join(map(str, allowed)) + ".")
    return Annotated[int, BeforeValidator(parse)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)
