"""Turn a running process into the peak of the summed memory of it and all its descendants (/proc).

Summed as PSS (proportional set size, /proc/<pid>/smaps_rollup): a page shared by several processes –
forked layout workers share the parent's pages and libraries – counts once in the sum, split among
them. Summed RSS would count it once per process and overstate a process tree. Where the kernel has no
smaps_rollup, RSS (statm) is used."""

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


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as file:
            for line in file:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except FileNotFoundError:
        pass
    with open(f"/proc/{pid}/statm") as file:
        return int(file.read().split()[1]) * PAGE


def tree_rss(pid: int) -> int:
    """Summed memory (bytes, PSS) of a process and all its descendants, read from /proc."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            total += _pss(current)
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
