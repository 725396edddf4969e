"""Turn an edition's prose into findings: numbers that should come from the data, stale years,
unfilled placeholders, undefined or unused abbreviations.

Placeholders stop the build (a "um X %" once went to print); everything else is a warning that
`amip check` lists with file:line, because a human has to judge it.
"""

from __future__ import annotations

import re
from decimal import Decimal

from . import formatting as fmt
from .errors import Collector, Location
from .findings.years import historical

_REFERENCE = re.compile(r"\[\[[^\]]*\]\]")
_NUMBER = re.compile(r"(?<![\w.,/-])(\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?(?![\w.,]?\d)")
_YEAR = re.compile(r"(?<![\d.,])(19[5-9]\d|20\d\d)(?![\d])")
# "Festlegung Wert" is no placeholder on its own: "um 5 % (Festlegung Wert im Zielvereinbarungsprozess)"
# is a finished sentence; the unfilled one ("um X % (Festlegung Wert …)") is caught by "um X %".
_PLACEHOLDER = re.compile(r"(\bum\s+X+\s*%|\bX{2,}\b|\bTODO\b|\[\s*…\s*\]|\[\s*\.\.\.\s*\]|\?\?\?)")
_PERCENT_AFTER = re.compile(r"^\s?(%|Prozent|v\.\s?H\.)")    # "zu 100 %" is a share, never a data value
_ROUNDED_BEFORE = re.compile(r"\b(ca\.|rd\.|rund|etwa|knapp|gut|fast|über|mehr als|weniger als|bis zu)\s*$", re.IGNORECASE)
_NEAR = Decimal("0.15")


def prose_lines(edition, raw: bool = False):
    """(location, text) of every line of chapter prose, without front matter, directives and references
    (with `raw`: (location, text, the line with its references))."""
    for chapter in edition.chapters:
        in_directive = False
        for offset, line in enumerate(chapter.text.splitlines()):
            stripped = line.strip()
            if stripped.startswith(":::"):
                in_directive = not in_directive if stripped == ":::" or in_directive else True
                continue
            where = Location(chapter.source_path, chapter.body_line + offset)
            yield (where, _REFERENCE.sub(" ", line), line) if raw else (where, _REFERENCE.sub(" ", line))


def check_prose(edition, problems: Collector) -> None:
    data_values = {path: number for path, (text, number) in edition.values.items()
                   if not path.startswith("ausgabe.") and number is not None and not text.endswith("%")}
    by_number: dict[Decimal, list[str]] = {}
    for path, number in data_values.items():
        by_number.setdefault(number, []).append(path)
    year = edition.ausgabe.jahr
    basis_years = _basis_years(edition)
    labels = _row_words(edition)
    for where, line, source in prose_lines(edition, raw=True):
        # rows the line refers to with [[wert: datei.zeile.spalte]] are what it talks about
        referenced = {m.group(1) for m in re.finditer(r"\[\[\s*wert:\s*([^.\]\s]+\.[^.\]\s]+)", source)}
        for match in _PLACEHOLDER.finditer(line):
            problems.error(where, f"Platzhalter „{match.group(0)}“ im Text.",
                           "Ersetzen Sie ihn durch den Wert – am besten [[wert: …]] aus den Daten – oder streichen Sie ihn.")
        years = {int(y) for y in _YEAR.findall(line)}
        stale = sorted({int(m.group(1)) for m in _YEAR.finditer(line)
                        if int(m.group(1)) < year - 1 and not historical(line, m.start(), m.end())})
        for old in stale:
            problems.warn(where, f"Jahreszahl {old} liegt vor dem Vorjahr der Ausgabe ({year - 1}).",
                          "Bei aus Vorjahren übernommenem Text prüfen, ob das Jahr noch stimmt.")
        for match in _NUMBER.finditer(line):
            raw = match.group(0)
            if "," in raw or _PERCENT_AFTER.match(line[match.end():]):
                continue
            number = Decimal(raw.replace(".", ""))
            # small numbers (counts of days, ages, shares) match some data value by chance
            if number < 100 or (1950 <= number <= 2099 and "." not in raw):
                continue
            named = _year_of(line, match.start(), years)
            columns = [basis_years[y] for y in sorted(named & set(basis_years))]
            if _ROUNDED_BEFORE.search(line[:match.start()]) and not columns:
                continue  # "ca. 2.000 Schüler": a rounded count, equal to a data value by chance
            exact = sorted(p for column in columns for p, v in column.items() if v == number) or \
                (sorted(by_number.get(number, [])) if not columns else [])
            if exact and not any(_about(line, labels.get(p)) for p in exact):
                exact = []  # "400 Plätze" of another measure: equal to the Einstiegsgeld plan by chance
            if exact:
                problems.warn(where, f"Zahl {raw} steht auch in den Daten ({', '.join(exact[:2])}).",
                              f"Schreiben Sie [[wert: {exact[0]}]], dann bleibt der Text bei Änderungen richtig.")
                continue
            for mentioned in sorted(named & set(basis_years)):
                # only rows the sentence talks about: "757 Stellen" is no estimate of any row of the year
                near = _nearest(number, {p: v for p, v in basis_years[mentioned].items()
                                         if _about(line, labels.get(p, ())) or p.rsplit(".", 1)[0] in referenced})
                if near is not None:
                    path, value = near
                    diff = fmt.percent(number / value - 1, 1)
                    problems.warn(where, f"Zahl {raw} weicht um {diff} von {path} ({fmt.number(value)}) ab; "
                                         f"der Satz nennt {mentioned}.",
                                  "Zwei verschiedene Werte für dasselbe Jahr? Nehmen Sie den Wert aus den Daten "
                                  f"([[wert: {path}]]) oder erklären Sie den Unterschied.")
                    break


