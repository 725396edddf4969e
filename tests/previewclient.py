"""Drive a real `amip preview` process: its printed lines, its pages and its event stream (tests and bench)."""

from __future__ import annotations

import http.client
import json
import queue
import re
import subprocess
import sys
import threading
import time
from pathlib import Path


class Preview:
    """`amip preview EDITION --port 0 --kein-browser` started in `cwd`; stdout/stderr read in the background."""

    def __init__(self, cwd: Path, edition: str, ready_timeout: float = 120):
        self.process = subprocess.Popen([sys.executable, "-m", "amip.cli", "preview", edition, "--port", "0",
                                         "--kein-browser"], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True, encoding="utf-8")
        self.out: queue.Queue[str] = queue.Queue()
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        threading.Thread(target=self._read, args=(self.process.stdout, self.stdout, True), daemon=True).start()
        threading.Thread(target=self._read, args=(self.process.stderr, self.stderr, False), daemon=True).start()
        first = self.wait_line(r"http://127\.0\.0\.1:(\d+)/", ready_timeout)
        self.port = int(first.group(1))
        self.wait_line(r"Vorschau bereit", ready_timeout)

    def _read(self, stream, lines: list[str], forward: bool) -> None:
        for line in stream:
            lines.append(line.rstrip("\n"))
            if forward:
                self.out.put(line)

    def wait_line(self, pattern: str, timeout: float) -> re.Match:
        end = time.monotonic() + timeout
        while True:
            try:
                line = self.out.get(timeout=max(0.01, end - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no line matching {pattern!r}; stdout={self.stdout} stderr={self.stderr}") from None
            match = re.search(pattern, line)
            if match:
                return match

    def get(self, path: str, headers: dict | None = None) -> tuple[int, str]:
        """A raw request: the path goes out exactly as written (no client-side normalisation)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
            for name, value in (headers or {"Host": f"127.0.0.1:{self.port}"}).items():
                connection.putheader(name, value)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            connection.close()

    def events(self) -> Events:
        return Events(self.port)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


class Events:
    """One open event stream; `next(kind)` returns the data of the next event of that kind."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        self.connection.request("GET", "/_amip/ereignisse")
        self.response = self.connection.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type").startswith("text/event-stream")
        self.queue: queue.Queue[tuple[str, dict, float]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.first = self.next("zustand", 10)

    def _read(self) -> None:
        kind = ""
        try:
            for raw in self.response:
                line = raw.decode("utf-8").rstrip("\n")
                if line.startswith("event: "):
                    kind = line[len("event: "):]
                elif line.startswith("data: "):
                    self.queue.put((kind, json.loads(line[len("data: "):]), time.perf_counter()))
        except (OSError, ValueError):
            return

    def next(self, kind: str, timeout: float) -> tuple[dict, float]:
        """(data, arrival time) of the next event `kind`; other events on the way are skipped."""
        end = time.monotonic() + timeout
        while True:
            try:
                got, data, when = self.queue.get(timeout=max(0.01, end - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no event {kind!r} within {timeout} s") from None
            if got == kind:
                return data, when

    def close(self) -> None:
        self.connection.close()
