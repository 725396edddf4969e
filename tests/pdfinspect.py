"""Read what a reader would see in a PDF: named destinations, links and characters with coordinates."""

from __future__ import annotations

from dataclasses import dataclass

import pdfplumber
import pikepdf


@dataclass(frozen=True)
class Dest:
    page: int      # 0-based
    x: float       # points from the left edge
    top: float     # points from the top edge


def destinations(path) -> dict[str, Dest]:
    """Every named destination (WeasyPrint writes one per element id)."""
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: i for i, page in enumerate(pdf.pages)}
        heights = [float(page.mediabox[3]) for page in pdf.pages]
        out: dict[str, Dest] = {}

        def walk(node):
            if "/Names" in node:
                names = node.Names
                for i in range(0, len(names), 2):
                    target = names[i + 1]
                    if isinstance(target, pikepdf.Dictionary):
                        target = target.D
                    page = pages[target[0].objgen]
                    out[str(names[i])] = Dest(page, float(target[2]), heights[page] - float(target[3]))
            for kid in node.get("/Kids", []):
                walk(kid)

        walk(pdf.Root.Names.Dests)
        return out


def internal_links(path, page_index: int) -> list[tuple[str, tuple[float, float, float, float]]]:
    """(destination name, rect as x0, top, x1, bottom) of the internal links on a page."""
    with pikepdf.open(path) as pdf:
        page = pdf.pages[page_index]
        height = float(page.mediabox[3])
        links = []
        for annot in page.get("/Annots", []):
            if annot.get("/Subtype") != "/Link":
                continue
            dest = annot.get("/Dest")
            if dest is None and "/A" in annot:
                dest = annot.A.get("/D")
            if dest is None:
                continue
            xa, ya, xb, yb = (float(v) for v in annot.Rect)
            links.append((str(dest), (min(xa, xb), height - max(ya, yb), max(xa, xb), height - min(ya, yb))))
        return links


def words(path, page_index: int, box: tuple[float, float, float, float] | None = None) -> str:
    """The text on a page (or inside box = x0, top, x1, bottom), in reading order."""
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[page_index]
        if box is not None:
            page = page.within_bbox(box)
        return page.extract_text() or ""


def chars(path, page_index: int):
    with pdfplumber.open(path) as pdf:
        return [dict(c) for c in pdf.pages[page_index].chars]


def structure(path) -> tuple[set[str], list[str]]:
    """The tagged PDF's structure: every element type (/H1, /Table, /Figure …) and the /Alt of each /Figure."""
    kinds: set[str] = set()
    alts: list[str] = []
    with pikepdf.open(path) as pdf:
        def walk(node):
            if isinstance(node, pikepdf.Dictionary):
                kinds.add(str(node.get("/S")))
                if node.get("/S") == "/Figure":
                    alts.append(str(node.get("/Alt", "")))
                kids = node.get("/K")
                for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
                    walk(kid)

        walk(pdf.Root.StructTreeRoot)
    return kinds, alts
