"""Turn the print HTML into chunks: runs of top-level blocks that each start on a new page.

The blocks are the children of <body> and of <main> (cover, contents, Impressum, chapters, Anlagen,
Abkürzungsverzeichnis). Which of them start a new page is not guessed from class names: a skeleton
of the document – the same head, every block empty – is laid out once by WeasyPrint, and a block
whose marker lands on a new page starts one by a forced break (break-before/-after, a change of
named page). Only there is the document cut, so that every chunk starts at the top of a page, as it
does inside the whole document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_ID = re.compile(r'\sid="([^"]+)"')
_REF = re.compile(r'(?:href="#|data-ziel=")([^"]+)"')
MARKER = "amip-block-"


@dataclass(frozen=True)
class Block:
    start: int          # offset of its start tag in the HTML
    end: int            # offset after its end tag
    tag: str
    in_main: bool


@dataclass(frozen=True)
class Document:
    """The print HTML cut into its top-level blocks."""

    html: str
    body_open: int      # offset after <body …>
    main: tuple[int, int] | None   # offsets of <main …> start and end tag (the tags kept for chunks)
    blocks: tuple[Block, ...]

    def part(self, first: int, last: int) -> str:
        """A document of blocks first..last (inclusive): the same head and body, these blocks, and every
        other block as an empty, hidden stand-in – so that selectors such as `main > section:first-child`
        or `h1 + p` match inside the chunk exactly what they match in the whole document."""
        out = [self.html[:self.body_open]]
        in_main = False
        has_main = any(b.in_main for b in self.blocks[first:last + 1])
        for index, block in enumerate(self.blocks):
            if block.in_main != in_main:
                if block.in_main:
                    out.append(self._main_tag() if has_main else "\n" + _stand_in(self._main_tag().strip()))
                if in_main or not has_main:
                    out.append("\n</main>" if in_main else "")
                in_main = block.in_main
            if in_main and not has_main:
                continue
            if first <= index <= last:
                out.append("\n" + self.html[block.start:block.end])
            else:
                out.append("\n" + _stand_in(self._start_tag(block)) + f"</{block.tag}>")
        if in_main:
            out.append("\n</main>")
        out.append("\n</body>\n</html>\n")
        return "".join(out)

    def _start_tag(self, block: Block) -> str:
        return self.html[block.start:self.html.index(">", block.start) + 1]

    def skeleton(self) -> str:
        """Every block empty but for a marker: laid out, the markers show which blocks start a page."""
        out = [self.html[:self.body_open]]
        in_main = False
        for index, block in enumerate(self.blocks):
            if block.in_main and not in_main:
                out.append(self._main_tag())
            elif in_main and not block.in_main:
                out.append("</main>")
            in_main = block.in_main
            start_tag = self._start_tag(block)
            out.append(f'{start_tag}<div id="{MARKER}{index}"></div></{block.tag}>')
        if in_main:
            out.append("</main>")
        out.append("</body></html>")
        return "".join(out)

    def _main_tag(self) -> str:
        start = self.main[0]
        return "\n" + self.html[start:self.html.index(">", start) + 1]


def _stand_in(start_tag: str) -> str:
    """An element's start tag without id and style, hidden: it counts for selectors, draws nothing."""
    tag = re.sub(r'\s(?:id|style)="[^"]*"', "", start_tag)
    return tag[:-1] + ' hidden style="display: none">'


class _Scanner(HTMLParser):
    def __init__(self, html: str):
        super().__init__(convert_charrefs=False)
        self.lines = [0]
        for match in re.finditer("\n", html):
            self.lines.append(match.end())
        self.stack: list[str] = []
        self.body_open = self.body_depth = None
        self.main_start = self.main_end = None
        self.blocks: list[Block] = []
        self.open_block: tuple[int, str, bool] | None = None
        self.ok = True

    def _at(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def handle_starttag(self, tag, attrs):
        start = self._at()
        if tag in _VOID:
            if self.body_depth is not None and len(self.stack) in (self.body_depth, self._main_depth()):
                self.ok = False       # a bare void element between blocks: no clean cut
            return
        if tag == "body" and self.body_open is None:
            self.body_open = start + len(self.get_starttag_text())
            self.stack.append(tag)
            self.body_depth = len(self.stack)
            return
        depth = len(self.stack)
        if self.body_depth is not None and depth == self.body_depth and tag == "main" and self.main_start is None:
            self.main_start = start
        elif self.body_depth is not None and (depth == self.body_depth or depth == self._main_depth()):
            self.open_block = (start, tag, depth == self._main_depth())
        self.stack.append(tag)

    def _main_depth(self) -> int | None:
        return self.body_depth + 1 if self.main_start is not None and self.main_end is None else None

    def handle_endtag(self, tag):
        if tag in _VOID or not self.stack:
            return
        if self.stack[-1] != tag:
            self.ok = False           # implied end tags: leave such HTML in one piece
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()
        depth = len(self.stack)
        end = self._at() + len(f"</{tag}>")
        if self.open_block is not None and tag == self.open_block[1] and \
                depth == (self.body_depth + 1 if self.open_block[2] else self.body_depth):
            start, name, in_main = self.open_block
            self.blocks.append(Block(start, end, name, in_main))
            self.open_block = None
        elif tag == "main" and depth == self.body_depth and self.main_start is not None:
            self.main_end = end

    def handle_data(self, data):
        if data.strip() and self.body_depth is not None and self.open_block is None and \
                len(self.stack) in (self.body_depth, self._main_depth()):
            self.ok = False           # text between blocks would be lost


def cut(html: str) -> Document | None:
    """The print HTML's top-level blocks, or None where it cannot be cut cleanly (then it is set in one piece)."""
    scanner = _Scanner(html)
    try:
        scanner.feed(html)
        scanner.close()
    except (AssertionError, ValueError):
        return None
    if not scanner.ok or scanner.body_open is None or len(scanner.blocks) < 2:
        return None
    main = (scanner.main_start, scanner.main_end) if scanner.main_start is not None else None
    return Document(html, scanner.body_open, main, tuple(scanner.blocks))


def runs(starts_page: list[bool]) -> list[tuple[int, int]]:
    """Blocks grouped into chunks: a new chunk at every block that starts a page → [(first, last)]."""
    chunks: list[tuple[int, int]] = []
    for index, new in enumerate(starts_page):
        if index == 0 or new:
            chunks.append((index, index))
        else:
            chunks[-1] = (chunks[-1][0], index)
    return chunks


def anchors(html: str) -> set[str]:
    """The ids a piece of HTML defines."""
    return set(_ID.findall(html))


def references(html: str) -> set[str]:
    """The anchors a piece of HTML points at (links, contents entries)."""
    return set(_REF.findall(html))
