"""Turn planned value changes into edits of the exact characters of each scalar in the YAML text.

Why not a round-trip YAML library: ruamel.yaml 0.19.1 (round-trip mode, preserve_quotes) was tried on
content/duesseldorf/2026/daten/kennzahlen.yaml with two changed values: it re-indented every block
sequence of the file (`  - zweck:` became `- zweck:`, 66 untouched lines changed) and wrote the new
value `2.000` as `'2.000'`, because to YAML an unquoted 2.000 is the float 2.0. amip's own loader
already knows line and column of every scalar, so the import replaces exactly the characters of
the old value and leaves every other byte of the file as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..load import Document
from ..tables.columns import _MARK

Path_ = tuple[str | int, ...]


class NotEditable(Exception):
    """The old value is written in a form amip does not replace by itself (empty, several lines, a block)."""


@dataclass(frozen=True)
class Edit:
    line: int        # 0-based
    start: int       # 0-based column of the first character of the old token
    end: int         # exclusive
    text: str


def german(number: Decimal, decimals: int, dots: bool = True) -> str:
    """1994 → "1.994", Decimal("1234.5") with 2 decimals → "1.234,50"; without dots: "1994"."""
    sign = "-" if number < 0 else ""
    fixed = f"{abs(number):.{decimals}f}"
    whole, _, frac = fixed.partition(".")
    if dots:
        whole = f"{int(whole):,}".replace(",", ".")
    return sign + whole + ("," + frac if frac else "")


def decimals_written(text: str) -> int:
    """How many decimals an author wrote: "1.234,50" → 2, "8.510" → 0."""
    body = _MARK.sub("", text.strip()).removesuffix("€").removesuffix("%").strip()
    return len(body.split(",", 1)[1]) if "," in body else 0


def mark_of(text: str) -> str:
    """A footnote mark written after the number ("60*"), kept when the number changes."""
    match = _MARK.search(text.strip())
    return match.group(0).strip() if match else ""


def unit_of(text: str) -> str:
    """A unit written after the number ("1.234,50 €", "12,5%"), kept as written when the number changes."""
    match = re.search(r"\s*[€%]$", _MARK.sub("", text.strip()))
    return match.group(0) if match else ""


def uses_dots(values: list[str]) -> bool:
    """Whether the file writes thousands with a dot (8.510) – the default – or without (8510)."""
    grouped = sum(bool(re.fullmatch(r"-?[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?\D*", v.strip())) for v in values)
    plain = sum(bool(re.fullmatch(r"-?[0-9]{4,}(,[0-9]+)?\D*", v.strip())) for v in values)
    return grouped >= plain


def locate(doc: Document, lines: list[str], path: Path_, new: str) -> Edit:
    """The edit that puts `new` where the scalar (or one-line `{text: …}` cell) at `path` stands."""
    if path not in doc.positions:
        raise NotEditable("nicht gefunden")
    line_no, col = doc.positions[path]
    line, start = lines[line_no - 1], col - 1
    old = _value_at(doc.data, path)
    if isinstance(old, dict) and line[start:start + 1] == "{":
        end = line.find("}", start)
        if end < 0 or line.find("{", start + 1, end) >= 0:
            raise NotEditable("Textzelle über mehrere Zeilen")
        return Edit(line_no - 1, start, end + 1, _plain(new, line[:start]))
    if not isinstance(old, str) or not old:
        raise NotEditable("leer oder kein einzelner Wert")
    quote = line[start:start + 1]
    if quote in ("'", '"'):
        if line[start + 1:start + 1 + len(old) + 1] != old + quote:
            raise NotEditable("Text in Anführungszeichen mit Sonderzeichen")
        return Edit(line_no - 1, start + 1, start + 1 + len(old), new)
    if line[start:start + len(old)] != old:
        raise NotEditable("Wert über mehrere Zeilen")
    return Edit(line_no - 1, start, start + len(old), _plain(new, line[:start]))


def _plain(new: str, before: str) -> str:
    """`new` as a plain scalar, quoted where it stands in [ … ] or { … } and holds a comma (300,5 would split)."""
    return f'"{new}"' if "," in new and not new.startswith("{") and _in_flow(before) else new


def _in_flow(before: str) -> bool:
    """Whether a plain scalar that starts after `before` stands inside [ … ] or { … } (quotes skipped)."""
    depth, quote = 0, ""
    for char in before:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
    return depth > 0


def apply(text: str, edits: list[Edit]) -> str:
    """`text` with every edit made; each line keeps its own line ending."""
    lines = split_lines(text)
    for edit in sorted(edits, key=lambda e: (e.line, e.start), reverse=True):
        line = lines[edit.line]
        lines[edit.line] = line[:edit.start] + edit.text + line[edit.end:]
    return "".join(lines)


def split_lines(text: str, ends: bool = True) -> list[str]:
    """Lines as YAML counts them (\\n, \\r\\n or \\r), with or without their line endings."""
    lines = re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)
    return lines if ends else [line.rstrip("\r\n") for line in lines]


def _value_at(data, path: Path_):
    for step in path:
        data = data[step]
    return data
