"""One bad input per case: what to break in the small edition and what amip must answer.

A case names the file and the text whose line the message must point at (`at`), a piece of the
German message, and the exit code. `at=None` means the message carries the file without a line
(a file that is too large has no line to blame)."""

from __future__ import annotations

import os
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from edition import EDITION

A = f"{EDITION}/ausgabe.yaml"
K1 = f"{EDITION}/kapitel/01-start.md"
K2 = f"{EDITION}/kapitel/02-ziele.md"
KZ = f"{EDITION}/daten/kennzahlen.yaml"
R = f"{EDITION}/daten/teilnehmende.yaml"
B = f"{EDITION}/daten/organigramm.yaml"
SVG = f"{EDITION}/bilder/organigramm.svg"
T = "content/muster/traeger.yaml"
REG = "content/muster/abkuerzungen.yaml"


@dataclass(frozen=True)
class Case:
    id: str
    mutate: Callable[[Path], None]
    file: str
    at: str | int | None   # text on the blamed line, a line number, or None (no line)
    message: str
    code: int = 1


def edit(name: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (old, name)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return apply


def append(name: str, extra: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / name
        path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return apply


def write(name: str, text: str | bytes) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return apply


def both(*steps: Callable[[Path], None]) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        for step in steps:
            step(root)
    return apply


def symlink(name: str, target: Callable[[Path], Path]) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        link = root / name
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.exists() or link.is_symlink():
            link.unlink()
        os.symlink(target(root), link)
    return apply


def outside(root: Path, name: str = "fremd.md", text: str = "---\ntitel: Fremd\n---\n\nGeheimer Text.\n") -> Path:
    """A file beside the project, not inside content/<org>/."""
    path = root.parent / f"{root.name}-aussen" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims width × height (enough for Pillow to report the size)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))
            + struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND")))


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(9))
IMAGE = "art: bild\ndatei: {datei}\ntitel: Bild\nalt: Ein Bild\n"
PLACE_IMAGE = append(K2, "\n[[abbildung: bild]]\n")
NEW_TABLE = ("art: tabelle\nspalten:\n  - {name: Jahr}\n  - {name: Veränderung, art: zahl}\n"
             "zeilen:\n  - [\"2025\", \"12\"]\n  - [\"2026\", \"-3\"]\n")
PORTFOLIO = ("art: portfolio\nspalten:\n  eintritte: Eintritte 2026\nzeilen:\n"
             "  - {instrument: AGH, schluessel: agh, eintritte: 120}\n"
             "  - {instrument: FAV, schluessel: {key}, eintritte: {value}}\n")

# a table whose "Ansatz 2025" comes from content/<org>/zeitreihe.yaml (amip.series)
SERIES_TABLE = ("art: tabelle\nspalten:\n  - {name: Standort}\n  - {name: Plätze 2026, art: anzahl}\n"
                "  - {basis: {art: ansatz, jahr: 2025}}\nzeilen:\n  - [Nord, 60]\n  - [Süd, 45]\n")
ZR = "content/muster/zeitreihe.yaml"
WITH_SERIES_TABLE = write(f"{EDITION}/daten/plaetze.yaml", SERIES_TABLE)

