"""Merging chunk PDFs and frame overlays (amip.chunks.merge) – on real WeasyPrint PDFs, checked with pikepdf and pdfplumber.

The chunks are laid out and written by amip.pdf exactly as a build does (tagged, PDF/A-3u, chunk 0 with
the archival record of a real edition); their pages have no margin boxes. The frames are WeasyPrint
PDFs whose pages hold only the margin boxes. A chunk that links to an anchor in another chunk is
written with WeasyPrint's link resolution told about that anchor, as the chunk engine does.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import hashlib
import io
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from conftest import ROOT

TITLE = "Arbeitsmarktprogramm 2027"
IDENTIFIER = hashlib.sha256(TITLE.encode()).hexdigest()[:32].encode()   # what amip.pdf.write passes to WeasyPrint
STYLE = """<style>
@page { size: A4; margin: 25mm 20mm 25mm 45mm }
html { font-family: "Open Sans"; font-size: 11pt }
.rand { float: left; width: 30mm; margin-left: -32mm; font-size: 8pt }
</style>"""
FRAME_STYLE = """<style>
@page { size: A4; margin: 25mm 20mm;
  @top-center { content: "Arbeitsmarktprogramm 2027 – Kopfzeile" }
  @bottom-center { content: string(fuss) } }
html { font-family: "Open Sans"; font-size: 9pt }
div { string-set: fuss attr(title); break-after: page }
div:last-child { break-after: auto }
</style>"""


def _png() -> str:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (0, 90, 160)).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


IMAGE = _png()
TABLE = ('<table><thead><tr><th scope="col">Maßnahme</th><th scope="col">Plätze</th></tr></thead><tbody>'
         '<tr><th scope="row">Coaching</th><td>120</td></tr><tr><th scope="row">Qualifizierung</th><td>80</td></tr>'
         '</tbody></table>')
CHUNKS = [
    # 0: cover and contents (two pages)
    f'<h1 id="titel">{TITLE}</h1><p>Jobcenter Musterstadt</p><p>Siehe <a href="#ziel">Kapitel 3</a>.</p>'
    '<h2 id="inhalt" style="break-before: page">Inhalt</h2><ul><li><a href="#k1">Kapitel 1</a></li></ul>',
    # 1: headings h1–h3, a table, a list, a margin note, an image, a link to an anchor defined in chunk 3
    '<h1 id="k1">Kapitel 1</h1><h2 id="k1-1">Abschnitt 1.1</h2>'
    '<p><span class="rand" id="rand-1">Orientierung am Vertrag.</span>Die Planung folgt dem Vertrag.</p>'
    f'<h3 id="k1-1-1">Teil 1.1.1</h3>{TABLE}<ul><li>erstens</li><li>zweitens</li></ul>'
    f'<p id="doppelt"><img src="{IMAGE}" alt="Balken in Blau"></p>'
    '<p>Mehr in <a href="#ziel">Kapitel 3</a>.</p>',
    # 2: the same table again (WeasyPrint gives its header cells the same IDs), the same image, an anchor
    # name that chunk 1 defines already (the first one wins, as in one piece)
    f'<h1 id="k2">Kapitel 2</h1>{TABLE}<p id="doppelt"><img src="{IMAGE}" alt="Balken in Blau"></p>',
    # 3: the target of the cross-chunk links, over two pages
    '<h1 id="ziel">Kapitel 3</h1><p>Ziel der Verweise.</p><h2 id="k3-1" style="break-before: page">Abschnitt 3.1</h2>'
    '<p>Zurück zu <a href="#k1">Kapitel 1</a>.</p>',
    # 4: laid out like chunk 2, so WeasyPrint numbers its objects alike and its table header IDs are chunk 2's
    f'<h1 id="anhang">Anhang</h1>{TABLE}<p id="doppelt"><img src="{IMAGE}" alt="Balken in Blau"></p>',
]
ANCHORS = {"titel", "inhalt", "k1", "k1-1", "k1-1-1", "rand-1", "doppelt", "k2", "ziel", "k3-1", "anhang"}


def _html(body: str, style: str = STYLE) -> str:
    return (f'<html lang="de"><head><title>{TITLE}</title><link rel="stylesheet" href="fonts.css">{style}</head>'
            f"<body>{body}</body></html>")


@contextlib.contextmanager
def _anchors_in_other_chunks(names: set[str]):
    """WeasyPrint drops a link to an anchor the document lacks; the chunk engine tells it the other chunks' anchors."""
    import weasyprint.pdf as weasy

    real = weasy.resolve_links

    def resolve(pages):
        defined = {name for page in pages for name in page.anchors}
        foreign = [[link for link in page.links if link[0] == "internal" and link[1] in names - defined] for page in pages]
        for page, links in zip(pages, foreign):
            page.links = [link for link in page.links if link not in links]
        try:
            resolved = list(real(pages))
        finally:
            for page, links in zip(pages, foreign):
                page.links = page.links + links
        for (links, anchors), extra in zip(resolved, foreign):
            yield links + extra, anchors

    weasy.resolve_links = resolve
    try:
        yield
    finally:
        weasy.resolve_links = real


