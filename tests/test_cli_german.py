"""The frame of the command line is German: help headings, usage errors, suggestions, exit codes."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from amip.cli import main
from amip.terminal import GermanGroup

ENGLISH = ["Usage", "Options", "Commands", "Error", "No such", "Try", "Show this message", "Missing",
           "Invalid", "Got unexpected", "Did you mean", "Aborted", "[OPTIONS]", "COMMAND", "requires an argument"]


def _no_english(text: str) -> None:
    found = [word for word in ENGLISH if word in text]
    assert not found, f"English frame words {found} in:\n{text}"


@pytest.mark.parametrize("args", [["--hilfe"], ["-h"], ["--help"], ["build", "--hilfe"], ["check", "-h"],
                                  ["publish", "--help"], ["verify", "--hilfe"], ["init", "--hilfe"]])
def test_help_is_german_under_every_name(args):
    result = CliRunner().invoke(main, args, prog_name="amip")
    assert result.exit_code == 0
    _no_english(result.output)
    assert result.output.startswith("Aufruf: amip") and "Optionen:" in result.output


def test_group_help_lists_commands_in_full_with_exit_codes():
    result = CliRunner().invoke(main, ["--hilfe"], prog_name="amip")
    assert "Befehle:" in result.output
    flat = " ".join(result.output.split())
    # the full first paragraph of check's description, not cut off with "…"
    assert "Prüft eine Ausgabe: lädt, validiert und rechnet, ohne etwas zu schreiben." in flat
    assert "..." not in result.output.split("Befehle:")[1].replace("[ARGUMENTE]...", "")
    for code, meaning in [("0", "alles in Ordnung"), ("1", "Fehler im Inhalt"), ("2", "falscher Aufruf"),
                          ("3", "Umgebung"), ("4", "Archiv"), ("130", "abgebrochen")]:
        assert f"{code} " in flat and meaning in flat


@pytest.mark.parametrize("args, expected", [
    (["foo"], "Fehler: Unbekannter Befehl „foo“. Befehle sind: build, check"),
    (["bild"], "Fehler: Unbekannter Befehl „bild“ – meinten Sie „build“?"),
    (["build", "--foo"], "Fehler: Unbekannte Option „--foo“."),
    (["build", "--stren"], "Meinten Sie „--streng“?"),
    (["publish", "--signieren"], "Die Option „--signieren“ braucht einen Wert."),
    (["verify", "a", "b"], "Unerwartetes zusätzliches Argument (b)"),
])
def test_usage_errors_are_german_with_exit_code_2(args, expected):
    result = CliRunner().invoke(main, args, prog_name="amip")
    assert result.exit_code == 2, result.output
    _no_english(result.output)
    assert expected in result.output
    assert "Hilfe:  amip" in result.output and "--hilfe" in result.output


def test_a_missing_required_argument_is_german():
    """No amip command has a required argument yet; one added later gets the German frame too."""

    @click.group(cls=GermanGroup)
    def tool():
        """Ein Werkzeug."""

    @tool.command("importiere")
    @click.argument("datei")
    def importiere(datei):
        """Liest DATEI."""

    result = CliRunner().invoke(tool, ["importiere"], prog_name="amip")
    assert result.exit_code == 2
    _no_english(result.output)
    assert "Es fehlt das Argument „DATEI“." in result.output


def test_no_arguments_shows_the_german_help():
    result = CliRunner().invoke(main, [], prog_name="amip")
    _no_english(result.output)
    assert "Befehle:" in result.output and "Fehler:" not in result.output


def test_ctrl_c_before_a_command_runs_ends_with_130(monkeypatch):
    import amip.cli

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(amip.cli._Group, "invoke", interrupted)
    result = CliRunner().invoke(main, ["check"], prog_name="amip")
    assert result.exit_code == 130
    assert "Abgebrochen" in result.output
    _no_english(result.output)
