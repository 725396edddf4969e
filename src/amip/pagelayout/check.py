"""Turn placed pages into a typesetter's findings: holes, stranded headings, lone lines, overflow.

Each finding names its page and the source (data-src "kapitel/<file>:<line>" of the block, or
the chapter) so that an author can find the place. The rules, in German, are in
docs/umbruch.md; what is checked:

- a vertical gap of more than one line in the body text that no rule explains (allowed: before
  headings, before and after tables and figures, at the end of a page);
- a heading followed by fewer than two lines on its page;
- a single line of a paragraph or list at the foot or the head of a page (orphan / widow);
- anything beyond the type area;
- margin notes overlapping each other or the body (tables, figures reaching into the column);
- a page less than a third full that is not the end of a chapter.
"""

from __future__ import annotations

from dataclasses import dataclass

from .walk import MM, Item, Page

LINE = 10 * 1.45 * 96 / 72   # one body line (10 pt, line-height 1.45) in px
EPSILON = 0.5


@dataclass(frozen=True)
class Finding:
    page: int           # 1-based, as printed
    src: str            # "kapitel/<file>:<line>" or ""
    section: str        # chapter id (for a location when src is empty)
    message: str
    hint: str = ""


def check(pages: list[Page]) -> list[Finding]:
    """Every layout finding of the document, in page order."""
    findings: list[Finding] = []
    spans = _element_pages(pages)
    for index, page in enumerate(pages):
        following = pages[index + 1] if index + 1 < len(pages) else None
        findings += _gaps(page)
        findings += _stranded_headings(page, following)
        findings += _lone_lines(page, spans)
        findings += _outside(page)
        findings += _overlaps(page)
        findings += _underfull(page, following)
    return findings


def _element_pages(pages: list[Page]) -> dict[int, tuple[int, int]]:
    """id(element) → first and last page it has lines on (paragraphs, list items, lists)."""
    spans: dict[int, tuple[int, int]] = {}
    for page in pages:
        for item in page.items:
            for element in (item.element, item.list_element):
                if element is not None:
                    first, _ = spans.get(id(element), (page.number, page.number))
                    spans[id(element)] = (first, page.number)
    return spans


def _find(page: Page, item: Item, message: str, hint: str = "") -> Finding:
    return Finding(page.number + 1, item.src, item.section, message, hint)


def _gaps(page: Page) -> list[Finding]:
    out = []
    items = sorted(page.items, key=lambda i: i.top)
    for before, after in zip(items, items[1:]):
        gap = after.top - before.bottom
        if gap <= LINE + EPSILON:
            continue
        if after.kind in ("heading", "table", "figure") or before.kind in ("table", "figure") \
                or before.frame is not after.frame:  # a box's frame and spacing
            continue
        out.append(_find(page, after, f"Seite {page.number + 1}: Lücke von {gap / MM:.0f} mm im Text vor dieser Stelle.",
                         "Eine Lücke von mehr als einer Zeile entsteht durch einen erzwungenen Umbruch oder ein "
                         "Element, das nicht neben den Text passt – bitte melden, wenn keine Regel sie erklärt."))
    return out


def _stranded_headings(page: Page, following: Page | None) -> list[Finding]:
    """A heading needs at least two lines (or a table or figure) after it on its page."""
    if following is None:
        return []
    out = []
    items = page.items
    for index, item in enumerate(items):
        if item.kind != "heading" or (index + 1 < len(items) and items[index + 1].element is item.element):
            continue
        after = [i for i in items[index + 1:] if i.kind != "heading"]
        lines = sum(2 if i.kind in ("table", "figure") else 1 for i in after)
        if lines < 2 and not _chapter_ends_here(page, following, item):
            out.append(_find(page, item, f"Seite {page.number + 1}: Überschrift am Seitenende – ihr folgen auf "
                             f"der Seite nur {lines} Zeile{'n' if lines != 1 else ''}.",
                             "Überschriften halten mindestens zwei Zeilen des folgenden Textes bei sich; "
                             "das ist eine Regel von amip – bitte melden."))
    return out