def _write(html: str, record) -> bytes:
    from amip import pdf, render

    with _anchors_in_other_chunks(ANCHORS):
        lay = pdf.layout(html, render.TEMPLATES.as_uri() + "/", [render.TEMPLATES], 1794700800)
        return pdf.write(lay, TITLE, None, record)


def _frame(labels: list[str], record) -> bytes:
    return _write(_html("".join(f'<div title="{label}"></div>' for label in labels), FRAME_STYLE), record)


@pytest.fixture(scope="module")
def parts():
    """(chunks, frames, page counts, record) – chunk 0 with a real edition's record, the others PDF/A without attachments."""
    from amip.build import _epoch
    from amip.edition import load_edition
    from amip.record import pdfa

    edition = load_edition(ROOT / "content" / "musterstadt" / "2027")
    record = pdfa.record(edition, _epoch(edition), None)
    bare = dataclasses.replace(record, sources=())
    chunks = [_write(_html(body), record if number == 0 else bare) for number, body in enumerate(CHUNKS)]
    counts = [len(pikepdf.open(io.BytesIO(chunk)).pages) for chunk in chunks]
    total = sum(counts)
    labels = [f"Seite {n} von {total}" for n in range(1, total + 1)]
    frames = [_frame(labels[:3], bare), _frame(labels[3:], bare)]      # frame pages split over two PDFs
    return chunks, frames, counts, record


@pytest.fixture(scope="module")
def merged(parts, tmp_path_factory) -> Path:
    from amip.chunks.merge import merge

    chunks, frames, _, _ = parts
    path = tmp_path_factory.mktemp("merge") / "programm.pdf"
    path.write_bytes(merge(chunks, frames, IDENTIFIER))
    return path


@pytest.fixture()
def pdf(merged):
    with pikepdf.open(merged) as document:
        yield document


def _starts(counts: list[int]) -> list[int]:
    return [sum(counts[:n]) for n in range(len(counts))]


def test_pages_of_all_chunks_in_order_each_with_its_frame(parts, merged):
    chunks, frames, counts, _ = parts
    assert counts[0] == 2 and counts[3] == 2 and sum(counts) >= 6
    with pdfplumber.open(merged) as document:
        assert len(document.pages) == sum(counts)
        texts = [page.extract_text() for page in document.pages]
    total = sum(counts)
    for number, text in enumerate(texts):
        assert "Arbeitsmarktprogramm 2027 – Kopfzeile" in text
        assert f"Seite {number + 1} von {total}" in text
        assert text.count("Seite ") == 1                      # its own frame page, no other
    starts = _starts(counts)
    assert texts[starts[1]].startswith("Arbeitsmarktprogramm 2027 – Kopfzeile\nKapitel 1")
    assert "Kapitel 2" in texts[starts[2]] and "Ziel der Verweise." in texts[starts[3]]
    assert "Abschnitt 3.1" in texts[starts[3] + 1] and "Inhalt" in texts[1] and "Anhang" in texts[starts[4]]


def test_frame_is_drawn_on_top_at_its_own_coordinates(parts, merged, pdf):
    _, frames, counts, _ = parts
    with pdfplumber.open(io.BytesIO(frames[1])) as frame, pdfplumber.open(merged) as document:
        for offset in range(len(frame.pages)):
            expected = [(w["text"], round(w["x0"], 2), round(w["top"], 2)) for w in frame.pages[offset].extract_words()]
            page = document.pages[3 + offset]
            found = [(w["text"], round(w["x0"], 2), round(w["top"], 2)) for w in page.extract_words()]
            assert expected and all(word in found for word in expected)
            assert page.mediabox == frame.pages[offset].mediabox
    for page in pdf.pages:
        *_, last = page.obj.Contents                         # drawn after the chunk's content, its state restored
        assert last.read_bytes() == b"Q\nq\n/Artifact BMC\n/amipRahmen Do\nEMC\nQ\n"
        assert page.obj.Contents[0].read_bytes() == b"q\n"
        form = page.obj.Resources.XObject.amipRahmen
        content = form.read_bytes()
        assert b"/Artifact" in content and b"/MCID" not in content and "/Matrix" not in form
        assert [float(v) for v in form.BBox] == [float(v) for v in page.mediabox]


