"""Turn an edition and its predecessor into change bars beside the changed paragraphs of the print edition.

`amip build --aenderungen` marks what changed against the previous edition of the same organisation,
as the 2018 original did by hand ("Änderungen sind durch kursive und fette Schrift kenntlich
gemacht"): a bar in the left margin beside every paragraph and list item whose text is new or
changed (compared as in amip diff, so soft hyphens and line breaks do not count), and a footer line
naming the edition compared with. Headings, table rows in the text and margin notes carry no bar.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import BuildError
from .redline import compare_chapters, side

_OPENING = re.compile(r'<(p|li)\b([^>]*?)\sdata-src="([^"]+)"')


def predecessor(folder: Path, hint: str = "Bauen Sie ohne --aenderungen.") -> Path:
    """The organisation's latest edition before this one (content/<träger>/<jahr>/ with ausgabe.yaml)."""
    folder = Path(folder).resolve()
    year = int(folder.name) if folder.name.isdigit() else None
    earlier = sorted(int(p.name) for p in folder.parent.iterdir()
                     if p.name.isdigit() and (p / "ausgabe.yaml").is_file() and year is not None and int(p.name) < year)
    if not earlier:
        raise BuildError(f"Für {folder.parent.name}/{folder.name} gibt es keine frühere Ausgabe zum Vergleich "
                         f"(gesucht: content/{folder.parent.name}/<jahr>/ vor {folder.name}). {hint}")
    return folder.parent / str(earlier[-1])


def changed_sources(old, new) -> frozenset[str]:
    """"kapitel/<file>:<line>" of every paragraph of `new` whose text is new or changed against `old`."""
    changes = compare_chapters([(c, side(c, old.values, old.headings)) for c in old.chapters],
                               [(c, side(c, new.values, new.headings)) for c in new.chapters])
    marked = set()
    for change in changes:
        if change.new is None:
            continue
        if change.status == "neu":
            lines = {p.line for p in change.new.paragraphs}
        else:
            lines = {item.line for item in change.items if item.status in ("geaendert", "neu")}
        marked |= {f"kapitel/{change.new.file}:{line}" for line in lines}
    return frozenset(marked)


def attach(edition) -> None:
    """Compare with the predecessor and remember the marks on the edition (render_html applies them)."""
    from ..edition import load_edition

    before = load_edition(predecessor(edition.folder))
    edition.change_marks = (before.ausgabe.jahr, changed_sources(before, edition))


def mark(html: str, marks: tuple[int, frozenset[str]]) -> str:
    """Bars beside the marked blocks of the print HTML, and a legend in the page footer."""
    year, sources = marks

    def bar(match: re.Match) -> str:
        tag, attributes, src = match.groups()
        extra = " data-aenderung" if src in sources else ""
        return f'<{tag}{attributes}{extra} data-src="{src}"'

    html = _OPENING.sub(bar, html)
    style = ("<style>[data-aenderung] { border-left: 0.4mm solid var(--akzent, #e07b00); "
             "padding-left: 2mm; }\n"
             f"@page {{ @bottom-center {{ content: \"Strich am Rand: geändert gegenüber {year}\"; "
             "font-size: 7pt; color: #5a5a5a; } }</style>\n")
    return html.replace("</head>", style + "</head>", 1)
