"""Turn WeasyPrint 70's tagging of amip's pages into the structure a screen reader needs: running
headers and footers as artifacts, margin notes as Note elements before their paragraph.

WeasyPrint 70 marks the text of page margin boxes as content but leaves it out of the structure tree
(content that is neither in the tree nor an artifact), and it tags a margin note – a span in the
first line of its paragraph – as part of that paragraph, so a screen reader reads "Orientierung am
Koalitionsvertrag.Die Planung für 2026 …" as one sentence. Both are mended while the PDF is written,
by wrapping two WeasyPrint functions for the duration of one `write_pdf` (pinned version 70.0;
tests/test_record.py checks the result on real PDFs, so a WeasyPrint upgrade that changes these
functions fails the tests instead of silently losing the structure).
"""

from __future__ import annotations

from contextlib import contextmanager

NOTE_CLASS = "rand"
# structure elements a Note may stand before; inside lists and tables it moves up to the list or table
_BLOCKS = {"/P", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6", "/BlockQuote", "/Div", "/Sect", "/Part", "/Art",
           "/L", "/Table", "/Figure", "/Caption"}
_STRICT_PARENTS = {"/L", "/LI", "/Table", "/THead", "/TBody", "/TFoot", "/TR"}


@contextmanager
def accessible_tags():
    """While active, WeasyPrint draws margin boxes as artifacts and tags margin notes as Note."""
    import pydyf
    import weasyprint.draw as draw
    import weasyprint.pdf.tags as tags
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout.absolute import AbsolutePlaceholder

    original_draw = draw.draw_stacking_context
    original_tree = tags._build_box_tree
    held: dict[int, list] = {}     # id(parent element) → notes waiting for a place beside a block

    def draw_stacking_context(stream, context):
        if not isinstance(context.box, boxes.MarginBox) or stream._tags is None:
            return original_draw(stream, context)
        with stream.artifact():            # running header, footer, page number: /Artifact BMC … EMC
            saved, stream._tags = stream._tags, None
            try:
                return original_draw(stream, context)
            finally:
                stream._tags = saved

    def is_note(box) -> bool:
        element = getattr(box, "element", None)
        return element is not None and box.element_tag == "span" and \
            NOTE_CLASS in (element.get("class") or "").split()

    def build_box_tree(box, parent, pdf, page_number, nums, annotations, found):
        real = box._box if isinstance(box, AbsolutePlaceholder) else box
        if isinstance(real, boxes.MarginBox):
            return                             # drawn as an artifact: nothing to tag
        if is_note(real):
            for element in original_tree(box, parent, pdf, page_number, nums, annotations, found):
                element["S"] = "/Note"
                element["ID"] = pydyf.String(real.element.get("id") or "")
                held.setdefault(id(parent), []).append(element)
            return
        for element in original_tree(box, parent, pdf, page_number, nums, annotations, found):
            notes = held.pop(id(element), [])
            if notes and element.get("S") in _BLOCKS and parent.get("S") not in _STRICT_PARENTS:
                for note in notes:
                    note["P"] = parent.reference
                    yield note                 # read before the paragraph it stands beside
            elif notes:
                held.setdefault(id(parent), []).extend(notes)   # further up, out of the inline or list
            yield element

    draw.draw_stacking_context = draw_stacking_context
    tags._build_box_tree = build_box_tree
    try:
        yield
    finally:
        draw.draw_stacking_context = original_draw
        tags._build_box_tree = original_tree
        if held:
            raise RuntimeError(f"amip: {sum(map(len, held.values()))} Randnotiz(en) ohne Platz im Strukturbaum")
