"""Turn review marks in the author's sources into warnings (and placeholder errors) that stay quiet.

An author who has checked a warning writes a mark with a reason next to the text it is about:

    Markdown (the line after the paragraph):   <!-- geprüft: 3f9a01c2: Zitat aus dem Bericht 2019 -->
    YAML (end of the line, or the line above): # geprüft: 3f9a01c2: Wert wird erst im März festgelegt

The code is the first 8 hex digits of SHA-256 over the message and the text it is about (the
paragraph, or the YAML line without comments). amip prints the exact mark to paste with every
warning. When the paragraph or the message changes (another number, another edition year), the
code no longer matches and the warning is back – a review holds for the text that was reviewed.
Marks live in the source, not in a side file, so they travel with the text into next year's
edition and disappear with it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import Problem

MARK = re.compile(r"<!--\s*geprüft:\s*([0-9a-f]{8})\s*(?::\s*(.*?))?\s*-->")
YAML_MARK = re.compile(r"#\s*geprüft:\s*([0-9a-f]{8})\s*(?::\s*(.*?))?\s*$")
# errors an author may mark as reviewed: placeholders (a bracketed "[…]" in a quotation is no gap)
REVIEWABLE_ERRORS = ("Platzhalter „",)


@dataclass(frozen=True)
class Reviewed:
    """A warning or error that an author marked as reviewed, with the reason given."""

    problem: Problem
    reason: str

    def format(self) -> str:
        return f"{self.problem.location}: Geprüft ({self.reason}): {self.problem.message}"


def reviewable(problem: Problem) -> bool:
    return problem.level == "warnung" or problem.message.startswith(REVIEWABLE_ERRORS)


def blank_marks(text: str) -> str:
    """Markdown text with every review mark line emptied (line numbers stay); marks are never printed."""
    return "\n".join("" if MARK.fullmatch(line.strip()) else line for line in text.split("\n"))


class Sources:
    """The author's files as lines, read once per settle()."""

    def __init__(self) -> None:
        self._lines: dict[Path, list[str] | None] = {}

    def lines(self, path: Path) -> list[str] | None:
        if path not in self._lines:
            try:
                self._lines[path] = Path(path).read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
            except (OSError, UnicodeDecodeError):
                self._lines[path] = None
        return self._lines[path]


def _subject(lines: list[str], index: int, markdown: bool) -> tuple[str, list[tuple[str, str]]]:
    """(the text a finding at 0-based line `index` is about, the marks found with it)."""
    if not markdown:
        line = lines[index]
        marks = []
        for candidate in (line, lines[index - 1] if index > 0 else ""):
            found = YAML_MARK.search(candidate)
            if found:
                marks.append((found.group(1), (found.group(2) or "").strip()))
        return YAML_MARK.sub("", line).rstrip(), marks
    start = index
    while start > 0 and lines[start - 1].strip():
        start -= 1
    end = index
    while end + 1 < len(lines) and lines[end + 1].strip():
        end += 1
    block = lines[start:end + 1]
    marks = [(m.group(1), (m.group(2) or "").strip()) for m in (MARK.fullmatch(x.strip()) for x in block) if m]
    text = " ".join(" ".join(x.split()) for x in block if not MARK.fullmatch(x.strip()))
    return text, marks


def code(message: str, subject: str) -> str:
    return hashlib.sha256(f"{message}\n{subject}".encode("utf-8")).hexdigest()[:8]


def settle(problems: list[Problem], sources: Sources | None = None) -> tuple[list[Problem], list[Reviewed]]:
    """→ (the problems still open, each reviewable one with the mark to paste in its hint; the reviewed ones)."""
    sources = sources or Sources()
    still, reviewed = [], []
    for problem in problems:
        where = problem.location
        lines = sources.lines(where.path) if reviewable(problem) and where.line else None
        if lines is None or not 0 < where.line <= len(lines):
            still.append(problem)
            continue
        markdown = Path(where.path).suffix.lower() == ".md"
        subject, marks = _subject(lines, where.line - 1, markdown)
        expected = code(problem.message, subject)
        reason = next((r for c, r in marks if c == expected), None)
        if reason and reason != "Grund":
            reviewed.append(Reviewed(problem, reason))
            continue
        mark = (f"<!-- geprüft: {expected}: Grund -->" if markdown else f"# geprüft: {expected}: Grund")
        place = "in die Zeile direkt unter dem Absatz" if markdown else "ans Ende dieser Zeile"
        if reason is not None:  # the right code, but no reason
            note = f"Der Prüfvermerk braucht einen Grund: {mark}"
        else:
            note = f"Geprüft und in Ordnung? Schreiben Sie {place}: {mark}"
        still.append(replace(problem, hint=f"{problem.hint}\n    {note}" if problem.hint else note))
    return still, reviewed
