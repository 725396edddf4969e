"""Turn the print HTML into one PDF from chunks laid out in parallel worker processes and cached.

`Engine.lay_out(html)` cuts the document at its forced page breaks (split), takes every chunk
whose layout is cached and still valid, lays out the others in the worker pool, and repeats until
the page numbers agree: a chunk that printed the page of an anchor (contents, "siehe Seite",
list of figures) is laid out again only when that number changed – normally the contents chunk,
once, in a cold build. Margin boxes are not part of a chunk: `Engine.write` lays out the frames
(running header, "Seite N von M") for the measured page count and merges chunks, frames and the
archival record into one PDF (merge).

A chunk's cache entry (build/.cache/seiten/) is keyed on its HTML and everything else that
changes its pages: amip's and WeasyPrint's versions, the hyphenation patterns; the files the
layout read (stylesheets, fonts, images) are checked by content, and the page numbers it printed,
its side and place are checked against the current document.
"""

from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BuildError
from . import split
from .weasy import Place
from .worker import Laid, Setup

MAX_ROUNDS = 6
KEEP_BYTES = 1 << 30
FRAME_PAGES = 32                   # pages per frame job: fixed, so that the bytes do not depend on the worker count               # the chunk cache keeps at most 1 GiB
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

    digest = hashlib.sha256(version("weasyprint").encode())
    base = Path(__file__).resolve().parent.parent
    for name in _CODE:
        digest.update((base / name).read_bytes())
    return digest.hexdigest()


def _new_pool(workers: int) -> ProcessPoolExecutor:
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method))
    for _ in range(workers):        # each worker imports WeasyPrint (≈ 0,7 s) while the build renders its HTML
        pool.submit(_warm_up)
    return pool


def _warm_up() -> None:
    import weasyprint  # noqa: F401

    from .. import pdf, tablecheck  # noqa: F401
    from ..pagelayout import check  # noqa: F401


def default_workers() -> int:
    """Worker processes: AMIP_PROZESSE if set, else the machine's cores (at most 4)."""
    setting = os.environ.get("AMIP_PROZESSE", "")
    return int(setting) if setting.isdigit() and int(setting) > 0 else max(1, min(4, os.cpu_count() or 1))


_warm: ProcessPoolExecutor | None = None


def warm_up() -> None:
    """Start the worker processes early (they import WeasyPrint meanwhile); the next Engine takes them."""
    global _warm
    if _warm is None:
        _warm = _new_pool(default_workers())


def cool_down() -> None:
    """Stop worker processes that were started but not taken by an Engine."""
    global _warm
    if _warm is not None:
        _warm.shutdown(cancel_futures=True)
        _warm = None