def _lone_lines(page: Page, spans: dict[int, tuple[int, int]]) -> list[Finding]:
    """A single line of a paragraph or list alone at the foot or head of the page."""
    out = []
    body = [i for i in page.items if i.kind == "text"]
    if not body:
        return out
    for position, item in (("Fuß", body[-1]), ("Kopf", body[0])):
        if item is (page.items[-1] if position == "Fuß" else page.items[0]):
            for element, what in ((item.list_element, "Liste"), (item.element, "Absatz")):
                if element is None:
                    continue
                first, last = spans[id(element)]
                continues = last > page.number if position == "Fuß" else first < page.number
                lines = sum(1 for i in body if i.element is element or i.list_element is element)
                if continues and lines == 1:
                    out.append(_find(page, item, f"Seite {page.number + 1}: einzelne Zeile einer {what} am "
                                     f"Seiten{position.lower()}.",
                                     "Mindestens zwei Zeilen eines Absatzes oder einer Liste stehen zusammen."))
                    break
    return out


def _outside(page: Page) -> list[Finding]:
    seen, out = set(), []
    for src, section, what in page.outside:
        if (src, section) in seen:
            continue
        seen.add((src, section))
        out.append(Finding(page.number + 1, src, section, f"Seite {page.number + 1}: „{what}“ ragt über den Satzspiegel hinaus.",
                           "Kürzen Sie lange Wörter oder Tabellenzellen; Text außerhalb des Satzspiegels wird abgeschnitten."))
    return out


def _overlaps(page: Page) -> list[Finding]:
    out = []
    notes = sorted(page.notes, key=lambda n: n.top)
    for a, b in zip(notes, notes[1:]):
        if a.bottom > b.top + EPSILON:
            out.append(Finding(page.number + 1, b.src, b.section,
                               f"Seite {page.number + 1}: Randnotizen überlappen sich.",
                               "Kürzen Sie die Randnotizen dieser Seite oder verteilen Sie sie auf andere Absätze."))
    for note in notes:
        for top, bottom, src in page.obstacles:
            if note.top < bottom - EPSILON and note.bottom > top + EPSILON:
                out.append(Finding(page.number + 1, note.src, note.section,
                                   f"Seite {page.number + 1}: Randnotiz überdeckt eine Tabelle oder Abbildung.",
                                   "Kürzen Sie die Randnotiz oder stellen Sie sie vor einen anderen Absatz."))
        if note.top < page.top - EPSILON or note.bottom > page.bottom + EPSILON:
            out.append(Finding(page.number + 1, note.src, note.section,
                               f"Seite {page.number + 1}: Randnotiz ragt aus dem Satzspiegel.",
                               "Kürzen Sie die Randnotiz."))
    return out


def _chapter_ends_here(page: Page, following: Page | None, item: Item) -> bool:
    """The chapter of `item` has nothing on the next page (or this is the last page)."""
    return following is None or not any(i.section == item.section for i in following.items)


def _underfull(page: Page, following: Page | None) -> list[Finding]:
    """Less than a third of the page used, though the chapter goes on: a rule pushed too much away."""
    if not page.items:
        return []
    last = page.items[-1]
    used = max(i.bottom for i in page.items) - page.top
    if used >= (page.bottom - page.top) / 3 or _chapter_ends_here(page, following, last):
        return []
    share = round(100 * used / (page.bottom - page.top))
    return [_find(page, last, f"Seite {page.number + 1} ist nur zu {share} % gefüllt, obwohl das Kapitel weitergeht.",
                  "Meist hält eine Umbruchregel einen großen Block (Tabelle, Abbildung, Kasten) zusammen; "
                  "teilen Sie ihn oder stellen Sie Text um.")]
