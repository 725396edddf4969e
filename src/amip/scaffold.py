"""Turn an empty (or partly filled) folder into a new amip project whose first edition builds at once.

`amip init` writes the marker file, content/<träger>/ with traeger.yaml, abkuerzungen.yaml, a theme
folder with a logo, a first edition (ausgabe.yaml, one chapter, one data file), .gitignore and a
short German README for the authors. An existing file is never overwritten: it is kept and reported.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import BuildError
from .projekt import MARKER


@dataclass(frozen=True)
class Scaffolded:
    root: Path
    edition: Path
    written: tuple[Path, ...]
    kept: tuple[Path, ...]       # files that existed already and were left as they were


def slug(name: str) -> str:
    """"Jobcenter Märkischer Kreis" → "maerkischer-kreis": the folder name of an organisation."""
    text = name.casefold().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return re.sub(r"^jobcenter-", "", text) or "traeger"


def scaffold(folder: Path, name: str, year: int, short: str | None = None) -> Scaffolded:
    """Write a new project into `folder`; files that exist are kept untouched."""
    folder = Path(folder)
    short = short or slug(name)
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", short):
        raise BuildError(
            f"Das Kürzel „{short}“ taugt nicht als Ordnername. Erlaubt sind Kleinbuchstaben, Ziffern und "
            "Bindestriche, z. B. --kuerzel musterstadt.", exit_code=1)
    if not 2000 <= year <= 2100:
        raise BuildError(f"Das Jahr {year} liegt nicht zwischen 2000 und 2100.", exit_code=1)
    if folder.exists() and not folder.is_dir():
        raise BuildError(f"{folder} ist eine Datei, kein Ordner.", exit_code=1)
    org = Path("content") / short
    edition = org / str(year)
    files = _files(name, short, year)
    written, kept = [], []
    for relative, text in files.items():
        path = folder / relative
        if path.exists():
            kept.append(path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as handle:  # "x": never replace a file that appeared meanwhile
            handle.write(text)
        written.append(path)
    return Scaffolded(folder, folder / edition, tuple(written), tuple(kept))


def _files(name: str, short: str, year: int) -> dict[str, str]:
    org = f"content/{short}"
    edition = f"{org}/{year}"
    return {
        MARKER: f"""# Markiert den Projektordner von amip: hier liegen content/, build/ und archive/.
# „amip build“ ohne Angabe baut die Standardausgabe.
standardausgabe: {edition}
""",
        ".gitignore": """# Erzeugte Dateien: amip baut sie jederzeit neu aus den Quellen.
build/
# archive/ gehört dagegen in die Versionsverwaltung: dort liegen die veröffentlichten Ausgaben.
""",
        "README.md": _README.format(name=name, short=short, year=year, edition=edition, next_year=year + 1),
        f"{org}/traeger.yaml": f"""# Angaben zum Träger – gelten für alle Ausgaben. Alle Möglichkeiten: docs/neuer-traeger.md im amip-Handbuch.
name: {name}
erstes_programm: {year}          # Jahr des ersten Programms; daraus wird „N. Programm“ berechnet
anschrift:                       # bitte die echte Anschrift eintragen
  strasse: Musterstraße 1
  plz: "12345"
  ort: {_town(name)}
abbildungen:
  bezeichnung: Abb.
  nummeriert: ja
tabellen:
  nummeriert: ja
theme:
  farbe: "#00528c"               # Hausfarbe: Überschriften, Tabellenköpfe, Diagramme
  akzent: "#e07b00"              # Hervorhebung, z. B. das Zieljahr im Diagramm
  # flaeche: "#eef3f8"           # heller Hintergrund (Standard: aus der Hausfarbe berechnet)
  # linie: "#9bb3c9"             # feine Linien (Standard: aus der Hausfarbe berechnet)
  # schriftgroesse: 10           # Grundschrift im PDF in Punkt
  # schrift:                     # eigene Hausschrift statt Open Sans (Dateien nach theme/schriften/)
  #   name: Source Sans 3        # Familienname, wie er in der Schriftdatei steht
  #   normal: theme/schriften/SourceSans3-Regular.ttf
  #   kursiv: theme/schriften/SourceSans3-Italic.ttf
  #   fett: theme/schriften/SourceSans3-Bold.ttf
gestaltung:                      # gilt für alle Ausgaben; ausgabe.yaml kann jeden Wert überschreiben
  titelseite:
    logo: theme/logo.svg         # ersetzen Sie die Datei durch Ihr Logo (SVG, PNG oder JPG)
    # variante: farbflaeche      # ganze Titelseite in der Hausfarbe (Standard: standard)
    # slogan: Gemeinsam in Arbeit
    # programmnummer: nein       # „N. Programm“ weglassen
  # kurztitel: AMIP Musterstadt
  # kopfzeile: [kurztitel]       # Bausteine: titel, kurztitel, traeger, aktenzeichen, stand
  # fusszeile: [traeger, stand]
  anschrift: [impressum]         # wo die Anschrift steht: titelseite, impressum oder []
