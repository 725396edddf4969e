"""Turn WeasyPrint's one-document layout into a chunk's: its place among the pages, the page numbers of
anchors elsewhere, and margin boxes kept apart from the body.

A chunk is a run of the print document's top-level blocks that starts on a new page. WeasyPrint lays
it out as a document of its own; three wraps, active for one layout only, make that layout the same
as the chunk's pages inside the whole document (WeasyPrint is pinned at 70.0; tests/test_chunks.py
compares chunked and one-piece PDFs page by page, so an upgrade that changes these functions fails
the tests instead of silently changing pages):

- `Place.offset` is added to every page's index, so `@page :first`, `:left`/`:right` and `:nth()`
  select what they select at that place in the whole document; `Place.first_right` is the side of
  the chunk's first page.
- `Place.pages_of` gives anchors their page numbers in the whole document: `target-counter()` of
  any anchor listed there prints that number (anchors in other chunks, and the chunk's own – their
  number depends on the chunk's place). Links to anchors in other chunks are kept as named
  destinations; the merge resolves them. Which numbers the chunk printed is recorded in `used`.
- Margin boxes (running header, footer with "Seite N von M", draft mark) are left out of a chunk
  (`margins=False`) and drawn, alone, on frame pages (`margins=True`, with `page_number` and
  `total` the real ones), which the merge lays over the chunk's pages. So a chunk does not depend
  on its page numbers at all.
"""

from __future__ import annotations

import copy
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Place:
    """Where a chunk or a frame piece stands in the whole document."""

    offset: int = 0                   # index of its first page in the whole document
    first_right: bool = True          # its first page is a right-hand page
    pages_of: dict[str, int] = field(default_factory=dict)   # anchor → page number (1-based) in the whole document
    margins: bool = False             # lay out margin boxes (frames) or leave them out (chunks)
    total: int = 0                    # the whole document's page count (frames)
    used: dict[str, int] = field(default_factory=dict)       # filled: anchor → number printed


@dataclass(frozen=True)
class PageRules:
    """What the document's @page rules depend on, read from its stylesheets."""

    sides: bool       # :left, :right or :blank rules: the layout depends on the side of the first page
    nth: bool         # :nth() rules: the layout depends on the exact page index
    running: bool     # margin boxes show text of the pages (string(), element()): frames cannot draw them


@contextmanager
def placed(place: Place, rules: list):
    """While active, WeasyPrint lays out one document as the pages at `place` of the whole.

    `rules` receives the PageRules of the document laid out."""
    import weasyprint.document as document
    import weasyprint.layout as layout
    import weasyprint.layout.page as page
    from weasyprint.css.targets import TargetCollector, TargetLookupItem, anchor_name_from_token
    from weasyprint.urls import get_url_tuple

    original_type, original_init = page.PageType, layout.initialize_page_maker
    original_margins, original_collector = layout.make_margin_boxes, document.TargetCollector
    original_context = document.Document._build_layout_context

    class _Target:
        cached_counter_values: dict = {}

    class Targets(TargetCollector):
        """Page numbers of listed anchors come from the whole document, not from this layout."""

        def lookup_target(self, anchor_token, source_box, css_token, parse_again):
            token = anchor_token
            if token[0] == "attr()":
                attr_name, type_, fallback = token[1]
                value = source_box.element.get(attr_name, fallback)
                token = ("string", value) if type_ == "string" else ("url", get_url_tuple(value, source_box.style.base_url))
            name = anchor_name_from_token(token)
            if name in place.pages_of:
                place.used[name] = place.pages_of[name]
                item = TargetLookupItem("up-to-date")
                item.target_box = _Target()
                item.cached_page_counter_values = {"page": [place.pages_of[name]]}
                return item
            return super().lookup_target(anchor_token, source_box, css_token, parse_again)

        def cache_target_page_counters(self, anchor_name, *args):
            if anchor_name not in place.pages_of:
                super().cache_target_page_counters(anchor_name, *args)

    def page_type(side, blank, name, index, groups):
        return original_type(side, blank, name, index + place.offset, groups)

    def initialize_page_maker(context, root_box):
        original_init(context, root_box)
        resume_at, next_page, _, state, remake = context.page_maker[0]
        if place.offset:   # a chunk starts after a forced break: its first block keeps its top margin
            next_page = {**next_page, "break": "page"}
        context.page_maker[0] = (resume_at, next_page, place.first_right, state, remake)

    def make_margin_boxes(context, page_box, state):
        if not place.margins:
            return
        quote_depth, counters, scopes, groups = state
        counters = copy.deepcopy(counters)
        counters["page"] = [counters.get("page", [0])[-1] + place.offset]
        counters["pages"] = [place.total]
        yield from original_margins(context, page_box, (quote_depth, counters, scopes, groups))

    def build_layout_context(cls, *args, **kwargs):
        context = original_context.__func__(cls, *args, **kwargs)
        selectors, contents = [], []
        for sheet, _, _ in context.style_for._sheets:
            for _, selector_list, declarations in sheet.page_rules:
                selectors += [selector[2] for selector in selector_list]
                if any(str(selector[1]).startswith(("@top", "@bottom", "@left", "@right")) for selector in selector_list):
                    contents += [value for name, value, _ in declarations if name == "content"]
        running = any(isinstance(item, tuple) and item and item[0] in ("string()", "element()")
                      for value in contents if isinstance(value, (list, tuple)) for item in value)
        rules.append(PageRules(sides=any(s.side is not None or s.blank is not None for s in selectors),
                               nth=any(s.index is not None for s in selectors), running=running))
        return context

    page.PageType, layout.initialize_page_maker = page_type, initialize_page_maker
    layout.make_margin_boxes, document.TargetCollector = make_margin_boxes, Targets
    document.Document._build_layout_context = classmethod(build_layout_context)
    try:
        yield
    finally:
        page.PageType, layout.initialize_page_maker = original_type, original_init
        layout.make_margin_boxes, document.TargetCollector = original_margins, original_collector
        document.Document._build_layout_context = original_context


@contextmanager
def foreign_links(names: set[str]):
    """While a chunk is written, links to `names` (anchors in other chunks) stay links to named
    destinations, which the merge resolves; WeasyPrint would drop them as broken."""
    import weasyprint.pdf as pdf_module

    original = pdf_module.resolve_links

    def resolve_links(pages):
        pages = list(pages)
        saved = [page.links for page in pages]
        own = {name for page in pages for name in page.anchors}
        foreign = [[link for link in page.links if link[0] == "internal" and link[1] in names and link[1] not in own]
                   for page in pages]
        try:
            for page, links in zip(pages, foreign):
                page.links = [link for link in page.links if link not in links]
            resolved = list(original(pages))
        finally:
            for page, links in zip(pages, saved):
                page.links = links
        for (links, paged_anchors), kept, every in zip(resolved, foreign, saved):
            yield [link for link in every if link in kept or link in links], paged_anchors   # in page order

    pdf_module.resolve_links = resolve_links
    try:
        yield
    finally:
        pdf_module.resolve_links = original
