"""Turn the chapters of two editions into a word-level redline per chapter.

Chapters are matched by file name, then by an explicit heading id (`id:` in the front matter), then by
title (years left out), then by text similarity; what stays unmatched is new or dropped. A matched
chapter whose place in the order changed relative to the others is "verschoben". Inside a chapter the
paragraphs are aligned with difflib (stdlib: no library does German word diffs better, and difflib's
longest-matching-block alignment is exactly what a redline needs); among the paragraphs between two
unchanged ones, each new paragraph is paired with the most similar old one, and a changed paragraph
is diffed word by word. Unchanged paragraphs are kept only as a count, so the reader sees the changes.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from ..markdown import Chapter
from .keys import plain
from .paragraphs import Paragraph, paragraphs

_SIMILAR_CHAPTER = 0.6      # share of common long words for two chapters to count as one
_SIMILAR_PARAGRAPH = 0.5    # difflib ratio for two paragraphs to count as one changed paragraph
_WINDOW = 12                # how many old paragraphs ahead a changed paragraph is looked for
_AUTO_ID = re.compile(r"^(kapitel|anlage)-\d+$")   # ids amip made up from the position: say nothing


@dataclass(frozen=True)
class Piece:
    kind: str     # gleich | ein | aus
    text: str


@dataclass(frozen=True)
class Item:
    """One entry of a chapter's redline: a collapsed run of unchanged paragraphs or one changed paragraph."""

    status: str                       # unveraendert | geaendert | neu | entfallen | ausgelassen (dropped, counted)
    label: str = ""                   # "Überschrift", "Listenpunkt" … ("" for a text paragraph)
    pieces: tuple[Piece, ...] = ()
    count: int = 0                    # unveraendert: how many paragraphs
    line: int = 0                     # line in the new chapter file (in the old one for entfallen)


@dataclass(frozen=True)
class Side:
    """A chapter as one edition numbers it."""

    file: str
    label: str     # "3." / "Anlage 1:"
    title: str
    paragraphs: tuple[Paragraph, ...]

    @property
    def name(self) -> str:
        return f"{self.label} {self.title}".strip()


@dataclass
class ChapterChange:
    status: str                       # unveraendert | geaendert | neu | entfallen
    old: Side | None
    new: Side | None
    matched_by: str = ""              # Dateiname | Kennung | Titel | Textähnlichkeit
    renamed: bool = False
    moved: bool = False
    items: list[Item] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for item in self.items if item.status == status)

    @property
    def title_pieces(self) -> tuple[Piece, ...]:
        """The new title with its changes against the old one ("Einleitung 2025" → "Einleitung 2026")."""
        return words_diff(tuple(self.old.title.split()), tuple(self.new.title.split()))


def side(chapter: Chapter, values: dict, headings: dict) -> Side:
    h = chapter.heading
    name = getattr(chapter.source_path, "name", str(chapter.source_path))
    return Side(name, h.label, plain(h.title), tuple(paragraphs(chapter, values, headings)))


def compare_chapters(old: list[tuple[Chapter, Side]], new: list[tuple[Chapter, Side]]) -> list[ChapterChange]:
    """Every chapter of either edition once: in the new edition's order, dropped ones where they stood."""
    pairs = _match(old, new)
    moved = _moved(sorted(pairs.items(), key=lambda p: p[1][0]))
    changes: dict[int, ChapterChange] = {}
    for old_index, (new_index, how) in pairs.items():
        a, b = old[old_index][1], new[new_index][1]
        items = redline(a.paragraphs, b.paragraphs)
        changed = any(item.status != "unveraendert" for item in items)
        renamed = a.title != b.title
        change = ChapterChange("geaendert" if changed or renamed else "unveraendert", a, b, how, renamed,
                               old_index in moved, items)
        changes[new_index] = change
    after: dict[int, list[int]] = {}   # a dropped chapter follows the new place of its old predecessor
    for index in (i for i in range(len(old)) if i not in pairs):
        before = [o for o in pairs if o < index]
        anchor = pairs[max(before)][0] if before else -1
        after.setdefault(anchor, []).append(index)

    def dropped(anchor: int) -> list[ChapterChange]:
        return [ChapterChange("entfallen", old[i][1], None, items=_outline(old[i][1].paragraphs))
                for i in after.get(anchor, [])]

    out = dropped(-1)
    for new_index, (_, b) in enumerate(new):
        out.append(changes.get(new_index) or ChapterChange("neu", None, b, items=_outline(b.paragraphs, "neu")))
        out += dropped(new_index)
    return out


def _outline(whole: tuple[Paragraph, ...], status: str = "entfallen") -> list[Item]:
    """A new or dropped chapter as its sections ("##") and counts of the paragraphs between them. Its whole
    text inserted or struck out would bury the changes (the 2018 edition's chapter 8 has 548
    paragraphs); a new chapter's text is in the new edition the Trägerversammlung receives anyway."""
    items: list[Item] = []
    run = 0
    for p in whole:
        if p.kind == "ueberschrift" and p.level == 2:
            if run:
                items.append(Item("ausgelassen", count=run))
            items.append(Item(status, p.label, (Piece("ein" if status == "neu" else "aus", p.text),), line=p.line))
            run = 0
        else:
            run += 1
    if run:
        items.append(Item("ausgelassen", count=run))
    return items


