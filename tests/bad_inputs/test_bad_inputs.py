"""Every bad input gets a located German message and its exit code, and the previous outputs stay
byte-identical: a small edition is built once per module, each case copies it, breaks one thing
and runs `amip build` in-process (cases caught before layout cost a fraction of a second)."""

from __future__ import annotations

import errno
import fcntl
import hashlib
import re
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from amip.cli import main
from cases import CASES
from edition import EDITION, OUT, built_edition, copy_of


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """The small edition, built once: content/ plus build/ with PDF, druck.html and web edition."""
    return built_edition(tmp_path_factory.mktemp("vorlage"))


@pytest.fixture()
def project(template, tmp_path, monkeypatch) -> Path:
    root = copy_of(template, tmp_path / "projekt")
    monkeypatch.chdir(root)
    monkeypatch.setenv("AMIP_NO_FAST_EXIT", "1")  # a case that unexpectedly succeeds must not end pytest
    return root


def snapshot(root: Path) -> dict[str, str]:
    """Every file below build/ (outputs, cache, lock) with its SHA-256."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((root / "build").rglob("*")) if p.is_file()}


def run_build(root: Path):
    result = CliRunner().invoke(main, ["build", EDITION])
    assert "Traceback" not in result.output and "Interner Fehler" not in result.output, result.output
    return result


def blamed_line(root: Path, case) -> int | None:
    if case.at is None or isinstance(case.at, int):
        return case.at
    lines = (root / case.file).read_text(encoding="utf-8", errors="replace").splitlines()
    needle = case.at.strip("\n")
    found = [number for number, line in enumerate(lines, start=1) if needle in line]
    assert found, (needle, case.file)
    return found[-1]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_located_and_changes_nothing(project, case):
    before = snapshot(project)
    assert any(name.endswith("amip-muster-2026.pdf") for name in before)
    case.mutate(project)
    line = blamed_line(project, case)
    started = time.monotonic()
    result = run_build(project)
    elapsed = time.monotonic() - started
    assert result.exit_code == case.code, result.output
    where = re.escape(case.file) + (rf":{line}(:\d+)?" if line is not None else r"(:\d+)*")
    pattern = rf"^{where}: Fehler: .*{re.escape(case.message)}"
    assert re.search(pattern, result.output, re.MULTILINE), f"{pattern}\n---\n{result.output}"
    assert "Fehler gefunden – es wurde nichts geschrieben." in result.output
    assert snapshot(project) == before
    assert elapsed < 20, f"{case.id} took {elapsed:.1f} s"


# ---------------------------------------------------------------- the machine, not the text: exit code 3

def test_lock_held_by_another_build(project):
    before = snapshot(project)
    from amip.output import lock_path

    with open(lock_path(project / OUT), "a") as held:  # beside the output folder since issue 11 §8
        fcntl.flock(held, fcntl.LOCK_EX)
        result = run_build(project)
    assert result.exit_code == 3, result.output
    assert "Abbruch: Für" in result.output and "läuft bereits ein anderer Build" in result.output
    assert snapshot(project) == before


def test_file_where_a_folder_belongs(project):
    shutil.rmtree(project / "build/.cache")
    (project / "build/.cache").write_text("keine Ablage")
    before = snapshot(project)
    result = run_build(project)
    assert result.exit_code == 3, result.output
    assert "Hier liegt eine Datei, wo ein Ordner stehen muss: build/.cache/diagramme" in result.output
    assert snapshot(project) == before


def test_symlink_loop(project):
    chapter = project / EDITION / "kapitel/02-ziele.md"
    chapter.unlink()
    chapter.symlink_to(chapter)
    before = snapshot(project)
    result = run_build(project)
    assert result.exit_code == 3, result.output
    assert "Symbolische Verknüpfungen bilden eine Schleife" in result.output and "02-ziele.md" in result.output
    assert snapshot(project) == before


def _fail_in_web_staging(monkeypatch, exc: BaseException):
    """`exc` strikes while the web edition's fonts are copied – after layout and PDF, before the web is complete."""
    real = shutil.copyfile

    def copy(source, target, *args, **kwargs):
        if "/assets/fonts/" in str(target):
            raise exc
        return real(source, target, *args, **kwargs)

    monkeypatch.setattr(shutil, "copyfile", copy)


def test_disk_full_while_staging_the_web_edition_keeps_the_previous_pair(project, monkeypatch):
    """Real layout and PDF, then ENOSPC in the web staging: PDF and web edition both stay the old ones."""
    before = snapshot(project)
    _fail_in_web_staging(monkeypatch, OSError(errno.ENOSPC, "No space left on device", str(project / OUT / "web")))
    result = run_build(project)
    assert result.exit_code == 3, result.output
    assert "Der Datenträger ist voll" in result.output and "Schaffen Sie Platz" in result.output
    assert snapshot(project) == before
    assert not list((project / OUT).parent.glob(".2026.*"))


def test_no_permission_to_switch_the_output(project, monkeypatch):
    import amip.output

    def refused(stage, out):
        raise PermissionError(errno.EACCES, "Permission denied", str(out))

    before = snapshot(project)
    monkeypatch.setattr(amip.output, "switch", refused)
    result = run_build(project)
    assert result.exit_code == 3, result.output
    assert "Keine Berechtigung: build/muster/2026" in result.output
    assert snapshot(project) == before
    assert not list((project / OUT).parent.glob(".2026.*"))


def test_ctrl_c_during_web_staging_says_abgebrochen_and_keeps_outputs(project, monkeypatch):
    before = snapshot(project)
    _fail_in_web_staging(monkeypatch, KeyboardInterrupt())
    result = run_build(project)
    assert result.exit_code == 130, result.output
    assert "Abgebrochen – die bisherigen Ausgaben sind unverändert." in result.output
    assert snapshot(project) == before


def test_suite_is_large_enough():
    assert len(CASES) + 6 >= 60
