"""Peak memory of a run: the flow's process and its extraction workers, sampled together.

getrusage gives one process's high-water mark; with extraction in worker processes the
run's footprint is their sum at one moment, so a thread samples /proc while the run goes.
Prefect's ephemeral API server, a child too, is left out: it is not the pipeline's memory.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        return [int(c) for t in tasks for c in (t / "children").read_text().split()]
    except OSError:
        return []


def _is_server(pid: int) -> bool:
    try:
        return b"prefect.server" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def tree_rss_mb(root: int | None = None) -> float:
    """RSS of `root` (this process) and its descendants, Prefect's server aside."""
    total, todo = 0, [root or os.getpid()]
    while todo:
        pid = todo.pop()
        if _is_server(pid):
            continue
        total += _rss_kib(pid)
        todo += _children(pid)
    return total / 1024


class PeakMemory:
    """`with PeakMemory() as peak: ...` then `peak.mb`: the highest tree RSS sampled."""

    def __init__(self, interval: float = 0.1):
        self.interval, self.mb = interval, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.mb = max(self.mb, tree_rss_mb())
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.mb = max(self.mb, tree_rss_mb())