def _year_of(line: str, start: int, years: set[int]) -> set[int]:
    """The year a number belongs to: the nearest year named before it in its clause (";" ends one), else the
    first one after it before a comma, bracket or the clause's end ("900 Eintritte für 2018"), else none."""
    clause_start = line.rfind(";", 0, start) + 1
    before = [int(m.group(1)) for m in _YEAR.finditer(line[clause_start:start])]
    if before:
        return {before[-1]}
    after = re.split(r"[;(]|[,.:]\s", line[start:] + " ", maxsplit=1)[0]
    found = [int(m.group(1)) for m in _YEAR.finditer(after)]
    return {found[0]} if found else set()


def _basis_years(edition) -> dict[int, dict[str, Decimal]]:
    """Years named in Kennzahlen column headings ("Ergebnis 2025") → the values of that column."""
    from .compute import KennzahlenFigures

    found: dict[int, dict[str, Decimal]] = {}
    for name, figs in edition.figures.items():
        if not isinstance(figs, KennzahlenFigures):
            continue
        for field, column in figs.value_columns:
            for y in _YEAR.findall(column):
                values = found.setdefault(int(y), {})
                for row in figs.rows:
                    if row.key and field in row.numbers:
                        values[f"{name}.{row.key}.{field}"] = row.numbers[field]
    return found


_STOP = {"inkl", "und", "mit", "der", "die", "das", "für", "von", "ohne", "davon", "sonstige", "gesamt", "summe", "ein",
         "eine", "einer", "eines", "zur", "zum", "nach", "bei", "aus"}


def _row_words(edition) -> dict[str, tuple[str, ...]]:
    """Value path → the words of its row (label and key) that name it in a sentence."""
    from .compute import KennzahlenFigures, PortfolioFigures

    found = {}
    for name, figs in edition.figures.items():
        if isinstance(figs, KennzahlenFigures):
            for row in figs.rows:
                if row.key:
                    words = {w.casefold() for w in re.findall(r"\w{3,}", f"{row.label} {row.key}")
                             if not _ROMAN.match(w)} - _STOP
                    for field in row.numbers:
                        found[f"{name}.{row.key}.{field}"] = tuple(sorted(words))
        for row in getattr(figs, "rows", ()) if isinstance(figs, PortfolioFigures) else ():
            if row.key:
                found[f"{name}.{row.key}"] = tuple(sorted({w.casefold() for w in re.findall(r"\w{3,}", f"{row.instrument} "
                                                                                             f"{row.key}")} - _STOP))
    return found


def _about(line: str, words: tuple[str, ...] | None) -> bool:
    """Does the line name the row (None: a value whose row amip cannot name – always relevant)?"""
    if words is None:
        return True
    folded = line.casefold()
    return any(re.search(rf"(?<!\w){re.escape(w)}", folded) for w in words)


def _nearest(number: Decimal, values: dict[str, Decimal]):
    best = None
    for path, value in values.items():
        if value >= 100 and number != value and abs(number / value - 1) <= _NEAR:
            if best is None or abs(number - value) < abs(number - best[1]):
                best = (path, value)
    return best


