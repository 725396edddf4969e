"""amip runs where authors work: no POSIX-only module in its code path, a portable lock, a folder switch
that degrades without Linux's renameat2."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from amip import output
from amip.errors import EnvironmentProblem

SRC = Path(__file__).resolve().parents[1] / "src" / "amip"
POSIX_ONLY = re.compile(r"^\s*(import|from)\s+(fcntl|termios|pwd|grp|resource|tty|pty)\b|os\.(getuid|geteuid|getgid|fork)\(",
                        re.MULTILINE)


def test_no_posix_only_module_in_amip():
    found = [f"{p.relative_to(SRC)}: {m.group(0).strip()}" for p in sorted(SRC.rglob("*.py"))
             for m in POSIX_ONLY.finditer(p.read_text(encoding="utf-8"))]
    assert not found, found


def test_a_held_output_lock_refuses_a_second_holder(tmp_path):
    out = tmp_path / "build" / "2026"
    with output.locked(out):
        with pytest.raises(EnvironmentProblem, match="läuft bereits ein anderer Build") as info:
            with output.locked(out):
                pass
        assert info.value.exit_code == 3
    with output.locked(out):  # released again
        assert output.lock_path(out).is_file() and output.lock_path(out).parent == out.parent


def test_the_switch_works_without_renameat2(tmp_path, monkeypatch):
    """macOS and Windows have no renameat2: two renames, with the same result."""
    monkeypatch.setattr(output, "_renameat2", lambda: None)
    out = tmp_path / "2026"
    out.mkdir()
    (out / "amip.pdf").write_text("alt")
    with output.locked(out), output.staged(out) as stage:
        (stage / "amip.pdf").write_text("neu")
    assert (out / "amip.pdf").read_text() == "neu"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".2026.") and p.is_dir()] == []
