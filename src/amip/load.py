"""Turn author YAML and Markdown front matter into plain values that remember file, line and column.

YAML is never allowed to type author data: we compose the node graph and keep every scalar as the
exact text the author wrote. Typing (German numbers, ja/nein, dates) happens in `model.py`, where a
wrong value can be reported at its position. PyYAML would silently read `8.510` as 8.51 and
`01067` as 567; here both stay text until a German-aware type looks at them.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import Collector, Location

Path_ = tuple[str | int, ...]


@dataclass
class Document:
    """A loaded YAML document: plain data (dict/list/str/None) plus the position of every value."""

    path: Path
    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, loc: Path_ = (), *, key: bool = False) -> Location:
        """The location of the value (or, with key=True, of the key) at `loc`, or the nearest parent."""
        table = self.key_positions if key else self.positions
        probe = tuple(loc)
        while probe:
            if probe in table:
                return Location(self.path, *table[probe])
            if probe in self.positions:
                return Location(self.path, *self.positions[probe])
            probe = probe[:-1]
        line, col = self.positions.get((), (1, 1))
        return Location(self.path, line, col)


class _ComposeLoader(yaml.SafeLoader):
    """SafeLoader used only to compose nodes, after `_check_events` has refused anchors, aliases and tags."""


# libyaml (C) parses about ten times faster than PyYAML's Python parser – measured: two thirds of a warm
# build of a 120-page edition went into parsing its 110 YAML files. Only text it parses without error
# takes this path: a text with an error is parsed again in Python, whose messages amip translates.
_FastLoader = type("_FastLoader", (yaml.CSafeLoader,), {}) if getattr(yaml, "__with_libyaml__", False) else None


# Limits: far above every real edition (largest YAML file 6,6 KB, largest chapter 83 KB, deepest
# YAML nesting 6), far below what makes a build take minutes or gigabytes.
MAX_YAML_BYTES = 1024 * 1024
MAX_MARKDOWN_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 20


def _size_problem(path: Path, size: int, limit: int, problems: Collector) -> bool:
    if size <= limit:
        return False
    problems.error(Location(path), f"Die Datei ist zu groß ({_megabytes(size)}; erlaubt sind höchstens "
                   f"{_megabytes(limit)}).", "Teilen Sie den Inhalt auf mehrere Dateien auf oder kürzen Sie ihn.")
    return True


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def _check_events(text: str, path: Path, problems: Collector, off: int, loader=_ComposeLoader) -> bool:
    """Refuse anchors (&), aliases (*), tags (!) and deep nesting while parsing, before anything is composed.

    Checked on the event stream because PyYAML's composer expands aliases as it builds the graph: a
    few hundred bytes of nested aliases become millions of nodes. Nodes carry no anchor attribute,
    so a check on the composed graph cannot see them anyway.
    """
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        where = Location(path, event.start_mark.line + 1 + off, event.start_mark.column + 1)
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            problems.error(where, "Anker (&) und Verweise (*) sind nicht erlaubt.",
                           "Schreiben Sie den Wert an jeder Stelle aus.")
            return False
        if getattr(event, "tag", None) and isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
            shown = event.tag.replace("tag:yaml.org,2002:", "!!")
            problems.error(where, f"Typ-Angabe „{shown}“ ist nicht erlaubt.",
                           "Entfernen Sie das „!“-Kennzeichen; amip erkennt Zahlen und Texte selbst.")
            return False
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                problems.error(where, f"Zu tief verschachtelt (mehr als {MAX_DEPTH} Ebenen).",
                               "So tiefe Einrückung braucht keine amip-Datei – prüfen Sie die Einrückung.")
                return False
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return True


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


_NULLS = {"", "~", "null", "Null", "NULL"}


def load_yaml(path: Path, problems: Collector, text: str | None = None, line_offset: int = 0,
              missing_hint: str = "Prüfen Sie den Dateinamen in ausgabe.yaml.") -> Document | None:
    """Read `path` (or `text` taken from it) into a Document; report problems instead of raising."""
    if text is None:
        try:
            if _size_problem(path, path.stat().st_size, MAX_YAML_BYTES, problems):
                return None
            raw = path.read_bytes()
        except FileNotFoundError:
            problems.error(Location(path), "Datei nicht gefunden.", missing_hint)
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            problems.error(Location(path, line), "Die Datei ist nicht UTF-8-kodiert.",
                           "Speichern Sie die Datei im Editor als „UTF-8“.")
            return None
    if _memo is None:
        return _parse_yaml(path, text, line_offset, problems)
    key = (str(path), line_offset, text)  # the same text gives the same Document and the same problems
    if key not in _memo:
        found = Collector()
        _memo[key] = (_parse_yaml(path, text, line_offset, found), tuple(found.problems))
        while len(_memo) > _MEMO_SIZE:
            del _memo[next(iter(_memo))]
    doc, found = _memo[key]
    problems.problems.extend(found)
    return copy.deepcopy(doc)  # callers may change what they get; the remembered one stays as parsed


# Long-running callers (amip preview) parse the same files again on every save: they switch this on.
_memo: dict | None = None
_MEMO_SIZE = 2000


def remember_documents(on: bool = True) -> None:
    """From now on, a YAML text parsed before is not parsed again in this process (amip preview)."""
    global _memo
    _memo = ({} if _memo is None else _memo) if on else None


def _fast(text: str, path: Path, problems: Collector, line_offset: int):
    """The composed node by libyaml, or None: no libyaml, a YAML error, or a refused construct (the Python
    path then reports it exactly as before)."""
    if _FastLoader is None:
        return None
    found = Collector()
    try:
        if not _check_events(text, path, found, line_offset, _FastLoader):
            return None
        return yaml.compose(text, Loader=_FastLoader)
    except yaml.YAMLError:
        return None


def _parse_yaml(path: Path, text: str, line_offset: int, problems: Collector) -> Document | None:
    doc = Document(path=path, data=None)
    control = re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]", text)
    if control:  # PyYAML would stop with an English message and a character offset
        before = text[: control.start()]
        problems.error(Location(path, before.count("\n") + 1 + line_offset, control.start() - before.rfind("\n")),
                       f"Steuerzeichen U+{ord(control.group()):04X} im Text.",
                       "Löschen Sie das unsichtbare Zeichen (oft aus Word kopiert).")
        return None
    for number, line in enumerate(text.splitlines(), start=1):
        indent = len(line) - len(line.lstrip(" \t"))
        if "\t" in line[:indent] or (line.lstrip(" ").startswith("\t")):
            col = line.index("\t") + 1
            problems.error(Location(path, number + line_offset, col),
                           "Tabulator zum Einrücken – YAML erlaubt nur Leerzeichen.",
                           "Ersetzen Sie den Tabulator durch Leerzeichen (2 pro Ebene).")
            return None
    node = _fast(text, path, problems, line_offset)
    try:
        if node is None:
            if not _check_events(text, path, problems, line_offset):
                return None
            node = yaml.compose(text, Loader=_ComposeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        col = mark.column + 1 if mark else None
        problems.error(Location(path, line, col), f"YAML-Syntaxfehler: {_german_yaml_problem(exc.problem)}",
                       "Prüfen Sie Einrückung, Doppelpunkte und Anführungszeichen in dieser Zeile "
                       "und der Zeile darüber.")
        return None
    except yaml.YAMLError as exc:
        problems.error(Location(path), f"YAML-Fehler: {exc}", "Prüfen Sie die Datei auf Steuerzeichen.")
        return None
    if node is None:
        doc.data = {}
        doc.positions[()] = (1 + line_offset, 1)
        return doc
    ok = _walk(node, (), doc, problems, line_offset)
    if not ok:
        return None
    doc.data = _plain(node, doc, (), line_offset)
    return doc


def _german_yaml_problem(problem: str | None) -> str:
    known = {
        "mapping values are not allowed here": "Doppelpunkt an unerwarteter Stelle",
        "could not find expected ':'": "Doppelpunkt fehlt",
        "found character '\\t' that cannot start any token": "Tabulator ist nicht erlaubt",
        "found undefined alias": "unbekannter Verweis (*)",
        "expected <block end>, but found '-'": "Listenpunkt „-“ falsch eingerückt",
        "found unexpected end of stream": "Datei endet unerwartet (Anführungszeichen nicht geschlossen?)",
    }
    if problem is None:
        return "unbekanntes Problem"
    for english, german in known.items():
        if problem.startswith(english):
            return german
    return problem


def _walk(node: Node, loc: Path_, doc: Document, problems: Collector, off: int) -> bool:
    """Reject what authors never need and what hurts: merge keys, complex keys, duplicate keys, control
    characters (anchors, aliases, tags and depth were refused on the event stream)."""
    line, col = _mark(node)
    here = Location(doc.path, line + off, col)
    ok = True
    if isinstance(node, MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                problems.error(Location(doc.path, _mark(key_node)[0] + off, _mark(key_node)[1]),
                               "Ein Schlüssel muss ein einfacher Text sein.", "")
                ok = False
                continue
            if key_node.value == "<<":
                problems.error(Location(doc.path, _mark(key_node)[0] + off, _mark(key_node)[1]),
                               "Zusammenführen mit „<<“ ist nicht erlaubt.", "Schreiben Sie die Werte aus.")
                ok = False
                continue
            key = unicodedata.normalize("NFC", key_node.value)
            kline, kcol = _mark(key_node)
            if key in seen:
                problems.error(Location(doc.path, kline + off, kcol),
                               f"Schlüssel „{key}“ doppelt (zuerst in Zeile {seen[key] + off}).",
                               "Löschen Sie einen der beiden Einträge oder benennen Sie ihn um.")
                ok = False
            seen[key] = kline
            ok = _walk(value_node, loc + (key,), doc, problems, off) and ok
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            ok = _walk(item, loc + (i,), doc, problems, off) and ok
    elif isinstance(node, ScalarNode):
        bad = [c for c in node.value if unicodedata.category(c) == "Cc" and c not in "\n\t"]
        if bad:
            problems.error(here, f"Steuerzeichen U+{ord(bad[0]):04X} im Text.",
                           "Löschen Sie das unsichtbare Zeichen (oft aus Word kopiert).")
            ok = False
    return ok


def _plain(node: Node, doc: Document, loc: Path_, off: int) -> Any:
    line, col = _mark(node)
    doc.positions[loc] = (line + off, col)
    if isinstance(node, MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = unicodedata.normalize("NFC", key_node.value)
            kline, kcol = _mark(key_node)
            doc.key_positions[loc + (key,)] = (kline + off, kcol)
            out[key] = _plain(value_node, doc, loc + (key,), off)
        return out
    if isinstance(node, SequenceNode):
        return [_plain(item, doc, loc + (i,), off) for i, item in enumerate(node.value)]
    assert isinstance(node, ScalarNode)
    if not node.style and node.value in _NULLS:   # plain: None from PyYAML, "" from libyaml
        return None
    return unicodedata.normalize("NFC", node.value)


@dataclass
class MarkdownSource:
    """A chapter file split into front matter (a Document) and body text with its first line number."""

    path: Path
    front: Document
    body: str
    body_line: int


def load_markdown(path: Path, problems: Collector) -> MarkdownSource | None:
    """Read a chapter file: `---` front matter `---`, then Markdown."""
    try:
        if _size_problem(path, path.stat().st_size, MAX_MARKDOWN_BYTES, problems):
            return None
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        problems.error(Location(path), "Die Datei ist nicht UTF-8-kodiert.", "Speichern Sie die Datei als „UTF-8“.")
        return None
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.error(Location(path, 1), "Kopfbereich fehlt: die Datei muss mit „---“ beginnen.",
                       "Beginnen Sie mit drei Zeilen: ---, titel: Ihr Kapiteltitel, ---.")
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        problems.error(Location(path, 1), "Kopfbereich nicht geschlossen: zweite Zeile „---“ fehlt.",
                       "Schließen Sie den Kopfbereich mit einer Zeile „---“.")
        return None
    front = load_yaml(path, problems, text="\n".join(lines[1:end]), line_offset=1)
    if front is None:
        return None
    return MarkdownSource(path=path, front=front, body="\n".join(lines[end + 1:]), body_line=end + 2)


def confined(path: Path, root: Path, where: Location, problems: Collector, what: str) -> Path | None:
    """`path` resolved (symlinks followed) if it lies inside `root`; otherwise a located error.

    Authors name files relative to their edition; an absolute path, a `..` too many or a symbolic
    link pointing elsewhere would pull text from outside the project into a public document.
    A symlink loop raises (Python 3.11: RuntimeError), which the command line reports as an
    environment problem.
    """
    resolved = path.resolve()
    base = root.resolve()
    if resolved != base and base not in resolved.parents:
        shown = path if not path.is_absolute() else Path(path)
        problems.error(where, f"{what} „{shown}“ liegt außerhalb des Inhaltsordners {base.name}/.",
                       "amip liest nur Dateien im Ordner des Trägers (content/<träger>/); kopieren Sie die Datei "
                       "dorthin und geben Sie den Pfad relativ an.")
        return None
    return resolved
