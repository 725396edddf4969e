"""Shared fixtures: real content copied into tmp_path, real builds, real PDFs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MM = 72 / 25.4  # PDF points per millimetre


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def copy_content(target: Path, org: str = "duesseldorf") -> Path:
    """A private copy of an organisation's content below target/content/<org>."""
    destination = target / "content" / org
    shutil.copytree(ROOT / "content" / org, destination)
    return destination


@pytest.fixture()
def content(tmp_path: Path) -> Path:
    return copy_content(tmp_path)


def run_amip(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """The real command line, as an author would call it."""
    return subprocess.run([sys.executable, "-m", "amip.cli", *args], cwd=cwd or ROOT, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture(scope="session")
def built_2026(tmp_path_factory):
    """The 2026 edition built once for all PDF tests of this session."""
    from amip.build import build

    out = tmp_path_factory.mktemp("build-2026")
    result = build(ROOT / "content" / "duesseldorf" / "2026", out)
    return result


@pytest.fixture(scope="session")
def archived(tmp_path_factory) -> Path:
    """A project whose 2026 edition was published three times (v1 and two corrections). Copy it
    with `copy_project` before changing anything."""
    from amip.archive import publish

    project = tmp_path_factory.mktemp("archiv")
    content = copy_content(project)
    chapter = content / "2026" / "kapitel" / "06-besondere-zielgruppen.md"
    publish(content / "2026")
    for correction in ("Erste Korrektur.", "Zweite Korrektur."):
        chapter.write_text(chapter.read_text(encoding="utf-8") + f"\n{correction}\n", encoding="utf-8")
        publish(content / "2026")
    return project


def copy_project(project: Path, target: Path) -> Path:
    """A writable copy of a project with its archive (published versions are read-only)."""
    copy = target / "projekt"
    shutil.copytree(project, copy, symlinks=True)
    for path in [copy, *copy.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)
    return copy


def pytest_terminal_summary(terminalreporter):
    """The browser checks' counts in the test output (CI log), not only pass/fail."""
    import sys

    module = sys.modules.get("test_web_a11y")
    if module is not None and module.SUMMARY:
        terminalreporter.section("Web-Ausgaben im Browser")
        for line in module.SUMMARY:
            terminalreporter.write_line(line)

