"""Turn one table cell as an author wrote it into a typed value, and a typed value into German text.

Column types (`art:`) an author declares: `text`, `anzahl` (whole numbers), `zahl` (numbers with
decimals as written), `betrag` (money, two decimals and "€" unless told otherwise), `prozent`,
`spanne` ("60 bis 150"). Computed types: `summe` (of other columns of the row), `vergleich`
(a ÷ b − 1), `anteil` (row ÷ total) and `differenz` (a − b). A number may carry a footnote mark
directly after it ("60*"). A plan value not decided yet is the bare word `offen` (D3): printed marked,
and every sum and comparison that depends on it is open too; a text cell `{text: …}` is left out of sums.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic_core import PydanticCustomError

from .. import formatting as fmt
from ..model import _fail, parse_decimal, parse_int, parse_range

GIVEN = ("text", "anzahl", "zahl", "betrag", "prozent", "spanne")
COMPUTED = ("summe", "vergleich", "anteil", "differenz")
ARTS = GIVEN + COMPUTED
PERCENT = ("prozent", "vergleich", "anteil")
SUMMABLE = ("anzahl", "zahl", "betrag", "spanne", "summe", "differenz")
NBSP = "\u00a0"

# A footnote mark written directly after a number: "60*", "1.200**", "350¹", "12 †".
_MARK = re.compile(r"\s*(\*{1,3}|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|[†‡])$")


@dataclass(frozen=True)
class Value:
    """One cell: a number (with the upper end of a range), or text; a footnote mark either way."""

    number: Decimal | None = None
    high: Decimal | None = None
    text: str | tuple[str, ...] = ""
    mark: str = ""
    decimals: int = 0
    open: bool = False          # `offen`: not decided yet – and so is whatever is computed from it

    @property
    def known(self) -> bool:
        return self.number is not None

    @property
    def upper(self) -> Decimal | None:
        return self.high if self.high is not None else self.number


@dataclass(frozen=True)
class Column:
    """A declared column. `key` is how references and computed columns name it."""

    key: str
    name: str
    art: str = "text"
    sources: tuple[str, ...] = ()
    group: str | None = None
    decimals: int | None = None
    unit: str = ""
    summed: bool = True
    text_allowed: bool = True
    merge: bool = False
    negative: bool = False      # numbers below 0 allowed (a change); never for an Anzahl

    @property
    def numeric(self) -> bool:
        return self.art != "text"

    @property
    def computed(self) -> bool:
        return self.art in COMPUTED

    @property
    def sums(self) -> bool:
        """Whether total and subtotal rows add this column up (computed columns are recomputed)."""
        return self.summed and self.art in SUMMABLE and self.art != "summe"


OPEN_VALUE = Value(text=fmt.OPEN, open=True)


def slug(text: str) -> str:
    """A label as a key for references: "Eingliederungsleistungen (EGT)" → "eingliederungsleistungen-egt"."""
    text = text.lower()
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, plain)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def decimals_of(value: Decimal) -> int:
    """How many decimals an author wrote, ignoring trailing zeros: 24,30 → 1, 8.510 → 0."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def parse_cell(raw: Any, art: str, whole: bool = False, negative: bool = False, name: str = "") -> Value:
    """An author's cell for a column of type `art` (named `name`); raises the located-message error of
    amip.model. Numbers below 0 only where the column allows them (`negative`); an Anzahl never."""
    if isinstance(raw, dict):
        if set(raw) != {"text"} or not isinstance(raw["text"], str) or not raw["text"].strip():
            raise _fail("Eine Textzelle wird als {text: …} geschrieben, z. B. {text: nach Bedarf}.",
                        "Erlaubt ist nur der Schlüssel „text“ mit einem kurzen Text.")
        return Value(text=raw["text"].strip())
    if isinstance(raw, list):
        if art != "text":
            raise _fail("Eine Liste passt nur in eine Textspalte.", "Schreiben Sie eine Zahl oder {text: …}.")
        return Value(text=tuple(str(item) for item in raw))
    text = "" if raw is None else str(raw).strip()
    if text == fmt.OPEN and art != "text":
        return OPEN_VALUE
    if art == "text" or not text:
        return Value(text=text)
    match = _MARK.search(text)
    mark = match.group(1) if match else ""
    body = text[: match.start()] if match else text
    if art == "betrag":
        body = body.removesuffix("€").strip()
    elif art == "prozent":
        body = body.removesuffix("%").strip()
    if not body:
        raise _fail(f"„{text}“: vor dem Zeichen fehlt die Zahl.", "Schreiben Sie z. B. 60*.")
    try:
        if art == "spanne":
            number, high = parse_range(body)
        else:
            number, high = Decimal(parse_int(body)) if whole else parse_decimal(body), None
    except PydanticCustomError as exc:
        if not any(c.isdigit() for c in body):
            import difflib

            hint = ("Meinten Sie „offen“? So heißt eine Planzahl, die noch nicht feststeht."
                    if difflib.get_close_matches(text.lower(), ["offen"], n=1, cutoff=0.7) else
                    f"Steht die Zahl noch nicht fest, schreiben Sie eine Textzelle: {{text: {text}}}.")
            raise _fail(f"„{text}“ ist keine Zahl – die Spalte erwartet Zahlen.", hint) from None
        raise exc
    if number < 0 and (art == "anzahl" or not negative):
        if art == "anzahl":
            raise _fail(f"„{text}“ ist negativ – eine Anzahl ist 0 oder größer.", "Prüfen Sie das Vorzeichen.")
        raise _fail(f"„{text}“ ist negativ, Spalte „{name}“ erlaubt keine negativen Zahlen.",
                    "Prüfen Sie das Vorzeichen; für Veränderungen schreiben Sie „negativ: ja“ an die Spalte.")
    return Value(number, high, mark=mark, decimals=decimals_of(number))


def format_number(column: Column, number: Decimal, decimals: int) -> str:
    """A number in the column's type: "8.510", "1.234,50 €", "12,5%"."""
    if column.art in ("vergleich", "anteil"):
        return fmt.percent(number, column.decimals if column.decimals is not None else 1)
    if column.art == "betrag":
        text = fmt.number(number, column.decimals if column.decimals is not None else 2)
        return text + (NBSP + column.unit if column.unit else "")
    text = fmt.number(number, column.decimals if column.decimals is not None else decimals)
    if column.art == "prozent":
        return text + "%"
    return text + (NBSP + column.unit if column.unit else "")


def format_value(column: Column, value: Value) -> str | tuple[str, ...]:
    """A cell as printed: the number in the column's type, or the text; the mark directly after."""
    if not value.known:
        if isinstance(value.text, tuple):
            return value.text
        return value.text + value.mark
    if column.art == "spanne" and value.high is not None and value.high != value.number:
        decimals = column.decimals if column.decimals is not None else value.decimals
        return fmt.value_range(value.number, value.high, decimals) + value.mark
    return format_number(column, value.number, value.decimals) + value.mark
