"""The print edition set in chunks (amip.chunks): the same pages as one WeasyPrint layout of the whole
document, the same bytes from the cache as from a clean build, only changed chunks laid out again,
and page numbers, contents and references that follow a change in an earlier chapter."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from PIL import Image, ImageChops

from amip.build import build
from conftest import ROOT, copy_content


def one_piece(out: Path, folder: Path) -> bytes:
    """The PDF of the build's druck.html laid out by WeasyPrint as ONE document (margin notes placed, no record)."""
    from amip import build as b, pagelayout, pdf
    from amip.edition import load_edition

    edition = load_edition(folder)
    html = (out / "druck.html").read_text(encoding="utf-8")
    lay = pdf.layout(html, edition.theme.defaults.as_uri() + "/", b._fetch_roots(edition), b._epoch(edition),
                     b.hyphenation_patterns(edition, html), named=b.fetch_names(edition),
                     overlay=(edition.theme.folder, edition.theme.defaults) if edition.theme.folder else None)
    pagelayout.place(lay.document)
    return pdf.write(lay, b._document_title(edition), edition.theme.font)


def words(data: bytes) -> list[list[tuple]]:
    """Every page's words with their position (pt, 0,1 precision)."""
    import io

    with pdfplumber.open(io.BytesIO(data)) as document:
        return [[(w["text"], round(w["x0"], 1), round(w["top"], 1)) for w in page.extract_words()]
                for page in document.pages]


def rasters(data: bytes, folder: Path, name: str) -> list[Path]:
    path = folder / f"{name}.pdf"
    path.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(folder / name)], check=True)
    return sorted(folder.glob(f"{name}-*.png"))


def assert_same_pages(chunked: bytes, whole: bytes, tmp_path: Path) -> None:
    a, b = words(chunked), words(whole)
    assert len(a) == len(b), "page count"
    for number, (x, y) in enumerate(zip(a, b), start=1):
        assert x == y, f"page {number}: words or positions differ"
    for left, right in zip(rasters(chunked, tmp_path, "chunked"), rasters(whole, tmp_path, "whole")):
        one, two = Image.open(left).convert("RGB"), Image.open(right).convert("RGB")
        assert one.size == two.size and ImageChops.difference(one, two).getbbox() is None, f"{left.name}: pixels differ"


def outline(pdf: pikepdf.Pdf) -> list[tuple[int, str, int]]:
    pages = {page.objgen: number for number, page in enumerate(pdf.pages)}
    found = []

    def walk(items, level):
        for item in items:
            destination = item.destination
            found.append((level, item.title, pages[destination[0].objgen]))
            walk(item.children, level + 1)

    with pdf.open_outline() as tree:
        walk(tree.root, 1)
    return found


def struct_kinds(pdf: pikepdf.Pdf) -> dict[str, int]:
    counts: dict[str, int] = {}
    stack = [pdf.Root.StructTreeRoot]
    seen = set()
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Dictionary):
            if node.is_indirect:
                if node.objgen in seen:
                    continue
                seen.add(node.objgen)
            if node.get("/Type") == "/StructElem" or "/S" in node:
                kind = str(node.get("/S"))
                counts[kind] = counts.get(kind, 0) + 1
            kids = node.get("/K")
            if kids is not None:
                stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids])
    return counts


def links(pdf: pikepdf.Pdf) -> list[tuple[int, int]]:
    """(page of the link, page of its target) for every internal link, through the named destinations."""
    names = {}
    tree = pikepdf.NameTree(pdf.Root.Names.Dests)
    for name, destination in tree.items():
        names[name] = destination
    pages = {page.objgen: number for number, page in enumerate(pdf.pages)}
    out = []
    for number, page in enumerate(pdf.pages):
        for annotation in page.get("/Annots", []):
            if "/Dest" in annotation:
                target = names[str(annotation.Dest)]
                out.append((number, pages[target[0].objgen]))
    return out


@pytest.fixture(scope="module")
def built_2018(tmp_path_factory):
    out = tmp_path_factory.mktemp("chunks-2018")
    result = build(ROOT / "content" / "duesseldorf" / "2018", out)
    return result, out


