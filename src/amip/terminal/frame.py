"""Turn click's English frame (usage line, headings, usage errors) into German.

click wraps every text of its frame in gettext's `_()` / `ngettext()` but ships no German catalogue.
`install()` replaces those two names in click's modules by a lookup in `GERMAN` (a message without a
German entry stays English – tests/test_cli_german.py runs every frame path and fails on English).
`GermanGroup` and `GermanCommand` add what gettext cannot reach: the "[OPTIONEN]" metavars, full
command descriptions in the group help, „“ quotes, exit code 130 on Ctrl-C, the help option first
named `--hilfe`.
"""

from __future__ import annotations

import difflib
import re
import sys

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types

GERMAN: dict[str, str] = {
    "Usage:": "Aufruf:",
    "Options": "Optionen",
    "Commands": "Befehle",
    "Positional arguments": "Argumente",
    "Aborted!": "Abgebrochen.",
    "Missing command.": "Befehl fehlt.",
    "Error: {message}": "Fehler: {message}",
    "Try '{command} {option}' for help.": "Hilfe: {command} {option}",
    "Invalid value: {message}": "Ungültiger Wert: {message}",
    "Invalid value for {param_hint}: {message}": "Ungültiger Wert für {param_hint}: {message}",
    "Missing argument": "Es fehlt das Argument",
    "Missing option": "Es fehlt die Option",
    "Missing parameter": "Es fehlt die Angabe",
    "Missing {param_type}": "Es fehlt: {param_type}",
    "Missing parameter: {param_name}": "Es fehlt die Angabe {param_name}",
    "No such option {name!r}.": "Unbekannte Option {name!r}.",
    "No such command {name!r}.": "Unbekannter Befehl {name!r}.",
    "Show this message and exit.": "Zeigt diese Hilfe an.",
    "Show the version and exit.": "Zeigt die Version von amip an.",
    "Option {name!r} does not take a value.": "Die Option {name!r} nimmt keinen Wert.",
    "Argument {name!r} takes {nargs} values.": "Das Argument {name!r} braucht {nargs} Werte.",
    "Invalid start character for option ({option})": "Ungültiges Zeichen am Anfang der Option ({option})",
    "{value!r} is not a valid {number_type}.": "{value!r} ist keine gültige Zahl.",
    "{value} is not in the range {range}.": "{value} liegt nicht im Bereich {range}.",
    "file": "Datei", "directory": "Ordner", "path": "Pfad",
    "{name} {filename!r} does not exist.": "{name} {filename!r} gibt es nicht.",
    "{name} {filename!r} is a file.": "{name} {filename!r} ist eine Datei.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} ist ein Ordner.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} ist nicht lesbar.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} ist nicht beschreibbar.",
    "Do you want to continue?": "Fortfahren?",
    "Repeat for confirmation": "Zur Bestätigung wiederholen",
    "Error: The two entered values do not match.": "Fehler: Die beiden Eingaben stimmen nicht überein.",
    "Error: invalid input": "Fehler: ungültige Eingabe",
    "Press any key to continue...": "Weiter mit einer beliebigen Taste …",
    "default: {default}": "Standard: {default}",
    "env var: {var}": "Umgebungsvariable: {var}",
    "Choose from:\n\t{choices}": "Erlaubt sind:\n\t{choices}",
    "Value must be an iterable.": "Der Wert muss eine Liste sein.",
    "deprecated": "veraltet",
}

GERMAN_PLURAL: dict[str, tuple[str, str]] = {
    "Did you mean {possibility}?": ("Meinten Sie {possibility}?", "Meinten Sie eine von: {possibilities}?"),
    "Got unexpected extra argument ({args})": ("Unerwartetes zusätzliches Argument ({args})",
                                               "Unerwartete zusätzliche Argumente ({args})"),
    "Option {name!r} requires an argument.": ("Die Option {name!r} braucht einen Wert.",
                                              "Die Option {name!r} braucht {nargs} Werte."),
    "Takes {nargs} values but 1 was given.": ("Braucht {nargs} Werte, angegeben ist 1.",
                                              "Braucht {nargs} Werte, angegeben sind {len}."),
}

