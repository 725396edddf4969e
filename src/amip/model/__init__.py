"""Turn loaded author documents into validated, typed models; every mistake becomes a located message.

pydantic is used only here, at the door (extra="forbid": a misspelled key is an error, not ignored).
Numbers are German: `8.510` is 8510, `1.234,5` is 1234.5; `8.51` or `1,234.56` are rejected with a
hint, because they are what a spreadsheet or YAML would make of a German number.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, model_validator

from .values import (  # noqa: F401 – the field types are part of the model's interface
    MAX_DIGITS, AnzahlSpanne, Anzahl, Datum, GDec, GInt, JaNein, Spanne, Strict, Text, _fail, _small,
    parse_count, parse_count_range, parse_date, parse_decimal, parse_int, parse_range, parse_yes_no)


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


from ..theme.model import Gestaltung, Theme  # noqa: E402 – uses Strict and JaNein defined above


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


class Beschluss(Strict):
    """The board's decision (Trägerversammlung): date and, optionally, its number."""

    datum: Datum
    nummer: Text | None = None


class Ausgabe(Strict):
    jahr: GInt
    titel: Text
    status: Literal["entwurf", "vorlage", "beschlossen"]
    stand: Datum | None = None           # may stay empty in a draft (checked in amip.cycle.status)
    beschluss: Beschluss | None = None   # required once beschlossen (amip.cycle.status)
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
    status: Literal["zu überarbeiten", "fertig"] | None = None   # "zu überarbeiten": open for --final
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


def _open_or_count_range(value):
    """`offen` (D3: not decided yet) or Eintritte as a count or a range ("25 bis 30")."""
    return "offen" if isinstance(value, str) and value.strip() == "offen" else parse_count_range(value)


class PortfolioZeile(Strict):
    instrument: Text
    schluessel: str | None = None
    eintritte: Annotated[tuple[Decimal, Decimal] | Literal["offen"], BeforeValidator(_open_or_count_range)] | None = None
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


class Projekt(Strict):
    """amip-projekt.yaml: marks a project root; optionally names the edition built by default."""

    standardausgabe: Text | None = None


from .messages import validate, validate_data  # noqa: E402,F401 – re-exported
