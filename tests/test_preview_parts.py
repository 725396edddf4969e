"""amip preview's parts: URL paths to files, the PDF runner, the page script, the caches it switched on, its help."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from conftest import copy_content

from amip.preview.server import inside

EDITION = "content/duesseldorf/2026"


@pytest.mark.parametrize("path, expected", [
    ("/index.html", "index.html"), ("/assets/screen.css", "assets/screen.css"), ("/assets//screen.css", "assets/screen.css"),
    ("/assets/%73creen.css", "assets/screen.css"), ("/../index.html", None), ("/assets/../index.html", None),
    ("/.versteckt", None), ("/assets", None), ("/fehlt.html", None),
])
def test_inside_maps_url_paths_to_files_below_the_root(tmp_path, path, expected):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "screen.css").write_text("body {}")
    (tmp_path / "index.html").write_text("<html></html>")
    (tmp_path / ".versteckt").write_text("x")
    found = inside(tmp_path, path)
    assert (found and found.relative_to(tmp_path.resolve()).as_posix()) == expected


def test_a_busy_port_is_a_german_message(tmp_path):
    from conftest import run_amip

    copy_content(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = run_amip("preview", EDITION, "--port", str(taken.getsockname()[1]), "--kein-browser", cwd=tmp_path)
    assert result.returncode == 3
    assert "ist schon belegt" in result.stderr and "Traceback" not in result.stderr


def test_remembered_documents_give_the_same_data_and_problems_and_stay_unchanged(tmp_path):
    from amip import load
    from amip.errors import Collector

    path = tmp_path / "daten.yaml"
    path.write_text("zeilen:\n  - a: 1\n  - a: 2\n  - a: 2\n    a: 3\n", encoding="utf-8")
    plain = Collector()
    expected = load.load_yaml(path, plain)
    assert expected is None and len(plain.problems) == 1  # the duplicate key, located
    load.remember_documents()
    try:
        for _ in range(2):  # parsed once, the problem is reported on every call
            problems = Collector()
            assert load.load_yaml(path, problems) is None
            assert problems.problems == plain.problems
        path.write_text("zeilen:\n  - a: 1\n", encoding="utf-8")
        first = load.load_yaml(path, Collector())
        first.data["zeilen"].append("verändert")
        first.positions.clear()
        again = load.load_yaml(path, Collector())
        assert again.data == {"zeilen": [{"a": "1"}]} and again.where(("zeilen", 0, "a")).line == 2
    finally:
        load.remember_documents(False)
    assert load._memo is None


@pytest.mark.parametrize("text", ["Alles in Ordnung – 1.234 €.", "Ein Schneemann ☃ und noch einer ☃ und ✈", "", "\u00ad\u200b"])
def test_the_glyph_check_fast_path_finds_the_same_characters(text):
    # the preview checks every chapter on every save; the fast path must not change the findings
    from amip import glyphs

    cmap = glyphs.house_cmap(glyphs.font_files(None))
    expected = [(i, c) for i, c in enumerate(text) if c not in glyphs._IGNORED and ord(c) not in cmap]
    assert glyphs._missing(text, cmap) == expected
    assert bool(expected) == ("☃" in text)


def _run_page_script(scenario: str, storage: dict) -> list:
    import json
    import shutil
    import subprocess

    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("node is not installed")
    here = Path(__file__).parent
    script = here.parent / "src" / "amip" / "preview" / "vorschau.js"
    result = subprocess.run([node, str(here / "vorschau_js_harness.js"), str(script), scenario, json.dumps(storage)],
                            capture_output=True, text=True, timeout=30, check=True)
    return json.loads(result.stdout)


def test_the_page_script_keeps_the_scroll_position_across_a_reload():
    key = "amip-vorschau-scroll:/"
    log = _run_page_script("scroll-then-new-page", {})
    assert ["stream", "/_amip/ereignisse"] in log
    assert ["pdf", "aktuell", 2] in log          # the PDF state changed in place, with a link; no reload
    assert log.index(["reload"]) > log.index(["pdf", "aktuell", 2])
    assert log[-1] == ["storage", {key: "2000"}]  # the position at the moment of the reload
    # the reloaded page scrolls back to it (once at once, once more after pictures and fonts)
    log = _run_page_script("", {key: "2000"})
    assert log.count(["scrollTo", 2000]) == 2 and ["reload"] not in log


def test_a_newer_save_supersedes_a_running_pdf_and_errors_make_it_stale(tmp_path):
    import threading

    from amip.preview.pdfjob import PdfRunner

    content = copy_content(tmp_path)
    reports, finished = [], threading.Event()

    def report(state, url=None, note=""):
        reports.append((state, url, note))
        if state != "wird gesetzt":
            finished.set()

    runner = PdfRunner(content / "2026", tmp_path / "vorschau", report, delay=0)
    try:
        runner.sources_changed(True)
        deadline = time.monotonic() + 30
        while runner._process is None and time.monotonic() < deadline:
            time.sleep(0.02)
        first = runner._process
        assert first is not None and first.poll() is None
        runner.sources_changed(True)  # saved again while the first run sets pages
        assert first.poll() is not None and first.returncode != 0  # cancelled, not finished
        assert finished.wait(300)
        assert [state for state, _, _ in reports] == ["wird gesetzt", "wird gesetzt", "aktuell"]
        assert reports[-1][1] == "/druck/amip-duesseldorf-2026.pdf"
        assert (tmp_path / "vorschau" / "druck" / "amip-duesseldorf-2026.pdf").read_bytes().startswith(b"%PDF")
        runner.sources_changed(False)  # the newest sources have errors: the PDF shows an older state
        assert reports[-1][0] == "veraltet" and "Fehler" in reports[-1][2]
    finally:
        runner.stop()


def test_a_failed_pdf_run_says_why_in_the_status_bar(tmp_path):
    import html
    import threading

    from amip.preview.pdfjob import PdfRunner
    from amip.preview.server import inject

    content = copy_content(tmp_path)
    out = tmp_path / "vorschau"
    out.mkdir()
    (out / "druck").write_text("eine Datei, wo der Ordner des PDF hingehört", encoding="utf-8")
    reports, finished = [], threading.Event()

    def report(state, url=None, note=""):
        reports.append((state, url, note))
        if state != "wird gesetzt":
            finished.set()

    runner = PdfRunner(content / "2026", out, report, delay=0)
    try:
        runner.sources_changed(True)
        assert finished.wait(120)
    finally:
        runner.stop()
    state, url, note = reports[-1]
    assert state == "fehlt" and url is None
    assert note.startswith("Das PDF konnte nicht gesetzt werden:\n") and "druck" in note and "Traceback" not in note
    snapshot = {"seite": 1, "fehler": 0, "warnungen": 0, "stand": "", "pdf": {"zustand": state, "url": None, "hinweis": note}}
    page = inject("<html><head></head><body><p>Text</p></body></html>", snapshot, (), "")
    assert f'<details id="amip-pdf-grund"><summary>Warum?</summary><pre>{html.escape(note)}</pre>' in page
    snapshot["pdf"] = {"zustand": "aktuell", "url": "/druck/a.pdf", "hinweis": ""}
    assert '<details id="amip-pdf-grund" hidden>' in inject("<body></body>", snapshot, (), "")


def test_preview_has_german_help_with_an_example_and_checks_its_arguments(tmp_path):
    from click.testing import CliRunner
    from conftest import run_amip

    from amip.cli import main

    result = CliRunner().invoke(main, ["preview", "--help"])
    assert result.exit_code == 0
    assert "Beispiel:" in result.output and "amip preview content/duesseldorf/2026" in result.output
    assert "--kein-browser" in result.output and "127.0.0.1" in result.output
    result = CliRunner().invoke(main, ["preview", "--port", "70000", "--kein-browser"])
    assert result.exit_code == 2 and "70000 ist kein Port" in result.output
    result = run_amip("preview", str(tmp_path), "--kein-browser", "--port", "0", cwd=tmp_path, timeout=60)
    assert result.returncode == 1
    assert "Hier liegt keine Ausgabe (ausgabe.yaml fehlt)" in result.stderr and "Traceback" not in result.stderr


def test_the_server_socket_is_bound_to_the_loopback_address(tmp_path):
    from amip.preview.server import PreviewServer
    from amip.preview.state import State

    server = PreviewServer(0, site=None, state=State())
    try:
        address, port = server.socket.getsockname()
        assert address == "127.0.0.1" and port > 0
        assert server.url == f"http://127.0.0.1:{port}/"
    finally:
        server.server_close()


def test_the_preview_shows_the_web_edition_amip_build_writes(tmp_path):
    # same HTML byte for byte (soft hyphens from the print patterns included), same tables for download
    from amip.build import build
    from amip.preview.site import Site

    content = copy_content(tmp_path)
    built = build(content / "2026", tmp_path / "ausgabe")
    site = Site(content / "2026")
    outcome = site.rebuild()
    assert outcome.ok and outcome.changed
    assert site.html == built.web.read_text(encoding="utf-8")
    assert "\u00ad" in site.html
    assert (site.web / "index.html").read_text(encoding="utf-8") == site.html
    published = sorted(p.name for p in (built.web.parent / "daten").iterdir())
    previewed = site.data_folder()
    assert published and sorted(p.name for p in previewed.iterdir()) == published
    for name in published:
        if name.endswith(".csv"):
            assert (previewed / name).read_bytes() == (built.web.parent / "daten" / name).read_bytes(), name
    assert site.rebuild().changed is False  # nothing saved: no reload