def test_chunked_2018_equals_one_layout_of_the_whole_document(built_2018, tmp_path):
    """Every word at the same place and every pixel the same (30 dpi) on all 66 pages."""
    result, out = built_2018
    assert result.chunk_layouts is not None
    chunked = result.pdf.read_bytes()
    whole = one_piece(out, ROOT / "content" / "duesseldorf" / "2018")
    assert_same_pages(chunked, whole, tmp_path)


def test_bookmarks_links_and_tags_survive_the_merge(built_2018):
    result, out = built_2018
    whole = one_piece(out, ROOT / "content" / "duesseldorf" / "2018")
    import io

    with pikepdf.open(result.pdf) as merged, pikepdf.open(io.BytesIO(whole)) as single:
        assert outline(merged) == outline(single) and len(outline(merged)) >= 15
        assert links(merged) == links(single) and len(links(merged)) > 20   # contents entries jump to their pages
        kinds, expected = struct_kinds(merged), struct_kinds(single)
        for kind in ("/H1", "/H2", "/H3", "/P", "/Table", "/TH", "/Figure", "/Note", "/L", "/LI", "/Link"):
            assert kinds.get(kind) == expected.get(kind), kind
        assert str(merged.Root.Lang) == "de"
        assert "/AF" in merged.Root and "/OutputIntents" in merged.Root and "/Metadata" in merged.Root
        assert merged.open_metadata().get("pdfaid:part") == "3"


def test_cached_build_is_byte_identical_to_a_clean_one(tmp_path):
    content = copy_content(tmp_path, "musterstadt")
    first = build(content / "2027")
    data = first.pdf.read_bytes()
    again = build(content / "2027")
    assert again.chunk_layouts == 0                    # everything from the cache
    assert again.pdf.read_bytes() == data
    shutil.rmtree(tmp_path / "build" / ".cache" / "seiten")
    clean = build(content / "2027")
    assert clean.chunk_layouts > 1
    assert clean.pdf.read_bytes() == data


def test_editing_one_chapter_lays_out_only_that_chunk(tmp_path):
    content = copy_content(tmp_path)
    first = build(content / "2018")
    assert first.chunk_layouts >= 10
    chapter = content / "2018" / "kapitel" / "05-vermittlungsprozess.md"
    text = chapter.read_text(encoding="utf-8")
    edited = re.sub(r"(\n\n[A-ZÄÖÜ][^\n]{80,}?)\.", r"\1 und wird jährlich überprüft.", text, count=1)
    assert edited != text
    chapter.write_text(edited, encoding="utf-8")
    second = build(content / "2018")
    assert second.pages == first.pages
    assert second.chunk_layouts == 1
    assert "jährlich überprüft" in subprocess.run(["pdftotext", str(second.pdf), "-"], capture_output=True,
                                                  text=True, check=True).stdout.replace("\n", " ")
    # a new abbreviation ("Zwst." only ever with a full stop) adds a hyphenation entry: the edition's
    # patterns change, but only the chunk with that word is laid out again
    patterns = set((tmp_path / "build" / ".cache" / "silbentrennung").glob("*.dic"))
    chapter.write_text(edited + "\nDas gilt auch für jede Zwst. der Stadt.\n", encoding="utf-8")
    third = build(content / "2018")
    assert set((tmp_path / "build" / ".cache" / "silbentrennung").glob("*.dic")) - patterns
    assert third.chunk_layouts == 1


