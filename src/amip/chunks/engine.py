"""Turn the print HTML into one PDF from chunks laid out in parallel worker processes and cached.

`Engine.lay_out(html)` cuts the document at its forced page breaks (split), takes every chunk
whose layout is cached and still valid, lays out the others in the worker pool, and repeats until
the page numbers agree: a chunk that printed the page of an anchor (contents, "siehe Seite",
list of figures) is laid out again only when that number changed – normally the contents chunk,
once, in a cold build. Margin boxes are not part of a chunk: `Engine.write` lays out the frames
(running header, "Seite N von M") for the measured page count and merges chunks, frames and the
archival record into one PDF (merge).

A chunk's cache entry (build/.cache/seiten/) is keyed on its HTML and everything else that
changes its pages: amip's and WeasyPrint's versions, the edition's own hyphenation entries for
the words the chunk contains (an entry for a word elsewhere does not touch it); the files the
layout read (stylesheets, fonts, images) are checked by content, and the page numbers it printed,
its side and place are checked against the current document.
"""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import ProcessPoolExecutor, as_completed
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import BuildError
from . import pool, split
from .cache import Store
from .weasy import Place
from .worker import Laid, Setup

MAX_ROUNDS = 6
_WORD = re.compile(r"[^\W\d_]+")
FRAME_PAGES = 32                   # pages per frame job: fixed, so that the bytes do not depend on the worker count
_FOOTNOTE = 'class="fussnote"'     # amip's footnotes (markdown.py): float: footnote in print.css
_CODE = ("chunks/weasy.py", "chunks/worker.py", "pdf.py", "record/tagging.py", "record/pdfa.py", "tablecheck.py",
         "pagelayout/walk.py", "pagelayout/notes.py", "pagelayout/check.py", "hyphenation.py")


class Uncut(Exception):
    """The document cannot be cut into chunks; the caller sets it in one piece."""


@dataclass
class Outcome:
    """The laid-out document: page counts, anchors and checks of all chunks, in the whole document's numbers."""

    chunks: list[Laid]
    offsets: list[int]
    head: str
    anchors: dict[str, int]              # anchor → page index in the whole document
    laid_out: int                        # chunks laid out by WeasyPrint in this call (the rest came from the cache)
    rounds: int

    @property
    def pages(self) -> int:
        return self.offsets[-1] + self.chunks[-1].pages

    def page_of(self, anchor: str) -> int | None:
        return self.anchors.get(anchor)


@dataclass
class _Part:
    html: str
    key: str
    own: set[str]
    refs: set[str]
    result: Laid | None = None
    place: dict = field(default_factory=dict)


def _fingerprint() -> str:
    from importlib.metadata import version

    digest = hashlib.sha256((version("weasyprint") + version("pyphen")).encode())   # pyphen: the base patterns
    base = Path(__file__).resolve().parent.parent
    for name in _CODE:
        digest.update((base / name).read_bytes())
    return digest.hexdigest()