def _match(old: list[tuple[Chapter, Side]], new: list[tuple[Chapter, Side]]) -> dict[int, tuple[int, str]]:
    """old index → (new index, how it was recognised)."""
    pairs: dict[int, tuple[int, str]] = {}
    taken: set[int] = set()

    def by(how: str, key) -> None:
        wanted: dict = {}
        for j, item in enumerate(new):
            k = key(*item)
            if j not in taken and k:
                wanted.setdefault(k, j)
        for i, item in enumerate(old):
            k = key(*item)
            if i not in pairs and k and k in wanted and wanted[k] not in taken:
                pairs[i] = (wanted[k], how)
                taken.add(wanted[k])

    by("Dateiname", lambda chapter, s: s.file)
    by("Kennung", lambda chapter, s: None if _AUTO_ID.match(chapter.heading.id) else chapter.heading.id)
    by("Titel", lambda chapter, s: re.sub(r"\b(19|20)\d\d\b", "", s.title).strip().casefold())
    scores = []
    bags = {j: _bag(b) for j, (_, b) in enumerate(new) if j not in taken}
    for i, (_, a) in enumerate(old):
        if i in pairs:
            continue
        bag_a = _bag(a)
        for j, bag_b in bags.items():
            score = _similarity(bag_a, bag_b)
            if score >= _SIMILAR_CHAPTER:
                scores.append((-score, i, j))
    for _, i, j in sorted(scores):
        if i not in pairs and j not in taken:
            pairs[i] = (j, "Textähnlichkeit")
            taken.add(j)
    return pairs


def _bag(s: Side) -> Counter:
    return Counter(w.casefold().strip(".,;:!?()„“\"") for p in s.paragraphs for w in p.words if len(w) > 3)


def _similarity(a: Counter, b: Counter) -> float:
    total = sum(a.values()) + sum(b.values())
    return 2 * sum((a & b).values()) / total if total else 1.0


def _moved(ordered: list[tuple[int, tuple[int, str]]]) -> set[int]:
    """Old indexes of matched chapters outside the longest run kept in order (those moved)."""
    sequence = [old for old, _ in ordered]
    best: list[list[int]] = []
    for k, value in enumerate(sequence):  # O(n²) longest increasing subsequence: a few dozen chapters
        chain = max((best[m] for m in range(k) if sequence[m] < value), key=len, default=[])
        best.append(chain + [value])
    keep = set(max(best, key=len, default=[]))
    return {old for old in sequence if old not in keep}


def redline(old: tuple[Paragraph, ...], new: tuple[Paragraph, ...]) -> list[Item]:
    """Paragraph-aligned redline; runs of unchanged paragraphs collapse into one counted item."""
    keys_a = [f"{p.kind}\x00{p.text}" for p in old]
    keys_b = [f"{p.kind}\x00{p.text}" for p in new]
    items: list[Item] = []
    for op, a1, a2, b1, b2 in SequenceMatcher(None, keys_a, keys_b, autojunk=False).get_opcodes():
        if op == "equal":
            items.append(Item("unveraendert", count=a2 - a1, line=new[b1].line))
        else:
            items += _replace(old[a1:a2], new[b1:b2])
    return items


def _replace(old: tuple[Paragraph, ...], new: tuple[Paragraph, ...]) -> list[Item]:
    """Pair each new paragraph with the most similar old one among the next few not yet passed (in
    order, as a reader compares); old paragraphs passed over are deleted, unpaired new ones inserted.
    A window instead of all pairs keeps a rewritten 500-paragraph chapter linear, not cubic."""
    items: list[Item] = []
    i = 0
    for b in new:
        best, where = 0.0, None
        for k in range(i, min(len(old), i + _WINDOW)):
            matcher = SequenceMatcher(None, old[k].words, b.words, autojunk=False)
            floor = max(best, _SIMILAR_PARAGRAPH)   # at least half the words in common ("Ziele 2025" ~ "Ziele 2026")
            if matcher.real_quick_ratio() >= floor and matcher.quick_ratio() >= floor and matcher.ratio() >= floor \
                    and (where is None or matcher.ratio() > best):
                best, where = matcher.ratio(), k
        if where is None:
            items.append(Item("neu", b.label, (Piece("ein", b.text),), line=b.line))
            continue
        items += [Item("entfallen", p.label, (Piece("aus", p.text),), line=p.line) for p in old[i:where]]
        items.append(Item("geaendert", b.label, words_diff(old[where].words, b.words), line=b.line))
        i = where + 1
    return items + [Item("entfallen", p.label, (Piece("aus", p.text),), line=p.line) for p in old[i:]]


def words_diff(old: tuple[str, ...], new: tuple[str, ...]) -> tuple[Piece, ...]:
    """Word-level difference: unchanged, deleted and inserted runs of words."""
    pieces: list[Piece] = []

    def add(kind: str, run: tuple[str, ...]) -> None:
        if run:
            pieces.append(Piece(kind, " ".join(run)))

    for op, a1, a2, b1, b2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            add("gleich", old[a1:a2])
        else:
            add("aus", old[a1:a2])
            add("ein", new[b1:b2])
    return tuple(pieces)
