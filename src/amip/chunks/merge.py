"""Turn laid-out chunk PDFs and their frame overlays into one PDF.

Chunks are tagged WeasyPrint PDFs without margin boxes (chunk 0 with the archival record); frames hold
only the margin boxes as /Artifact content, one frame page per merged page, in order. The merge
(pikepdf: qpdf remaps every indirect object it copies) keeps the pages in order, each with its frame
page drawn on top as a Form XObject; one structure tree (the chunks' elements under chunk 0's Document,
the parent tree numbered as WeasyPrint numbers one piece, table header IDs two chunks share renamed);
the union of the named destinations (first chunk wins, as in WeasyPrint), so a link to an anchor in
another chunk resolves; the outlines in order; catalog, XMP, output intent, attachments and /Info of
chunk 0. Equal streams (colour profile, images) are stored once and every font subset gets its own name.
The bytes are deterministic; /ID is [identifier, MD5 of the file], as WeasyPrint's is [identifier, MD5].
"""

from __future__ import annotations

import gc
import hashlib
import io
import re
import warnings

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, String

from ..errors import BuildError

FRAME = Name("/amipRahmen")           # resource name of the frame's Form XObject on every page
_OPEN = b"q\n"                        # keeps the chunk page's graphics state away from the frame
_DRAW = b"Q\nq\n/Artifact BMC\n/amipRahmen Do\nEMC\nQ\n"
_OBJECT_STREAM = re.compile(rb"/Type\s*/ObjStm")
_OBJECT = re.compile(rb"(\d+)\s+\d+\s+obj\s*<<[^>]*$")
_ID = re.compile(rb"/ID\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)")     # a struct element's /ID (string)
_NO_STREAMS = {"/Pages", "/Parent", "/P", "/Pg", "/StructTreeRoot", "/Outlines", "/Dests", "/Dest", "/K", "/Metadata", "/Annots",
               "/Contents", "/W", "/Widths", "/Rect", "/BBox", "/Matrix", "/MediaBox", "/TrimBox", "/BleedBox"}
_MERGED_CATALOG_KEYS = {"/Type", "/Pages", "/Names", "/Outlines", "/StructTreeRoot", "/Dests"}


def merge(chunks: list[bytes], frames: list[bytes], identifier: bytes, record: bytes | None = None) -> bytes:
    """One PDF of `chunks` (in order) with the pages of `frames` (in order) drawn on top of them;
    `identifier` is the `pdf_identifier` the chunks were written with (first element of /ID).
    `record`: a PDF whose catalog and /Info (XMP, attachments, output intent) the result takes instead of
    chunk 0's – so that the cover chunk need not be laid out again whenever a source file changes."""
    enabled = gc.isenabled()
    gc.disable()     # measured: pikepdf's many short-lived wrappers set off collections costing a fifth of the time
    try:
        return _merge(chunks, frames, identifier, record)
    finally:
        if enabled:
            gc.enable()


