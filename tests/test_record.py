"""The archival PDF: PDF/A-3u markers, the sources as associated files, the XMP record – checked offline with pikepdf.

veraPDF is not obtainable here, so each PDF/A rule amip relies on is checked on its own: the
identification in XMP, the output intent, ToUnicode maps for every font, /AF with AFRelationship and
media types, no interpolated images, extension schema for amip's own XMP properties.
"""

from __future__ import annotations

import json
import re
import subprocess

import pikepdf
import pytest

from conftest import ROOT, copy_content

AMIP = "{urn:amip:xmp:ausgabe:1#}"


@pytest.fixture(scope="module")
def pdf_2026(built_2026):
    with pikepdf.open(built_2026.pdf) as pdf:
        yield pdf


def test_xmp_claims_pdf_a_3u_and_names_the_edition(pdf_2026):
    meta = pdf_2026.open_metadata()
    assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("3", "U")
    assert meta["dc:title"] == "Arbeitsmarkt- und Integrationsprogramm 2026 – Jobcenter Düsseldorf"
    assert meta["dc:publisher"] == {"Jobcenter Düsseldorf"}
    assert meta[AMIP + "jahr"] == "2026" and meta[AMIP + "traeger"] == "duesseldorf"
    assert meta[AMIP + "status"] == "beschlossen" and meta[AMIP + "stand"] == "2025-12-01"
    assert meta["xmpMM:DocumentID"] == meta["dc:identifier"] and meta["dc:identifier"].startswith("urn:uuid:")
    assert AMIP + "version" not in meta and "xmpMM:VersionID" not in meta     # a plain build is no archive version
    extension = str(meta)
    for name in ("traeger", "jahr", "version", "status", "stand", "beschlussdatum", "beschlussnummer"):
        assert f"<pdfaProperty:name>{name}</pdfaProperty:name>" in extension     # declared for PDF/A


def test_the_archival_basics_of_pdf_a(pdf_2026):
    root = pdf_2026.Root
    intent = root.OutputIntents[0]
    assert intent.S == "/GTS_PDFA1" and "/DestOutputProfile" in intent
    assert str(root.Lang) == "de" and root.ViewerPreferences.DisplayDocTitle is True
    assert root.MarkInfo.Marked is True and "/StructTreeRoot" in root
    assert "/Encrypt" not in pdf_2026.trailer and len(pdf_2026.trailer.ID) == 2
    fonts = {font.objgen: font for page in pdf_2026.pages for font in page.Resources.Font.values()}
    assert fonts and all("/ToUnicode" in font for font in fonts.values())     # the "u" of 3u


def test_the_sources_travel_as_associated_files(pdf_2026):
    files = {str(spec.UF): spec for spec in pdf_2026.Root.AF}
    assert len(files) == len(pdf_2026.Root.AF)                               # each listed once
    edition = ROOT / "content/duesseldorf/2026"
    expected = {f"duesseldorf/2026/{p.relative_to(edition).as_posix()}" for p in edition.rglob("*")
                if p.suffix in (".yaml", ".md")} | {"duesseldorf/traeger.yaml", "duesseldorf/abkuerzungen.yaml"}
    assert expected <= set(files) and "duesseldorf/zeitreihe.yaml" in files
    # other editions stay out – except the data 2026's series chart reads (amip.series.sources)
    assert "duesseldorf/2018/daten/kennzahlen.yaml" in files
    assert not any(name.startswith("duesseldorf/2018/") and "/daten/" not in name for name in files)
    kennzahlen = files["duesseldorf/2026/daten/kennzahlen.yaml"]
    assert kennzahlen.AFRelationship == "/Source"
    stream = kennzahlen.EF.F
    assert stream.read_bytes() == (edition / "daten/kennzahlen.yaml").read_bytes()
    assert stream.Subtype == "/application/yaml" and "/ModDate" in stream.Params
    chapter = files["duesseldorf/2026/kapitel/01-einfuehrung.md"].EF.F
    assert chapter.Subtype == "/text/markdown"
    assert set(pdf_2026.attachments) == set(files)                           # also in the name tree


