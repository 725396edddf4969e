"""Turn the files of one build into one output folder that replaces the previous one as a whole.

PDF, druck.html and the web edition are one result. A build writes all of them into a fresh
staging folder beside the output folder (`.<jahr>.neu-*`) and then swaps the two folders in one
step with `renameat2(RENAME_EXCHANGE)`. Whoever looks at `build/<träger>/<jahr>/` sees either the
complete previous build or the complete new one – also after a full disk, an error or a kill at
any moment. Leftover staging folders of a killed build are removed by the next build.

The lock file `.amip.<jahr>.lock` lies beside the output folder, not in it: the folder is replaced
by every build, the lock file never is, and on Windows a folder with an open file in it cannot be
renamed. The lock is `filelock`'s (flock on Linux and macOS, LockFileEx on Windows).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import tempfile
from pathlib import Path

from .errors import EnvironmentProblem

LOCK = ".amip.lock"  # the name inside the output folder up to amip 0.1 (no longer carried over)
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def atomic_write(target: Path, data: bytes) -> None:
    """Write to a temporary file beside `target`, fsync, then rename over it: never a half file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _staging_prefix(out: Path) -> str:
    return f".{out.name}.neu-"


def _old_prefix(out: Path) -> str:
    return f".{out.name}.alt-"


def lock_path(out: Path) -> Path:
    """The lock file of an output folder: beside it, so that it survives the folder switch."""
    return out.parent / f".amip.{out.name}.lock"


@contextlib.contextmanager
def exclusive(path: Path, busy: str):
    """Hold the file lock `path` (portable, non-blocking); if another process holds it: EnvironmentProblem(busy)."""
    import filelock

    lock = filelock.FileLock(str(path), timeout=0)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise EnvironmentProblem(busy) from None
    try:
        yield
    finally:
        lock.release()


@contextlib.contextmanager
def locked(out: Path):
    """Hold the output's lock for one build; a second build of the same output is refused (exit 3)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with exclusive(lock_path(out), f"Für {out} läuft bereits ein anderer Build. "
                                   "Warten Sie, bis er fertig ist, und starten Sie dann erneut."):
        _recover(out)
        out.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(out)
        yield


def _recover(out: Path) -> None:
    """Only the fallback switch (two renames) can leave no output folder: put the previous one back."""
    if out.exists() or not out.parent.is_dir():
        return
    previous = sorted(out.parent.glob(_old_prefix(out) + "*"))
    if previous:
        os.rename(previous[-1], out)


def _remove_leftovers(out: Path) -> None:
    """Staging folders and .part files of a killed build; safe because we hold the lock."""
    for leftover in out.glob(".*.part"):
        leftover.unlink(missing_ok=True)
    for pattern in (_staging_prefix(out) + "*", _old_prefix(out) + "*"):
        for leftover in out.parent.glob(pattern):
            shutil.rmtree(leftover, ignore_errors=True)
    for leftover in out.glob(".web-*"):  # staging folders of amip versions before the folder switch
        shutil.rmtree(leftover, ignore_errors=True)


@contextlib.contextmanager
def staged(out: Path):
    """Yield an empty staging folder; when the block ends without error it becomes `out` in one step.

    Must run inside `locked(out)`. On any error (or Ctrl-C) the staging folder is removed and `out`
    is exactly as before.
    """
    stage = Path(tempfile.mkdtemp(prefix=_staging_prefix(out), dir=out.parent))
    try:
        os.chmod(stage, 0o755)
        yield stage
        _carry_over(out, stage)
        switch(stage, out)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    shutil.rmtree(stage, ignore_errors=True)  # after the switch it holds the previous build


def _carry_over(out: Path, stage: Path) -> None:
    """Files of other tools in the output folder, as hard links (or copies)."""
    for entry in out.iterdir():
        target = stage / entry.name
        if target.exists() or entry.is_dir() or entry.name.endswith(".part") or entry.name == LOCK:
            continue
        try:
            os.link(entry, target)
        except OSError:
            shutil.copy2(entry, target)


def _renameat2():
    """Linux's renameat2, or None (macOS, Windows, old C libraries)."""
    try:
        return getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    except (OSError, TypeError):  # Windows: no C library of the process to open by None
        return None


def switch(stage: Path, out: Path) -> None:
    """Exchange the two folders atomically; afterwards `stage` holds what was `out` before."""
    renameat2 = _renameat2()
    if renameat2 is not None:
        if renameat2(_AT_FDCWD, os.fsencode(stage), _AT_FDCWD, os.fsencode(out), _RENAME_EXCHANGE) == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            raise OSError(code, os.strerror(code), str(out))
    # file systems without RENAME_EXCHANGE: two renames; `_recover` repairs a kill in between
    old = Path(tempfile.mkdtemp(prefix=_old_prefix(out), dir=out.parent))
    os.rmdir(old)
    os.rename(out, old)
    os.rename(stage, out)
    os.rename(old, stage)
