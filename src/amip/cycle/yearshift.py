"""Turn last year's titles, headings and standard phrases into this year's: only years that name the edition.

Titles and headings move the edition's year and the year before it ("Planung 2026, Ergebnis 2025"
→ "Planung 2027, Ergebnis 2026"). Running text keeps its years – "seit 2015", "im Jahr 2024" are
history – except in the standard phrases that every edition repeats with its own year
("Arbeitsmarkt- und Integrationsprogramm 2026", "Planung für 2026", "Eingliederungsmittelverordnung
2026"). Everything moved is listed; everything else is left to the authors (amip check --final
lists the years that are stale then).
"""

from __future__ import annotations

import re

_YEAR = re.compile(r"(?<![\d.,/-])(19[5-9]\d|20\d\d)(?![\d])")

# Phrases whose year is the edition's year in every programme (German, as printed in the originals).
_PHRASES = (
    r"Arbeitsmarkt-\s+und\s+Integrationsprogramm(?:s|es)?",
    r"\bAMIP",
    r"\bPlanung(?:en)?(?:\s+für(?:\s+das\s+Jahr)?)?",
    r"\bPlanungsjahr(?:es|s)?",
    r"\bPlanjahr(?:es|s)?",
    r"\bProgrammjahr(?:es|s)?",
    r"\bEingliederungsmittelverordnung",
    r"\bZielplanung(?:en)?(?:\s+für)?",
    r"\bZielvereinbarung(?:en)?(?:\s+für)?",
)


def in_title(text: str, old: int, new: int) -> str:
    """A title or heading: the edition's year and the year before it move by new − old."""
    delta = new - old
    return _YEAR.sub(lambda m: str(int(m.group(1)) + delta) if int(m.group(1)) in (old, old - 1) else m.group(1), text)


def in_prose(text: str, old: int, new: int) -> str:
    """Running text: only the edition's year right after a standard phrase moves."""
    pattern = re.compile(r"((?:" + "|".join(_PHRASES) + r")\s+)" + str(old) + r"(?![\d])")
    return pattern.sub(lambda m: m.group(1) + str(new), text)
