"""A small valid edition (two chapters, an annex, Kennzahlen, a table, a chart, an SVG figure, a
register) written into a folder; the bad-input cases each break one thing of it."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ROOT

ORG = "muster"
EDITION = f"content/{ORG}/2026"
OUT = f"build/{ORG}/2026"

FILES = {
    f"content/{ORG}/traeger.yaml": """\
name: Jobcenter Musterstadt
erstes_programm: 2005
anschrift:
  strasse: Hauptstraße 1
  plz: "12345"
  ort: Musterstadt
""",
    f"content/{ORG}/abkuerzungen.yaml": """\
JC: Jobcenter
AGH: Arbeitsgelegenheiten
""",
    f"{EDITION}/ausgabe.yaml": """\
jahr: 2026
titel: Arbeitsmarkt- und Integrationsprogramm
status: entwurf
stand: 01.12.2025
impressum:
  herausgeber: [Jobcenter Musterstadt]
  verantwortlich: [Erika Muster, Hauptstraße 1, 12345 Musterstadt]
kapitel:
  - 01-start.md
  - 02-ziele.md
anlagen:
  - anlage-1-zahlen.md
""",
    f"{EDITION}/kapitel/01-start.md": """\
---
titel: Einleitung
id: einleitung
---

Das JC Musterstadt plant für das Jahr neue Angebote.[^1]

::: rand
Vermittlung im Fokus
:::

Der Absatz zur Randnotiz steht hier und ist lang genug für zwei Zeilen im Satzspiegel des Programms.

## Ziele {#ziele}

::: kasten Wichtig
1. Erstens
2. Zweitens
:::

[[diagramm: teilnehmende | balken]]

[[abbildung: organigramm]]

[^1]: Eine Fußnote zum ersten Absatz.
""",
    f"{EDITION}/kapitel/02-ziele.md": """\
---
titel: Ziele und Leistungen
---

Wie in [[kapitel: ziele]] beschrieben, gibt es Leistungen nach § 16a:

[[tabelle: leistungen-16a]]

Ein Schlussabsatz.
""",
    f"{EDITION}/kapitel/anlage-1-zahlen.md": """\
---
titel: Kennzahlen
---

[[tabelle: kennzahlen]]
""",
    f"{EDITION}/daten/teilnehmende.yaml": """\
art: reihe
titel: Teilnehmende 2024–2026
einheit: Teilnehmende
kategorien: ["2024", "2025", "2026"]
reihen:
  Teilnehmende: [334, 360, 390]
""",
    f"{EDITION}/daten/organigramm.yaml": """\
art: bild
datei: ../bilder/organigramm.svg
titel: Aufbau des Jobcenters
alt: Drei Kästen für Leitung, Markt und Integration und Leistung
""",
    f"{EDITION}/bilder/organigramm.svg": """\
<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100" viewBox="0 0 300 100">
  <rect x="10" y="10" width="80" height="40" fill="#00528c"/>
  <rect x="110" y="10" width="80" height="40" fill="#8fb3d9"/>
  <rect x="210" y="10" width="80" height="40" fill="#e07b00"/>
</svg>
""",
}
COPIED = {
    f"{EDITION}/daten/kennzahlen.yaml": "content/duesseldorf/2026/daten/kennzahlen.yaml",
    f"{EDITION}/daten/leistungen-16a.yaml": "content/duesseldorf/2026/daten/leistungen-16a.yaml",
    f"content/{ORG}/zeitreihe.yaml": "content/duesseldorf/zeitreihe.yaml",   # the Kennzahlen' Ergebnis 2025
}


def write_edition(root: Path) -> None:
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    for name, source in COPIED.items():
        shutil.copyfile(ROOT / source, root / name)


def built_edition(root: Path) -> Path:
    """The small edition written into `root` and built once (content/ plus build/)."""
    from amip.build import build

    write_edition(root)
    build(root / EDITION, root / OUT)
    return root


def copy_of(template: Path, target: Path) -> Path:
    """A private copy of a built edition (sources, outputs, chart cache), links kept as links."""
    shutil.copytree(template, target, symlinks=True)
    return target
