"""Turn author mistakes into located German messages (file:line:column, what is wrong, how to fix it)."""

from __future__ import annotations

import errno
import os
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
    except (ValueError, OSError, RuntimeError):  # outside the working directory, or a symlink loop
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
    """A build could not be completed (notes that do not fit, a renderer problem, an internal error).
    Shown as "Abbruch: …" (click's own prefix would be the English "Error:"). Exit code 1 like content
    errors; 2 is click's code for a wrong command line, 3 is `EnvironmentProblem`."""

    exit_code = 1

    def __init__(self, message: str, exit_code: int = 1):
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


class EnvironmentProblem(BuildError):
    """The machine, not the text: disk full, no write permission, a file where a folder belongs, a
    symlink loop, another build running. Exit code 3."""

    def __init__(self, message: str):
        super().__init__(message, exit_code=3)


_ENVIRONMENT = {
    errno.ENOSPC: ("Der Datenträger ist voll", "Schaffen Sie Platz (z. B. alte Ordner in build/ löschen) und "
                   "starten Sie den Build erneut."),
    errno.EDQUOT: ("Ihr Speicherkontingent ist erschöpft", "Schaffen Sie Platz und starten Sie erneut."),
    errno.EACCES: ("Keine Berechtigung", "Prüfen Sie die Schreib- und Leserechte für diesen Ordner."),
    errno.EPERM: ("Keine Berechtigung", "Prüfen Sie die Schreib- und Leserechte für diesen Ordner."),
    errno.EROFS: ("Der Datenträger ist schreibgeschützt", "Bauen Sie in einem beschreibbaren Ordner."),
    errno.ENOTDIR: ("Hier liegt eine Datei, wo ein Ordner stehen muss", "Benennen Sie die Datei um oder löschen Sie sie."),
    errno.EEXIST: ("Hier liegt bereits etwas anderes (Datei statt Ordner?)", "Benennen Sie es um oder löschen Sie es."),
    errno.EISDIR: ("Hier liegt ein Ordner, wo eine Datei stehen muss", "Benennen Sie den Ordner um oder löschen Sie ihn."),
    errno.ELOOP: ("Symbolische Verknüpfungen bilden eine Schleife", "Löschen Sie die Verknüpfung oder lassen Sie sie "
                  "auf eine echte Datei zeigen."),
    errno.ENAMETOOLONG: ("Der Pfad ist zu lang", "Wählen Sie kürzere Ordner- oder Dateinamen."),
    errno.EMFILE: ("Zu viele offene Dateien", "Schließen Sie andere Programme und starten Sie erneut."),
    errno.ENOMEM: ("Zu wenig Arbeitsspeicher", "Schließen Sie andere Programme und starten Sie erneut."),
    errno.EIO: ("Lese- oder Schreibfehler des Datenträgers", "Prüfen Sie den Datenträger."),
}


def environment_problem(exc: BaseException) -> EnvironmentProblem | None:
    """A German message (exit code 3) for an operating-system error, or None if it is not one we know.

    Python 3.11 reports a symlink loop in Path.resolve() as RuntimeError, later versions as OSError.
    """
    if isinstance(exc, RuntimeError) and str(exc).startswith("Symlink loop"):
        where = str(exc).split("from", 1)[-1].strip(" '\"")
        text, hint = _ENVIRONMENT[errno.ELOOP]
        return EnvironmentProblem(f"{text}: {where}. {hint}")
    if isinstance(exc, MemoryError):
        text, hint = _ENVIRONMENT[errno.ENOMEM]
        return EnvironmentProblem(f"{text}. {hint}")
    if not isinstance(exc, OSError) or exc.errno not in _ENVIRONMENT:
        return None
    text, hint = _ENVIRONMENT[exc.errno]
    where = exc.filename if exc.filename is not None else ""
    if where:
        text += f": {_display_path(Path(os.fsdecode(where)))}"
    return EnvironmentProblem(f"{text}. {hint}")
