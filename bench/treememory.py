"""Turn a running process into the peak of the summed resident memory of it and all its descendants (/proc)."""

from __future__ import annotations

import os
import threading

PAGE = os.sysconf("SC_PAGE_SIZE")


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as file:
                found += [int(c) for c in file.read().split()]
    except OSError:   # the process has just ended
        pass
    return found


def tree_rss(pid: int) -> int:
    """Summed resident memory (bytes) of a process and all its descendants, read from /proc."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/statm") as file:
                total += int(file.read().split()[1]) * PAGE
        except OSError:
            continue
        todo += _children(current)
    return total


class TreeMemory(threading.Thread):
    """Peak of tree_rss(pid), sampled every 20 ms until stop()."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0, threading.Event()
        self.start()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self.done.wait(0.02)

    def stop(self) -> int:
        self.done.set()
        self.join()
        return self.peak
