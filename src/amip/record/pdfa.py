"""Turn an edition into the archival parts of its PDF: the sources as PDF/A-3 associated files and the XMP record.

Every PDF amip writes is PDF/A-3u: WeasyPrint 70 writes the sRGB output intent, the file
identifier and a ToUnicode map for every font (the tests check each of these offline, since veraPDF
is not available here). Level "a" (accessible) is not claimed: it needs a structure tree that is
correct in every point (see docs/archiv-pdf.md), and a claim that a validator would refute is worse
than none. Part 3 (not 2) because only PDF/A-3 may carry the YAML and Markdown the document was made
from – the data travels with the record.

The XMP packet gets, besides what WeasyPrint writes (title, author, dates, pdfaid), a stable
document identifier per edition (xmpMM:DocumentID, dc:identifier), one per version when the PDF is
published (xmpMM:InstanceID, xmpMM:VersionID), the organisation (dc:publisher) and amip's own
properties (year, status, Beschluss), declared in a PDF/A extension schema as PDF/A requires.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from xml.etree.ElementTree import Element, SubElement, fromstring, register_namespace, tostring

VARIANT = "pdf/a-3u"
PART, CONFORMANCE = "3", "U"
MEDIA_TYPES = {".yaml": "application/yaml", ".yml": "application/yaml", ".md": "text/markdown",   # RFC 9512, 7763
               ".txt": "text/plain", ".csv": "text/csv"}
SOURCE_SUFFIXES = tuple(MEDIA_TYPES)
NAMESPACE = uuid.UUID("6c1f4f0e-4d0b-5b8e-9a55-616d69702d31")   # amip's own uuid5 namespace (fixed forever)

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
    "amip": "urn:amip:xmp:ausgabe:1#",
}
for _prefix, _uri in NS.items():
    register_namespace(_prefix, _uri)

# amip's own XMP properties: name, XMP value type, German description (for the extension schema)
PROPERTIES = (
    ("traeger", "Text", "Kurzname des Trägers (Ordner unter content/)"),
    ("jahr", "Integer", "Planungsjahr der Ausgabe"),
    ("version", "Integer", "Version im Archiv (nur veröffentlichte Ausgaben)"),
    ("status", "Text", "Status der Ausgabe: entwurf, vorlage oder beschlossen"),
    ("stand", "Date", "Stand der Ausgabe"),
    ("beschlussdatum", "Date", "Datum des Beschlusses der Trägerversammlung"),
    ("beschlussnummer", "Text", "Nummer des Beschlusses der Trägerversammlung"),
)


@dataclass(frozen=True)
class Record:
    """What the archival PDF says about itself, besides its text."""

    organisation: str
    traeger: str
    year: int
    status: str
    stand: str             # ISO date or ""
    document_id: str       # urn:uuid:… – the same for every version of one edition
    version: int | None    # archive version, None for a plain build
    beschluss_datum: str   # ISO date or ""
    beschluss_nummer: str
    sources: tuple[tuple[str, bytes], ...]   # (name inside the PDF, bytes), sorted by name
    epoch: int             # the edition's Stand: date of the embedded files (reproducible)

    @property
    def instance_id(self) -> str:
        return f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{self.document_id}/v{self.version}')}"


def record(edition, epoch: int, version: int | None = None) -> Record:
    """The record of `edition` as built now (`version` when it is being published)."""
    slug, year = edition.organisation_slug, edition.ausgabe.jahr
    beschluss = getattr(edition.ausgabe, "beschluss", None)
    return Record(
        organisation=edition.traeger.name, traeger=slug, year=year, status=edition.ausgabe.status,
        stand=_iso(edition.ausgabe.stand), document_id=f"urn:uuid:{uuid.uuid5(NAMESPACE, f'amip/{slug}/{year}')}",
        version=version, beschluss_datum=_iso(getattr(beschluss, "datum", None)),
        beschluss_nummer=str(getattr(beschluss, "nummer", None) or ""),
        sources=tuple(sources(edition)), epoch=epoch)


def sources(edition) -> list[tuple[str, bytes]]:
    """The edition's YAML, Markdown and text files and the organisation's own (not other editions'),
    named by their path below content/ – what an archivist needs to rebuild or read the data."""
    folder = edition.folder.resolve()
    org = folder.parent
    found = [p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES]
    for item in org.iterdir():
        if item == folder or item.name.startswith(".") or (item.is_dir() and (item / "ausgabe.yaml").is_file()):
            continue
        below = [item] if item.is_file() else [p for p in item.rglob("*") if p.is_file()]
        found += [p for p in below if p.suffix.lower() in SOURCE_SUFFIXES]
    # hidden files (.amip locks, editor backups) stay out – judged below the organisation folder only: a
    # publish builds from a snapshot inside archive/…/.neu-…/
    named = {p.relative_to(org.parent).as_posix(): p for p in found
             if not any(part.startswith(".") for part in p.relative_to(org).parts)}
    return [(name, named[name].read_bytes()) for name in sorted(named)]


def attachments(rec: Record) -> list:
    """The sources as WeasyPrint attachments with relationship Source (→ /AF with AFRelationship)."""
    from weasyprint import Attachment

    when = datetime.fromtimestamp(rec.epoch, timezone.utc).replace(tzinfo=None)
    # a data: URL carries the media type itself; WeasyPrint would otherwise guess it from the system's
    # mime.types for .yaml and .md – and the same sources would give other bytes on another machine
    return [Attachment(url=f"data:{MEDIA_TYPES[Path(name).suffix.lower()]};base64,{base64.b64encode(data).decode()}",
                       name=name, description=_describe(name), created=when, modified=when, relationship="Source")
            for name, data in rec.sources]


def finish(pdf) -> None:
    """Mend what WeasyPrint 70 leaves out of an archival, accessible PDF (on its pydyf objects, before
    they are written): each associated file once in /AF (it lists them twice), and a /Scope on every
    table header cell."""
    listed = pdf.catalog.get("AF")
    if listed:
        unique = list(dict.fromkeys(listed))
        listed.clear()
        listed.extend(unique)
    scope_table_headers(pdf)


def scope_table_headers(pdf) -> None:
    """TH gets /Scope /Column in the table head and /Row in the body – which is where amip's templates put
    `scope="col"` and `scope="row"` (WeasyPrint 70 links cells to headers by /Headers but writes no scope)."""
    import pydyf

    elements = {obj.number: obj for obj in pdf.objects if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/StructElem"}
    for element in elements.values():
        if element.get("S") != "/TH":
            continue
        row = elements.get(_number(element.get("P")))
        group = elements.get(_number(row.get("P"))) if row is not None else None
        scope = "/Column" if group is not None and group.get("S") == "/THead" else "/Row"
        attributes = element.get("A")
        if not isinstance(attributes, pydyf.Dictionary):
            attributes = element["A"] = pydyf.Dictionary({"O": "/Table"})
        attributes["Scope"] = scope


def _number(reference) -> int | None:
    """b'12 0 R' (how pydyf keeps references) → 12."""
    if not reference:
        return None
    text = reference.decode() if isinstance(reference, bytes) else str(reference)
    return int(text.split()[0])


def extend_xmp(rdf: bytes, rec: Record) -> bytes:
    """WeasyPrint's rdf:RDF with the record's properties and their extension schema added."""
    root = fromstring(rdf)
    described = SubElement(root, _q("rdf", "Description"), {_q("rdf", "about"): ""})
    _text(described, "xmpMM", "DocumentID", rec.document_id)
    if rec.version is not None:
        _text(described, "xmpMM", "InstanceID", rec.instance_id)
        _text(described, "xmpMM", "VersionID", str(rec.version))
    _text(described, "dc", "identifier", rec.document_id)   # dc:identifier is a single Text in XMP
    _bag(described, "dc", "publisher", rec.organisation, kind="Bag")
    values = {"traeger": rec.traeger, "jahr": str(rec.year), "version": "" if rec.version is None else str(rec.version),
              "status": rec.status, "stand": rec.stand, "beschlussdatum": rec.beschluss_datum,
              "beschlussnummer": rec.beschluss_nummer}
    for name, _, _ in PROPERTIES:
        if values[name]:
            _text(described, "amip", name, values[name])
    root.append(_extension_schema())
    return tostring(root, encoding="utf-8")


def _extension_schema() -> Element:
    """PDF/A-1..3 allow only predefined XMP schemas unless the others are declared like this."""
    described = Element(_q("rdf", "Description"), {_q("rdf", "about"): ""})
    bag = SubElement(SubElement(described, _q("pdfaExtension", "schemas")), _q("rdf", "Bag"))
    schema = SubElement(bag, _q("rdf", "li"), {_q("rdf", "parseType"): "Resource"})
    _text(schema, "pdfaSchema", "schema", "amip – Arbeitsmarkt- und Integrationsprogramm")
    _text(schema, "pdfaSchema", "namespaceURI", NS["amip"])
    _text(schema, "pdfaSchema", "prefix", "amip")
    seq = SubElement(SubElement(schema, _q("pdfaSchema", "property")), _q("rdf", "Seq"))
    for name, value_type, description in PROPERTIES:
        item = SubElement(seq, _q("rdf", "li"), {_q("rdf", "parseType"): "Resource"})
        _text(item, "pdfaProperty", "name", name)
        _text(item, "pdfaProperty", "valueType", value_type)
        _text(item, "pdfaProperty", "category", "external")
        _text(item, "pdfaProperty", "description", description)
    return described


def _bag(parent: Element, prefix: str, name: str, value: str, kind: str) -> None:
    container = SubElement(SubElement(parent, _q(prefix, name)), _q("rdf", kind))
    SubElement(container, _q("rdf", "li")).text = value


def _text(parent: Element, prefix: str, name: str, value: str) -> None:
    SubElement(parent, _q(prefix, name)).text = value


def _q(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


def _describe(name: str) -> str:
    path = Path(name)
    if path.suffix == ".md":
        return f"Quelle: Kapiteltext {path.name}"
    if len(path.parts) > 2 and path.parts[2] == "daten":
        return f"Quelle: Daten {path.name}"
    return f"Quelle: {path.name}"


def _iso(value) -> str:
    """TT.MM.JJJJ or JJJJ-MM-TT (or a date) → JJJJ-MM-TT; nothing → ""."""
    if not value:
        return ""
    text = str(value)
    if len(text) == 10 and text[2] == "." and text[5] == ".":
        return f"{text[6:]}-{text[3:5]}-{text[:2]}"
    return text
