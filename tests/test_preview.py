"""amip preview: a real server process on a copy of the 2026 edition, real HTTP, real file saves."""

from __future__ import annotations

import signal
import socket
import sys
import time
from pathlib import Path

import pytest
from conftest import copy_content
from previewclient import Preview


EDITION = "content/duesseldorf/2026"


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    project = tmp_path_factory.mktemp("vorschau")
    copy_content(project)
    running = Preview(project, EDITION)
    running.project = project
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def _restore_sources(request):
    """A failing test must not leave a broken chapter behind for the next one on the shared preview."""
    if "preview" not in request.fixturenames:
        yield
        return
    folder = request.getfixturevalue("preview").project / EDITION
    before = {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()}
    yield
    for path, data in before.items():
        if path.read_bytes() != data:
            path.write_bytes(data)


def chapter(preview) -> Path:
    return preview.project / EDITION / "kapitel" / "03-schwerpunkte.md"


def save(path: Path, text: str) -> float:
    path.write_text(text, encoding="utf-8")
    return time.perf_counter()


def test_the_page_is_the_web_edition_with_the_preview_added(preview):
    status, page = preview.get("/")
    assert status == 200
    assert "Arbeitsmarkt- und Integrationsprogramm" in page
    assert '<div id="amip-vorschau" data-seite="' in page and "/_amip/vorschau.js" in page
    assert "amip-fehler" not in page  # no overlay while the sources are fine
    for asset in ("/_amip/vorschau.js", "/_amip/vorschau.css", "/assets/screen.css"):
        assert preview.get(asset)[0] == 200, asset
    # the warnings of the page, as many as the terminal said, each with its file
    import re

    said = re.search(r"Vorschau bereit \([^)]*\)(?:, (\d+) Warnung)?", "\n".join(preview.stdout))
    assert said, preview.stdout
    count = int(said.group(1) or 0)
    if count:
        folded = page.split('<details class="amip-warnungen"><summary>')[1].split("</details>")[0]
        assert folded.startswith(f"{count} Warnung{'en' if count > 1 else ''}</summary>")
        assert folded.count('<li><code class="amip-ort">') == count and "content/duesseldorf/2026/" in folded
    else:
        assert "amip-warnungen" not in page
    # the preview is not the published output: build/<org>/<year>/ stays untouched
    assert not (preview.project / "build" / "duesseldorf").exists()
    assert (preview.project / "build" / "vorschau" / "duesseldorf" / "2026").is_dir()


def test_a_saved_chapter_reloads_the_page_within_two_seconds(preview):
    events = preview.events()
    path = chapter(preview)
    original = path.read_text(encoding="utf-8")
    written = save(path, original + "\nDer Zebrafisch schwimmt durch das Jobcenter.\n")
    data, arrived = events.next("neu", 2)
    status, page = preview.get("/")
    seen = time.perf_counter()
    assert status == 200 and "Der Zebrafisch schwimmt durch das Jobcenter." in page
    assert arrived - written < 2 and seen - written < 2
    assert f'data-seite="{data["seite"]}"' in page  # the page the event announced
    save(path, original)
    events.next("neu", 5)
    assert "Zebrafisch" not in preview.get("/")[1]
    events.close()