def _merge(chunks: list[bytes], frames: list[bytes], identifier: bytes, record: bytes | None) -> bytes:
    sources = [_open(data, f"Abschnitt {number + 1}") for number, data in enumerate(chunks)]
    carrier = _open(record, "Archivangaben") if record is not None else sources[0]   # open until saved
    framing = [_open(data, f"Rahmen {number + 1}") for number, data in enumerate(frames)]   # open until saved
    frame_pages = [page for frame in framing for page in _frame_pages(frame)]
    total = sum(len(source.pages) for source in sources)
    if not sources or len(frame_pages) != total:
        raise BuildError(f"Interner Fehler beim Zusammenfügen des PDF: {total} Seiten, aber {len(frame_pages)} "
                         "Rahmenseiten. Das ist ein Fehler in amip, nicht in Ihrem Text – bitte melden.")
    out = Pdf.new()
    tree = _Tree(out)
    dests: dict[bytes, pikepdf.Object] = {}
    outlines = _Outlines(out)
    keys = _Keys(total)
    ids: set[bytes] = set()
    for number, (source, data) in enumerate(zip(sources, chunks)):
        keys.renumber(source)
        declared = _declared_ids(source, data)
        ids |= _unique_ids(source, ids, number) if declared & ids else declared
        kids = tree.detach(source, first=number == 0)
        with warnings.catch_warnings():        # the named destinations are merged below, not by pikepdf
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            out.pages.extend(source.pages)      # one object copier per source: later copies map to these pages
        tree.add(source, kids, keys.moved)
        for name, value in _leaves(_copy(out, source, source.Root.get("/Names", {}).get("/Dests")), "/Names"):
            dests.setdefault(bytes(name), value)
        outlines.add(source)
    _catalog(out, carrier, tree, dests, outlines)
    streams = _Streams()           # before the overlay copies each chunk's resources into its pages' own
    resources = [page.obj.get("/Resources") for page in out.pages]
    streams.share([out.Root, *{r.objgen if r.is_indirect else n: r for n, r in enumerate(resources) if r is not None}.values()])
    streams.share(_overlay(out, frame_pages))
    _retag_subsets(streams.fonts)
    out.trailer.ID = Array([String(identifier), String(identifier)])
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True, compress_streams=True, stream_decode_level=pikepdf.StreamDecodeLevel.none,
             object_stream_mode=pikepdf.ObjectStreamMode.generate, force_version=sources[0].pdf_version,
             fix_metadata_version=False)
    for what, pdf in [*((f"Abschnitt {n + 1}", s) for n, s in enumerate(sources)),
                      *((f"Rahmen {n + 1}", f) for n, f in enumerate(framing))]:
        if pdf.get_warnings():                  # qpdf mended a damaged file: something may be missing
            raise _damaged(what)
    return buffer.getvalue()


def _open(data: bytes, what: str) -> Pdf:
    try:
        return Pdf.open(io.BytesIO(data))
    except pikepdf.PdfError:
        raise _damaged(what) from None


def _damaged(what: str) -> BuildError:
    return BuildError(f"{what} des PDF ist beschädigt und lässt sich nicht zusammenfügen. Löschen Sie den "
                      "Zwischenspeicher build/.cache/seiten/ und bauen Sie neu.")


def _frame_pages(frame: Pdf) -> list[pikepdf.Page]:
    """The frame's pages; tagged content on them would be lost (their structure tree is dropped)."""
    parents = _leaves(frame.Root.get("/StructTreeRoot", {}).get("/ParentTree"), "/Nums")
    if any(len(value) if isinstance(value, Array) else True for _, value in parents):
        raise BuildError("Interner Fehler beim Zusammenfügen des PDF: eine Rahmenseite enthält Text außerhalb der "
                         "Seitenränder. Das ist ein Fehler in amip, nicht in Ihrem Text – bitte melden.")
    return list(frame.pages)


def _leaves(node, key: str):
    """(key, value) pairs of a name tree (key "/Names") or number tree ("/Nums"), in tree order."""
    if node is None:
        return
    items = list(node.get(key, ()))
    yield from zip(items[::2], items[1::2])
    for kid in node.get("/Kids", ()):
        yield from _leaves(kid, key)


def _copy(out: Pdf, source: Pdf, node):
    """`node` of `source` copied into `out` in one go (made indirect in the source first if need be)."""
    if node is None:
        return None
    return out.copy_foreign(node if node.is_indirect else source.make_indirect(node))


def _import(out: Pdf, value):
    """`value` of another PDF as an object of `out` (indirect objects through the shared copier)."""
    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return out.copy_foreign(value)
    if isinstance(value, Array):
        return Array([_import(out, item) for item in value])
    if isinstance(value, Dictionary):
        return Dictionary({key: _import(out, item) for key, item in value.items()})
    return value