def _below(node) -> list:
    """The structure elements below `node` (the StructTreeRoot or an element), in reading order."""
    stack, found = [node.K], []
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(reversed(list(node)))
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            found.append(node)
            if "/K" in node:
                stack.append(node.K)
    return found


def _elements(pdf) -> list:
    return _below(pdf.Root.StructTreeRoot)


def _mcids(page) -> set[int]:
    return {int(operands[1].MCID) for operands, operator in pikepdf.parse_content_stream(page)
            if operator == pikepdf.Operator("BDC") and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]}


def test_one_structure_tree_below_one_document_element(parts, pdf):
    _, _, counts, _ = parts
    root = pdf.Root.StructTreeRoot
    document = root.K
    assert document.S == "/Document" and document.P.objgen == root.objgen
    kids = list(document.K)
    assert all(kid.P.objgen == document.objgen for kid in kids)
    pages = {page.objgen: n for n, page in enumerate(pdf.pages)}
    h1_pages = [pages[kid.Pg.objgen] for kid in kids if kid.S == "/H1"]
    assert h1_pages == _starts(counts)                                     # each chunk's elements in chunk order
    elements = _elements(pdf)
    annotations = {a.objgen for page in pdf.pages for a in page.obj.get("/Annots", [])}
    for element in elements:
        assert element.objgen != (0, 0)                                     # indirect, as WeasyPrint writes them
        if "/Pg" in element:
            assert element.Pg.objgen in pages
        kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                assert kid.Obj.objgen in annotations and kid.Pg.objgen in pages
    kinds = {str(element.S) for element in elements}
    assert {"/H1", "/H2", "/H3", "/Table", "/TH", "/TD", "/L", "/LI", "/Figure", "/Note", "/Link"} <= kinds
    figures = [element for element in elements if element.S == "/Figure"]
    assert len(figures) == 3 and all(str(figure.Alt) == "Balken in Blau" for figure in figures)
    notes = [element for element in elements if element.S == "/Note"]
    assert [str(note.ID) for note in notes] == ["rand-1"]


def test_parent_tree_maps_every_marked_content_and_annotation(pdf):
    root = pdf.Root.StructTreeRoot
    nums = list(root.ParentTree.Nums)
    tree = dict(zip([int(key) for key in nums[::2]], nums[1::2]))
    assert int(root.ParentTreeNextKey) == max(tree) + 1
    seen = 0
    for number, page in enumerate(pdf.pages):
        assert int(page.obj.StructParents) == number                       # as WeasyPrint numbers one piece
        mcids = _mcids(page)
        assert mcids, f"page {number + 1} has no tagged content"
        parents = tree[number]
        for mcid in mcids:
            element = parents[mcid]
            assert element.Pg.objgen == page.objgen
            kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
            assert mcid in [int(kid) for kid in kids if isinstance(kid, int)]
        for annotation in page.obj.get("/Annots", []):
            key = int(annotation.StructParent)
            assert key >= len(pdf.pages)
            element = tree[key]
            assert element.S == "/Link"
            assert any(isinstance(kid, pikepdf.Dictionary) and kid.get("/Obj") is not None
                       and kid.Obj.objgen == annotation.objgen for kid in element.K)
            seen += 1
    assert seen == 4 and len(tree) == len(pdf.pages) + seen


def test_table_header_ids_stay_unique_and_cells_name_their_own_headers(pdf):
    elements = _elements(pdf)
    ids = [bytes(element.ID) for element in elements if element.S == "/TH"]
    assert len(ids) == 12 and len(set(ids)) == 12                          # three tables of four header cells
    tables = [element for element in elements if element.S == "/Table"]
    for table in tables:
        inside = {e.objgen for e in _below(table)}
        own = {bytes(e.ID) for e in elements if e.S == "/TH" and e.objgen in inside}
        for cell in (e for e in elements if e.S == "/TD" and e.objgen in inside):
            assert {bytes(h) for h in cell.A.Headers} <= own and len(cell.A.Headers) == 2