CASES = [
    # ------------------------------------------------ YAML: what the loader refuses
    Case("yaml-anker", edit(A, "titel: Arbeitsmarkt", "titel: &t Arbeitsmarkt"), A, "titel: &t", "Anker (&) und Verweise (*)"),
    Case("yaml-verweis", append(A, "untertitel: *t\n"), A, "untertitel: *t", "Anker (&) und Verweise (*)"),
    Case("yaml-alias-bombe", write(f"{EDITION}/daten/bombe.yaml", BOMB), f"{EDITION}/daten/bombe.yaml", 1, "Anker (&)"),
    Case("yaml-tag", edit(A, "titel: Arbeitsmarkt", "titel: !include Arbeitsmarkt"), A, "!include", "Typ-Angabe „!include“"),
    Case("yaml-python-tag", append(KZ, "x: !!python/object/apply:os.system [echo]\n"), KZ, "python/object",
         "Typ-Angabe „!!python/object/apply:os.system“"),
    Case("yaml-str-tag", edit(A, "jahr: 2026", "jahr: !!str 2026"), A, "jahr:", "Typ-Angabe „!!str“"),
    Case("yaml-merge", append(A, "extra:\n  <<: {a: 1}\n"), A, "<<:", "Zusammenführen mit „<<“"),
    Case("yaml-zu-tief", write(f"{EDITION}/daten/tief.yaml", "a: " + "[" * 30 + "]" * 30 + "\n"),
         f"{EDITION}/daten/tief.yaml", 1, "Zu tief verschachtelt"),
    Case("yaml-zu-gross", write(f"{EDITION}/daten/gross.yaml", "art: tabelle\n" + "# Füllzeile\n" * 100_000),
         f"{EDITION}/daten/gross.yaml", None, "Die Datei ist zu groß"),
    Case("yaml-tabulator", edit(A, "  herausgeber:", "\therausgeber:"), A, "herausgeber:", "Tabulator zum Einrücken"),
    Case("yaml-steuerzeichen", edit(A, "titel: Arbeitsmarkt", "titel: Arbeits\x07markt"), A, "titel:", "Steuerzeichen U+0007"),
    Case("yaml-doppelter-schluessel", append(A, "status: beschlossen\n"), A, "status: beschlossen", "Schlüssel „status“ doppelt"),
    Case("yaml-nicht-utf8", write(f"{EDITION}/daten/latin1.yaml", "art: tabelle\ntitel: Gr\xfc\xdfe\n".encode("latin-1")),
         f"{EDITION}/daten/latin1.yaml", 2, "nicht UTF-8-kodiert"),
    Case("yaml-syntax", edit(A, "titel: Arbeitsmarkt- und Integrationsprogramm", 'titel: "offen'), A, None, "YAML-Syntaxfehler"),
    # ------------------------------------------------ numbers, counts, dates
    Case("zahl-negativ-plan", edit(KZ, "plan: 1.994", "plan: -1.994"), KZ, "plan: -1.994", "negativ"),
    Case("zahl-offen-vertippt", edit(KZ, "plan: 1.994", "plan: offn"), KZ, "plan: offn", "„offn“ ist keine Zahl"),
    Case("basis-art-vertippt", edit(KZ, "basis: {art: ergebnis, jahr: 2025}", "basis: {art: ergbnis, jahr: 2025}"), KZ,
         "basis: {art: ergbnis", "Wert „ergbnis“ ist hier nicht erlaubt"),
    Case("zahl-negativ-basis", edit(ZR, "mat: 1.162", "mat: -5"), ZR, "mat: -5", "negativ"),   # basis from zeitreihe.yaml
    Case("zahl-negativ-tabelle", write(f"{EDITION}/daten/veraenderung.yaml", NEW_TABLE),
         f"{EDITION}/daten/veraenderung.yaml", '"-3"', "Spalte „Veränderung“ erlaubt keine negativen Zahlen"),
    Case("zahl-negativ-reihe", edit(R, "[334, 360, 390]", "[334, -360, 390]"), R, "Teilnehmende: [", "negative Werte"),
    Case("zahl-negativ-portfolio", write(f"{EDITION}/daten/portfolio.yaml", PORTFOLIO.replace("{key}", "fav").replace("{value}", "-4")),
         f"{EDITION}/daten/portfolio.yaml", "eintritte: -4", "negativ"),
    Case("zahl-arabisch-indisch", edit(KZ, "plan: 1.994", "plan: ١٩٩٤"), KZ, "١٩٩٤", "Ziffer „١“ (U+0661)"),
    Case("zahl-vollbreite", edit(KZ, "plan: 1.994", "plan: １９９４"), KZ, "１９９４", "Ziffer „１“ (U+FF11)"),
    Case("jahr-vollbreite", edit(A, "jahr: 2026", "jahr: ２０２６"), A, "jahr:", "erlaubt sind nur 0 bis 9"),
    Case("zahl-riesig", edit(KZ, "plan: 1.994", "plan: 1000000000000000000000000000000"), KZ, "plan: 1000000",
         "zu groß (mehr als 15 Stellen)"),
    Case("schluessel-doppelt", edit(KZ, "schluessel: mag", "schluessel: mat"), KZ, "schluessel: mat, plan: 950",
         "Schlüssel „mat“ doppelt vergeben"),
    Case("schluessel-doppelt-portfolio", write(f"{EDITION}/daten/portfolio.yaml", PORTFOLIO.replace("{key}", "agh").replace("{value}", "4")),
         f"{EDITION}/daten/portfolio.yaml", "instrument: FAV", "Schlüssel „agh“ doppelt vergeben"),
    Case("jahr-passt-nicht-zum-ordner", edit(A, "jahr: 2026", "jahr: 2012"), A, "jahr:", "passt nicht zum Ordner „2026“"),
    Case("jahr-vor-erstem-programm", edit(T, "erstes_programm: 2005", "erstes_programm: 2030"), A, "jahr:",
         "liegt vor dem ersten Programm"),
    Case("stand-jahr-0001", edit(A, "stand: 01.12.2025", "stand: 01.01.0001"), A, "stand:", "kein plausibles Datum"),
    Case("stand-31-februar", edit(A, "stand: 01.12.2025", "stand: 31.02.2025"), A, "stand:", "kein gültiges Datum"),
    Case("plz-arabisch", edit(T, 'plz: "12345"', 'plz: "١٢٣٤٥"'), T, "plz:", "nicht die erwartete Form"),
    # ------------------------------------------------ chapter list and paths
    Case("kapitel-doppelt", edit(A, "  - 02-ziele.md", "  - 02-ziele.md\n  - 01-start.md"), A, "  - 01-start.md\n",
         "steht zweimal in ausgabe.yaml"),
    Case("kapitel-absoluter-pfad", lambda root: edit(A, "  - 02-ziele.md", f"  - {outside(root)}")(root), A, "fremd.md",
         "liegt außerhalb des Inhaltsordners"),
    Case("kapitel-pfad-nach-oben", edit(A, "  - 02-ziele.md", "  - ../../../fremd.md"), A, "fremd.md",
         "liegt außerhalb des Inhaltsordners"),
    Case("kapitel-symlink-nach-aussen", symlink(f"{EDITION}/kapitel/02-ziele.md", outside), A, "02-ziele.md",
         "liegt außerhalb des Inhaltsordners"),
    Case("kapitel-fehlt", edit(A, "  - 02-ziele.md", "  - 02-zeile.md"), A, "02-zeile.md", "nicht gefunden"),
    Case("kapitel-nicht-utf8", write(K2, "---\ntitel: Gr\xfc\xdfe\n---\n\nText\n".encode("latin-1")), K2, None, "nicht UTF-8"),
    Case("kopfbereich-offen", write(K2, "---\ntitel: Ziele\n\nText ohne Ende des Kopfbereichs\n"), K2, 1, "Kopfbereich nicht geschlossen"),
    Case("register-absoluter-pfad",
         lambda root: append(A, f"abkuerzungsverzeichnis:\n  register: {outside(root, 'reg.yaml', 'X: Y')}\n")(root),
         A, "register:", "liegt außerhalb des Inhaltsordners"),
    Case("register-pfad-nach-oben", append(A, "abkuerzungsverzeichnis:\n  register: ../../../abkuerzungen.yaml\n"), A,
         "register:", "liegt außerhalb des Inhaltsordners"),
    Case("datendatei-symlink-nach-aussen",
         symlink(f"{EDITION}/daten/fremd.yaml", lambda root: outside(root, "fremd.yaml", "art: tabelle\n")),
         f"{EDITION}/daten/fremd.yaml", None, "liegt außerhalb des Inhaltsordners"),
    # ------------------------------------------------ images
    Case("bild-absoluter-pfad", both(PLACE_IMAGE, lambda root: write(f"{EDITION}/daten/bild.yaml",
                                                                     IMAGE.format(datei=outside(root, "x.svg", "<svg/>")))(root)),
         f"{EDITION}/daten/bild.yaml", "datei:", "liegt außerhalb des Inhaltsordners"),
    Case("bild-pfad-nach-oben", both(PLACE_IMAGE, write(f"{EDITION}/daten/bild.yaml", IMAGE.format(datei="../../../../x.svg"))),
         f"{EDITION}/daten/bild.yaml", "datei:", "liegt außerhalb des Inhaltsordners"),
    Case("bild-symlink-nach-aussen", symlink(SVG, lambda root: outside(root, "x.svg", "<svg/>")), B, "datei:",
         "liegt außerhalb des Inhaltsordners"),
    Case("bild-zu-gross", both(PLACE_IMAGE, write(f"{EDITION}/daten/bild.yaml", IMAGE.format(datei="../bilder/riesig.png")),
                               lambda root: os.truncate(_touch(root / EDITION / "bilder/riesig.png"), 21 * 1024 * 1024)),
         f"{EDITION}/daten/bild.yaml", "datei:", "ist zu groß"),
    Case("bild-zu-viele-pixel", both(PLACE_IMAGE, write(f"{EDITION}/daten/bild.yaml", IMAGE.format(datei="../bilder/gross.png")),
                                     write(f"{EDITION}/bilder/gross.png", png_header(12_000, 12_000))),
         f"{EDITION}/daten/bild.yaml", "datei:", "12000 × 12000 Pixel"),
    Case("bild-bombe", both(PLACE_IMAGE, write(f"{EDITION}/daten/bild.yaml", IMAGE.format(datei="../bilder/bombe.png")),
                            write(f"{EDITION}/bilder/bombe.png", png_header(30_000, 30_000))),
         f"{EDITION}/daten/bild.yaml", "datei:", "weit mehr als 40 Millionen Pixel"),
    Case("bild-kaputt", both(PLACE_IMAGE, write(f"{EDITION}/daten/bild.yaml", IMAGE.format(datei="../bilder/kaputt.png")),
                             write(f"{EDITION}/bilder/kaputt.png", b"kein Bild")),
         f"{EDITION}/daten/bild.yaml", "datei:", "lässt sich nicht lesen"),
    Case("svg-bild-aus-dem-netz", edit(SVG, "</svg>", '<image href="http://169.254.169.254/x.png" width="9" height="9"/></svg>'),
         B, "datei:", "verweist auf „http://169.254.169.254/x.png“"),
    Case("svg-lokale-datei", edit(SVG, "</svg>", '<image xmlns:xlink="http://www.w3.org/1999/xlink" '
                                                 'xlink:href="file:///etc/passwd"/></svg>'),
         B, "datei:", "verweist auf „file:///etc/passwd“"),
    Case("svg-entity", edit(SVG, "<svg", '<!DOCTYPE svg [<!ENTITY a "aaaa">]>\n<svg'), B, "datei:", "DOCTYPE- oder ENTITY"),
    Case("svg-kein-xml", edit(SVG, "</svg>", "<rect></svg>"), B, "datei:", "kein gültiges XML"),
    Case("svg-css-import", edit(SVG, "</svg>", "<style>@import url(http://example.org/a.css);</style></svg>"), B, "datei:",
         "@import"),
    # ------------------------------------------------ Markdown: text that would be lost or printed wrongly
    Case("kasten-unbekannt-gross", edit(K1, "::: rand", "::: Rand"), K1, "::: Rand", "Unbekannter Kasten „::: Rand“"),
    Case("kasten-unbekannt", edit(K2, "Ein Schlussabsatz.", "::: info\nHinweis\n:::\n\nEin Schlussabsatz."), K2, "::: info",
         "Unbekannter Kasten „::: info“"),
    Case("kasten-schluss-ohne-anfang", edit(K2, "Ein Schlussabsatz.", ":::\n\nEin Schlussabsatz."), K2, ":::",
         "„:::“ schließt hier keinen Kasten"),
    Case("kasten-nicht-geschlossen", edit(K1, "2. Zweitens\n:::", "2. Zweitens\n"), K1, "::: kasten", "wird nicht geschlossen"),
    Case("randnotiz-am-ende", append(K2, "\n::: rand\nVerlorene Notiz\n:::\n"), K2, "::: rand", "Randnotiz am Kapitelende"),
    Case("randnotiz-am-ende-offen", append(K2, "\n::: rand\nVerlorene Notiz\n"), K2, "::: rand", "wird nicht geschlossen"),
    Case("randnotiz-im-kasten", edit(K1, "1. Erstens", "::: rand\nInnen\n:::\n\n1. Erstens"), K1, "::: rand", "Randnotiz innerhalb"),
    Case("fussnote-undefiniert", edit(K2, "Ein Schlussabsatz.", "Ein Schlussabsatz.[^9]"), K2, "Schlussabsatz", "„[^9]“ ist nicht definiert"),
    Case("fussnote-verwaist", append(K2, "\n[^7]: Niemand verweist hierher.\n"), K2, "[^7]:", "nirgends verwendet"),
    Case("fussnote-in-sich-selbst", edit(K2, "Ein Schlussabsatz.", "Ein Schlussabsatz.[^8]\n\n[^8]: Siehe[^8] oben."), K2,
         "[^8]: Siehe", "Eine Fußnote enthält eine Fußnote"),
    Case("glyphe-cjk", edit(K2, "Ein Schlussabsatz.", "Ein Schlussabsatz für das 就业中心."), K2, "就业中心", "„就“ (U+5C31"),
    Case("glyphe-emoji-titel", edit(A, "titel: Arbeitsmarkt- und", "titel: Arbeitsmarkt 🚀 und"), A, "titel:", "U+1F680"),
    Case("glyphe-register", append(REG, "KI: Künstliche Intelligenz ✓\n"), REG, "KI:", "„✓“ (U+2713"),
    Case("glyphe-kapiteltitel", edit(K2, "titel: Ziele und Leistungen", "titel: Ziele → Leistungen"), K2, "titel:", "U+2192"),
    Case("glyphe-schmales-leerzeichen", edit(K2, "Ein Schlussabsatz.", "Ein Schlussabsatz, z.\u202fB. so."), K2, "Schlussabsatz",
         "U+202F"),
    Case("markdown-zu-gross", append(K2, "\n" + ("Wort " * 20 + "\n\n") * 25_000), K2, None, "Die Datei ist zu groß"),
    Case("absatz-zu-lang", append(K2, "\n" + "Wort " * 5_000 + "\n"), K2, "Wort Wort", "erlaubt sind höchstens 20.000"),
    Case("markdown-zu-tief", append(K2, "\n" + ">" * 25 + " tief\n"), K2, ">>>>", "Zu tief verschachtelt"),
    Case("ueberschrift-ebene-1", append(K2, "\n# Zweiter Titel\n"), K2, "# Zweiter Titel", "Überschrift „#“ im Kapiteltext"),
    Case("ueberschrift-ohne-abschnitt", edit(K2, "Ein Schlussabsatz.", "### Unter\n\nEin Schlussabsatz."), K2, "### Unter",
         "„###“ ohne vorangehend"),
    Case("verweis-unbekannt", edit(K2, "[[kapitel: ziele]]", "[[kapitel: zeile]]"), K2, "[[kapitel: zeile]]",
         "Verweisziel „zeile“ gibt es nicht"),
    Case("markdown-bild", edit(K2, "Ein Schlussabsatz.", "Ein Schlussabsatz ![Logo](../../../../templates/fonts/x.png)."), K2,
         "Schlussabsatz", "Bild „../../../../templates/fonts/x.png“ direkt im Text"),
    Case("tabelle-unbekannt", edit(K2, "[[tabelle: leistungen-16a]]", "[[tabelle: leistungen]]"), K2, "[[tabelle: leistungen]]",
         "Tabelle „leistungen“ gibt es nicht"),
    # ------------------------------------------------ the series: zeitreihe.yaml and basis columns
    Case("zeitreihe-schluessel-fehlt", both(WITH_SERIES_TABLE, append(ZR, "plaetze:\n  2025:\n    ansatz:\n      nord: 50\n")),
         f"{EDITION}/daten/plaetze.yaml", "[Süd, 45]", "(Schlüssel „sued“): kein Wert für Ansatz 2025"),
    Case("zeitreihe-alias-bombe", both(WITH_SERIES_TABLE, write(ZR, BOMB)), ZR, 1, "Anker (&)"),
    Case("zeitreihe-ausserhalb", both(WITH_SERIES_TABLE, symlink(ZR, lambda root: outside(root, "zr.yaml", "plaetze: {}\n"))),
         f"{EDITION}/daten/plaetze.yaml", "basis:", "Zeitreihe „"),
]


def _touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    return path
