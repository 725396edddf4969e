"""Turn author image files into checked figures: size limits, readable pixels, SVGs safe for the web.

An SVG is a program as much as a picture: it may carry scripts, event handlers and references
to other files or the network. The PDF renderer ignores scripts and is confined to the project,
but a browser opening the web edition is not. So an author SVG may reference nothing outside
itself (an error, because the PDF would lose that part), and scripts, event handlers and
`foreignObject` are removed from the copy in the web edition (a warning).
"""

from __future__ import annotations

import re
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

from .errors import Collector, Location

# The real editions use no picture larger than a few hundred KB; a 12.000² PNG took 1,25 GB.
MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000
SVG = "{http://www.w3.org/2000/svg}"
_XLINK = "{http://www.w3.org/1999/xlink}"
_REMOVED = ("script", "foreignObject", "iframe", "embed", "object")
_URL = re.compile(r"url\(\s*['\"]?([^'\")\s]*)", re.IGNORECASE)


def check_image(path: Path, where: Location, problems: Collector) -> None:
    """Size and pixel limits for every image; the reference rules for SVGs."""
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        problems.error(where, f"Bilddatei „{path.name}“ ist zu groß ({size / 1048576:.1f} MB; erlaubt sind "
                       f"höchstens {MAX_IMAGE_BYTES // 1048576} MB).".replace(".", ",", 1),
                       "Verkleinern Sie das Bild (300 dpi in Druckgröße genügen).")
        return
    if path.suffix.lower() == ".svg":
        _, findings = sanitise(path.read_bytes())
        for fatal, message in findings:
            if fatal:
                problems.error(where, f"SVG „{path.name}“: {message}",
                               "Betten Sie eingebundene Bilder in die SVG-Datei ein oder exportieren Sie sie als PNG.")
            else:
                problems.warn(where, f"SVG „{path.name}“: {message} – amip entfernt das in der Web-Ausgabe.",
                              "Exportieren Sie die Grafik ohne Skripte (z. B. als „einfaches SVG“).")
        return
    from PIL import Image

    try:
        with warnings.catch_warnings():  # Pillow's own bomb warning: amip reports the size itself
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
    except Image.DecompressionBombError:
        problems.error(where, f"Bild „{path.name}“ hat weit mehr als {MAX_PIXELS // 1_000_000} Millionen Pixel.",
                       "Verkleinern Sie das Bild (300 dpi in Druckgröße genügen).")
        return
    except Exception:  # noqa: BLE001 – Pillow raises many types for broken files
        problems.error(where, f"Bilddatei „{path.name}“ lässt sich nicht lesen.",
                       "Speichern Sie das Bild erneut als PNG oder JPEG.")
        return
    if width * height > MAX_PIXELS:
        problems.error(where, f"Bild „{path.name}“ hat {width} × {height} Pixel – erlaubt sind höchstens "
                       f"{MAX_PIXELS // 1_000_000} Millionen.", "Verkleinern Sie das Bild (300 dpi in Druckgröße genügen).")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _external(url: str) -> bool:
    url = url.strip()
    return bool(url) and not url.startswith("#") and not url.lower().startswith("data:image/")


def sanitise(data: bytes) -> tuple[bytes, list[tuple[bool, str]]]:
    """(web-safe bytes, findings); a finding is (fatal, German message). Unchanged SVGs keep their bytes."""
    doctype = re.search(rb"<!DOCTYPE[^>\[]*(\[)?", data[:4096], re.IGNORECASE)
    if b"<!ENTITY" in data or (doctype and doctype.group(1)):  # a plain public DOCTYPE is harmless
        return data, [(True, "enthält eine DOCTYPE- oder ENTITY-Angabe mit eigenen Definitionen (nicht erlaubt).")]
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        return data, [(True, f"ist kein gültiges XML (Zeile {exc.position[0]}).")]
    if _local(root.tag) != "svg":
        return data, [(True, "ist keine SVG-Grafik.")]
    findings: list[tuple[bool, str]] = []
    changed = False
    for parent in list(root.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and _local(child.tag) in _REMOVED:
                parent.remove(child)
                findings.append((False, f"enthält ein <{_local(child.tag)}>-Element"))
                changed = True
    for element in root.iter():
        for name in list(element.attrib):
            local = _local(name).lower()
            value = element.attrib[name]
            if local.startswith("on"):
                del element.attrib[name]
                findings.append((False, f"enthält das Ereignis-Attribut „{local}“"))
                changed = True
            elif local == "href" and _external(value):
                findings.append((True, f"verweist auf „{value[:80]}“ außerhalb der Datei."))
        texts = [element.attrib.get("style", "")]
        if isinstance(element.tag, str) and _local(element.tag) == "style":
            texts.append(element.text or "")
        for text in texts:
            if "@import" in text:
                findings.append((True, "lädt mit @import eine andere Datei."))
            findings += [(True, f"verweist auf „{url[:80]}“ außerhalb der Datei.")
                         for url in _URL.findall(text) if _external(url)]
    unique = list(dict.fromkeys(findings))
    if not changed:
        return data, unique
    for prefix, uri in (("", SVG[1:-1]), ("xlink", _XLINK[1:-1])):  # again: other libraries register theirs
        ET.register_namespace(prefix, uri)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True), unique


def web_copy(path: Path) -> bytes:
    """The bytes of an SVG as they go into the web edition (sanitised); other images unchanged."""
    data = path.read_bytes()
    if path.suffix.lower() != ".svg":
        return data
    return sanitise(data)[0]


def intact_svg(path: Path) -> bool:
    """A cached chart is used only if it is a complete SVG document (a killed or corrupted write is not)."""
    try:
        return _local(ET.parse(path).getroot().tag) == "svg"
    except (ET.ParseError, OSError):
        return False