class _Keys:
    """Parent tree keys as WeasyPrint numbers them in one document: page n → n, annotations after all pages."""

    def __init__(self, total: int) -> None:
        self.page, self.annotation = 0, total
        self.moved: dict[int, int] = {}

    def renumber(self, source: Pdf) -> None:
        """Give the chunk's pages and annotations their merged keys (in the source, before copying)."""
        self.moved = {}
        annotations = []
        for page in source.pages:
            if "/StructParents" in page.obj:
                self.moved[int(page.obj.StructParents)] = self.page
                page.obj.StructParents = self.page
            self.page += 1
            annotations += [a for a in page.obj.get("/Annots", ()) if "/StructParent" in a]
        for annotation in annotations:
            self.moved[int(annotation.StructParent)] = self.annotation
            annotation.StructParent = self.annotation
            self.annotation += 1


class _Tree:
    """The merged structure tree: one root, chunk 0's Document element, every chunk's elements below it."""

    def __init__(self, out: Pdf) -> None:
        self.out = out
        self.root = out.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array()))
        self.container = self.root              # chunk 0's Document element once it is copied
        self.parents: dict[int, pikepdf.Object] = {}
        self.maps: dict[str, Dictionary] = {}

    def detach(self, source: Pdf, first: bool) -> list:
        """The chunk's top-level elements (chunk 0: its Document element), cut from its root so copying them does
        not copy the root."""
        root = source.Root.get("/StructTreeRoot")
        if root is None or "/K" not in root:
            return []
        kids = root.K if isinstance(root.K, Array) else [root.K]
        if len(kids) == 1 and kids[0].get("/S") == Name.Document and not first:
            kids = root.K[0].get("/K", [])
            kids = kids if isinstance(kids, Array) else [kids]
        kids = [kid for kid in kids if isinstance(kid, Dictionary)]
        for kid in kids:
            if "/P" in kid:
                del kid.P
        return kids

    def add(self, source: Pdf, kids: list, moved: dict[int, int]) -> None:
        copies = [self.out.copy_foreign(kid) for kid in kids]
        if self.container is self.root and len(copies) == 1 and copies[0].get("/S") == Name.Document:
            self.container = copies[0]
            copies[0].P = self.root
            self.root.K = copies[0]             # as WeasyPrint writes it: the root's only kid
        else:
            if not isinstance(self.container.get("/K"), Array):
                self.container.K = Array([self.container.K] if "/K" in self.container else [])
            for copy in copies:
                copy.P = self.container
                self.container.K.append(copy)
        root = source.Root.get("/StructTreeRoot")
        if root is None:
            return
        for key, value in _leaves(_copy(self.out, source, root.get("/ParentTree")), "/Nums"):
            if int(key) in moved:                   # the elements are copies already (one copier per source)
                self.parents[moved[int(key)]] = value
        for name in ("/RoleMap", "/ClassMap"):
            for key, value in root.get(name, Dictionary()).items():
                merged = self.maps.setdefault(name, Dictionary())
                if key not in merged:
                    merged[key] = _import(self.out, value)

    def finish(self) -> Dictionary | None:
        if not self.parents and self.container is self.root and not len(self.root.K):
            return None
        nums = Array()
        for key in sorted(self.parents):
            nums.append(key)
            nums.append(self.parents[key])
        self.root.ParentTree = self.out.make_indirect(Dictionary(Nums=nums))
        self.root.ParentTreeNextKey = max(self.parents, default=-1) + 1
        for name, mapping in self.maps.items():
            self.root[name] = mapping
        return self.root


def _declared_ids(source: Pdf, data: bytes) -> set[bytes]:
    """The /ID strings in the chunk's file, found in its bytes and object streams (far faster than its objects)."""
    texts = [data]
    for found in _OBJECT_STREAM.finditer(data):
        start = data.rfind(b" obj", 0, found.start())
        header = _OBJECT.search(data, max(0, start - 24), found.start())
        if header is not None:
            texts.append(source.get_object(int(header[1]), 0).read_bytes())
    return {bytes(pikepdf.Object.parse(token)) for text in texts for token in _ID.findall(text)}