""",
        f"{org}/abkuerzungen.yaml": """# Abkürzungsregister des Trägers (wird jedes Jahr wiederverwendet)
AMIP: Arbeitsmarkt- und Integrationsprogramm
BA: Bundesagentur für Arbeit
SGB II: Zweites Buch Sozialgesetzbuch
""",
        f"{org}/theme/logo.svg": _LOGO,
        f"{org}/theme/zusatz-druck.css": """/* Eigene Ergänzungen zum Druck-Stylesheet; sie gelten nach der mitgelieferten print.css.
   Beispiel (Entfernen Sie die Kommentarzeichen):
   .titel-jahr { font-size: 48pt; }
*/
""",
        f"{edition}/ausgabe.yaml": f"""jahr: {year}
titel: Arbeitsmarkt- und Integrationsprogramm
status: entwurf                  # nach dem Beschluss: beschlossen
stand: 01.12.{year - 1}
impressum:
  herausgeber: [{name}]
  verantwortlich: [Geschäftsführung]
gestaltung:
  # aktenzeichen: Az. 50-{year}  # erscheint im Impressum und, wenn gewünscht, in Kopf- oder Fußzeile
  titelseite:
    untertitel: Planung für {year}
kapitel:
  - 01-einleitung.md
abkuerzungsverzeichnis:
  auswahl: verwendete            # nur Abkürzungen, die im Text vorkommen
""",
        f"{edition}/kapitel/01-einleitung.md": f"""---
titel: Einleitung
id: einleitung
---

Das Arbeitsmarkt- und Integrationsprogramm (AMIP) {year} beschreibt, wie das {name} die Mittel
für Eingliederung im Jahr {year} einsetzen will. Es ist das [[wert: ausgabe.nummer]]. Programm.

## Eintritte im Überblick {{#ueberblick}}

Die Zahlen stehen in der Datendatei „eintritte.yaml“ im Ordner „daten“; Tabelle und Diagramm
entstehen daraus.
Für {year} sind [[wert: eintritte.Weiterbildung.Planung]] Eintritte in Weiterbildung geplant.

[[tabelle: eintritte]]

[[diagramm: eintritte | gruppiert]]
""",
        f"{edition}/daten/eintritte.yaml": f"""art: reihe
titel: Eintritte in Maßnahmen
einheit: Eintritte
kategorien: [Aktivierung, Weiterbildung, Beschäftigung]
reihen:
  Ergebnis {year - 1}: [420, 180, 95]
  Planung: [450, 210, 90]
quelle: eigene Planung
""",
    }


def _town(name: str) -> str:
    town = re.sub(r"^Jobcenter\s+", "", name).strip()
    return town or "Musterstadt"


_LOGO = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40" width="120" height="40">
  <rect x="0" y="4" width="32" height="32" rx="6" fill="#00528c"/>
  <path d="M8 26 16 12 24 26Z" fill="#ffffff"/>
  <rect x="40" y="12" width="74" height="6" fill="#00528c"/>
  <rect x="40" y="24" width="52" height="5" fill="#e07b00"/>
</svg>
"""

_README = """# Arbeitsmarkt- und Integrationsprogramm – {name}

Dieser Ordner ist ein amip-Projekt: Aus den Texten und Daten unter `content/` baut amip das
Programm als PDF und als Web-Ausgabe.

## Bauen und prüfen

```sh
amip check                 # prüft die Standardausgabe ({edition}) und meldet alle Fehler
amip build                 # baut PDF und Web-Ausgabe nach build/{short}/{year}/
amip build {edition}
```

## Was liegt wo?

| Pfad | Inhalt |
|---|---|
| `amip-projekt.yaml` | markiert den Projektordner und nennt die Standardausgabe |
| `content/{short}/traeger.yaml` | Name, Anschrift, Hausfarben und Seitengestaltung des Trägers |
| `content/{short}/abkuerzungen.yaml` | Abkürzungsregister (jedes Jahr wiederverwendet) |
| `content/{short}/theme/` | Logo, Bilder, Schriften und eigene Vorlagen des Trägers |
| `{edition}/ausgabe.yaml` | Jahr, Titel, Stand, Impressum, Reihenfolge der Kapitel |
| `{edition}/kapitel/` | ein Markdown-Text je Kapitel |
| `{edition}/daten/` | Zahlen für Tabellen und Diagramme, eine Datei je Tabelle |
| `build/` | erzeugte Dateien – nicht in die Versionsverwaltung (steht in `.gitignore`) |
| `archive/` | veröffentlichte Ausgaben (`amip publish`) – gehört in die Versionsverwaltung |

Eine neue Ausgabe fürs nächste Jahr: Kopieren Sie den Ordner `{edition}` nach
`content/{short}/{next_year}`, passen Sie `jahr` und `stand` in `ausgabe.yaml` an und tragen Sie
sie in `amip-projekt.yaml` als `standardausgabe` ein.

Farben, Logo, Titelseite, Kopf- und Fußzeile: siehe die Anleitung „Einen neuen Träger einrichten“
(`docs/neuer-traeger.md` im amip-Handbuch).
"""
