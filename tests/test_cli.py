"""The command line: German help with an example for every command; fast start without the renderer."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from amip.cli import main


@pytest.mark.parametrize("command", [[], ["build"], ["check"]])
def test_every_command_has_german_help_with_an_example(command):
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert "Beispiel:" in result.output
    assert "amip " in result.output.split("Beispiel:")[1]


def test_check_does_not_import_the_renderer_or_matplotlib():
    code = ("import sys; from amip.cli import main\n"
            "try:\n    main(['check'], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
            "print('weasyprint' in sys.modules, 'matplotlib' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "False False"


def test_an_internal_error_is_a_german_sentence_with_a_log(tmp_path, monkeypatch):
    """A bug in amip (not an author mistake) ends in a German message; the traceback goes to a log."""
    import amip.build

    def broken(*args, **kwargs):
        raise RuntimeError("kaputt")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(amip.build, "load_edition", broken)
    result = CliRunner().invoke(main, ["check", "irgendwo"])
    assert result.exit_code == 1
    assert "Interner Fehler in amip" in result.output and "Traceback" not in result.output
    assert "RuntimeError: kaputt" in (tmp_path / "build/amip-fehler.log").read_text(encoding="utf-8")


@pytest.mark.parametrize("args, expected", [
    (["check", "README.md"], "ausgabe.yaml fehlt"),
    (["build", "gibt/es/nicht"], "ausgabe.yaml fehlt"),
    (["verify", "gibt/es/nicht"], "keine veröffentlichte Ausgabe"),
])
def test_wrong_paths_get_german_messages(args, expected):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert expected in result.output and "Error:" not in result.output and "Invalid value" not in result.output


def test_edition_outside_the_content_layout_is_explained(tmp_path):
    from pathlib import Path

    import shutil

    root = Path(__file__).resolve().parents[1]
    shutil.copy(root / "content/duesseldorf/2026/ausgabe.yaml", tmp_path / "ausgabe.yaml")
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "nicht in content/<träger>/<jahr>/" in result.output


def test_missing_traeger_yaml_has_a_fitting_hint(tmp_path):
    import shutil
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    shutil.copytree(root / "content/duesseldorf/2026", tmp_path / "content/neu/2026")
    result = CliRunner().invoke(main, ["check", str(tmp_path / "content/neu/2026")])
    assert result.exit_code == 1
    assert "traeger.yaml: Fehler: Datei nicht gefunden." in result.output
    assert "Jeder Träger-Ordner" in result.output