def test_errors_appear_as_an_overlay_with_file_and_line_and_disappear_when_fixed(preview):
    events = preview.events()
    path = chapter(preview)
    data_file = preview.project / EDITION / "daten" / "kennzahlen.yaml"
    original, original_data = path.read_text(encoding="utf-8"), data_file.read_text(encoding="utf-8")
    lines = original.splitlines()
    save(path, "\n".join(lines + ["", "Siehe [[kapitel: gibt-es-nicht]] und den Walfisch."]) + "\n")
    data, _ = events.next("neu", 10)
    assert data["fehler"] == 1
    page = preview.get("/")[1]
    assert '<section class="amip-fehler" role="alert">' in page
    assert f"kapitel/03-schwerpunkte.md:{len(lines) + 2}" in page
    assert "gibt-es-nicht" in page and "Hinweis:" in page
    assert "Walfisch" not in page.split('<div id="amip-vorschau"')[0]  # the last good page stays underneath
    assert "steht das Jobcenter Düsseldorf vor allem vor den folgenden" in page

    # a data file saved mid-write (cut off inside a mapping) while the chapter error is still there: both shown
    save(data_file, original_data[: len(original_data) // 3].rsplit("\n", 1)[0] + "\n  - bezeichnung: [Eintr\n")
    data, _ = events.next("neu", 10)
    page = preview.get("/")[1]
    assert "daten/kennzahlen.yaml:" in page
    overlay = page.split('<section class="amip-fehler" role="alert">')[1].split("</section>")[0]
    assert overlay.count('<code class="amip-ort">') == data["fehler"] >= 1

    save(data_file, original_data)
    save(path, original)
    deadline = time.monotonic() + 10
    while data["fehler"]:
        data, _ = events.next("neu", max(0.1, deadline - time.monotonic()))
    assert "amip-fehler" not in preview.get("/")[1]
    events.close()


def test_a_changed_theme_stylesheet_reaches_the_page_even_when_the_html_stays_the_same(preview):
    import shutil

    events = preview.events()
    theme = preview.project / "content" / "duesseldorf" / "theme"
    theme.mkdir()
    try:
        (theme / "zusatz-web.css").write_text("body { color: rgb(200, 0, 0); }\n", encoding="utf-8")
        events.next("neu", 10)
        page = preview.get("/")[1]
        assert "zusatz-web.css" in page
        link = page.split("zusatz-web.css")[0].rsplit('"', 1)[1] + "zusatz-web.css"
        assert "rgb(200, 0, 0)" in preview.get("/" + link.lstrip("/"))[1]
        (theme / "zusatz-web.css").write_text("body { color: rgb(0, 0, 200); }\n", encoding="utf-8")
        events.next("neu", 10)
        edition_part = page.split('<div id="amip-vorschau"')[0]
        assert preview.get("/")[1].split('<div id="amip-vorschau"')[0] == edition_part  # the HTML itself is the same
        assert "rgb(0, 0, 200)" in preview.get("/" + link.lstrip("/"))[1]
    finally:
        shutil.rmtree(theme)
        events.next("neu", 10)
        events.close()


def test_the_tables_download_as_csv_and_xlsx_with_the_newest_values(preview):
    import re
    import zipfile
    from io import BytesIO

    page = preview.get("/")[1]
    links = re.findall(r'href="(daten/[^"]+\.csv)"', page)
    assert links and 'href="daten/tabellen.xlsx"' in page
    status, body = preview.get("/" + links[0])
    assert status == 200 and ";" in body
    connection = __import__("http.client").client.HTTPConnection("127.0.0.1", preview.port, timeout=10)
    connection.request("GET", "/daten/tabellen.xlsx")
    workbook = connection.getresponse().read()
    assert zipfile.ZipFile(BytesIO(workbook)).namelist()  # a real XLSX (a zip with its parts)
    # every CSV link of the page answers
    assert all(preview.get("/" + link)[0] == 200 for link in links)
    assert preview.get("/daten/../index.html")[0] == 404
    # after a save the downloads hold the new text
    events = preview.events()
    data_file = preview.project / EDITION / "daten" / "leistungen-16a.yaml"
    text = data_file.read_text(encoding="utf-8")
    assert "Schuldnerberatung Landeshauptstadt Düsseldorf und Träger" in text
    data_file.write_text(text.replace("Düsseldorf und Träger", "Düsseldorf und Zebra-Träger"), encoding="utf-8")
    events.next("neu", 10)
    assert any("Zebra-Träger" in preview.get("/" + link)[1] for link in links)
    events.close()


@pytest.mark.parametrize("path", [
    "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc/passwd", "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "//etc/passwd", "/etc/passwd", "http://127.0.0.1/etc/passwd", "/assets/../../../../etc/passwd",
    "/..\\..\\etc\\passwd", "/%252e%252e/etc/passwd", "/druck/../../../etc/passwd", "/C:/Windows/win.ini",
    "/.amip-lock", "/%00/etc/passwd",
])
def test_nothing_outside_the_preview_folder_is_served(preview, path):
    status, body = preview.get(path)
    assert status in (400, 403, 404)
    assert "root:" not in body


def test_a_symlink_pointing_outside_is_refused(preview):
    secret = preview.project / "geheim.txt"
    secret.write_text("Kennwort: Sommer2026", encoding="utf-8")
    web = next(p for p in (preview.project / "build" / "vorschau" / "duesseldorf" / "2026").glob("web-*")
               if (p / "index.html").is_file())
    (web / "verweis.txt").symlink_to(secret)
    (web / "assets" / "ordner").symlink_to(preview.project, target_is_directory=True)
    for path in ("/verweis.txt", "/assets/ordner/geheim.txt"):
        status, body = preview.get(path)
        assert status == 404 and "Sommer2026" not in body


def test_only_local_names_are_answered(preview):
    assert preview.get("/", {"Host": "angreifer.example:80"})[0] == 403  # DNS rebinding
    assert preview.get("/", {"Host": f"localhost:{preview.port}"})[0] == 200


def test_the_server_listens_on_the_loopback_address_only(preview):
    with socket.create_connection(("127.0.0.1", preview.port), timeout=5) as connection:
        assert connection.getpeername()[0] == "127.0.0.1"
    own = _own_address()
    if own is None:
        pytest.skip("this machine has no address besides 127.0.0.1")
    with pytest.raises(OSError):
        socket.create_connection((own, preview.port), timeout=2).close()


def _own_address() -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: only picks the outgoing interface
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_the_pdf_is_set_in_the_background_and_linked_with_its_state(preview):
    events = preview.events()
    data = events.first[0]
    deadline = time.monotonic() + 240
    while data["pdf"]["zustand"] != "aktuell":
        assert data["pdf"]["zustand"] in ("wird gesetzt", "aktuell"), data
        data, _ = events.next("pdf", max(0.1, deadline - time.monotonic()))
    url = data["pdf"]["url"]
    assert url == "/druck/amip-duesseldorf-2026.pdf"
    status, body = preview.get(url)
    assert status == 200 and body.startswith("%PDF")
    # the web edition's own download link (../<name>.pdf, seen from / it is /<name>.pdf) gets it too
    page = preview.get("/")[1]
    assert 'href="../amip-duesseldorf-2026.pdf"' in page
    assert preview.get("/amip-duesseldorf-2026.pdf") == (status, body)
    assert 'data-zustand="aktuell"' in preview.get("/")[1] and url in preview.get("/")[1]
    # a new save makes it "wird gesetzt" at once (the HTML does not wait for it)
    path = chapter(preview)
    original = path.read_text(encoding="utf-8")
    save(path, original + "\nNoch ein Satz.\n")
    data, _ = events.next("neu", 5)
    if data["pdf"]["zustand"] != "wird gesetzt":
        data, _ = events.next("pdf", 5)
    assert data["pdf"]["zustand"] == "wird gesetzt"
    save(path, original)
    events.close()


def test_a_real_browser_reloads_by_itself_and_stays_at_the_same_place(preview, tmp_path):
    import json
    import shutil
    import subprocess

    node, chromium = shutil.which("node"), shutil.which("chromium") or shutil.which("chromium-browser")
    if node is None or chromium is None:
        pytest.skip("node or chromium is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        cdp = probe.getsockname()[1]
    browser = subprocess.Popen([chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--remote-debugging-port={cdp}",
                                f"--user-data-dir={tmp_path / 'profil'}", "--window-size=1200,800", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    path = chapter(preview)
    original = path.read_text(encoding="utf-8")
    try:
        result = subprocess.run([node, "--experimental-websocket", str(Path(__file__).parent / "vorschau_browser.js"),
                                 str(cdp), f"http://127.0.0.1:{preview.port}/", str(path), "Der Browser sah den Zebrafisch."],
                                capture_output=True, text=True, timeout=120)
    finally:
        browser.kill()
        browser.wait()
        path.write_text(original, encoding="utf-8")
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["before"] == 3000
    assert seen["after"] == [3000, True]  # reloaded by itself (new text), at the same scroll position


def test_a_second_preview_of_the_same_edition_points_to_the_first(preview):
    from conftest import run_amip

    result = run_amip("preview", EDITION, "--port", "0", "--kein-browser", cwd=preview.project, timeout=60)
    assert result.returncode == 3
    assert f"läuft schon eine Vorschau: http://127.0.0.1:{preview.port}/" in result.stderr
    assert "Traceback" not in result.stderr
    assert preview.get("/")[0] == 200  # the first one goes on


# last: it stops the module's preview process
@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process is POSIX")
def test_ctrl_c_stops_cleanly_without_a_traceback(preview):
    preview.process.send_signal(signal.SIGINT)
    assert preview.process.wait(timeout=30) == 0
    time.sleep(0.2)  # the reader threads take the last lines
    assert preview.stdout[-1] == "Vorschau beendet."
    assert not any("Traceback" in line for line in preview.stderr), preview.stderr
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", preview.port), timeout=2).close()
