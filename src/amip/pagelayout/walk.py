"""Turn WeasyPrint's box tree of each page into plain records: body lines, margin notes, obstacles.

One walk per page collects everything the note placement and the layout check need, so the
check costs one pass over the boxes. Geometry follows print.css: the page area is the text
column (126 mm); the type area is text column + 6 mm gap + 42 mm note column = 174 mm. In a
full-width edition the page area itself is 174 mm wide and there is no note column.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

MM = 96 / 25.4          # CSS px per millimetre (WeasyPrint lays out in CSS px)
TYPE_AREA = 174 * MM    # text column + note column, as wide as full-width tables and figures
TOLERANCE = 0.5         # px: rounding of WeasyPrint's positions

_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "dt", "dd", "caption", "figcaption", "td", "th", "div"}
HEADINGS = {"h1", "h2", "h3", "h4"}
_FRAMES = {"kasten", "ziel", "strategie"}


@dataclass
class Note:
    """A margin note on a page: its box (moved by place_notes) and where it wants to stand."""

    box: object
    id: str
    anchor: float                 # top of its block's first line
    above: float | None           # top of a full-width block (table, figure) it must stand above
    src: str                      # data-src of its block: "kapitel/<file>:<line>"
    section: str
    order: int
    absatz: str = ""              # id of its block (data-absatz)

    @property
    def top(self) -> float:
        return self.box.position_y

    @property
    def bottom(self) -> float:
        return self.box.position_y + self.box.margin_height()


@dataclass
class Item:
    """One line (or one unbreakable block: table part, figure) of body text in reading order."""

    top: float
    bottom: float
    kind: str                     # "text" | "heading" | "table" | "figure"
    element: object               # the block the line belongs to (paragraph, list item, heading …)
    tag: str
    list_element: object | None   # the enclosing <ul>/<ol>, if any
    src: str
    section: str
    frame: object = None          # the enclosing box (kasten, ziel, strategie), if any


@dataclass
class Page:
    number: int                   # 0-based
    box: object                   # WeasyPrint's PageBox
    left: float
    top: float
    right: float                  # right edge of the text column
    bottom: float
    area_right: float             # right edge of the type area (text + note column)
    document_page: object = None  # WeasyPrint's Page (anchors, links)
    notes: list[Note] = field(default_factory=list)
    obstacles: list[tuple[float, float, str]] = field(default_factory=list)  # blocks reaching into the note column
    items: list[Item] = field(default_factory=list)
    outside: list[tuple[str, str, str]] = field(default_factory=list)        # (src, section, what)


@dataclass
class _Ctx:
    src: str = ""
    section: str = ""
    block: object = None
    tag: str = ""
    list_element: object = None
    in_main: bool = False
    in_obstacle: bool = False
    in_table: bool = False
    frame: object = None


def read(document) -> list[Page]:
    """Every page of a rendered WeasyPrint document as a Page record."""
    pages = []
    for number, doc_page in enumerate(document.pages):
        page = _read_page(number, doc_page._page_box)
        page.document_page = doc_page
        pages.append(page)
    return pages


def _read_page(number: int, page_box) -> Page:
    left, top = page_box.content_box_x(), page_box.content_box_y()
    page = Page(number, page_box, left, top, left + page_box.width, top + page_box.height,
                max(left + page_box.width, left + TYPE_AREA))
    from weasyprint.formatting_structure import boxes

    kinds = (boxes.MarginBox, boxes.FootnoteAreaBox)
    for child in page_box.children:
        if not isinstance(child, kinds):
            _visit(child, _Ctx(), page, None, boxes)
    return page


def _visit(box, ctx: _Ctx, page: Page, parent, boxes) -> None:  # noqa: C901 – one dispatch over box kinds
    element = getattr(box, "element", None)
    if element is not None and box.element_tag:
        tag = box.element_tag
        classes = (element.get("class") or "").split()
        if "rand" in classes and tag == "span":
            _note(box, element, ctx, page, parent, boxes)
            return
        if element.get("data-src") and not getattr(box, "is_for_root_element", False):
            ctx = replace(ctx, src=element.get("data-src"))
        if tag == "main":
            ctx = replace(ctx, in_main=True)
        elif tag == "section" and (element.get("id") or "").endswith("-teil"):
            ctx = replace(ctx, section=element.get("id")[:-5], src="")
        elif _FRAMES.intersection(classes) and not isinstance(box, boxes.InlineLevelBox):
            ctx = replace(ctx, frame=element)
        elif tag in ("ul", "ol") and ctx.block is not element:
            ctx = replace(ctx, list_element=element)
        if tag in _BLOCKS and not isinstance(box, (boxes.InlineLevelBox, boxes.LineBox)) and ctx.block is not element:
            ctx = replace(ctx, block=element, tag=tag)
    if isinstance(box, boxes.TextBox) or isinstance(box, boxes.ReplacedBox):
        _check_inside(box, ctx, page, "Bild")
        if isinstance(box, boxes.BlockReplacedBox) and ctx.in_main and not ctx.in_obstacle:
            page.items.append(Item(box.position_y, box.position_y + box.margin_height(), "figure", element,
                                   ctx.tag, None, ctx.src, ctx.section))
        return
    block_level = not isinstance(box, (boxes.InlineLevelBox, boxes.LineBox))
    if block_level and not ctx.in_obstacle and box.width and box.border_box_x() + box.border_width() > page.right + 1:
        top = box.border_box_y()
        page.obstacles.append((top, top + box.border_height(), ctx.src))
        kind = "table" if getattr(box, "is_table_wrapper", False) or box.element_tag == "table" else "figure"
        if ctx.in_main:
            page.items.append(Item(top, top + box.border_height(), kind, element, ctx.tag, None, ctx.src, ctx.section))
        ctx = replace(ctx, in_obstacle=True)
        _check_inside(box, ctx, page, "Tabelle" if kind == "table" else "Abbildung")
    elif block_level and getattr(box, "is_table_wrapper", False) and ctx.in_main and not ctx.in_obstacle:
        top = box.border_box_y()
        page.items.append(Item(top, top + box.border_height(), "table", element, "table", None, ctx.src, ctx.section))
        ctx = replace(ctx, in_table=True)
    if isinstance(box, boxes.LineBox):
        _check_inside(box, ctx, page, "Zeile")
        if ctx.in_main and not ctx.in_obstacle and not ctx.in_table and _has_content(box, boxes):
            kind = "heading" if ctx.tag in HEADINGS else "text"
            page.items.append(Item(box.position_y, box.position_y + box.height, kind, ctx.block, ctx.tag,
                                   ctx.list_element, ctx.src, ctx.section, ctx.frame))
    for child in getattr(box, "children", ()):
        _visit(child, ctx, page, box, boxes)


def _has_content(line, boxes) -> bool:
    """A line with something visible (not just note placeholders or empty markers)."""
    for child in line.children:
        if isinstance(child, boxes.TextBox) and child.text.strip():
            return True
        if isinstance(child, (boxes.ReplacedBox, boxes.InlineBlockBox)):
            return True
        if isinstance(child, boxes.InlineBox) and not child.is_absolutely_positioned() and _has_content(child, boxes):
            return True
    return False


def _note(box, element, ctx: _Ctx, page: Page, parent, boxes) -> None:
    anchor = parent.position_y if isinstance(parent, boxes.LineBox) else parent.content_box_y()
    above = None
    if ctx.in_obstacle:  # a table or figure as wide as the type area: the note stands above it
        above = max((top for top, bottom, _ in page.obstacles if top <= anchor + TOLERANCE), default=None)
    page.notes.append(Note(box, element.get("id") or "", anchor, above, ctx.src, ctx.section, len(page.notes),
                           element.get("data-absatz") or ""))


def _check_inside(box, ctx: _Ctx, page: Page, what: str = "") -> None:
    """Anything printed beyond the type area is a finding: glyphs left or right of it, blocks and
    lines above or below it (a glyph's ink box may rise above its line, so glyphs count sideways only)."""
    x0, y0 = box.border_box_x(), box.border_box_y()
    x1, y1 = x0 + box.border_width(), y0 + box.border_height()
    if x1 - x0 <= 0 or y1 - y0 <= 0:
        return
    sideways = x0 < page.left - TOLERANCE or x1 > page.area_right + TOLERANCE
    vertical = not getattr(box, "text", None) and (y0 < page.top - TOLERANCE or y1 > page.bottom + TOLERANCE)
    if sideways or vertical:
        page.outside.append((ctx.src, ctx.section, (getattr(box, "text", "") or what).strip()[:40]))