def page_texts(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def test_a_longer_chapter_moves_every_later_page_number(tmp_path):
    """Chapter 2 grows by pages: footers, contents, list of pages and "Seite N" references follow,
    and only the chunks that print a changed number are laid out again."""
    content = copy_content(tmp_path, "musterstadt")
    edition = content / "2027"
    settings = edition / "ausgabe.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "kapitel_auf_neuer_seite: ja\n", encoding="utf-8")
    first_chapter = edition / "kapitel" / "01-einleitung.md"
    first_chapter.write_text(first_chapter.read_text(encoding="utf-8")
                             + "\nDie jungen Menschen stehen im Mittelpunkt (siehe [[seite: jugend]]).\n", encoding="utf-8")
    before = build(edition)
    pages_before = page_texts(before.pdf)

    second = edition / "kapitel" / "02-arbeitsmarkt.md"
    paragraph = ("Die Lage am Arbeitsmarkt wird in jedem Quartal mit den Kammern und der Agentur für Arbeit "
                 "besprochen, damit die Planung auf aktuellen Zahlen beruht und Angebote rechtzeitig angepasst werden. ")
    second.write_text(second.read_text(encoding="utf-8") + "".join(f"\n{paragraph * 4}\n" for _ in range(14)),
                      encoding="utf-8")
    after = build(edition)
    pages_after = page_texts(after.pdf)
    assert after.pages >= before.pages + 2
    # laid out again: chapter 2 (edited), the contents (numbers moved), chapter 1 (its reference moved) – no more
    assert after.chunk_layouts == 3, after.chunk_layouts
    for number, text in enumerate(pages_after[1:], start=2):
        assert re.search(rf"Seite {number} von {after.pages}\b", text), f"footer of page {number}"
    def heading_page(pages):   # after the contents (page 2)
        return next(n for n, text in enumerate(pages[2:], start=3) if re.search(r"^\s*3\.1\.? +Junge Menschen", text, re.M))

    jugend, jugend_before = heading_page(pages_after), heading_page(pages_before)
    assert jugend > jugend_before
    contents = pages_after[1]
    assert re.search(rf"Junge Menschen[ .]+{jugend}\b", contents), contents
    assert re.search(rf"siehe Seite\s+{jugend}\b", " ".join(pages_after).replace("\n", " "))
    # and the result is what one layout of the whole new document gives
    whole = one_piece(after.pdf.parent, edition)
    assert words(after.pdf.read_bytes()) == words(whole)


def test_worker_count_does_not_change_the_bytes(tmp_path, monkeypatch):
    content = copy_content(tmp_path, "musterstadt")
    monkeypatch.setenv("AMIP_PROZESSE", "1")
    one = build(content / "2027").pdf.read_bytes()
    shutil.rmtree(tmp_path / "build")
    monkeypatch.setenv("AMIP_PROZESSE", "3")
    three = build(content / "2027").pdf.read_bytes()
    assert hashlib.sha256(one).hexdigest() == hashlib.sha256(three).hexdigest()


def _on_new_pages(edition: Path) -> None:
    settings = edition / "ausgabe.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "kapitel_auf_neuer_seite: ja\n", encoding="utf-8")


def test_footnotes_are_numbered_through_the_chunks(tmp_path):
    content = copy_content(tmp_path, "musterstadt")
    edition = content / "2027"
    _on_new_pages(edition)
    for name, text in (("01-einleitung.md", "Erste Anmerkung zur Einleitung"), ("03-handlungsfelder.md", "Zweite Anmerkung"),
                       ("04-finanzen.md", "Dritte Anmerkung")):
        chapter = edition / "kapitel" / name
        chapter.write_text(chapter.read_text(encoding="utf-8") + f"\nSiehe die Anmerkung.[^a]\n\n[^a]: {text}.\n",
                           encoding="utf-8")
    result = build(edition)
    assert result.chunk_layouts is not None
    text = " ".join(page_texts(result.pdf))
    assert re.search(r"1\s+Erste Anmerkung", text) and re.search(r"2\s+Zweite Anmerkung", text) \
        and re.search(r"3\s+Dritte Anmerkung", text)
    assert words(result.pdf.read_bytes()) == words(one_piece(result.pdf.parent, edition))


def test_running_header_from_the_text_is_set_in_one_piece(tmp_path):
    """A theme whose header shows the current chapter (string-set) cannot be drawn on frame pages: amip
    sets such a document in one piece rather than print a wrong header."""
    content = copy_content(tmp_path, "musterstadt")
    (content / "theme" / "zusatz-druck.css").write_text(
        "h1 { string-set: kapitel content(text); }\n@page { @top-right { content: string(kapitel); font-size: 8pt; } }\n",
        encoding="utf-8")
    _on_new_pages(content / "2027")
    result = build(content / "2027")
    assert result.chunk_layouts is None
    pages = page_texts(result.pdf)
    assert any("Handlungsfelder" in page.splitlines()[0] for page in pages[3:] if page.strip())


def test_a_changed_picture_or_stylesheet_is_not_taken_from_the_cache(tmp_path):
    """The cache checks the content of every file a layout read: the same HTML with a new logo file
    (same name) lays out the cover again, a new stylesheet every chunk."""
    content = copy_content(tmp_path, "musterstadt")
    before = build(content / "2027").pdf.read_bytes()
    logo = content / "theme" / "logo.svg"
    logo.write_text(logo.read_text(encoding="utf-8").replace("#2e6b3a", "#8b1a1a"), encoding="utf-8")
    second = build(content / "2027")
    assert second.chunk_layouts == 1
    assert second.pdf.read_bytes() != before
    (content / "theme" / "zusatz-druck.css").write_text("p { letter-spacing: 0.01em; }\n", encoding="utf-8")
    third = build(content / "2027")
    # all four chunks: cover, contents with Impressum, the chapters (not on new pages), the register
    assert third.chunk_layouts == 4
    assert build(content / "2027").chunk_layouts == 0


def test_the_cut_keeps_every_block_and_stands_in_for_the_others():
    from amip.chunks import split

    html = ('<html><head><title>t</title></head><body class="print"><header class="titel">T</header>'
            '<nav id="inhalt">N</nav>\n<main><section class="kapitel" id="a-teil"><h1 id="a">A</h1></section>'
            '<section class="anlage" id="b-teil" style="color: red"><h1 id="b">B</h1></section></main></body></html>')
    document = split.cut(html)
    assert [b.tag for b in document.blocks] == ["header", "nav", "section", "section"]
    last = document.part(3, 3)
    assert '<h1 id="b">B</h1>' in last and '<h1 id="a">' not in last
    # the first chapter is still main's first child, hidden and without its id
    assert '<main>\n<section class="kapitel" hidden style="display: none"></section>' in last
    assert '<header class="titel" hidden style="display: none"></header>' in last
    assert split.anchors(last[last.index("<body"):]) == {"b-teil", "b"}
    # text directly in <body> or an unclosed element cannot be cut without losing it
    assert split.cut(html.replace("<main>", "Lose Worte<main>")) is None
    assert split.cut(html.replace("</nav>", "")) is None


def test_a_worker_that_dies_is_a_german_error_and_keeps_the_outputs(tmp_path, monkeypatch):
    import os
    import signal
    import threading
    import time

    from amip.chunks import engine
    from amip.errors import BuildError

    content = copy_content(tmp_path, "musterstadt")
    first = build(content / "2027")
    before = first.pdf.read_bytes()
    chapter = content / "2027" / "kapitel" / "02-arbeitsmarkt.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nEin neuer Absatz.\n", encoding="utf-8")
    original = engine.Engine.lay_out

    def killed(self, html):
        def kill():
            time.sleep(0.3)
            for process in list(self.pool()._processes.values()):
                os.kill(process.pid, signal.SIGKILL)
        threading.Thread(target=kill).start()
        time.sleep(0.5)
        return original(self, html)

    monkeypatch.setattr(engine.Engine, "lay_out", killed)
    with pytest.raises(BuildError, match="Satzprozess wurde beendet.*AMIP_PROZESSE=1"):
        build(content / "2027")
    assert first.pdf.read_bytes() == before


def test_a_killed_build_leaves_no_worker_behind(tmp_path):
    """kill -9 of `amip build` while its workers lay out: they end with it instead of waiting forever."""
    import os
    import signal
    import sys
    import time

    copy_content(tmp_path)
    process = subprocess.Popen([sys.executable, "-m", "amip.cli", "build", "content/duesseldorf/2018"], cwd=tmp_path,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[str] = []
    deadline = time.monotonic() + 60
    while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
        workers = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
    assert len(workers) >= 2, "the build started no workers"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    while any(os.path.exists(f"/proc/{pid}") for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in workers if os.path.exists(f"/proc/{pid}")]