def _unique_ids(source: Pdf, taken: set[bytes], number: int) -> set[bytes]:
    """The chunk's structure element IDs, renamed (with /Headers references) where an earlier chunk has them.

    WeasyPrint names table header cells "<object number of the table>-<row>-<column>", so two chunks can
    share IDs. Going through the objects is faster than walking the tree (WeasyPrint makes every element indirect)."""
    elements = [obj for obj in source.objects if isinstance(obj, Dictionary) and "/S" in obj]
    renamed: dict[bytes, bytes] = {}
    ids = set()
    for element in (element for element in elements if "/ID" in element):
        old = bytes(element.ID)
        new = old
        while new in taken or new in ids:
            new = new + b"~%d" % number
        if new != old:
            renamed[old] = new
            element.ID = String(new)
        ids.add(new)
    for element in (element for element in elements if renamed and "/A" in element):
        attributes = element.A
        for owner in attributes if isinstance(attributes, Array) else [attributes]:
            if isinstance(owner, Dictionary) and "/Headers" in owner and any(bytes(h) in renamed for h in owner.Headers):
                owner.Headers = Array([String(renamed.get(bytes(h), bytes(h))) for h in owner.Headers])
    return ids


class _Outlines:
    """The chunks' outline trees, concatenated in order below one outline root."""

    def __init__(self, out: Pdf) -> None:
        self.out = out
        self.items: list[pikepdf.Object] = []
        self.count = 0

    def add(self, source: Pdf) -> None:
        root = source.Root.get("/Outlines")
        if root is None or "/First" not in root:
            return
        tops, item = [], root.First
        while item is not None:
            tops.append(item)
            item = item.get("/Next")
        for top in tops:                        # cut the links to the root and siblings before copying
            for key in ("/Parent", "/Prev", "/Next"):
                if key in top:
                    del top[key]
        self.items += [self.out.copy_foreign(top) for top in tops]
        self.count += int(root.get("/Count", len(tops)))

    def finish(self) -> Dictionary | None:
        if not self.items:
            return None
        root = self.out.make_indirect(Dictionary(Type=Name.Outlines, Count=self.count,
                                                 First=self.items[0], Last=self.items[-1]))
        for before, item in zip([None, *self.items], self.items):
            item.Parent = root
            if before is not None:
                item.Prev, before.Next = before, item
        return root


def _overlay(out: Pdf, frame_pages: list[pikepdf.Page]) -> list[pikepdf.Object]:
    """Draw each frame page on top of its page, in the page's own coordinates (same MediaBox, no scaling);
    the frames' resources."""
    opening = out.make_indirect(pikepdf.Stream(out, _OPEN))
    drawing = out.make_indirect(pikepdf.Stream(out, _DRAW))
    shared: dict[tuple, Dictionary] = {}       # the chunk's (shared) resources, with direct parts made indirect
    framed: dict[tuple, Dictionary] = {}
    for number, (page, frame) in enumerate(zip(out.pages, frame_pages)):
        if [float(v) for v in page.mediabox] != [float(v) for v in frame.mediabox]:
            raise BuildError(f"Interner Fehler beim Zusammenfügen des PDF: Seite {number + 1} und ihr Rahmen sind "
                             "verschieden groß. Das ist ein Fehler in amip, nicht in Ihrem Text – bitte melden.")
        form = out.copy_foreign(frame.as_form_xobject())
        resources = page.obj.get("/Resources", Dictionary())
        key = resources.objgen if resources.is_indirect else (number,)
        if key not in shared:
            shared[key] = Dictionary({name: value if not isinstance(value, (Array, Dictionary)) or value.is_indirect
                                      else out.make_indirect(value) for name, value in resources.items()})
        own = Dictionary(shared[key])
        xobjects = Dictionary(own.get("/XObject", Dictionary()))
        xobjects[FRAME] = form
        own.XObject = xobjects
        page.obj.Resources = own
        contents = page.obj.get("/Contents")
        contents = list(contents) if isinstance(contents, Array) else [contents] if contents is not None else []
        page.obj.Contents = Array([opening, *contents, drawing])
        resources = form.Resources                # qpdf gives each form a shallow copy of the page's
        framed.setdefault(resources.objgen if resources.is_indirect else (number,), resources)
    return list(framed.values())