def _workers_alive(method):
    """A worker that died (out of memory, killed) is a German environment error, not a traceback."""
    import functools
    from concurrent.futures.process import BrokenProcessPool

    @functools.wraps(method)
    def guarded(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except BrokenProcessPool:
            raise BuildError("Ein Satzprozess wurde beendet, bevor er fertig war – meist fehlt Arbeitsspeicher. "
                             "Schließen Sie andere Programme oder setzen Sie mit AMIP_PROZESSE=1 nacheinander.") from None
    return guarded


class Engine:
    """One build's chunked layout; `workers` processes (default: `pool.default_workers()`)."""

    def __init__(self, setup: Setup, cache: Path, workers: int | None = None, progress=None,
                 words: dict[str, str] | None = None):
        from ..terminal.progress import silent

        self.setup, self.cache, self.progress = setup, cache, progress or silent
        self.workers = workers or pool.default_workers()
        self._pool: ProcessPoolExecutor | None = None
        # the patterns file is named by all entries of the edition; a chunk's key holds those of its own words
        self._salt = _fingerprint() + repr(replace(setup, patterns=None))
        self._words = {word.lower(): form for word, form in (words or {}).items()}
        self.store = Store(cache, setup)
        self._meanwhile = self._carrier = None
        self._head = ""
        self._known: dict[str, int] = self.store.load_map()

    # ------------------------------------------------------------------ pool

    def pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = pool.take(self.workers)
        return self._pool

    def close(self, failed: bool = False) -> None:
        if self._pool is not None:
            pool.stop(self._pool, now=failed)
            self._pool = None

    def meanwhile(self, work) -> None:
        """Have `work()` done in this process while the workers lay out (once; else when `write` is called)."""
        self._meanwhile = work

    def _run_meanwhile(self) -> None:
        work, self._meanwhile = self._meanwhile, None
        if work is not None:
            work()

    def record(self, record) -> None:
        """Start writing the archival record's carrier PDF (it does not depend on the layout)."""
        if self._carrier is None:
            self._carrier = self.pool().submit(pool.record_job, self.setup, self._head, record)

    def commit(self) -> None:
        """Keep this build's layouts in the cache (call after the build's outputs were written)."""
        self.store.commit()

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        self.close(failed=kind is not None)

    # ------------------------------------------------------------------ layout

    @_workers_alive
    def lay_out(self, html: str) -> Outcome:
        document = split.cut(html)
        if document is None:
            raise Uncut
        runs = split.runs(self._starts(document))
        if len(runs) < 2:
            raise Uncut
        head = self._head = html[:document.body_open]
        parts, notes_before = [], 0
        for first, last in runs:
            text = document.part(first, last)
            notes = sum(html.count(_FOOTNOTE, b.start, b.end) for b in document.blocks[first:last + 1])
            if notes and notes_before:   # footnotes are numbered through the whole document
                text = text.replace("</head>", f"<style>html {{ counter-reset: footnote {notes_before} }}</style></head>", 1)
            notes_before += notes
            body = text[len(head):]
            parts.append(_Part(text, hashlib.sha256((self._salt + self._hyphenation(text) + text).encode()).hexdigest(),
                               split.anchors(body), split.references(body)))
        everything = set().union(*(p.own for p in parts))
        laid_out = pages_set = 0
        for rounds in range(1, MAX_ROUNDS + 1):
            offsets, pages_of = self._numbers(parts)
            todo = []
            for index, part in enumerate(parts):
                place = Place(offsets[index], offsets[index] % 2 == 0, pages_of)
                if part.result is None or not self._fits(part, index, place):
                    cached = self.store.laid(part.key)
                    if cached is not None:
                        part.result, part.place = cached
                    if part.result is None or not self._fits(part, index, place):
                        todo.append((index, place))
            if not todo:
                break
            todo.sort(key=lambda t: -len(parts[t[0]].html))     # longest first: the workers finish together
            jobs = [(index, self.pool().submit(pool.chunk_job, self.setup, parts[index].html, place,
                                               frozenset(everything - parts[index].own))) for index, place in todo]
            places, indices = dict(todo), {job: index for index, job in jobs}
            self._run_meanwhile()
            for job in as_completed(indices):
                index = indices[job]
                part, place = parts[index], places[index]
                part.result, part.place = job.result(), {"offset": place.offset, "first_right": place.first_right}
                laid_out += 1
                pages_set += part.result.pages
                self.progress("Satz Seite", pages_set, None)
                if not part.result.error:
                    self.store.keep(part.key, part.result, part.place)
        else:
            raise BuildError("Die Seitenzahlen des Inhaltsverzeichnisses kommen nicht zur Ruhe: jede Runde verschiebt "
                             "die Seiten erneut. Das ist ein Fehler in amip – bitte melden.")
        offsets, _ = self._numbers(parts)
        if any(p.result.blank or p.result.rules.get("running") for p in parts):
            raise Uncut   # blank pages (left/right breaks) or running headers from the text: frames cannot follow
        anchors = {}
        for part, offset in zip(parts, offsets):
            for name, index in part.result.anchors.items():
                anchors.setdefault(name, index + offset)
        self._known = {name: index + 1 for name, index in anchors.items()}
        self.store.save_map(self._known)
        return Outcome([p.result for p in parts], offsets, head, anchors, laid_out, rounds)

    def _hyphenation(self, text: str) -> str:
        """The edition's hyphenation entries for words that occur in `text` (whole-word patterns: no other)."""
        found = {word.lower() for word in _WORD.findall(text)} & self._words.keys()
        return json.dumps(sorted((word, self._words[word]) for word in found), ensure_ascii=False)

    def _numbers(self, parts: list[_Part]) -> tuple[list[int], dict[str, int]]:
        """Each chunk's first page index and every anchor's page number, from what is measured so far."""
        offsets, offset, pages_of = [], 0, dict(self._known)
        for part in parts:
            offsets.append(offset)
            if part.result is not None:
                for name, index in part.result.anchors.items():
                    pages_of[name] = index + offset + 1
                offset += part.result.pages
            else:
                offset += 1
        for name in set().union(*(p.refs for p in parts)):
            pages_of.setdefault(name, 1)
        return offsets, pages_of

    def _fits(self, part: _Part, index: int, place: Place) -> bool:
        """Does the laid-out chunk stand as it would at `place` (its page numbers, side, first page)?"""
        laid, at = part.result, part.place
        if (index == 0) != (at.get("offset") == 0):
            return False
        if laid.rules.get("sides") and at.get("first_right") != place.first_right:
            return False
        if laid.rules.get("nth") and at.get("offset") != place.offset:
            return False
        return all(place.pages_of.get(name) == number for name, number in laid.used.items())

    def _starts(self, document: split.Document) -> list[bool]:
        """Which blocks start a new page, from a layout of the document's skeleton (cached by its text)."""
        skeleton = document.skeleton()
        key = hashlib.sha256((self._salt + skeleton).encode()).hexdigest()
        path = self.cache / f"gerippe-{key}.json"
        try:
            return json.loads(self.store.read(path).decode("utf-8"))
        except (OSError, ValueError):
            pass
        pages = self.pool().submit(pool.skeleton_job, self.setup, skeleton).result()
        starts = [index == 0 or pages.get(f"{split.MARKER}{index}") != pages.get(f"{split.MARKER}{index - 1}")
                  for index in range(len(document.blocks))]
        self.store.write(path, json.dumps(starts).encode())
        return starts

    # ------------------------------------------------------------------ frames and merge

    @_workers_alive
    def write(self, outcome: Outcome, record) -> bytes:
        """Frames for the measured pages, the record carrier, and the merge into one PDF."""
        from . import merge

        for laid in outcome.chunks:
            if laid.error:
                raise BuildError(laid.error)
        names = [name for laid in outcome.chunks for name in laid.names]
        total = len(names)
        pieces = [(start, names[start:start + FRAME_PAGES]) for start in range(0, total, FRAME_PAGES)]
        frames = [self._frame(outcome.head, start, piece, total) for start, piece in pieces]
        self.record(record)
        self._run_meanwhile()
        for index, ((start, piece), frame) in enumerate(zip(pieces, frames)):
            if not isinstance(frame, bytes):      # laid out now (the others came from the cache)
                frames[index] = frame.result()
                self.store.write(self.cache / self._frame_key(outcome.head, start, piece, total), frames[index])
        carrier = self._carrier.result()
        self.close()        # the workers' memory is free before the merge needs its own
        from ..pdf import identifier

        return merge.merge([laid.pdf for laid in outcome.chunks], frames, identifier(self.setup.title), record=carrier)

    def _frame_key(self, head: str, start: int, names: list[str], total: int) -> str:
        key = [self._salt, self._hyphenation(head), head, start, names, total]
        return "rahmen-" + hashlib.sha256(json.dumps(key).encode()).hexdigest() + ".pdf"

    def _frame(self, head: str, start: int, names: list[str], total: int):
        from .worker import frame_html

        try:
            return self.store.read(self.cache / self._frame_key(head, start, names, total))
        except OSError:
            place = Place(start, start % 2 == 0, {}, margins=True, total=total)
            return self.pool().submit(pool.frame_job, self.setup, frame_html(head, names), place)