EXIT_CODES_EPILOG = """\b
Rückgabewerte (für Skripte):
  0    alles in Ordnung
  1    Fehler im Inhalt (Datei:Zeile und Hinweis stehen in der Meldung)
  2    falscher Aufruf (unbekannter Befehl, unbekannte Option, fehlende Angabe)
  3    Umgebung (Datenträger voll, keine Schreibrechte, anderer Build läuft)
  4    Archiv nicht unversehrt (amip verify, amip publish)
  130  abgebrochen (Strg+C)"""

EXIT_ABORTED = 130
_NO_ARGS_IS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())


def gettext(message: str) -> str:
    return GERMAN.get(message, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    german = GERMAN_PLURAL.get(singular)
    if german is None:
        return singular if count == 1 else plural
    return german[0] if count == 1 else german[1]


def _possibilities(possibilities: list[str]) -> str:
    names = ", ".join(f"„{p}“" for p in sorted(possibilities))
    return ngettext("Did you mean {possibility}?", "", len(possibilities)).format(possibility=names,
                                                                                   possibilities=names)


def install() -> None:
    """Route click's gettext calls through the German catalogue (idempotent)."""
    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser,
                   click.termui, click.types):
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
    if hasattr(click.exceptions, "_format_possibilities"):
        click.exceptions._format_possibilities = _possibilities


install()

_QUOTED = re.compile(r"'([^'\n]*)'")


def german_quotes(text: str) -> str:
    """click quotes names with Python's repr ('foo'); German text uses „foo“."""
    return _QUOTED.sub(r"„\1“", text)


def show_usage_error(error: click.UsageError, program: str = "amip") -> None:
    """The usage line, the German error and where to find help – never click's English frame."""
    ctx = error.ctx
    lines = []
    if ctx is not None:
        lines.append(ctx.get_usage())
    lines.append(f"Fehler: {german_quotes(error.format_message())}")
    lines.append(f"Hilfe:  {ctx.command_path if ctx is not None else program} --hilfe")
    click.echo("\n".join(lines), err=True)


class GermanCommand(click.Command):
    """A command with German metavars whose description in the group help is never cut off."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[OPTIONEN]")
        super().__init__(*args, **kwargs)

    def get_short_help_str(self, limit: int = 45) -> str:
        if self.short_help:
            return self.short_help.strip()
        first = (self.help or "").split("\n\n", 1)[0]
        return " ".join(first.split())


class GermanGroup(GermanCommand, click.Group):
    """The group of amip's commands: German frame, unknown commands with a suggestion, Ctrl-C = 130."""

    command_class = GermanCommand

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("subcommand_metavar", "BEFEHL [ARGUMENTE]...")
        super().__init__(*args, **kwargs)

    def resolve_command(self, ctx, args):
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None and not ctx.resilient_parsing:
            close = difflib.get_close_matches(name, self.list_commands(ctx), n=1)
            hint = f" – meinten Sie „{close[0]}“?" if close else \
                f". Befehle sind: {', '.join(self.list_commands(ctx))}."
            raise click.UsageError(f"Unbekannter Befehl „{name}“{hint}", ctx)
        return super().resolve_command(ctx, args)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except _NO_ARGS_IS_HELP as error:  # `amip` alone: the help, as click shows it (click ≥ 8.2)
            error.show()
            sys.exit(error.exit_code)
        except click.UsageError as error:
            show_usage_error(error, prog_name or "amip")
            sys.exit(error.exit_code)
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except (click.Abort, KeyboardInterrupt, EOFError):
            click.echo("\nAbgebrochen.", err=True)
            sys.exit(EXIT_ABORTED)
        sys.exit(result if isinstance(result, int) else 0)
