"""Turn loaded author documents into validated, typed models; every mistake becomes a located message.

pydantic is used only here, at the door (extra="forbid": a misspelled key is an error, not ignored).
Numbers are German: `8.510` is 8510, `1.234,5` is 1234.5; `8.51` or `1,234.56` are rejected with a
hint, because they are what a spreadsheet or YAML would make of a German number.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from decimal import Decimal
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from .errors import Collector
from .load import Document

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


# ---------------------------------------------------------------- organisation and edition

class Anschrift(Strict):
    strasse: Text
    plz: Annotated[str, Field(pattern=r"^[0-9]{5}$")]
    ort: Text


class Abbildungen(Strict):
    bezeichnung: Text = "Abb."           # "Abb.", "Schaubild", …
    nummeriert: JaNein = True


class Tabellen(Strict):
    bezeichnung: Text = "Tabelle"
    nummeriert: JaNein = True
    # wie_abbildungen: tables join the figures' sequence ("Abb. 3"), with the figures' bezeichnung
    nummerierung: Literal["eigene", "wie_abbildungen"] = "eigene"

    @model_validator(mode="after")
    def _one_sequence(self):
        if self.nummerierung == "wie_abbildungen" and {"bezeichnung", "nummeriert"} & self.model_fields_set:
            raise _fail("Mit „nummerierung: wie_abbildungen“ tragen Tabellen Bezeichnung und Nummer der Abbildungen.",
                        "Löschen Sie „bezeichnung“ und „nummeriert“ unter „tabellen:“ und stellen Sie sie unter "
                        "„abbildungen:“ ein.")
        return self


class Ueberschriften(Strict):
    nummeriert_bis: _small(2, 3, 4) = 3   # deepest numbered level: 3 → "5.1.2", 4 → "5.8.4.11"


class Inhaltsverzeichnis(Strict):
    tiefe: _small(1, 2, 3, 4) = 3      # deepest heading level listed (1 = chapters only)


from .theme.model import Gestaltung, Theme  # noqa: E402 – uses Strict and JaNein defined above


class Traeger(Strict):
    name: Text
    erstes_programm: GInt
    anschrift: Anschrift
    abbildungen: Abbildungen = Abbildungen()
    tabellen: Tabellen = Tabellen()
    ueberschriften: Ueberschriften = Ueberschriften()
    theme: Theme = Theme()
    randspalte: JaNein = True      # nein: text over the whole type area, margin notes as callouts
    inhaltsverzeichnis: Inhaltsverzeichnis = Inhaltsverzeichnis()
    gestaltung: Gestaltung = Gestaltung()


class Impressum(Strict):
    herausgeber: list[Text]
    verantwortlich: list[Text]
    fotos: str | None = None


class Verzeichnis(Strict):
    titel: Text = "Abkürzungsverzeichnis"
    nummeriert: JaNein = False
    spalten: _small(1, 2) = 2
    auswahl: Literal["alle", "verwendete"] = "alle"
    register_datei: str | None = Field(None, alias="register")


class Ausgabe(Strict):
    jahr: GInt
    titel: Text
    status: Literal["entwurf", "beschlossen"]
    stand: Datum
    impressum: Impressum
    kapitel: list[Text] = Field(min_length=1)
    anlagen: list[Text] = []
    abkuerzungsverzeichnis: Verzeichnis = Verzeichnis()
    nummern_mit_punkt: JaNein = True
    kapitel_auf_neuer_seite: JaNein = False
    randspalte: JaNein | None = None   # overrides the organisation's setting for this edition
    inhaltsverzeichnis: Inhaltsverzeichnis | None = None   # None: the organisation's setting
    gestaltung: Gestaltung = Gestaltung()


class Kapitelkopf(Strict):
    titel: Text
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")] | None = None


# ---------------------------------------------------------------- data files

ZWECKE = {
    "aktivierung": "Aktivierung und berufliche Eingliederung",
    "weiterbildung": "berufliche Weiterbildung",
    "erwerbstaetigkeit": "Aufnahme einer Erwerbstätigkeit",
    "berufswahl": "Berufswahl und Berufsbildung",
    "reha": "Teilhabe behinderter Menschen am Arbeitsleben",
    "beschaeftigung": "Öffentlich geförderte Beschäftigung",
    "freie_foerderung": "Freie Förderung nach § 16 f",
    "p16h": "§ 16h Förderung schwer zu erreichender junger Menschen",
}
class PortfolioSpalten(Strict):
    instrument: Text = "Instrument"
    eintritte: Text
    funktion: Text = "Funktion im Integrationsprozess"


class PortfolioZeile(Strict):
    instrument: Text
    schluessel: str | None = None
    eintritte: AnzahlSpanne | None = None
    enthalten_in: str | None = None
    bemerkung: str | None = None
    zusatz: str | None = None
    text: str | None = None
    funktion: str = ""


class PortfolioSumme(Strict):
    bezeichnung: Text = "Summe"
    funktion: str = ""
    erwartet: Spanne | None = None


class Portfolio(Strict):
    art: Literal["portfolio"]
    titel: str | None = None
    spalten: PortfolioSpalten
    zeilen: list[PortfolioZeile] = Field(min_length=1)
    summe: PortfolioSumme = PortfolioSumme()


class MatrixZelle(Strict):
    text: Text
    status: Text


class MatrixSpalte(Strict):
    name: Text
    zellen: list[MatrixZelle] = []


class Matrix(Strict):
    art: Literal["matrix"]
    titel: str | None = None
    zeilenkopf: str = ""
    legende: dict[str, Text] = Field(min_length=1)
    spalten: list[MatrixSpalte] = Field(min_length=1)


class Reihe(Strict):
    art: Literal["reihe"]
    titel: Text
    einheit: str = ""
    kategorien: list[Text] = Field(min_length=1)
    reihen: dict[str, list[GDec]] = Field(min_length=1)
    negativ: JaNein = False               # values below 0 allowed (e.g. changes in a waterfall chart)
    hervorheben: str | None = None        # a category drawn as target, e.g. the plan year
    zwischensummen: list[Text] = []       # categories whose value amip computes (running total), no value in reihen
    hinweise: dict[str, str] = {}         # category → remark, shown in the table view
    alt: str | None = None                # overrides the generated alt text
    fussnote: str | None = None           # a footnote to the caption
    quelle: str | None = None
    stand: str | None = None


class Bild(Strict):
    """An author's own figure (SVG/PNG/JPEG) with caption; alt text is required."""

    art: Literal["bild"]
    datei: Text
    titel: Text
    alt: Text
    fussnote: str | None = None
    quelle: str | None = None
    stand: str | None = None