def test_link_in_one_chunk_resolves_to_an_anchor_in_a_later_chunk(parts, merged, pdf):
    from pdfinspect import destinations, internal_links

    _, _, counts, _ = parts
    starts = _starts(counts)
    dests = destinations(merged)
    assert ANCHORS <= set(dests)
    def named(chunk: int) -> list[str]:
        return [name for page in range(starts[chunk], starts[chunk] + counts[chunk])
                for name, _ in internal_links(merged, page)]

    assert named(1) == ["ziel"] and named(0) == ["ziel", "k1"]              # chunks 0 and 1 name an anchor of chunk 3
    assert named(3) == ["k1"]
    assert dests["ziel"].page == starts[3] and dests["k1"].page == starts[1]
    assert dests["doppelt"].page in range(starts[1], starts[2])             # chunk 1 defined it first
    names = list(pdf.Root.Names.Dests.Names)
    keys = [bytes(name) for name in names[::2]]
    assert keys == sorted(keys) and len(keys) == len(set(keys))            # a valid (flat) name tree
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", []):
            assert isinstance(annotation.Dest, pikepdf.String) and "/A" not in annotation
            assert "/P" not in annotation or annotation.P.objgen == page.objgen


def test_outlines_of_all_chunks_in_order_with_nesting(parts, pdf):
    _, _, counts, _ = parts
    starts = _starts(counts)
    pages = {page.objgen: n for n, page in enumerate(pdf.pages)}

    def items(node):
        item, found = node.get("/First"), []
        while item is not None:
            assert item.Parent.objgen == node.objgen
            found.append((str(item.Title), pages[item.Dest[0].objgen], items(item), int(item.Count)))
            item = item.get("/Next")
        return found

    outline = items(pdf.Root.Outlines)
    assert [(title, page) for title, page, _, _ in outline] == [
        (TITLE, 0), ("Kapitel 1", starts[1]), ("Kapitel 2", starts[2]), ("Kapitel 3", starts[3]), ("Anhang", starts[4])]
    assert [(t, p) for t, p, _, _ in outline[0][2]] == [("Inhalt", 1)]
    (section, page, below, count) = outline[1][2][0]
    assert (section, page, [t for t, *_ in below], count) == ("Abschnitt 1.1", starts[1], ["Teil 1.1.1"], 1)
    assert outline[3][2][0][:2] == ("Abschnitt 3.1", starts[3] + 1)
    assert int(pdf.Root.Outlines.Count) == 5 + 1 + 2 + 1                  # every item is open
    first, last = pdf.Root.Outlines.First, pdf.Root.Outlines.Last
    assert "/Prev" not in first and "/Next" not in last and str(last.Title) == "Anhang"


def test_catalog_and_metadata_come_from_chunk_zero(parts, pdf):
    _, _, _, record = parts
    assert str(pdf.Root.Lang) == "de" and bool(pdf.Root.MarkInfo.Marked)
    assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
    meta = pdf.open_metadata()
    assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("3", "U")
    assert meta["{urn:amip:xmp:ausgabe:1#}jahr"] == "2027"
    (intent,) = pdf.Root.OutputIntents
    assert intent.S == "/GTS_PDFA1" and intent.DestOutputProfile.read_bytes()[36:40] == b"acsp"
    names = list(pdf.Root.Names.EmbeddedFiles.Names)
    assert [str(name) for name in names[::2]] == [name for name, _ in record.sources] and len(record.sources) > 3
    assert [spec.objgen for spec in pdf.Root.AF] == [spec.objgen for spec in names[1::2]]
    assert all(spec.AFRelationship == "/Source" for spec in pdf.Root.AF)
    assert dict(record.sources)[str(names[0])] == names[1].EF.F.read_bytes()
    assert str(pdf.docinfo.Title) == TITLE and str(pdf.docinfo.Producer) == "WeasyPrint 70.0"
    assert pdf.pdf_version == "1.7"


def test_identifier_is_weasyprints_and_the_file_passes_qpdf_check(parts, pdf):
    chunks, _, _, _ = parts
    weasyprint_id = pikepdf.open(io.BytesIO(chunks[0])).trailer.ID[0]
    assert bytes(pdf.trailer.ID[0]) == bytes(weasyprint_id) == IDENTIFIER
    assert len(bytes(pdf.trailer.ID[1])) == 16                             # MD5 of the written file (qpdf deterministic id)
    assert pdf.check_pdf_syntax() == []


def test_same_inputs_give_the_same_bytes_in_another_process(parts, merged, tmp_path):
    from amip.chunks.merge import merge

    chunks, frames, _, _ = parts
    assert merge(chunks, frames, IDENTIFIER) == merged.read_bytes()
    for number, data in enumerate(chunks + frames):
        (tmp_path / f"{number}.pdf").write_bytes(data)
    script = (f"import sys; from pathlib import Path; from amip.chunks.merge import merge; p = Path(sys.argv[1]); "
              f"sys.stdout.buffer.write(merge([(p / f'{{n}}.pdf').read_bytes() for n in range({len(chunks)})], "
              f"[(p / f'{{n}}.pdf').read_bytes() for n in range({len(chunks)}, {len(chunks) + len(frames)})], {IDENTIFIER!r}))")
    other = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, check=True,
                           env={"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"})
    assert other.stdout == merged.read_bytes()


