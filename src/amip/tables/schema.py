"""Turn the `spalten` of a table file into the pydantic models that validate it (unknown keys stay errors).

`art: tabelle` has one fixed model. `art: kennzahlen` names its value columns itself (`plan`, `basis`,
`ist`, `mittel` …), so its model is built from the file's own `spalten`: a row may then carry exactly
those keys, each typed by its column (Anzahl, Betrag, Prozent), and a misspelled one is reported with
a "Meinten Sie …?" hint as everywhere else.
"""

from __future__ import annotations

import re
from functools import lru_cache, partial
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, create_model, model_validator

from ..model import ZWECKE, GInt, JaNein, Strict, Text, _fail, _small
from .columns import ARTS, GIVEN, parse_cell

Zweck = Literal[tuple(ZWECKE)]  # type: ignore[valid-type]
Key = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")]
Stellen = _small(0, 1, 2, 3)


SERIES_ARTS = ("ansatz", "ergebnis", "hochrechnung")


class Basis(Strict):
    """A column taken from the series: `basis: {art: ansatz, jahr: 2026}` (amip.series.source)."""

    art: Literal[SERIES_ARTS]                   # type: ignore[valid-type]
    jahr: GInt
    titel: Text | None = None                   # overrides the generated heading "Ansatz 2026"
    spalte: Key | None = None                   # ansatz from an edition: its column (default: its first number column)


class Spalte(Strict):
    name: str                                   # "" gives an empty header cell; generated for a basis column
    basis: Basis | None = None                  # values by row key from an earlier edition or zeitreihe.yaml

    @model_validator(mode="before")
    @classmethod
    def _series_heading(cls, data: Any) -> Any:
        """A basis column without a name is headed like its series column: "Ansatz 2026" (or its titel);
        its values are an Anzahl unless it says `art:`."""
        basis = data.get("basis") if isinstance(data, dict) else None
        if isinstance(basis, dict) and basis.get("art") in SERIES_ARTS:
            heading = basis.get("titel") or f"{basis['art'].capitalize()} {basis.get('jahr', '')}".strip()
            return {"name": heading, "art": "anzahl", **data}     # numbers unless the column says otherwise
        return data
    schluessel: Key | None = None
    art: Literal[ARTS] = "text"                 # type: ignore[valid-type]
    aus: list[Text] | None = None               # operands of computed columns
    summe_aus: list[Text] | None = None         # older spelling of art: summe, aus: […]
    gruppe: str | None = None                   # two-level header: the label above this column
    nachkommastellen: Stellen | None = None
    einheit: str | None = None
    summieren: JaNein = True
    textzellen: JaNein = True
    gruppieren: JaNein = False
    negativ: JaNein = False                     # numbers below 0 allowed (e.g. a change); an anzahl never


class TabellenSumme(Strict):
    bezeichnung: Text = "Summe"
    ohne: list[Text] = []                       # groups (their `gruppe:` label) left out of this total
    erwartet: dict[str, Any] = {}               # column → stated value, compared with the computed one


class Tabelle(Strict):
    art: Literal["tabelle"]
    titel: str | None = None
    spalten: list[Spalte] = Field(min_length=1)
    zeilen: list[Any] = Field(min_length=1)     # rows and row groups, checked cell by cell with positions
    summen: list[TabellenSumme] = []
    summen_position: Literal["oben", "unten"] = "unten"
    zwischensummen: Literal["oben", "unten"] = "oben"
    anmerkungen: list[Text] = []
    fussnoten: dict[str, Text] = {}


# ---------------------------------------------------------------- Kennzahlen

RESERVED = {"bezeichnung", "schluessel", "davon", "darunter", "zweck", "zeilen", "ohne", "erwartet", "text"}
COMPUTED_KEYS = ("vergleich", "differenz", "anteil")


class Wertspalte(Strict):
    name: Text
    art: Literal["anzahl", "zahl", "betrag", "prozent"] = "anzahl"
    nachkommastellen: Stellen | None = None
    einheit: str | None = None
    gruppe: str | None = None
    negativ: JaNein = False


class Rechenspalte(Strict):
    name: Text
    art: Literal["vergleich", "differenz", "anteil"] | None = None
    aus: list[Text] | None = None
    nachkommastellen: Stellen | None = None
    gruppe: str | None = None


class Reihenspalte(Strict):
    """A value column taken from the series: `basis: {art: ergebnis, jahr: 2025}` (amip.series.source)."""

    art: Literal[SERIES_ARTS]                   # type: ignore[valid-type]
    jahr: GInt
    titel: Text | None = None                   # overrides the generated heading "Ergebnis 2025"
    spalte: Key | None = None                   # ansatz from an edition: its column (default: the plan column)
    werte: Literal["anzahl", "zahl", "betrag", "prozent"] = "anzahl"
    nachkommastellen: Stellen | None = None
    einheit: str | None = None
    gruppe: str | None = None


def _named(value: Any) -> Any:
    """A column given as its header text alone ("plan: Eintritte 2027") is {name: Eintritte 2027}."""
    return {"name": value} if isinstance(value, str) else value


WertspalteOderName = Annotated[Wertspalte, BeforeValidator(_named)]
RechenspalteOderName = Annotated[Rechenspalte, BeforeValidator(_named)]


