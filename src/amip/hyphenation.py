"""Turn the project's and the organisation's hyphenation lists into a dictionary WeasyPrint breaks with.

templates/silbentrennung.txt (project) and content/<träger>/silbentrennung.txt (organisation, wins
on the same word) list words with their only allowed break points ("Be-darfs-ge-mein-schaft"; a word
without "-" never breaks). They become whole-word patterns appended to Pyphen's German patterns
(like TeX's \\hyphenation exceptions), so the HTML stays free of soft hyphens – WeasyPrint 70
measures the minimum width of table cells wrongly when a cell contains soft hyphens.

`from_text` adds what the document implies: an author's soft hyphens (U+00AD, &shy;) become entries
for their word, abbreviations ("einschl.") and fragments in parentheses ("(multi-)") never break.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from pathlib import Path

from .errors import Collector, Location
from .theme.folder import default_templates

FILE_NAME = "silbentrennung.txt"
PROJECT_LIST = default_templates() / FILE_NAME  # package data amip.templates (the repo's templates/)
_WORD = re.compile(r"^[^\W\d_]+(-[^\W\d_]+)*$")


def read_list(path: Path, problems: Collector) -> dict[str, str]:
    """One list: word → word with "-" at its allowed break points; bad lines are located errors."""
    words: dict[str, str] = {}
    if not path.is_file():
        return words
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip().replace("\u00ad", "-")
        if not line or line.startswith("#"):
            continue
        if not _WORD.match(line):
            problems.error(Location(path, number), f"„{line}“ ist kein Eintrag für die Silbentrennung.",
                           "Ein Wort je Zeile, nur Buchstaben, Trennstellen mit einem „-“ dazwischen, "
                           "z. B. Be-darfs-ge-mein-schaft; ein Wort ohne „-“ wird nie getrennt.")
            continue
        words[line.replace("-", "")] = line
    return words


def exceptions(organisation: Path | None = None, problems: Collector | None = None,
               project: Path | None = None) -> dict[str, str]:
    """The project list (or a theme's own list in its place) with the organisation's list on top (its entries win)."""
    collector = problems if problems is not None else Collector()
    words = read_list(project or PROJECT_LIST, collector)
    if organisation is not None:
        words.update(read_list(Path(organisation) / FILE_NAME, collector))
    if problems is None:
        collector.raise_if_errors()
    return words


def _pattern(hyphenated: str) -> str:
    """ "Be-darfs" → ".b8e9d8a8r8f8s." : 9 (odd, highest) allows a break, 8 (even) forbids every other."""
    letters = hyphenated.replace("-", "").lower()
    breaks, seen = set(), 0
    for char in hyphenated:
        if char == "-":
            breaks.add(seen)
        else:
            seen += 1
    inner = "".join(c + ("" if i == len(letters) - 1 else "9" if i + 1 in breaks else "8")
                    for i, c in enumerate(letters))
    return f".{inner}."


def dictionary(words: dict[str, str], cache: Path) -> Path:
    """Pyphen's German patterns plus one whole-word pattern per listed word, as a file named by its content."""
    import pyphen

    base = Path(pyphen.LANGUAGES[pyphen.language_fallback("de")])
    raw = base.read_bytes()
    encoding = raw.split(b"\n", 1)[0].decode().strip()
    body = raw.decode(encoding).split("\n", 1)[1]
    extra = "".join(_pattern(form) + "\n" for _, form in sorted(words.items()))
    text = "UTF-8\n" + body.rstrip("\n") + "\n" + extra
    digest = hashlib.sha256(text.encode()).hexdigest()[:20]
    target = cache / f"hyph_de_amip_{digest}.dic"
    if not target.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".part")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)
    return target


_BASE: tuple[dict, int, int] | None = None    # Pyphen's German patterns, parsed: (patterns, maxlen, lines)


def preload(cache: Path | None = None) -> None:
    """Parse Pyphen's German patterns once in this process (a layout worker, while the build loads the
    edition): WeasyPrint would parse the edition's patterns file – the same patterns plus a few entries –
    at its first hyphenated word, 0,7 s on the path of every build. With `cache` the parsed patterns are
    kept there as JSON (0,2 s to read)."""
    global _BASE
    import json

    import pyphen

    if _BASE is not None:
        return
    base = Path(pyphen.LANGUAGES[pyphen.language_fallback("de")])
    raw = base.read_bytes()
    lines = raw.decode(raw.split(b"\n", 1)[0].decode().strip()).split("\n", 1)[1].rstrip("\n").count("\n") + 1
    stored = cache / f"basis-{hashlib.sha256(raw).hexdigest()[:20]}.json" if cache else None
    try:
        data = json.loads(stored.read_text(encoding="utf-8"))
        _BASE = ({k: (v[0], tuple(v[1])) for k, v in data["patterns"].items()}, data["maxlen"], lines)
        return
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    parsed = pyphen.HyphDict(base)
    if any(type(v) is not int for _, values in parsed.patterns.values() for v in values):
        return                                   # alternative hyphenations: leave them to Pyphen
    _BASE = (parsed.patterns, parsed.maxlen, lines)
    if stored is not None:
        try:
            stored.parent.mkdir(parents=True, exist_ok=True)
            tmp = stored.with_suffix(f".{os.getpid()}.part")
            tmp.write_text(json.dumps({"patterns": parsed.patterns, "maxlen": parsed.maxlen}), encoding="utf-8")
            tmp.replace(stored)
        except OSError:
            pass


