"""Progress on long commands (issue 11 §2): plain lines in a log, one rewritten line on a terminal, --leise."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys

import pytest

from conftest import copy_content

from amip.terminal.progress import Progress


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_plain_lines_name_each_stage_with_its_count_and_time():
    clock, out = Clock(), io.StringIO()
    with Progress(out, tty=False, clock=clock) as progress:
        for done in range(1, 4):
            progress("Kapitel", done, 3)
            clock.now += 0.1
        progress("Satz Seite", 40)
        clock.now += 2.0
        progress("PDF schreiben")
        clock.now += 0.5
    progress.closing()
    assert out.getvalue().splitlines() == ["Kapitel 3/3 (0,3 s)", "Satz Seite 40 (2,0 s)", "PDF schreiben (0,5 s)",
                                           "Fertig in 2,8 s."]


def test_a_terminal_gets_one_line_rewritten_and_cleared():
    clock, out = Clock(), io.StringIO()
    with Progress(out, tty=True, clock=clock) as progress:
        progress("Diagramme", 5, 10)
        clock.now += 1
        progress("Satz Seite", 12)
    text = out.getvalue()
    assert "\n" not in text  # one line, rewritten with \r, cleared at the end
    assert "\rDiagramme 5/10 " + "█" * 10 + "░" * 10 in text and "\rSatz Seite 12" in text
    assert text.endswith("\r")


def test_quiet_prints_nothing():
    out = io.StringIO()
    with Progress(out, quiet=True) as progress:
        progress("Kapitel", 1, 2)
    progress.closing()
    assert out.getvalue() == ""


def _build(args, tmp_path, **kwargs):
    content = copy_content(tmp_path, "musterstadt")
    return subprocess.run([sys.executable, "-m", "amip.cli", "build", *args, str(content / "2027")], cwd=tmp_path,
                          **kwargs)


def test_build_in_a_log_shows_stages_counts_pages_and_the_time(tmp_path):
    result = _build([], tmp_path, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert re.fullmatch(r"Kapitel 4/4 \(\d+,\d s\)", lines[0]), lines
    assert any(re.fullmatch(r"Diagramme (\d+)/\1 \(\d+,\d s\)", line) for line in lines), lines
    assert any(re.fullmatch(r"Satz Seite \d+ \(\d+,\d s\)", line) for line in lines), lines
    assert any(line.startswith("PDF schreiben (") for line in lines)
    assert re.fullmatch(r"Fertig in \d+,\d s\.", lines[-1]), lines
    assert "\r" not in result.stderr
    quiet = _build(["--leise"], tmp_path / "leise", capture_output=True, text=True, timeout=600)
    assert quiet.returncode == 0 and quiet.stderr == "" and "PDF (" in quiet.stdout


@pytest.mark.skipif(os.name != "posix", reason="pseudo-terminal")
def test_build_on_a_terminal_shows_a_status_line(tmp_path):
    import pty

    master, slave = pty.openpty()
    env = {**os.environ, "COLUMNS": "100"}
    process = _build([], tmp_path, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave, env=env, timeout=600)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    text = b"".join(chunks).decode("utf-8")
    assert process.returncode == 0
    assert "\rKapitel 4/4 " in text and "\rSatz Seite " in text and "█" in text
    assert re.search(r"Fertig in \d+,\d s\.", text)
    assert "Kapitel 4/4 (" not in text  # no log lines on a terminal
