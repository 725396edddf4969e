"""Turn author text into located errors for characters the house font cannot print.

WeasyPrint draws a character missing from Open Sans as an empty box (or falls back to another
font, which `pdf.check_fonts` refuses only after the whole layout, without saying where). This
check runs before layout, on every string of the sources, and names file:line:column and the
character. The font's character map is read once per process with fontTools.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from .errors import Collector, Location
from .load import Document

_IGNORED = {"\n", "\r", "\t"}


def font_files(theme) -> tuple[Path, ...]:
    """The font files the edition is set in: the theme's own font, or the bundled Open Sans."""
    if theme is not None and getattr(theme, "font", None) is not None:
        return tuple(sorted({path for _, _, path in theme.font.faces}))
    from .theme.folder import default_templates

    return tuple(sorted((default_templates() / "fonts").glob("*.ttf")))


@functools.lru_cache(maxsize=8)
def house_cmap(files: tuple[Path, ...]) -> frozenset[int]:
    """Code points every one of the font files has (text may be set in any weight or style)."""
    from fontTools.ttLib import TTFont

    maps = [set(TTFont(path, lazy=True).getBestCmap()) for path in files]
    return frozenset(set.intersection(*maps)) if maps else frozenset()


def _missing(text: str, cmap: frozenset[int]) -> list[tuple[int, str]]:
    if all(c in _IGNORED or ord(c) in cmap for c in set(text)):  # the usual case, once per distinct character
        return []
    return [(i, c) for i, c in enumerate(text) if c not in _IGNORED and ord(c) not in cmap]


def _report(where: Location, found: list[tuple[int, str]], problems: Collector) -> None:
    shown = []
    for _, char in found:
        label = f"„{char}“ (U+{ord(char):04X})"
        if label not in shown:
            shown.append(label)
    one = len(shown) == 1
    problems.error(where, ("Das Zeichen " if one else "Die Zeichen ") + ", ".join(shown[:5])
                   + (" …" if len(shown) > 5 else "") + " gibt es in der Hausschrift nicht – "
                   + ("es würde als leeres Kästchen" if one else "sie würden als leere Kästchen") + " gedruckt.",
                   "Ersetzen Sie das Zeichen durch eines der Schrift (z. B. „-“ statt „‑“, ein normales Leerzeichen "
                   "statt eines schmalen) oder schreiben Sie den Begriff aus.")


def check_markdown(path: Path, body: str, body_line: int, problems: Collector, cmap: frozenset[int]) -> None:
    for number, line in enumerate(body.split("\n")):
        found = _missing(line, cmap)
        if found:
            _report(Location(path, body_line + number, found[0][0] + 1), found, problems)


def check_document(doc: Document | None, problems: Collector, cmap: frozenset[int]) -> None:
    """Every key and string value of a YAML document (keys are printed too: register, series names)."""
    if doc is None:
        return

    def walk(value: Any, loc: tuple) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                found = _missing(str(key), cmap)
                if found:
                    _report(doc.where(loc + (key,), key=True), found, problems)
                walk(item, loc + (key,))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, loc + (i,))
        elif isinstance(value, str):
            found = _missing(value, cmap)
            if found:
                where = doc.where(loc)
                if "\n" not in value and where.column is not None:
                    where = Location(where.path, where.line, where.column + found[0][0])
                _report(where, found, problems)

    walk(doc.data, ())
