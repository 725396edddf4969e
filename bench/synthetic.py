"""Turn a page count into a complete synthetic amip project (a long edition in the 2018 proportions) under build/bench/.

`python bench/synthetic.py 120` writes build/bench/120/ (amip-projekt.yaml, content/musterhausen/…), builds it
and prints the page count; `--ohne-build` only writes. The same size and seed always give the same files.
Proportions per page of chapter text follow the 2018 edition (66 pages: ~2,5 margin notes, 6 Portfolio tables,
7 charts of several kinds, boxes, lists, headings to level 3, every chapter on a new page).
"""

from __future__ import annotations

import importlib.util
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth_words import (  # noqa: E402
    ABBREVIATIONS, AREAS, CHAPTER_FRAMES, GROUPS, INSTRUMENTS, LOCATIONS, SECTIONS, THEMES, Words, german)

ROOT = Path(__file__).resolve().parents[1]
SEED = 2030
ORG, YEAR = "musterhausen", 2030
MIN_PAGES = 10
WORDS_PER_PAGE = 375          # calibrated: chapter text words that fill one page beside the margin column
RATES = {                     # per page of chapter content, as in the 2018 edition
    "note": 2.5, "portfolio": 6 / 66, "chart": 7 / 66, "table": 3 / 66, "footnote": 1 / 3, "box": 1 / 3,
    "list": 1 / 2.5, "section": 1 / 2.5, "subsection": 1 / 4,
}
COST = {"chart": 0.42, "box": 0.25, "list": 0.15, "section": 0.06, "subsection": 0.05}   # pages
CHART_KINDS = ["balken", "torte", "gruppiert", "linie", "wasserfall"]


def q(text: str) -> str:
    """A YAML double-quoted scalar."""
    return json.dumps(text, ensure_ascii=False)


def edition_folder(target: Path) -> Path:
    return target / "content" / ORG / str(YEAR)


def pdf_path(target: Path) -> Path:
    return target / "build" / ORG / str(YEAR) / f"amip-{ORG}-{YEAR}.pdf"