class Engine:
    """One build's chunked layout; `workers` processes (default: `default_workers()`)."""

    def __init__(self, setup: Setup, cache: Path, workers: int | None = None, progress=None):
        from ..terminal.progress import silent

        self.setup, self.cache, self.progress = setup, cache, progress or silent
        self.workers = workers or default_workers()
        self._pool: ProcessPoolExecutor | None = None
        self._salt = _fingerprint() + repr(setup)
        self._known: dict[str, int] = self._load_map()
        self._digests: dict[str, str | None] = {}     # url → SHA-256 of the file now (read once per build)
        self._pending: dict[Path, bytes] = {}           # cache files to write when the build succeeds

    # ------------------------------------------------------------------ pool

    def pool(self) -> ProcessPoolExecutor:
        global _warm
        if self._pool is None:
            if _warm is not None and _warm._max_workers == self.workers:
                self._pool, _warm = _warm, None
            else:
                self._pool = _new_pool(self.workers)
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ------------------------------------------------------------------ layout

    def lay_out(self, html: str) -> Outcome:
        document = split.cut(html)
        if document is None:
            raise Uncut
        runs = split.runs(self._starts(document))
        if len(runs) < 2:
            raise Uncut
        head = html[:document.body_open]
        parts, notes_before = [], 0
        for first, last in runs:
            text = document.part(first, last)
            notes = sum(html.count(_FOOTNOTE, b.start, b.end) for b in document.blocks[first:last + 1])
            if notes and notes_before:   # footnotes are numbered through the whole document
                text = text.replace("</head>", f"<style>html {{ counter-reset: footnote {notes_before} }}</style></head>", 1)
            notes_before += notes
            body = text[len(head):]
            parts.append(_Part(text, hashlib.sha256((self._salt + text).encode()).hexdigest(),
                               split.anchors(body), split.references(body)))
        everything = set().union(*(p.own for p in parts))
        laid_out = 0
        for rounds in range(1, MAX_ROUNDS + 1):
            offsets, pages_of = self._numbers(parts)
            todo = []
            for index, part in enumerate(parts):
                place = Place(offsets[index], offsets[index] % 2 == 0, pages_of)
                if part.result is None or not self._fits(part, index, place):
                    cached = self._cached(part)
                    if cached is not None:
                        part.result, part.place = cached
                    if part.result is None or not self._fits(part, index, place):
                        todo.append((index, place))
            if not todo:
                break
            todo.sort(key=lambda t: -len(parts[t[0]].html))     # longest first: the workers finish together
            jobs = [(index, self.pool().submit(_chunk_job, self.setup, parts[index].html, place,
                                               frozenset(everything - parts[index].own))) for index, place in todo]
            places, indices = dict(todo), {job: index for index, job in jobs}
            for job in as_completed(indices):
                index = indices[job]
                part, place = parts[index], places[index]
                part.result, part.place = job.result(), {"offset": place.offset, "first_right": place.first_right}
                laid_out += 1
                self.progress("Satz Abschnitt", laid_out, None)
                self._store(part)
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
        self._save_map()
        return Outcome([p.result for p in parts], offsets, head, anchors, laid_out, rounds)

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
            return json.loads(self._read(path).decode("utf-8"))
        except (OSError, ValueError):
            pass
        pages = self.pool().submit(_skeleton_job, self.setup, skeleton).result()
        starts = [index == 0 or pages.get(f"{split.MARKER}{index}") != pages.get(f"{split.MARKER}{index - 1}")
                  for index in range(len(document.blocks))]
        self._write(path, json.dumps(starts).encode())
        return starts

    # ------------------------------------------------------------------ cache

    def _cached(self, part: _Part):
        try:
            meta = json.loads(self._read(self.cache / f"{part.key}.json").decode("utf-8"))
            data = self._read(self.cache / f"{part.key}.pdf")
        except (OSError, ValueError):
            return None
        if hashlib.sha256(data).hexdigest() != meta.pop("sha256", None) or not self._unchanged(meta.get("fetched", {})):
            return None
        place = meta.pop("place")
        meta["layouts"] = 0
        for suffix in (".json", ".pdf"):      # in use: pruned last
            try:
                os.utime(self.cache / f"{part.key}{suffix}")
            except OSError:
                pass
        try:
            return Laid(pdf=data, **meta), place
        except TypeError:
            return None

    def _unchanged(self, fetched: dict) -> bool:
        """Are the files a cached layout read (stylesheets, fonts, images) still the same?"""
        from ..pdf import locator

        locate = locator(list(self.setup.roots), dict(self.setup.named), self.setup.overlay)
        for url, digest in fetched.items():
            if url not in self._digests:
                try:
                    self._digests[url] = hashlib.sha256(locate(url).read_bytes()).hexdigest()
                except OSError:   # gone or refused (PermissionError): stale; the new layout will say why
                    self._digests[url] = None
            if self._digests[url] != digest:
                return False
        return True

    def _store(self, part: _Part) -> None:
        meta = {**part.result.meta(), "place": part.place, "sha256": hashlib.sha256(part.result.pdf).hexdigest()}
        del meta["layouts"]
        self._write(self.cache / f"{part.key}.pdf", part.result.pdf)
        self._write(self.cache / f"{part.key}.json", json.dumps(meta, sort_keys=True).encode())

    def _write(self, path: Path, data: bytes) -> None:
        self._pending[path] = data      # written by commit(): a build that fails leaves the cache as it was

    def _read(self, path: Path) -> bytes:
        """A cache file: written in this build (not yet committed) or on disk (OSError if neither)."""
        return self._pending[path] if path in self._pending else path.read_bytes()

    def commit(self) -> None:
        """Keep this build's layouts (after its outputs were written), and forget old ones."""
        from ..output import atomic_write

        for path, data in self._pending.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, data)
        self._pending.clear()
        self.prune()

    def _load_map(self) -> dict[str, int]:
        try:
            return {str(k): int(v) for k, v in json.loads((self.cache / "seiten.json").read_text(encoding="utf-8")).items()}
        except (OSError, ValueError, AttributeError, TypeError):
            return {}

    def _save_map(self) -> None:
        self._write(self.cache / "seiten.json", json.dumps(self._known, sort_keys=True).encode())

    def prune(self, keep_days: int = 30, limit: int = KEEP_BYTES) -> None:
        """Forget layouts not used for `keep_days`, and the oldest beyond `limit` bytes in all."""
        import time

        try:
            entries = sorted(((entry.stat().st_mtime, entry.stat().st_size, entry)
                              for entry in os.scandir(self.cache) if entry.is_file()), key=lambda e: e[:2])
        except OSError:
            return
        total, cutoff = sum(size for _, size, _ in entries), time.time() - keep_days * 86400
        for mtime, size, entry in entries:
            if mtime >= cutoff and total <= limit:
                break
            try:
                os.unlink(entry.path)
                total -= size
            except OSError:
                pass

    # ------------------------------------------------------------------ frames and merge

    def write(self, outcome: Outcome, record) -> bytes:
        """Frames for the measured pages, the record carrier, and the merge into one PDF."""
        from . import merge

        names = [name for laid in outcome.chunks for name in laid.names]
        total = len(names)
        pieces = [(start, names[start:start + FRAME_PAGES]) for start in range(0, total, FRAME_PAGES)]
        frames = [self._frame(outcome.head, start, piece, total) for start, piece in pieces]
        carrier = self.pool().submit(_record_job, self.setup, outcome.head, record)
        frames = [f if isinstance(f, bytes) else f.result() for f in frames]
        for (start, piece), data in zip(pieces, frames):
            self._write(self.cache / self._frame_key(outcome.head, start, piece, total), data)
        identifier = hashlib.sha256(self.setup.title.encode()).hexdigest()[:32].encode()
        return merge.merge([laid.pdf for laid in outcome.chunks], frames, identifier, record=carrier.result())

    def _frame_key(self, head: str, start: int, names: list[str], total: int) -> str:
        return "rahmen-" + hashlib.sha256(json.dumps([self._salt, head, start, names, total]).encode()).hexdigest() + ".pdf"

    def _frame(self, head: str, start: int, names: list[str], total: int):
        from .worker import frame_html

        try:
            return self._read(self.cache / self._frame_key(head, start, names, total))
        except OSError:
            place = Place(start, start % 2 == 0, {}, margins=True, total=total)
            return self.pool().submit(_frame_job, self.setup, frame_html(head, names), place)


def _chunk_job(setup: Setup, html: str, place: Place, foreign: frozenset[str]) -> Laid:
    from .worker import chunk

    return chunk(setup, html, place, foreign)


def _frame_job(setup: Setup, html: str, place: Place) -> bytes:
    from .worker import frame

    return frame(setup, html, place)


def _record_job(setup: Setup, head: str, record) -> bytes:
    from .worker import record as carrier

    return carrier(setup, head, record)


def _skeleton_job(setup: Setup, html: str) -> dict[str, int]:
    from .. import pdf

    lay = pdf.layout(html, setup.base_url, list(setup.roots), setup.epoch, None, named=dict(setup.named),
                     overlay=setup.overlay, collect=False)
    found: dict[str, int] = {}
    for index, page in enumerate(lay.document.pages):
        for name in page.anchors:
            found.setdefault(name, index)
    return found
