"""Turn chunk layouts into files under build/.cache/seiten/ and back, checked before they are trusted.

An entry is found by its key (the chunk's HTML with everything else that changes its pages, see
engine) and trusted only if its PDF has the recorded SHA-256 and every file the layout read
(stylesheets, fonts, images, charts) still has the content it had. New entries wait in memory until
`commit()` – called once the build's outputs are written – so a failed build leaves the cache as it
was. `prune()` forgets entries unused for 30 days and the oldest beyond 1 GiB.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .worker import Laid, Setup

KEEP_BYTES = 1 << 30               # the chunk cache keeps at most 1 GiB


class Store:
    """The chunk cache of one build."""

    def __init__(self, folder: Path, setup: Setup):
        self.folder, self.setup = folder, setup
        self._digests: dict[str, str | None] = {}     # url → SHA-256 of the file now (read once per build)
        self._pending: dict[Path, bytes] = {}           # files to write when the build succeeds

    def laid(self, key: str) -> tuple[Laid, dict] | None:
        """The cached layout under `key` and the place it was laid out at, if it can be trusted."""
        try:
            meta = json.loads(self.read(self.folder / f"{key}.json").decode("utf-8"))
            data = self.read(self.folder / f"{key}.pdf")
        except (OSError, ValueError):
            return None
        if hashlib.sha256(data).hexdigest() != meta.pop("sha256", None) or not self._unchanged(meta.get("fetched", {})):
            return None
        place = meta.pop("place")
        meta["layouts"] = 0
        for suffix in (".json", ".pdf"):      # in use: pruned last
            try:
                os.utime(self.folder / f"{key}{suffix}")
            except OSError:
                pass
        try:
            return Laid(pdf=data, **meta), place
        except TypeError:
            return None

    def keep(self, key: str, laid: Laid, place: dict) -> None:
        meta = {**laid.meta(), "place": place, "sha256": hashlib.sha256(laid.pdf).hexdigest()}
        del meta["layouts"]
        self.write(self.folder / f"{key}.pdf", laid.pdf)
        self.write(self.folder / f"{key}.json", json.dumps(meta, sort_keys=True).encode())

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

    def write(self, path: Path, data: bytes) -> None:
        self._pending[path] = data      # written by commit(): a build that fails leaves the cache as it was

    def read(self, path: Path) -> bytes:
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

    def load_map(self) -> dict[str, int]:
        """anchor → page number, as the last build measured it (the first guess of the next)."""
        try:
            return {str(k): int(v) for k, v in json.loads((self.folder / "seiten.json").read_text(encoding="utf-8")).items()}
        except (OSError, ValueError, AttributeError, TypeError):
            return {}

    def save_map(self, known: dict[str, int]) -> None:
        self.write(self.folder / "seiten.json", json.dumps(known, sort_keys=True).encode())

    def prune(self, keep_days: int = 30, limit: int = KEEP_BYTES) -> None:
        """Forget layouts not used for `keep_days`, and the oldest beyond `limit` bytes in all."""
        import time

        try:
            entries = sorted(((entry.stat().st_mtime, entry.stat().st_size, entry)
                              for entry in os.scandir(self.folder) if entry.is_file()), key=lambda e: e[:2])
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
