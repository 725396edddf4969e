"""Turn the `theme:` and `gestaltung:` sections of traeger.yaml / ausgabe.yaml into validated models.

`theme` is the organisation's look (colours, font, text size). `gestaltung` says what the pages
show (cover fields, header and footer, where the address stands); it may be given in traeger.yaml
and again in ausgabe.yaml, where every field that is set overrides the organisation's value.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from ..model.values import JaNein, Strict, Text

Farbe = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]
Datei = Annotated[str, Field(min_length=1)]


def _points(value) -> float:
    """Text size in pt: 10, "10", "9,5" → 9.5; only sizes a body text can sensibly have."""
    from ..model.values import _fail

    text = str(value).strip().removesuffix("pt").strip().replace(",", ".")
    try:
        size = float(text)
    except ValueError:
        raise _fail(f"„{value}“ ist keine Schriftgröße.", "Schreiben Sie die Größe in Punkt, z. B. 10 oder 9,5.") from None
    if not 7 <= size <= 14:
        raise _fail(f"Schriftgröße {value} pt liegt außerhalb von 7 bis 14 pt.", "Üblich sind 9,5 bis 11 pt.")
    return size


class Schrift(Strict):
    """A house font from files in the organisation's folder (paths relative to the organisation folder)."""

    name: Text                      # family name used in CSS, e.g. "Source Sans 3"
    normal: Datei
    kursiv: Datei | None = None
    halbfett: Datei | None = None
    fett: Datei | None = None
    fettkursiv: Datei | None = None


class Theme(Strict):
    farbe: Farbe = "#00528c"        # house colour: headings, table heads, first chart series
    akzent: Farbe = "#e07b00"       # highlight: target year in charts
    flaeche: Farbe | None = None    # light background of boxes and group rows (default: a tint of farbe)
    linie: Farbe | None = None      # thin lines: margin-note rule, frames, header rule (default: a tint of farbe)
    schrift: Schrift | None = None  # default: the bundled Open Sans
    schriftgroesse: Annotated[float, BeforeValidator(_points)] = 10.0


Kopfteil = Literal["titel", "kurztitel", "traeger", "aktenzeichen", "stand"]
Ort = Literal["titelseite", "impressum"]


class Titelseite(Strict):
    variante: Literal["standard", "farbflaeche"] | None = None
    logo: Datei | None = None
    titelbild: Datei | None = None
    slogan: Text | None = None
    untertitel: Text | None = None
    kurztitel: JaNein | None = None        # show the short title on the cover
    programmnummer: JaNein | None = None   # "22. Programm" on the cover


class Gestaltung(Strict):
    titelseite: Titelseite = Titelseite()
    kurztitel: Text | None = None
    aktenzeichen: Text | None = None
    kopfzeile: list[Kopfteil] | None = None
    fusszeile: list[Kopfteil] | None = None
    anschrift: list[Ort] | None = None