def value_columns(data: Any) -> tuple[tuple[str, str, bool], ...]:
    """(key, art, negative allowed) of every value column a Kennzahlen file declares; computed and
    reserved keys left out."""
    spalten = data.get("spalten") if isinstance(data, dict) else None
    if not isinstance(spalten, dict):
        return (("plan", "anzahl", False), ("basis", "anzahl", False))
    found = []
    for key, spec in spalten.items():
        art = spec.get("art") if isinstance(spec, dict) else None
        if key in RESERVED or key in COMPUTED_KEYS or art in COMPUTED_KEYS or not re.fullmatch(r"[a-z][a-z0-9_]*", key) \
                or hasattr(Strict, key) or key.startswith("model_"):    # names pydantic keeps for itself
            continue
        if art in SERIES_ARTS:
            art = spec.get("werte")
        found.append((key, art if art in GIVEN else "anzahl", isinstance(spec, dict) and spec.get("negativ") == "ja"))
    return tuple(found)


def series_columns(data: Any) -> tuple[str, ...]:
    """The value columns whose values come from the series (`{art: ansatz|ergebnis|hochrechnung, jahr: …}`)."""
    spalten = data.get("spalten") if isinstance(data, dict) else None
    if not isinstance(spalten, dict):
        return ()
    # a `jahr:` marks a series column even when its art is misspelt: the message then names the three arts
    return tuple(k for k, spec in spalten.items() if isinstance(spec, dict)
                 and (spec.get("art") in SERIES_ARTS or "jahr" in spec) and k not in RESERVED and k not in COMPUTED_KEYS)


def _from_series(raw: Any, name: str) -> Any:
    if raw is not None:
        raise _fail(f"Die Spalte „{name}“ kommt aus der Zeitreihe – hier steht kein Wert.",
                    "Löschen Sie den Wert: amip übernimmt ihn aus der Vorjahresausgabe oder zeitreihe.yaml "
                    "(dort korrigieren Sie ihn auch).")
    return None


def computed_columns(data: Any) -> tuple[str, ...]:
    spalten = data.get("spalten") if isinstance(data, dict) else None
    if not isinstance(spalten, dict):
        return ()
    return tuple(k for k, spec in spalten.items() if k in COMPUTED_KEYS
                 or (isinstance(spec, dict) and spec.get("art") in COMPUTED_KEYS and k not in RESERVED))


def _required(raw: Any, art: str, negative: bool, name: str) -> Any:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise _fail("Hier fehlt eine Zahl.", "Tragen Sie eine Zahl ein – oder, wenn sie noch nicht feststeht, "
                                             "eine Textzelle wie {text: offen}.")
    return parse_cell(raw, art, art == "anzahl", negative, name)


@lru_cache(maxsize=64)
def kennzahlen_model(values: tuple[tuple[str, str, bool], ...], computed: tuple[str, ...],
                     series: tuple[str, ...] = ()) -> type[Strict]:
    """The Kennzahlen model for these value columns (cached: the same columns give the same model).
    Columns in `series` take no value in the rows: amip fills them in from the series."""
    cell = {key: Annotated[Any, BeforeValidator(partial(_required, art=art, negative=negative, name=key))]
            for key, art, negative in values}
    stated = {key: (cell[key] | None, None) for key, _, _ in values}      # erwartet: a cross-check, also for series
    cell |= {key: Annotated[Any, BeforeValidator(partial(_from_series, name=key))] for key in series}
    optional = {key: (cell[key] | None, None) for key, _, _ in values}
    required = {key: (cell[key], ...) if key not in series else (cell[key] | None, None) for key, _, _ in values}
    werte = create_model("Werte", __base__=Strict, **stated)
    teil = create_model("Teil", __base__=Strict, bezeichnung=(Text, ...), schluessel=(str | None, None), **required)
    zeile = create_model("Zeile", __base__=Strict, bezeichnung=(Text, ...), schluessel=(str | None, None),
                         davon=(list[teil], []), darunter=(list[teil], []), **optional)
    gruppe = create_model("Gruppe", __base__=Strict, zweck=(Zweck, ...), bezeichnung=(str | None, None),
                          zeilen=(list[zeile], []), **optional)
    summe = create_model("Summe", __base__=Strict, bezeichnung=(str, ...), ohne=(list[Zweck], []),
                         erwartet=(werte | None, None))
    spalten = create_model("KennzahlenSpalten", __base__=Strict, bezeichnung=(Text, "Zweckbestimmung"),
                           **{key: (WertspalteOderName if key not in series else Reihenspalte, ...)
                              for key, _, _ in values},
                           **{key: (RechenspalteOderName, ...) for key in computed})
    return create_model("Kennzahlen", __base__=Strict, art=(Literal["kennzahlen"], ...), titel=(str | None, None),
                        spalten=(spalten, ...), nachkommastellen=(_small(0, 1, 2), 1),
                        summen=(list[summe], Field(min_length=1)),
                        summen_position=(Literal["oben", "unten"], "oben"),
                        gruppen=(list[gruppe], Field(min_length=1)),
                        anmerkungen=(list[Text], []), fussnoten=(dict[str, Text], {}))


def model_for(art: str, data: Any) -> type[Strict]:
    """The model that validates a table file of this `art`."""
    if art == "kennzahlen":
        return kennzahlen_model(value_columns(data), computed_columns(data), series_columns(data))
    return Tabelle