class Platzhalter(Strict):
    """A graphic still to come: a framed box with caption and alt text, listed as open."""

    art: Literal["platzhalter"]
    titel: Text
    alt: Text
    hinweis: str | None = None            # shown in the box, e.g. who delivers the graphic
    fussnote: str | None = None
    quelle: str | None = None
    stand: str | None = None


# `kennzahlen` and `tabelle` are validated by models built in amip.tables.schema (None here)
DATA_MODELS: dict[str, type[Strict] | None] = {
    "bild": Bild,
    "platzhalter": Platzhalter,
    "kennzahlen": None,
    "tabelle": None,
    "portfolio": Portfolio,
    "matrix": Matrix,
    "reihe": Reihe,
}


# ---------------------------------------------------------------- validation with German messages

def validate(model: type[Strict], doc: Document, problems: Collector) -> Any | None:
    """Validate `doc` against `model`; on failure add one located German message per mistake."""
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        found = exc.errors(include_url=False)
        for error in found:
            if not _explained_by_typo(model, error, found):
                _report(model, doc, error, problems)
        return None


def _explained_by_typo(model: type[Strict], error: dict, found: list[dict]) -> bool:
    """A missing key that an unknown sibling key misspells is one mistake, reported once (as the typo)."""
    if error["type"] != "missing":
        return False
    parent, key = tuple(error["loc"][:-1]), error["loc"][-1]
    for other in found:
        if other["type"] == "extra_forbidden" and tuple(other["loc"][:-1]) == parent:
            allowed = _field_names(model, parent)
            if difflib.get_close_matches(str(other["loc"][-1]), allowed, n=1, cutoff=0.6) == [key]:
                return True
    return False


