"""Building: reproducible bytes, atomic outputs, one build at a time, a renderer confined to the project."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from amip.build import build
from amip.errors import BuildError
from conftest import ROOT, copy_content


def test_two_builds_give_identical_pdf_bytes(tmp_path, built_2026):
    """Same sources, fresh output folder (no cache): byte-identical PDF."""
    second = build(ROOT / "content/duesseldorf/2026", tmp_path / "zweiter")
    assert second.pdf.read_bytes() == built_2026.pdf.read_bytes()


def test_killed_build_leaves_previous_pdf_intact(tmp_path):
    """SIGKILL at several moments of a build, including while the PDF is written: the PDF under
    the final name is always complete – the previous one, or the new one if the build had finished."""
    content = copy_content(tmp_path)
    cmd = [sys.executable, "-m", "amip.cli", "build", str(content / "2026")]
    subprocess.run(cmd, cwd=tmp_path, check=True, capture_output=True)
    out = tmp_path / "build/duesseldorf/2026"
    pdf = out / "amip-duesseldorf-2026.pdf"
    before = pdf.read_bytes()
    chapter = content / "2026/kapitel/06-besondere-zielgruppen.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nEin neuer Absatz.\n", encoding="utf-8")
    after = build(content / "2026", tmp_path / "vergleich").pdf.read_bytes()
    assert after != before
    killed_midway = 0
    for delay in (0.4, 1.2, "part", "part"):
        process = subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if delay == "part":  # wait for the temporary PDF to appear, then kill at once
            deadline = time.monotonic() + 60
            # the PDF is written inside the staging folder that replaces `out` as a whole
            while not any(out.parent.glob(".2026.neu-*/.amip-duesseldorf-2026.pdf.*.part")) and time.monotonic() < deadline:
                if process.poll() is not None:
                    break
        else:
            time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        if process.wait() == -signal.SIGKILL:
            killed_midway += 1
        assert pdf.read_bytes() in (before, after)
        assert (out / "web/index.html").is_file()
    assert killed_midway >= 2
    subprocess.run(cmd, cwd=tmp_path, check=True, capture_output=True)
    assert not list(out.glob(".*.part")) and not list(out.glob(".web-*"))
    assert pdf.read_bytes() == after


def test_a_second_build_at_the_same_time_is_refused(tmp_path):
    import fcntl

    content = copy_content(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    from amip.output import lock_path

    with open(lock_path(out), "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(BuildError, match="läuft bereits ein anderer Build"):
            build(content / "2026", out)


def test_failed_build_keeps_previous_pdf(tmp_path):
    """A content error stops before anything is written."""
    content = copy_content(tmp_path)
    first = build(content / "2026", tmp_path / "out")
    before = first.pdf.read_bytes()
    data = content / "2026/daten/kennzahlen.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("plan: 1.994", "plan: 1,994"), encoding="utf-8")
    from amip.errors import ContentError

    with pytest.raises(ContentError):
        build(content / "2026", tmp_path / "out")
    assert first.pdf.read_bytes() == before


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://169.254.169.254/latest", "../../secret.txt"])
def test_renderer_fetches_nothing_outside_the_project(tmp_path, url):
    from amip import pdf

    (tmp_path / "secret.txt").write_text("geheim")
    html = f'<html lang="de"><body><p>x</p><img src="{url}" alt="x"><a rel="attachment" href="{url}">a</a></body></html>'
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    with pytest.raises(BuildError, match="Unerlaubter Zugriff"):
        pdf.layout(html, inner.as_uri() + "/", [inner], 0)


def test_weasyprint_warnings_fail_the_build(tmp_path):
    from amip import pdf

    html = '<html lang="de"><head><style>p { colour: red; }</style></head><body><p>x</p></body></html>'
    with pytest.raises(BuildError, match="WeasyPrint meldet Probleme"):
        pdf.layout(html, tmp_path.as_uri() + "/", [tmp_path], 0)


def test_a_font_fallback_is_refused(tmp_path):
    """A character Open Sans lacks makes WeasyPrint fall back silently; amip refuses that PDF."""
    from amip import pdf, render

    html = ('<html lang="de"><head><link rel="stylesheet" href="print.css"></head>'
            '<body><p>Haken ✓</p></body></html>')
    lay = pdf.layout(html, render.TEMPLATES.as_uri() + "/", [render.TEMPLATES], 0)
    with pytest.raises(BuildError, match="Open Sans wurde nicht eingebettet"):
        pdf.write(lay, "Test")


def test_web_edition_is_self_contained(built_2026):
    web = built_2026.web.parent
    html = built_2026.web.read_text(encoding="utf-8")
    assert '<html lang="de">' in html and "<title>Arbeitsmarkt- und Integrationsprogramm 2026" in html
    assert 'name="viewport"' in html
    assert (web / "assets/screen.css").is_file() and (web / "assets/fonts/OpenSans-Regular.ttf").is_file()
    assert html.count('<aside class="rand"') == 42 and 'href="#fallmanagement"' in html
    assert "http://" not in html and "https://" not in html.replace("https://keepachangelog", "")
