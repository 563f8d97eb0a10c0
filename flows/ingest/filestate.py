"""What each local file looked like when last read (size, modification time), so a
scheduled run skips files that have not changed instead of reading them again."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


class FileState:
    def __init__(self, rows: Iterable[tuple[str, int, int]] = ()):
        self._seen = {path: (size, mtime) for path, size, mtime in rows}
        self._now: dict[str, tuple[int, int]] = {}

    def unchanged(self, path: Path | str) -> bool:
        """True when the file looks as it did when last read; else records how it looks now."""
        stat = os.stat(path)
        key, stamp = str(path), (stat.st_size, stat.st_mtime_ns)
        if self._seen.get(key) == stamp:
            return True
        self._now[key] = stamp
        return False

    def take_rows(self) -> list[dict]:
        """The files that are new or look different since last read (the rest are stored
        already), recorded since the last call: a run stages them a batch at a time."""
        taken, self._now = self._now, {}
        return [{"path": p, "size": s, "mtime_ns": m} for p, (s, m) in sorted(taken.items())]