def _catalog(out: Pdf, first: Pdf, tree: _Tree, dests: dict, outlines: _Outlines) -> None:
    """Chunk 0's catalog and /Info with the merged structure tree, destinations and outlines."""
    for key, value in first.Root.items():
        if key not in _MERGED_CATALOG_KEYS:
            out.Root[key] = _import(out, value)
    names = Dictionary({key: _import(out, value) for key, value in first.Root.get("/Names", Dictionary()).items()
                        if key != "/Dests"})
    if dests:
        flat = Array()
        for name in sorted(dests):
            flat.append(String(name))
            flat.append(dests[name])
        names.Dests = out.make_indirect(Dictionary(Names=flat))
    if len(names):
        out.Root.Names = names
    for key, value in (("/StructTreeRoot", tree.finish()), ("/Outlines", outlines.finish())):
        if value is not None:
            out.Root[key] = value
    if "/Info" in first.trailer:
        out.trailer.Info = _import(out, first.trailer.Info)


class _Streams:
    """Points every reference to a stream at the first stream with the same dictionary and data.

    Streams hang from the pages' resources (fonts, images, colour profiles, forms) and the catalog (output
    intent, attachments); the structure tree, outlines, destinations and page contents are not walked."""

    def __init__(self) -> None:
        self.kept: dict[bytes, pikepdf.Object] = {}
        self.replace: dict[tuple[int, int], pikepdf.Object] = {}
        self.seen: set[tuple[int, int]] = set()
        self.fonts: list[Dictionary] = []           # the /Font resource dictionaries met on the way

    def share(self, roots) -> None:
        stack = list(reversed(roots))             # in order: chunk 0 first
        while stack:
            container = stack.pop()
            if isinstance(container, pikepdf.Stream):
                container = container.stream_dict
            items = container.items() if isinstance(container, Dictionary) else enumerate(container)
            for key, value in list(items):
                if key in _NO_STREAMS or not isinstance(value, (Dictionary, Array, pikepdf.Stream)):
                    continue
                if key == "/Font" and value.objgen not in self.seen:
                    self.fonts.append(value)
                if isinstance(value, pikepdf.Stream) and value.objgen not in self.seen:
                    digest = hashlib.sha256(value.stream_dict.unparse() + b"\0" + value.read_raw_bytes()).digest()
                    if self.kept.setdefault(digest, value).objgen != value.objgen:
                        self.replace[value.objgen] = self.kept[digest]
                if value.objgen in self.replace:
                    container[key] = self.replace[value.objgen]
                elif value.objgen not in self.seen:
                    if value.is_indirect:
                        self.seen.add(value.objgen)
                    stack.append(value)


def _retag_subsets(fonts: list[Dictionary]) -> None:
    """Give every font subset its own name: WeasyPrint derives the six-letter subset tag from the font alone, so
    each chunk's different subset of a font has the same name – which ISO 32000 forbids in one file."""
    programs: dict[str, tuple[int, int]] = {}
    for font in {font.objgen: font for resources in fonts for font in resources.values()}.values():
        parts = [font, *font.get("/DescendantFonts", ())]
        descriptor = next((part.FontDescriptor for part in parts if "/FontDescriptor" in part), None)
        program = next((descriptor[key] for key in ("/FontFile2", "/FontFile3", "/FontFile")
                        if descriptor is not None and key in descriptor), None)
        if program is None:
            continue
        if programs.setdefault(str(descriptor.FontName), program.objgen) == program.objgen:
            continue                                    # the first subset of that name keeps it
        tag = "".join(chr(65 + byte % 26) for byte in hashlib.sha256(program.read_raw_bytes()).digest()[:6])
        for part in [*parts, descriptor]:
            for key in ("/BaseFont", "/FontName"):
                if key in part:
                    part[key] = Name(re.sub(r"^/([A-Z]{6}\+)?", f"/{tag}+", str(part[key])))
        programs[str(descriptor.FontName)] = program.objgen