def test_streams_that_chunks_share_are_stored_once(parts, merged, pdf):
    chunks, frames, _, _ = parts
    images = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"]
    assert len(images) == 1                                                 # the image of chunks 1, 2 and 4
    profiles = {obj.objgen for obj in pdf.objects if isinstance(obj, pikepdf.Stream) and obj.get("/N") == 3}
    assert len(profiles) == 1                                               # one sRGB profile for all chunks
    parts_size = sum(map(len, chunks + frames))
    assert len(merged.read_bytes()) < 0.8 * parts_size


def _subsets(pdf) -> dict[str, set]:
    """Font name → the font programs embedded under it."""
    found: dict[str, set] = {}
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
            found.setdefault(str(obj.FontName), set()).add(obj.FontFile2.read_raw_bytes())
    return found


def test_every_font_subset_has_its_own_name(parts, pdf):
    chunks, _, _, _ = parts
    merged = _subsets(pdf)
    assert all(len(programs) == 1 for programs in merged.values())
    first = _subsets(pikepdf.open(io.BytesIO(chunks[0])))
    assert first and all(merged.get(name) == programs for name, programs in first.items())   # chunk 0's keep their names
    names = [name for chunk in chunks for name in _subsets(pikepdf.open(io.BytesIO(chunk)))]
    assert len(set(names)) < len(names) <= len(merged) + 1                  # WeasyPrint repeats names across chunks
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == "/Type0":
            cid = obj.DescendantFonts[0]
            assert str(obj.BaseFont) == str(cid.BaseFont) == str(cid.FontDescriptor.FontName)


def test_damaged_chunk_or_missing_frame_page_is_a_german_build_error(parts):
    from amip.chunks.merge import merge
    from amip.errors import BuildError

    chunks, frames, _, _ = parts
    with pytest.raises(BuildError, match="Abschnitt 2 des PDF ist beschädigt"):
        merge([chunks[0], chunks[1][:500], *chunks[2:]], frames, IDENTIFIER)
    mended = chunks[3].replace(b"startxref", b"startxrez")          # qpdf reads it, but only by repairing it
    with pytest.raises(BuildError, match=r"^Abschnitt 4 des PDF ist beschädigt.*build/.cache/seiten/"):
        merge([*chunks[:3], mended, *chunks[4:]], frames, IDENTIFIER)
    with pytest.raises(BuildError, match="aber 3 Rahmenseiten"):
        merge(chunks, frames[:1], IDENTIFIER)


def test_a_frame_with_tagged_text_is_refused(parts):
    from amip.chunks.merge import merge
    from amip.errors import BuildError

    chunks, _, _, record = parts
    tagged = _write(_html("<p>Text im Rahmen</p>"), dataclasses.replace(record, sources=()))
    with pytest.raises(BuildError, match="Rahmenseite enthält Text"):
        merge(chunks[:1], [tagged, tagged], IDENTIFIER)


def _with_maps(chunk: bytes, roles: dict[str, str], classes: dict[str, dict]) -> bytes:
    with pikepdf.open(io.BytesIO(chunk)) as document:
        root = document.Root.StructTreeRoot
        root.RoleMap = pikepdf.Dictionary({f"/{k}": pikepdf.Name(f"/{v}") for k, v in roles.items()})
        root.ClassMap = pikepdf.Dictionary({f"/{k}": pikepdf.Dictionary(v) for k, v in classes.items()})
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()


def test_role_and_class_maps_are_merged_first_chunk_first(parts):
    from amip.chunks.merge import merge

    chunks, frames, _, _ = parts
    changed = [chunks[0], _with_maps(chunks[1], {"Kasten": "Div"}, {"rot": {"/O": pikepdf.Name.Layout}}),
               _with_maps(chunks[2], {"Kasten": "Sect", "Randnotiz": "Note"}, {"blau": {"/O": pikepdf.Name.Layout}}),
               *chunks[3:]]
    with pikepdf.open(io.BytesIO(merge(changed, frames, IDENTIFIER))) as document:
        root = document.Root.StructTreeRoot
        assert {str(k): str(v) for k, v in root.RoleMap.items()} == {"/Kasten": "/Div", "/Randnotiz": "/Note"}
        assert sorted(root.ClassMap.keys()) == ["/blau", "/rot"]
        assert document.check_pdf_syntax() == []