def test_a_raster_picture_is_not_interpolated(tmp_path):
    """WeasyPrint writes /Interpolate true for image-rendering: auto – forbidden in PDF/A."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from amip.build import build

    content = copy_content(tmp_path)
    plt.imsave(content / "2026/daten/foto.png", np.linspace(0, 1, 64 * 48).reshape(48, 64), cmap="Blues")
    (content / "2026/daten/foto.yaml").write_text("art: bild\ndatei: foto.png\ntitel: Ein Verlauf\n"
                                                 "alt: Ein blauer Farbverlauf\n", encoding="utf-8")
    chapter = content / "2026/kapitel/06-besondere-zielgruppen.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n[[abbildung: foto]]\n", encoding="utf-8")
    result = build(content / "2026", tmp_path / "out")
    with pikepdf.open(result.pdf) as pdf:
        images = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
        assert images and all(image.get("/Interpolate") is not True for image in images)


def test_published_versions_share_the_document_id_and_differ_in_instance(archived):
    ids = []
    for number in (1, 2):
        version = archived / f"archive/duesseldorf/2026/v{number}"
        manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
        with pikepdf.open(version / manifest["pdf"]) as pdf:
            meta = pdf.open_metadata()
            assert meta["xmpMM:VersionID"] == str(number) and meta[AMIP + "version"] == str(number)
            ids.append((meta["xmpMM:DocumentID"], meta["xmpMM:InstanceID"]))
    assert ids[0][0] == ids[1][0] and ids[0][1] != ids[1][1]


def test_every_table_header_cell_has_its_scope(pdf_2026):
    """Head cells are column headers, the label cells of body rows row headers (as scope= in the HTML)."""
    scopes = {}
    for obj in pdf_2026.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/TH":
            group = str(obj.P.P.S)
            scopes.setdefault(group, set()).add(str(obj.A.get("/Scope")))
    assert scopes == {"/THead": {"/Column"}, "/TBody": {"/Row"}}


def _reachable(pdf) -> set:
    """Every structure element reachable from the StructTreeRoot."""
    seen, todo = set(), [pdf.Root.StructTreeRoot]
    while todo:
        node = todo.pop()
        kids = node.get("/K")
        if kids is None:
            continue
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid and kid.objgen not in seen:
                seen.add(kid.objgen)
                todo.append(kid)
    return seen


def content_of(page) -> bytes:
    """A page's content: one stream, or an array of streams read as one (the chunked PDF draws its
    frame – header, footer – in a stream of its own)."""
    contents = page.Contents
    return b"\n".join(s.read_bytes() for s in (contents if isinstance(contents, pikepdf.Array) else [contents]))


def test_running_header_and_footer_are_artifacts_and_all_other_content_is_in_the_tree(pdf_2026):
    reachable = _reachable(pdf_2026)
    parent_tree = pdf_2026.Root.StructTreeRoot.ParentTree.Nums
    for index, page in enumerate(pdf_2026.pages):
        data = content_of(page)
        if index > 0:                                      # the cover has neither header nor footer
            assert re.search(rb"/Artifact\s+BMC", data), f"page {index + 1} has no artifact"
        mcids = [int(m) for m in re.findall(rb"<</MCID (\d+)>>\nBDC", data)]
        elements = parent_tree[2 * index + 1]
        assert len(elements) == len(mcids)
        orphans = [i for i, element in enumerate(elements) if element.objgen not in reachable]
        assert orphans == [], f"page {index + 1}: tagged content outside the structure tree"
    footer = subprocess.run(["pdftotext", "-f", "5", "-l", "5", str(pdf_2026.filename), "-"], capture_output=True,
                            text=True).stdout
    assert "Seite 5 von 21" in footer                      # still printed, only no longer read as text


def test_margin_notes_are_notes_before_their_paragraph(pdf_2026):
    notes = [o for o in pdf_2026.objects if isinstance(o, pikepdf.Dictionary) and o.get("/S") == "/Note"]
    assert len(notes) == 42
    assert len({str(n.ID) for n in notes}) == 42 and all(str(n.ID).startswith("rand-") for n in notes)
    for note in notes:
        siblings = [kid.objgen for kid in note.P.K]
        after = note.P.K[siblings.index(note.objgen) + 1]
        assert str(note.P.S) not in ("/P", "/Span", "/L", "/LI", "/Table", "/TR")
        assert str(after.S) in ("/Note", "/P", "/L", "/H2", "/H3", "/Div", "/Table")   # the block it stands beside


def test_headings_h1_to_h4_in_an_edition_with_four_levels(tmp_path):
    from amip.build import build

    result = build(ROOT / "content/musterstadt/2027", tmp_path / "out")
    with pikepdf.open(result.pdf) as pdf:
        kinds = {str(o.S) for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/StructElem"}
    assert {"/H1", "/H2", "/H3", "/H4", "/Table", "/TH", "/L", "/LI", "/Figure"} <= kinds


def test_the_published_pdf_is_the_archival_accessible_pdf(archived):
    """Issue 12's acceptance on the PDF `amip publish` archived (not a plain build)."""
    version = archived / "archive/duesseldorf/2026/v1"
    manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
    with pikepdf.open(version / manifest["pdf"]) as pdf:
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "3" and meta["xmpMM:VersionID"] == "1"
        names = {str(spec.UF) for spec in pdf.Root.AF}
        assert {"duesseldorf/2026/daten/kennzahlen.yaml", "duesseldorf/2026/kapitel/01-einfuehrung.md"} <= names
        assert str(pdf.Root.Lang) == "de" and pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert meta["dc:title"] == "Arbeitsmarkt- und Integrationsprogramm 2026 – Jobcenter Düsseldorf"
        elements = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/StructElem"]
        kinds = {str(e.S) for e in elements}
        assert {"/H1", "/H2", "/Note", "/L", "/LI", "/Table", "/TH", "/Figure"} <= kinds
        assert all("/Scope" in e.A for e in elements if e.S == "/TH")
        assert all(str(e.get("/Alt", "")).strip() for e in elements if e.S == "/Figure")
        assert all(re.search(rb"/Artifact\s+BMC", content_of(page)) for page in pdf.pages[1:])
