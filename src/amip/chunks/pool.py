"""Turn chunk, frame, record and skeleton jobs into results in worker processes.

The workers are started at the beginning of a build (`warm_up`) and import WeasyPrint while the
build loads and renders the edition; the build's Engine takes them over. Fork where the system has
it (Linux), spawn elsewhere (Windows, macOS): the jobs are plain functions with picklable arguments.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .weasy import Place
from .worker import Laid, Setup


def new_pool(workers: int, cache: Path | None = None) -> ProcessPoolExecutor:
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method), initializer=worker_setup)
    for _ in range(workers):        # each worker imports WeasyPrint (≈ 0,7 s) while the build renders its HTML
        pool.submit(_warm_up, cache)
    return pool


def worker_setup() -> None:
    """Set up a worker: Ctrl-C is the build's to handle (no traceback of its own, the build stops it), and
    a worker whose build was killed (kill -9) ends too instead of waiting forever for work."""
    import signal
    import threading
    import time

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()
    try:   # Linux: the kernel ends the worker with its parent
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass

    def watch() -> None:   # elsewhere (macOS): a re-parented worker notices within a second
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    if os.name == "posix":
        threading.Thread(target=watch, daemon=True).start()


def stop(pool: ProcessPoolExecutor, now: bool = False) -> None:
    """Shut the pool down; `now` (after an error or Ctrl-C) ends jobs still running instead of waiting."""
    if now:
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


def _warm_up(cache: Path | None) -> None:
    import weasyprint  # noqa: F401

    from .. import hyphenation

    hyphenation.preload(cache)     # the German patterns, parsed before the first chunk arrives
    from .. import pdf, tablecheck  # noqa: F401
    from ..pagelayout import check  # noqa: F401


def default_workers() -> int:
    """Worker processes: AMIP_PROZESSE if set, else the machine's cores (at most 4)."""
    setting = os.environ.get("AMIP_PROZESSE", "")
    return int(setting) if setting.isdigit() and int(setting) > 0 else max(1, min(4, os.cpu_count() or 1))


_warm: ProcessPoolExecutor | None = None


def warm_up(cache: Path | None = None) -> None:
    """Start the worker processes early (they import WeasyPrint and parse the German hyphenation patterns
    meanwhile, kept as JSON in `cache`); the next Engine takes them."""
    global _warm
    if _warm is None:
        _warm = new_pool(default_workers(), cache)


def start(edition: Path) -> None:
    """`warm_up` for a build of `edition` (its project's cache keeps the parsed hyphenation patterns)."""
    from ..projekt import project_root

    try:
        cache = project_root(edition) / "build" / ".cache" / "silbentrennung"
    except (OSError, IndexError):   # not an edition folder: the build says so in German
        cache = None
    warm_up(cache)


def cool_down() -> None:
    """Stop worker processes that were started but not taken by an Engine."""
    global _warm
    if _warm is not None:
        stop(_warm, now=True)
        _warm = None



def take(workers: int) -> ProcessPoolExecutor:
    """The warm pool if it has `workers` processes, else a new one."""
    global _warm
    if _warm is not None and _warm._max_workers == workers:
        pool, _warm = _warm, None
        return pool
    return new_pool(workers)


def chunk_job(setup: Setup, html: str, place: Place, foreign: frozenset[str]) -> Laid:
    from .worker import chunk

    return chunk(setup, html, place, foreign)


def frame_job(setup: Setup, html: str, place: Place) -> bytes:
    from .worker import frame

    return frame(setup, html, place)


def record_job(setup: Setup, head: str, record) -> bytes:
    from .worker import record as carrier

    return carrier(setup, head, record)


def skeleton_job(setup: Setup, html: str) -> dict[str, int]:
    from .. import pdf

    lay = pdf.layout(html, setup.base_url, list(setup.roots), setup.epoch, None, named=dict(setup.named),
                     overlay=setup.overlay, collect=False)
    found: dict[str, int] = {}
    for index, page in enumerate(lay.document.pages):
        for name in page.anchors:
            found.setdefault(name, index)
    return found