class Edition:
    """Writes one synthetic edition; `data` collects the daten/ files, `chapters` the Markdown files."""

    def __init__(self, pages: int, seed: int):
        self.rng = random.Random(f"{seed}-{pages}")
        self.words = Words(self.rng)
        self.pages = pages
        self.data: dict[str, str] = {}
        self.carry = dict.fromkeys(RATES, 0.5)
        self.chart_count = 0

    def count(self, kind: str, pages: float) -> int:
        """Elements of a kind in a chapter of `pages` pages: the rate, carried over so the totals match."""
        self.carry[kind] += RATES[kind] * pages
        n = int(self.carry[kind])
        self.carry[kind] -= n
        return n

    # -- data files -------------------------------------------------------------------------------------------
    def portfolio(self, name: str) -> tuple[str, float]:
        rows, lines, total = self.rng.randint(4, 7), [], 0
        for instrument in self.rng.sample(INSTRUMENTS, rows):
            n = self.rng.randrange(20, 1200, 5)
            total += n
            lines += [f"  - instrument: {q(instrument)}", f"    eintritte: {german(n)}",
                      f"    funktion: {q(self.words.function())}"]
        self.data[name] = "\n".join([
            "art: portfolio",
            f"spalten: {{instrument: Instrument, eintritte: Eintritte {YEAR}, funktion: Funktion im Integrationsprozess}}",
            "zeilen:", *lines, "summe:", "  bezeichnung: Summe", f"  erwartet: {german(total)}"]) + "\n"
        return name, 0.15 + 0.11 * rows

    def table(self, name: str, theme: str) -> tuple[str, float]:
        rows = self.rng.randint(4, 8)
        if self.rng.random() < 0.5:
            cells = [(f"Standort {loc}", self.rng.randrange(20, 400), self.rng.randrange(10, 300))
                     for loc in self.rng.sample(LOCATIONS, min(rows, len(LOCATIONS)))]
            self.data[name] = "\n".join([
                "art: tabelle", f"titel: {q(f'{theme}: Plätze nach Standort')}", "spalten:", "  - {name: Standort}",
                "  - {name: Plätze, art: anzahl}", "  - {name: Anteil, art: anteil, aus: [Plätze]}",
                "  - {name: Stellen, art: anzahl}", "zeilen:",
                *(f"  - [{a}, {german(b)}, {german(c)}]" for a, b, c in cells),
                "summen:", "  - bezeichnung: Insgesamt",
                f"    erwartet: {{Plätze: {german(sum(b for _, b, _ in cells))}, "
                f"Stellen: {german(sum(c for _, _, c in cells))}}}"]) + "\n"
        else:
            cells = [(g, self.rng.randrange(100, 5000), self.rng.randrange(100, 4000))
                     for g in self.rng.sample(GROUPS, rows)]
            self.data[name] = "\n".join([
                "art: tabelle", f"titel: {q(f'{theme}: Kundinnen und Kunden nach Zielgruppe')}", "spalten:",
                "  - {name: Zielgruppe}", "  - {name: ALO, art: anzahl}", "  - {name: ASU, art: anzahl}",
                "  - {name: Gesamt, art: summe, aus: [ALO, ASU]}", "zeilen:",
                *(f"  - [{q(a)}, {german(b)}, {german(c)}]" for a, b, c in cells),
                "summen:", "  - bezeichnung: Summe",
                f"    erwartet: {{ALO: {german(sum(c[1] for c in cells))}, ASU: {german(sum(c[2] for c in cells))}}}",
                "anmerkungen:", f"  - {q(f'Quelle: Statistik der BA, Stand September {YEAR - 1}.')}"]) + "\n"
        return name, 0.2 + 0.04 * rows

    def chart(self, name: str, theme: str) -> str:
        kind = CHART_KINDS[self.chart_count % len(CHART_KINDS)]
        self.chart_count += 1
        r = self.rng
        if kind == "balken":
            cats = r.sample(LOCATIONS, 5)
            head = [f"titel: {q(f'{theme}: Eintritte nach Standort')}", "einheit: Eintritte"]
            series = {"Eintritte": [german(r.randrange(100, 900)) for _ in cats]}
        elif kind == "torte":
            cats = ["Alleinerziehende", "Jugendliche", "Ältere", "Geflüchtete", "Sonstige"][:r.randint(4, 5)]
            head = [f"titel: {q(f'{theme}: Anteile der Zielgruppen')}", "einheit: Personen"]
            series = {"Anzahl": [german(r.randrange(800, 4000)) for _ in cats]}
        elif kind == "gruppiert":
            cats = [str(y) for y in range(YEAR - 4, YEAR)]
            head = [f"titel: {q(f'{theme}: Eintritte nach Geschlecht')}", "einheit: Eintritte"]
            series = {s: [german(r.randrange(200, 1500)) for _ in cats] for s in ("Frauen", "Männer")}
        elif kind == "linie":
            cats = [str(y) for y in range(YEAR - 5, YEAR)]
            head = [f"titel: {q(f'{theme}: Integrationsquote im Vergleich')}", 'einheit: "%"']
            series = {a: [f"{r.randrange(150, 300) / 10:.1f}".replace(".", ",") for _ in cats]
                      for a in r.sample(AREAS, 3)}
        else:
            cats = ["Eingliederungstitel", "Drittmittel", "Landesmittel", "ESF-Mittel"][:r.randint(3, 4)]
            head = [f"titel: {q(f'{theme}: Mittel (Mio. €)')}", "einheit: Mio. €"]
            series = {"Mio. €": [f"{r.randrange(50, 3500) / 100:.2f}".replace(".", ",") for _ in cats]}
        lines = ["art: reihe", *head, f"kategorien: [{', '.join(q(c) for c in cats)}]", "reihen:"]
        for label, values in series.items():
            lines.append(f"  {q(label)}: [{', '.join(q(v) for v in values)}]")
        self.data[name] = "\n".join([*lines, "quelle: Jobcenter Musterhausen", f"stand: {YEAR - 1}"]) + "\n"
        return f"[[diagramm: {name} | {kind}]]"

    def kennzahlen(self) -> None:
        groups = {"aktivierung": ["Maßnahmen bei einem Träger", "Maßnahmen beim Arbeitgeber"],
                  "weiterbildung": ["Förderung berufliche Weiterbildung"],
                  "erwerbstaetigkeit": ["Eingliederungszuschüsse", "Einstiegsgeld"],
                  "berufswahl": ["Einstiegsqualifizierung"], "reha": [],
                  "beschaeftigung": ["Arbeitsgelegenheiten", "Teilhabe am Arbeitsmarkt"], "freie_foerderung": []}
        lines, plan, basis = [], 0, 0
        for zweck, rows in groups.items():
            lines.append(f"  - zweck: {zweck}")
            values = [(self.rng.randrange(50, 2500), self.rng.randrange(50, 2500)) for _ in rows or [None]]
            plan += sum(v[0] for v in values)
            basis += sum(v[1] for v in values)
            if not rows:
                lines += [f"    plan: {german(values[0][0])}", f"    basis: {german(values[0][1])}"]
                continue
            lines.append("    zeilen:")
            for label, (p, b) in zip(rows, values):
                lines.append(f"      - {{bezeichnung: {label}, plan: {german(p)}, basis: {german(b)}}}")
        self.data["kennzahlen"] = "\n".join([
            "art: kennzahlen", f"titel: Planung {YEAR}", "spalten:", "  bezeichnung: Zweckbestimmung",
            f"  plan: Eintritte {YEAR}", f"  basis: Ansatz {YEAR - 1}", "  vergleich: Vergleich", "nachkommastellen: 1",
            "summen:", "  - bezeichnung: Insgesamt", f"    erwartet: {{plan: {german(plan)}, basis: {german(basis)}}}",
            "  - bezeichnung: ohne FbW / Reha", "    ohne: [weiterbildung, reha]", "gruppen:", *lines]) + "\n"

    # -- chapters ---------------------------------------------------------------------------------------------
    def box(self) -> str:
        w, kind = self.words, self.rng.choice(["kasten", "strategie", "ziel", "haken"])
        items = [w.item() for _ in range(self.rng.randint(3, 7))]
        if kind == "kasten":
            body = [f"::: kasten Handlungsschwerpunkt {w.pick(THEMES)}",
                    *(f"{i}. {text}" for i, text in enumerate(items, 1))]
        elif kind == "strategie":
            body = [f"::: strategie {w.item()}", *(f"- {text}" for text in items)]
        elif kind == "ziel":
            body = ["::: ziel", f"Ziel ist es, {w.item()[0].lower() + w.item()[1:]} nachhaltig zu verbessern."]
        else:
            body = ["::: haken", *(f"- {text}" for text in items)]
        return "\n".join([*body, ":::"])

    def chapter(self, number: int, title: str, pages: float, ids: list[str]) -> str:
        w, r = self.words, self.rng
        theme = title.split(":")[-1].strip()
        content = max(pages - 0.5, 0.5)
        elements: list[str] = []
        used = 0.0
        for i in range(self.count("portfolio", content)):
            name, cost = self.portfolio(f"portfolio-{number:02d}-{i + 1}")
            elements.append(f"Die geplanten Eintritte im Portfolio summieren sich auf [[wert: {name}.summe]].\n\n"
                            f"[[tabelle: {name}]]")
            used += cost
        for i in range(self.count("table", content)):
            name, cost = self.table(f"tabelle-{number:02d}-{i + 1}", theme)
            elements.append(f"[[tabelle: {name}]]")
            used += cost
        for i in range(self.count("chart", content)):
            name = f"diagramm-{number:02d}-{i + 1}"
            elements.append(f"{w.sentence()[:-1]} ([[abb: {name}]]).\n\n{self.chart(name, theme)}")
            used += COST["chart"]
        for _ in range(self.count("box", content)):
            elements.append(self.box())
            used += COST["box"]
        for _ in range(self.count("list", content)):
            items = [w.item() for _ in range(r.randint(3, 7))]
            elements.append("Im Einzelnen sind vorgesehen:\n\n" + "\n".join(f"- {t}" for t in items))
            used += COST["list"]
        sections, subsections = self.count("section", content), self.count("subsection", content)
        used += sections * COST["section"] + subsections * COST["subsection"]
        words = max(content - used, 0.25 * content) * WORDS_PER_PAGE
        paragraphs = []
        while words > 0:
            text = w.paragraph(r.randint(3, 7))
            words -= len(text.split())
            paragraphs.append(text)
        footnotes = []
        for i in range(self.count("footnote", content)):
            at = r.randrange(len(paragraphs))
            paragraphs[at] = paragraphs[at][:-1] + f"[^f{i + 1}]."
            footnotes.append(f"[^f{i + 1}]: {w.sentence()}")
        if r.random() < 0.5 and len(ids) > 1:   # cross-references to other chapters
            other = r.choice([i for i in ids if i != f"k{number:02d}"])
            paragraphs[-1] += f" Einzelheiten stehen in [[kapitel: {other}]] auf [[seite: {other}]]."
        notes = [0] * len(paragraphs)
        for _ in range(self.count("note", content)):
            notes[r.randrange(len(paragraphs))] += 1
        blocks = []
        for text, n in zip(paragraphs, notes):
            blocks.append("".join(f"::: rand\n{w.note()}\n:::\n\n" for _ in range(min(n, 2))) + text)
        for element in elements:
            blocks.insert(r.randint(1, len(blocks)), element)
        heads = sorted(r.sample(range(1, len(blocks)), min(sections, len(blocks) - 1))) if len(blocks) > 1 else []
        subs = set(r.sample(heads, min(subsections, len(heads))))
        out: list[str] = []
        titles = r.sample(SECTIONS, min(len(heads), len(SECTIONS)))
        for i, block in enumerate(blocks):
            if i in heads:
                out.append(f"## {titles.pop() if titles else w.pick(SECTIONS)} {{#k{number:02d}-{i}}}")
                if i in subs:
                    out.append(f"### {w.note()}")
            out.append(block)
        front = f"---\ntitel: {q(title)}\nid: k{number:02d}\n---\n"
        return "\n\n".join([front.rstrip(), *out, *footnotes]) + "\n"

    def plan(self) -> list[float]:
        """Page budget per chapter: cover + TOC in front, the Kennzahlen chapter (one page) and the abbreviations
        at the back, the rest in chapters."""
        budget = self.pages - 3 - self.pages // 60 - (2 if self.pages > 40 else 1)
        count = max(2, round(budget / 9.5))
        raw = [self.rng.uniform(5, 20) for _ in range(count)]
        return [max(1.5, budget * x / sum(raw)) for x in raw]

    def write(self, target: Path) -> Path:
        plan = self.plan()
        titles, seen = [], set()
        for _ in plan:
            title = self.rng.choice(CHAPTER_FRAMES).format(self.rng.choice(THEMES))
            while title in seen:
                title = self.rng.choice(CHAPTER_FRAMES).format(self.rng.choice(THEMES))
            seen.add(title)
            titles.append(title)
        where = max(1, len(plan) * 2 // 5)     # the Kennzahlen chapter comes before this one
        ids = [f"k{i + 1:02d}" for i in range(len(plan) + 1)]
        files = []
        chapters = {}
        number = 0
        for index, (title, pages) in enumerate(zip(titles, plan)):
            if index == where:
                number += 1
                self.kennzahlen()
                files.append(f"{number:02d}-kennzahlen.md")
                chapters[files[-1]] = "\n\n".join([
                    f"---\ntitel: Kennzahlen\nid: k{number:02d}\n---",
                    f"Für {YEAR} sind insgesamt [[wert: kennzahlen.summe.plan]] Eintritte geplant, nach "
                    "Zweckbestimmungen gegliedert:", "[[tabelle: kennzahlen]]", self.words.paragraph(4)]) + "\n"
            number += 1
            files.append(f"{number:02d}-kapitel-{number:02d}.md")
            chapters[files[-1]] = self.chapter(number, title, pages, ids)
        edition = edition_folder(target)
        shutil.rmtree(target / "content", ignore_errors=True)
        (edition / "kapitel").mkdir(parents=True)
        (edition / "daten").mkdir()
        (target / "amip-projekt.yaml").write_text(
            f"# Synthetische Benchmark-Ausgabe ({self.pages} Seiten), erzeugt von bench/synthetic.py.\n"
            f"standardausgabe: content/{ORG}/{YEAR}\n", encoding="utf-8")
        org = target / "content" / ORG
        (org / "traeger.yaml").write_text(
            "name: Jobcenter Musterhausen\nerstes_programm: 2005\nanschrift:\n  strasse: Hafenstraße 12\n"
            '  plz: "40200"\n  ort: Musterhausen\ntheme:\n  farbe: "#00528c"\n  akzent: "#e07b00"\n', encoding="utf-8")
        (org / "abkuerzungen.yaml").write_text(
            "".join(f"{k}: {v}\n" for k, v in sorted(ABBREVIATIONS.items())), encoding="utf-8")
        (edition / "ausgabe.yaml").write_text("\n".join([
            f"jahr: {YEAR}", "titel: Arbeitsmarkt- und Integrationsprogramm", "status: beschlossen",
            f"stand: 01.12.{YEAR - 1}", "beschluss:", f"  datum: 12.12.{YEAR - 1}", f"  nummer: TV 7/{YEAR - 1}",
            "impressum:", "  herausgeber: [Jobcenter Musterhausen, Geschäftsführung]",
            "  verantwortlich: [Geschäftsführung Jobcenter Musterhausen, Hafenstraße 12, 40200 Musterhausen]",
            "kapitel:", *(f"  - {f}" for f in files), "abkuerzungsverzeichnis:", "  titel: Abkürzungsverzeichnis",
            "  nummeriert: ja", "  spalten: 1", "  auswahl: alle", "  register: ../abkuerzungen.yaml",
            "kapitel_auf_neuer_seite: ja"]) + "\n", encoding="utf-8")
        for name, text in chapters.items():
            (edition / "kapitel" / name).write_text(text, encoding="utf-8")
        for name, text in self.data.items():
            (edition / "daten" / f"{name}.yaml").write_text(text, encoding="utf-8")
        return edition


def generate(pages: int, target: Path | None = None, seed: int = SEED) -> Path:
    """Write the synthetic project for about `pages` pages into `target` (default build/bench/<pages>/);
    return the edition folder."""
    if pages < MIN_PAGES:
        raise ValueError(f"at least {MIN_PAGES} pages")
    target = target or ROOT / "build" / "bench" / str(pages)
    target.mkdir(parents=True, exist_ok=True)
    return Edition(pages, seed).write(target)


def page_count(pdf: Path) -> int:
    import pikepdf

    with pikepdf.open(pdf) as document:
        return len(document.pages)


def build(edition: Path) -> int:
    """`amip build` of the edition (as an author runs it); the PDF's page count."""
    target = edition.parents[2]
    result = subprocess.run([sys.executable, "-m", "amip.cli", "build", "--leise", str(edition.relative_to(target))],
                            cwd=target, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"amip build fehlgeschlagen:\n{result.stderr}{result.stdout}")
    return page_count(pdf_path(target))


def main(argv: list[str]) -> None:
    venv = ROOT / ".venv" / "bin" / "python"
    if importlib.util.find_spec("amip") is None and "--ohne-build" not in argv:   # a plain `python bench/…`
        if not venv.exists():
            raise SystemExit("amip ist nicht installiert: bitte zuerst „make setup“ ausführen.")
        os.execv(venv, [str(venv), __file__, *argv])
    sizes = [int(a) for a in argv if a.isdigit()]
    if not sizes or any(not a.isdigit() and a != "--ohne-build" for a in argv):
        raise SystemExit("Aufruf: python bench/synthetic.py SEITEN [SEITEN …] [--ohne-build]")
    if min(sizes) < MIN_PAGES:
        raise SystemExit(f"Eine synthetische Ausgabe hat mindestens {MIN_PAGES} Seiten (Titel, Inhalt, drei Kapitel, "
                         "Abkürzungen).")
    for pages in sizes:
        edition = generate(pages)
        print(f"Geschrieben: {edition.relative_to(ROOT)} ({len(list((edition / 'kapitel').glob('*.md')))} Kapitel)")
        if "--ohne-build" not in argv:
            got = build(edition)
            deviation = got / pages - 1
            print(f"PDF: {got} Seiten (Ziel {pages}, {deviation:+.0%}"
                  f"{', außerhalb ±10 %' if abs(deviation) > 0.10 else ''})")


if __name__ == "__main__":
    main(sys.argv[1:])
