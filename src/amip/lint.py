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

_REFERENCE = re.compile(r"\[\[[^\]]*\]\]")
_NUMBER = re.compile(r"(?<![\w.,/-])(\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?(?![\w.,]?\d)")
_YEAR = re.compile(r"(?<![\d.,])(19[5-9]\d|20\d\d)(?![\d])")
_PLACEHOLDER = re.compile(r"(\bum\s+X+\s*%|\bX{2,}\b|\bTODO\b|\[\s*…\s*\]|\[\s*\.\.\.\s*\]|Festlegung Wert|\?\?\?)")
_NEAR = Decimal("0.15")


def prose_lines(edition):
    """(location, text) of every line of chapter prose, without front matter, directives and references."""
    for chapter in edition.chapters:
        in_directive = False
        for offset, line in enumerate(chapter.text.splitlines()):
            stripped = line.strip()
            if stripped.startswith(":::"):
                in_directive = not in_directive if stripped == ":::" or in_directive else True
                continue
            yield Location(chapter.source_path, chapter.body_line + offset), _REFERENCE.sub(" ", line)


def check_prose(edition, problems: Collector) -> None:
    data_values = {path: number for path, (text, number) in edition.values.items()
                   if not path.startswith("ausgabe.") and number is not None and not text.endswith("%")}
    by_number: dict[Decimal, list[str]] = {}
    for path, number in data_values.items():
        by_number.setdefault(number, []).append(path)
    year = edition.ausgabe.jahr
    basis_years = _basis_years(edition)
    for where, line in prose_lines(edition):
        for match in _PLACEHOLDER.finditer(line):
            problems.error(where, f"Platzhalter „{match.group(0)}“ im Text.",
                           "Ersetzen Sie ihn durch den Wert – am besten [[wert: …]] aus den Daten – oder streichen Sie ihn.")
        years = {int(y) for y in _YEAR.findall(line)}
        for old in sorted(y for y in years if y < year - 1):
            problems.warn(where, f"Jahreszahl {old} liegt vor dem Vorjahr der Ausgabe ({year - 1}).",
                          "Bei aus Vorjahren übernommenem Text prüfen, ob das Jahr noch stimmt.")
        for match in _NUMBER.finditer(line):
            raw = match.group(0)
            if "," in raw:
                continue
            number = Decimal(raw.replace(".", ""))
            # small numbers (counts of days, ages, shares) match some data value by chance
            if number < 100 or (1950 <= number <= 2099 and "." not in raw):
                continue
            columns = [basis_years[y] for y in sorted(years & set(basis_years))]
            exact = sorted(p for column in columns for p, v in column.items() if v == number) or \
                (sorted(by_number.get(number, [])) if not columns else [])
            if exact:
                problems.warn(where, f"Zahl {raw} steht auch in den Daten ({', '.join(exact[:2])}).",
                              f"Schreiben Sie [[wert: {exact[0]}]], dann bleibt der Text bei Änderungen richtig.")
                continue
            for mentioned in sorted(years & set(basis_years)):
                near = _nearest(number, basis_years[mentioned])
                if near is not None:
                    path, value = near
                    diff = fmt.percent(number / value - 1, 1)
                    problems.warn(where, f"Zahl {raw} weicht um {diff} von {path} ({fmt.number(value)}) ab; "
                                         f"der Satz nennt {mentioned}.",
                                  "Zwei verschiedene Werte für dasselbe Jahr? Nehmen Sie den Wert aus den Daten "
                                  f"([[wert: {path}]]) oder erklären Sie den Unterschied.")
                    break


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


def _nearest(number: Decimal, values: dict[str, Decimal]):
    best = None
    for path, value in values.items():
        if value >= 100 and number != value and abs(number / value - 1) <= _NEAR:
            if best is None or abs(number - value) < abs(number - best[1]):
                best = (path, value)
    return best


_ABBREVIATION = re.compile(r"(?<![\w-])((?=[\w/-]*[A-ZÄÖÜ][\w/-]*[A-ZÄÖÜ])[A-Za-zÄÖÜäöüß][\w/-]{1,11})(?![\w-])")
_ROMAN = re.compile(r"^[IVXLC]+$")


def used_abbreviations(edition, text: str) -> tuple[set[str], set[str]]:
    """(register entries that occur in `text`, abbreviation-like words that are not in the register)."""
    register = {short for short, _ in edition.abbreviations}
    used = {short for short in register if re.search(rf"(?<![\w]){re.escape(short)}(?![\w])", text)}
    parts = {part for short in register for part in re.split(r"[\s/-]", short)}
    unknown = set()
    for match in _ABBREVIATION.finditer(text):
        for word in re.split(r"[/-]", match.group(1)):
            if sum(c.isupper() for c in word) < 2 or word in register or word in parts:
                continue
            if _ROMAN.match(word) or word.isupper() and len(word) > 6:
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
    for word in sorted(unknown):
        where = first_use.get(word, edition.abbreviations_heading.location)
        problems.warn(where, f"Abkürzung „{word}“ wird verwendet, steht aber nicht im Abkürzungsregister.",
                      f"Ergänzen Sie „{word}: …“ in {register_path} oder schreiben Sie das Wort aus.")
    if edition.ausgabe.abkuerzungsverzeichnis.auswahl == "alle":
        for short in sorted({s for s, _ in edition.abbreviations} - used):
            where = edition.abbreviation_locations.get(short, edition.abbreviations_heading.location)
            problems.warn(where, f"Registereintrag „{short}“ kommt in dieser Ausgabe nicht vor.",
                          "Prüfen Sie, ob er noch gebraucht wird (oder setzen Sie auswahl: verwendete).")


def _register_location(edition) -> str:
    return edition.ausgabe.abkuerzungsverzeichnis.register_datei or "../abkuerzungen.yaml"
