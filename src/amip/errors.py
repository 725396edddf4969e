"""Turn author mistakes into located German messages (file:line:column, what is wrong, how to fix it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click


@dataclass(frozen=True)
class Location:
    """A place in an author's file; line and column count from 1."""

    path: Path
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        text = _display_path(self.path)
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


def _display_path(path: Path) -> str:
    """Show paths relative to the working directory where possible, as authors type them."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class Problem:
    """One located finding. `level` is "fehler" (stops the build) or "warnung" (reported only)."""

    location: Location
    message: str
    hint: str = ""
    level: str = "fehler"

    def format(self) -> str:
        label = "Fehler" if self.level == "fehler" else "Warnung"
        text = f"{self.location}: {label}: {self.message}"
        if self.hint:
            text += f"\n    Hinweis: {self.hint}"
        return text


class ContentError(click.ClickException):
    """One or more author mistakes; shown without a traceback, exit code 1."""

    exit_code = 1

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(self.render())

    def render(self) -> str:
        errors = [p for p in self.problems if p.level == "fehler"]
        lines = [p.format() for p in self.problems]
        lines.append(f"{len(errors)} Fehler gefunden – es wurde nichts geschrieben.")
        return "\n".join(lines)

    def format_message(self) -> str:  # click prints "Error: " + this
        return self.render()

    def show(self, file=None) -> None:  # no English "Error:" prefix
        click.echo(self.render(), err=True)


class BuildError(click.ClickException):
    """A build could not be completed for a reason outside the author's text (font, renderer, lock).
    Shown as "Abbruch: …" (click's own prefix would be the English "Error:")."""

    exit_code = 2

    def __init__(self, message: str, exit_code: int = 2):
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None) -> None:
        click.echo(f"Abbruch: {self.message}", err=True)


class Collector:
    """Collects problems across a whole stage so that authors see every mistake at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def error(self, location: Location, message: str, hint: str = "") -> None:
        self.problems.append(Problem(location, message, hint))

    def warn(self, location: Location, message: str, hint: str = "") -> None:
        self.problems.append(Problem(location, message, hint, level="warnung"))

    @property
    def has_errors(self) -> bool:
        return any(p.level == "fehler" for p in self.problems)

    def raise_if_errors(self) -> None:
        if self.has_errors:
            raise ContentError(self.problems)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warnung"]
