"""The web editions in a real browser: axe-core finds nothing at desktop and phone width, and no page
is wider than a 320 px phone.

`make test` installs Chromium (Debian package) and axe-core + puppeteer-core (npm, pinned in
tests/web/package-lock.json); the browser loads local files only (tests/web/axe.mjs refuses every
other request).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

WEB = ROOT / "tests" / "web"
SUMMARY: list[str] = []   # printed at the end of the test run (conftest.pytest_terminal_summary)


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    assert found, "Chromium is missing – `make test` installs it (apt-get install chromium)."
    assert (WEB / "node_modules" / "axe-core").is_dir(), "axe-core is missing – `make test` runs npm ci in tests/web."
    return found


@pytest.fixture(scope="module")
def reports(built_2026, tmp_path_factory) -> dict[str, dict]:
    from amip.build import build

    pages = {"duesseldorf/2026": built_2026.web}
    for edition in ("duesseldorf/2018", "musterstadt/2027"):
        pages[edition] = build(ROOT / "content" / edition, tmp_path_factory.mktemp(edition.replace("/", "-"))).web
    out = subprocess.run(["node", str(WEB / "axe.mjs"), _chromium(), *map(str, pages.values())], cwd=WEB,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    by_file = {entry["file"]: entry for entry in json.loads(out.stdout)}
    found = {edition: by_file[str(path)] for edition, path in pages.items()}
    SUMMARY.extend(f"axe-core {edition} bei {run['width']} px: {len(run['violations'])} Verstöße; "
                   f"Seitenbreite bei 320 px: {entry['overflow320']['scrollWidth']} px"
                   for edition, entry in found.items() for run in entry["runs"])
    return found


@pytest.mark.parametrize("edition", ["duesseldorf/2026", "duesseldorf/2018", "musterstadt/2027"])
@pytest.mark.parametrize("width", [1280, 390])
def test_axe_finds_no_violation(reports, edition, width):
    (run,) = [run for run in reports[edition]["runs"] if run["width"] == width]
    assert run["violations"] == [], json.dumps(run["violations"], ensure_ascii=False, indent=1)


@pytest.mark.parametrize("edition", ["duesseldorf/2026", "duesseldorf/2018", "musterstadt/2027"])
def test_no_page_is_wider_than_a_320_px_phone(reports, edition):
    overflow = reports[edition]["overflow320"]
    assert overflow["scrollWidth"] <= overflow["clientWidth"], overflow


def test_a_wide_table_scrolls_in_its_own_named_region(built_2026):
    html = built_2026.web.read_text(encoding="utf-8")
    assert '<div class="tabelle-rahmen" role="region" tabindex="0" aria-label="Tabelle kennzahlen"><table class="daten ' \
           'kennzahlen" id="tabelle-kennzahlen">' in html
    assert html.count('class="tabelle-rahmen"') == html.count('<table class="daten')   # every table, chart data too
    assert "seitlich verschieben" in html


def test_long_words_carry_soft_hyphens_in_the_web_only(built_2026):
    web = built_2026.web.read_text(encoding="utf-8")
    assert "Abkür\u00adzungs\u00adver\u00adzeich\u00adnis" in web
    assert "Abkürzungsverzeichnis" in Path(built_2026.pdf).with_name("druck.html").read_text(encoding="utf-8")


def test_the_bar_on_top_offers_the_chapters_and_the_pdf(built_2026):
    html = built_2026.web.read_text(encoding="utf-8")
    bar = html[html.index('<nav class="leiste"'):html.index("</nav>", html.index('<nav class="leiste"'))]
    assert f'<a class="pdf" href="../{built_2026.pdf.name}">PDF herunterladen</a>' in bar
    assert (built_2026.web.parent / ".." / built_2026.pdf.name).resolve().is_file()
    chapters = re.findall(r'<li><a href="#([^"]+)">', bar)
    assert chapters[0] == "kapitel-1" and "anlage-1" in chapters and len(chapters) == 9