def validate_data(doc: Document, problems: Collector) -> Any | None:
    """Pick the data model from the file's `art:` and validate."""
    art = doc.data.get("art") if isinstance(doc.data, dict) else None
    if art not in DATA_MODELS:
        where = doc.where(("art",)) if isinstance(doc.data, dict) and "art" in doc.data else doc.where()
        shown = f"„{art}“" if art else "keine Angabe"
        problems.error(where, f"Unbekannte Art der Daten ({shown}).",
                       "Die erste Zeile lautet z. B. „art: kennzahlen“; möglich: " + ", ".join(DATA_MODELS) + ".")
        return None
    model = DATA_MODELS[art]
    if model is None:
        from .tables.schema import model_for

        model = model_for(art, doc.data)
    return validate(model, doc, problems)


def _field_names(model: Any, loc: tuple) -> list[str]:
    """The allowed keys at `loc` inside `model`, for "Meinten Sie …?" hints."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            if not isinstance(part, str) or part not in current.model_fields:
                return []
            current = current.model_fields[part].annotation
        else:
            args = typing.get_args(current)
            current = args[-1] if args else Any
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (Union, types.UnionType):
            models = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = models[0] if len(models) == 1 else tp
            if len(models) != 1:
                return tp
        else:
            return tp


def _report(model: type[Strict], doc: Document, error: dict, problems: Collector) -> None:
    loc = tuple(part for part in error["loc"] if not (isinstance(part, str) and ("[" in part or part.startswith("function-"))))
    kind = error["type"]
    key = loc[-1] if loc else ""
    if kind == "missing":
        problems.error(doc.where(loc[:-1]), f"Pflichtangabe „{key}“ fehlt.", f"Ergänzen Sie eine Zeile „{key}: …“.")
        return
    if kind == "extra_forbidden":
        allowed = _field_names(model, loc[:-1])
        close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        hint = f"Meinten Sie „{close[0]}“?" if close else ("Erlaubt sind: " + ", ".join(allowed) + "." if allowed else "")
        problems.error(doc.where(loc, key=True), f"Unbekannter Schlüssel „{key}“.", hint)
        return
    where = doc.where(loc)
    value = error.get("input")
    if kind == "amip":
        problems.error(where, error["msg"], error.get("ctx", {}).get("hint", ""))
    elif kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        expected = str(expected).replace("'", "").replace(" or ", " oder ")
        problems.error(where, f"Wert „{value}“ ist hier nicht erlaubt.", f"Erlaubt: {expected}.")
    elif kind in ("string_type", "string_too_short") and value in (None, ""):
        problems.error(where, f"Angabe „{key}“ ist leer.", "Tragen Sie einen Text ein.")
    elif kind == "string_type" and isinstance(key, int) and isinstance(value, dict):
        problems.error(where, f"Eintrag {key + 1} soll ein einfacher Text sein, YAML liest hier aber „schlüssel: wert“.",
                       "Enthält der Text einen Doppelpunkt mit Leerzeichen („Quelle: …“)? Setzen Sie ihn in "
                       "Anführungszeichen: - \"Quelle: …\".")
    elif kind == "string_type":
        problems.error(where, f"Für „{key}“ wird ein einfacher Text erwartet.", "Schreiben Sie den Text in eine Zeile.")
    elif kind == "string_pattern_mismatch":
        problems.error(where, f"„{value}“ hat nicht die erwartete Form.",
                       "Postleitzahlen haben fünf Ziffern; Kennungen (id) nur Kleinbuchstaben, Ziffern und „-“; "
                       "Farben als #rrggbb, z. B. #00528c.")
    elif kind in ("list_type", "too_short"):
        problems.error(where, f"Für „{key}“ wird eine Liste erwartet (mindestens ein Eintrag).",
                       "Schreiben Sie jeden Eintrag in eine eigene Zeile, beginnend mit „- “.")
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        problems.error(where, f"Für „{key}“ werden Angaben der Form „schlüssel: wert“ erwartet.",
                       "Rücken Sie die Angaben darunter mit Leerzeichen ein.")
    elif kind in ("int_parsing", "int_type"):
        problems.error(where, f"„{value}“ ist keine ganze Zahl.", "Schreiben Sie z. B. 2026.")
    else:
        problems.error(where, f"Ungültiger Wert für „{key}“ ({error['msg']}).", "Prüfen Sie die Schreibweise.")


class Projekt(Strict):
    """amip-projekt.yaml: marks a project root; optionally names the edition built by default."""

    standardausgabe: Text | None = None