_ABBREVIATION = re.compile(r"(?<![\w-])((?=[\w/-]*[A-ZÄÖÜ][\w/-]*[A-ZÄÖÜ])[A-Za-zÄÖÜäöüß][\w/-]{1,11})(?![\w-])")
_ROMAN = re.compile(r"^[IVXLC]+[a-z]?$")        # "VT IIIb": a Roman numeral with a letter
_NAME = re.compile(r"^[A-ZÄÖÜ][a-zäöüß]{2,}[A-ZÄÖÜ][a-zäöüß]{2,}$")   # "JobAct", "KomBer": a name in camel case


def used_abbreviations(edition, text: str) -> tuple[set[str], set[str]]:
    """(register entries that occur in `text`, abbreviation-like words that are not in the register)."""
    register = {short for short, _ in edition.abbreviations}
    used = {short for short in register if re.search(rf"(?<![\w]){re.escape(short)}(?![\w])", text)}
    parts = {part for short in register for part in re.split(r"[\s/-]", short)}
    # words of a quoted title in capitals („PROJEKT ICH“) are no abbreviations
    quoted = {w for title in re.findall(r"„([^“]{1,80})“", text) if title.isupper() for w in title.split()}
    unknown = set()
    for match in _ABBREVIATION.finditer(text):
        for word in re.split(r"[/-]", match.group(1)):
            if sum(c.isupper() for c in word) < 2 or word in register or word in parts:
                continue
            if _ROMAN.match(word) or word.isupper() and len(word) > 6 or _NAME.match(word) or word in quoted:
                continue
            unknown.add(word)
    return used, unknown


def check_abbreviations(edition, text: str, problems: Collector) -> None:
    if edition.abbreviations_heading is None:
        return
    used, unknown = used_abbreviations(edition, text)
    register_path = _register_location(edition)
    first_use = {}
    for where, line in prose_lines(edition):
        for word in unknown - set(first_use):
            if re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", line):
                first_use[word] = where
    first_use.update(_first_use_in_sources(edition, unknown - set(first_use)))
    for word in sorted(unknown):
        where = first_use.get(word, edition.abbreviations_heading.location)
        problems.warn(where, f"Abkürzung „{word}“ wird verwendet, steht aber nicht im Abkürzungsregister.",
                      f"Ergänzen Sie „{word}: …“ in {register_path} oder schreiben Sie das Wort aus.")
    unused = sorted({s for s, _ in edition.abbreviations} - used, key=str.casefold)
    if edition.ausgabe.abkuerzungsverzeichnis.auswahl == "alle" and unused:
        # one line: the register is the organisation's, shared by its editions; most entries are unused in any one
        shown = ", ".join(unused)
        problems.warn(_setting_location(edition),
                      f"{len(unused)} von {len(edition.abbreviations)} Registereinträgen kommen in dieser Ausgabe nicht "
                      f"vor, stehen aber im Abkürzungsverzeichnis: {shown}.",
                      "Mit „abkuerzungsverzeichnis: auswahl: verwendete“ in ausgabe.yaml listet das Verzeichnis nur die "
                      "verwendeten Abkürzungen.")


def _first_use_in_sources(edition, words: set[str]) -> dict:
    """Where words that prose lines do not hold (tables in boxes, data files) first occur in the sources."""
    found = {}
    files = [c.source_path for c in edition.chapters] + sorted((edition.folder / "daten").glob("*.yaml"))
    for path in files:
        if not words - set(found):
            break
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError:
            continue
        for word in sorted(words - set(found)):
            pattern = re.compile(rf"(?<![\w]){re.escape(word)}(?![\w])")
            number = next((n for n, line in enumerate(lines, start=1) if pattern.search(line)), None)
            if number is not None:
                found[word] = Location(path, number)
    return found


def _setting_location(edition) -> Location:
    """The line `abkuerzungsverzeichnis:` of ausgabe.yaml (where `auswahl` is set), else the file."""
    path = edition.folder / "ausgabe.yaml"
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.startswith("abkuerzungsverzeichnis:"):
                return Location(path, number)
    except OSError:
        pass
    return Location(path)


def _register_location(edition) -> str:
    return edition.ausgabe.abkuerzungsverzeichnis.register_datei or "../abkuerzungen.yaml"