def _install(path: Path) -> None:
    """Put the edition's patterns (made by `dictionary`) into Pyphen's cache from the preloaded German
    patterns plus the edition's own lines – the same patterns Pyphen would parse from the whole file."""
    import tempfile

    import pyphen

    path = Path(path)
    if _BASE is None or path in pyphen.hdcache:
        return
    patterns, maxlen, lines = _BASE
    extra = path.read_text(encoding="utf-8").split("\n")[1 + lines:]
    with tempfile.TemporaryDirectory() as folder:
        own = Path(folder) / "eigene.dic"
        own.write_text("UTF-8\n" + "\n".join(extra) + "\n", encoding="utf-8")
        added = pyphen.HyphDict(own)
    merged = pyphen.HyphDict.__new__(pyphen.HyphDict)
    merged.patterns = {**patterns, **added.patterns}
    merged.cache = {}
    merged.maxlen = max([maxlen, *(len(key) for key in added.patterns)])
    pyphen.hdcache[path] = merged


@contextlib.contextmanager
def german_patterns(path: Path | None):
    """While laying out, German text ("de") is hyphenated with `path` instead of Pyphen's own file."""
    import pyphen

    if path is None:
        yield
        return
    key = pyphen.language_fallback("de")
    previous = pyphen.LANGUAGES[key]
    pyphen.LANGUAGES[key] = Path(path)
    _install(Path(path))
    try:
        yield
    finally:
        pyphen.LANGUAGES[key] = previous


_TEXT = re.compile(r"<(style|head)\b.*?</\1>|<[^>]+>", re.S)
_SOFT = re.compile(r"[^\W\d_]+(?:\u00ad[^\W\d_]+)+")
_DOTTED = re.compile(r"(?<![\w-])([^\W\d_]{2,8})(?![\w\u00ad])(\.?)")
_FRAGMENT = re.compile(r"\(([^\W\d_]+)-\)")


def from_text(html: str) -> dict[str, str]:
    """Entries the document itself implies: author soft hyphens, abbreviations, "(multi-)" fragments.

    - "Teil&shy;qualifizierung" breaks only at the author's soft hyphen, wherever the word occurs;
    - a short word that occurs only ever with a full stop ("einschl.", "bzw.") is an abbreviation and
      never breaks; so is a word fragment in parentheses ("(multi-)problembeladen").
    """
    text = _TEXT.sub(" ", html).replace("&shy;", "\u00ad")
    words = {m.group(0).replace("\u00ad", ""): m.group(0).replace("\u00ad", "-") for m in _SOFT.finditer(text)}
    dotted: dict[str, bool] = {}
    for m in _DOTTED.finditer(text):
        dotted[m.group(1)] = dotted.get(m.group(1), True) and bool(m.group(2))
    words.update({w: w for w, always in dotted.items() if always and w not in words})
    words.update({m.group(1): m.group(1) for m in _FRAGMENT.finditer(text)})
    return words


def drop_soft_hyphens(html: str) -> str:
    """The print HTML without soft hyphens (they are in the dictionary now, see `from_text`)."""
    return html.replace("\u00ad", "").replace("&shy;", "")


_MARKUP = re.compile(r"(<(script|style|title|pre|code)\b.*?</\2\s*>|<!--.*?-->|<[^>]+>)", re.S | re.I)


def _hyphenated(words: set[str], patterns: Path | None) -> dict[str, str]:
    """word → word with soft hyphens; remembered beside the patterns file (named by its content), because
    reading the patterns costs more than the rest of the web edition (measured: 0,7 s of 0,9 s)."""
    import json

    memo = patterns.with_suffix(".woerter.json") if patterns else None
    known: dict[str, str] = {}
    if memo is not None:
        try:
            known = {str(k): str(v) for k, v in json.loads(memo.read_text(encoding="utf-8")).items()}
        except (OSError, ValueError, AttributeError):
            known = {}
    missing = sorted(words - known.keys())
    if missing:
        import pyphen

        dictionary = pyphen.Pyphen(filename=str(patterns), left=3, right=3) if patterns else \
            pyphen.Pyphen(lang="de_DE", left=3, right=3)
        known.update({word: dictionary.inserted(word, hyphen="\u00ad") for word in missing})
        if memo is not None:
            tmp = memo.with_suffix(f".{os.getpid()}.part")
            tmp.write_text(json.dumps(known, ensure_ascii=False, sort_keys=True), encoding="utf-8")
            tmp.replace(memo)
    return known


def soft_hyphens(html: str, patterns: Path | None, min_length: int = 16) -> str:
    """The web HTML with soft hyphens in long words (≥ `min_length` letters) of its text, from the same
    patterns as the print: most browsers outside macOS/Android have no German hyphenation, and then
    "Weiterentwicklungserfordernisse" overflows a 320 px phone instead of breaking with a hyphen."""
    pattern = re.compile(rf"[^\W\d_]{{{min_length},}}")
    parts = _MARKUP.split(html)
    words = {word for text in parts[::3] for word in pattern.findall(text)}
    known = _hyphenated(words, patterns)
    out = []
    i = 0
    while i < len(parts):
        text = parts[i]
        out.append(pattern.sub(lambda m: known[m.group(0)], text))
        if i + 1 < len(parts):
            out.append(parts[i + 1])        # the markup itself, untouched
        i += 3                              # text, markup, inner group of the alternation
    return "".join(out)
