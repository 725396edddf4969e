"""Turn a margin note and its block's HTML into print HTML: the note's placeholder in the block's first line.

In print a note is out of the flow (position: absolute, see print.css); its placeholder sits in
the first text line of its block (paragraph, list item, heading, box, table caption or first
cell, figure caption), so it travels with that line onto its page, where amip.pagelayout moves
the note beside it. Blocks also carry their source line (data-src) for the layout check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class NoteSpace:
    """What the layout asked for where margin notes did not fit beside their text (amip.pagelayout).

    `room`: block id → mm kept free directly above a full-width table or figure whose notes did
    not fit beside the text above it. `breaks`: blocks that start a new page because the notes of
    the page before could not all stand in its margin column.
    """

    room: dict[str, float] = field(default_factory=dict)
    breaks: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.room or self.breaks)



_PHRASING = [(re.compile(r"<p\b[^>]*>"), '<span class="rand-p">'), (re.compile(r"<(?:ul|ol)\b[^>]*>"), '<span class="rand-liste">'),
             (re.compile(r"<li\b[^>]*>"), '<span class="rand-punkt">'), (re.compile(r"</(?:p|ul|ol|li)>"), "</span>")]
# where a note's placeholder goes: the first element that holds text (never a repeated table head)
_TEXT_OPENER = re.compile(r'<(?:p|li|h[1-6]|caption|figcaption|dt|div class="strategie-titel")\b[^>]*>')
_FIRST_CELL = re.compile(r"<tbody>\s*<tr\b[^>]*>\s*<t[hd]\b[^>]*>")
_FIRST_TAG = re.compile(r"^(\s*<[a-z][a-z0-9]*)((?:\s[^>]*)?)>")


def note_html(note_id: str, absatz: str, inner: str) -> str:
    """A margin note as phrasing content, so that its placeholder can sit inside the first line
    of its block. In print it is positioned absolutely (out of the flow) and moved into the margin
    column by amip.pagelayout after layout."""
    for block, span in _PHRASING:
        inner = block.sub(span, inner)
    return (f'<span class="rand" role="note" id="{note_id}" data-absatz="{absatz}"><span class="rand-inhalt">'
            f'{inner.strip()}<span class="rand-ende" id="{note_id}-ende"></span></span></span>')


def attach_notes(body: str, absatz: str, notes: str, space: NoteSpace) -> str:
    """Put the notes' placeholders inside the first text line of `body`; name the block `absatz`
    and mark its end, so that tests and the layout check know the block's first and last page."""
    if absatz in space.breaks:
        return '<div class="rand-umbruch"></div>' + attach_notes(body, absatz, notes, NoteSpace(space.room))
    room = space.room.get(absatz, 0)
    opener = _FIRST_CELL.search(body) if body.lstrip().startswith("<table") and "<caption" not in body else None
    opener = opener or _TEXT_OPENER.search(body)
    if opener is None:
        body = f'<div class="absatz">{notes}</div>{body}'
    else:
        body = body[:opener.end()] + notes + body[opener.end():]
    marker = f'<span class="absatz-ende" id="{absatz}-ende"></span>'
    first = _FIRST_TAG.match(body)
    closing = body.rfind("</li>") if body.startswith(("<ul", "<ol")) else body.rfind("</p>")
    if first and first.group(1).strip() in ("<p", "<ul", "<ol") and closing >= 0 and " id=" not in first.group(2):
        body = body[:closing] + marker + body[closing:]
        return f'{first.group(1)} id="{absatz}"{first.group(2)}>' + body[first.end():]
    space = f'<div class="rand-platz" style="height: {room:.0f}mm"></div>' if room else ""
    return f'<div class="absatz" id="{absatz}">{space}{body}{marker}</div>'


def with_source(body: str, where: str) -> str:
    """Print: the block's first tag carries its source line (data-src) for the layout check."""
    first = _FIRST_TAG.match(body)
    if not first or "data-src=" in first.group(2):
        return body
    return f'{first.group(1)}{first.group(2)} data-src="{where}">' + body[first.end():]
