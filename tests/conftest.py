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
