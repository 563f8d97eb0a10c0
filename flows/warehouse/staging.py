"""A run's staging area: what the run reads and extracts, written batch by batch as Parquet
parts in a folder beside the warehouse, so a run holds one batch in memory however many
articles it reads. Publishing loads the parts in one transaction; then the folder goes.

A live run holds an exclusive lock on its folder. A folder whose lock can be taken was left
by a run that died (kill -9, power cut) before publishing: the next run removes it, and the
warehouse never saw any of it.
"""

from __future__ import annotations

import fcntl
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl

TABLES = ("articles", "items", "copies", "signatures", "bands", "extracted", "figures", "quarantined",
          "file_state")


def staging_root(warehouse: Path) -> Path:
    return warehouse.parent / f".{warehouse.name}.staging"


class Staging:
    def __init__(self, folder: Path):
        self.folder = folder
        self._parts = dict.fromkeys(TABLES, 0)

    @classmethod
    @contextmanager
    def open(cls, warehouse: Path, run_id: str) -> Iterator[Staging]:
        root = staging_root(warehouse)
        root.mkdir(parents=True, exist_ok=True)
        folder = root / re.sub(r"[^\w.-]", "_", run_id)
        with open(root / ".lock", "w") as root_lock:       # one run at a time cleans up or starts
            fcntl.flock(root_lock, fcntl.LOCK_EX)
            remove_abandoned(root)
            folder.mkdir()
            lock = open(folder / ".lock", "w")
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with lock:
            try:
                yield cls(folder)
            finally:
                shutil.rmtree(folder, ignore_errors=True)

    def write(self, table: str, frame: pl.DataFrame) -> None:
        if frame.height:
            (self.folder / table).mkdir(exist_ok=True)
            frame.write_parquet(self.folder / table / f"{self._parts[table]:06d}.parquet", statistics=False)
            self._parts[table] += 1

    def parts(self, table: str) -> str | None:
        """A glob of the table's parts for DuckDB's read_parquet, or None when it has none."""
        return str(self.folder / table / "*.parquet") if self._parts[table] else None

    def scan(self, table: str, schema: dict) -> pl.LazyFrame:
        parts = self.parts(table)
        return pl.scan_parquet(parts) if parts else pl.LazyFrame(schema=schema)


def remove_abandoned(root: Path) -> list[Path]:
    """Remove the staging folders of runs that are no longer alive; returns them."""
    removed = []
    for folder in root.iterdir():
        if not folder.is_dir():
            continue
        try:
            with open(folder / ".lock", "a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)   # taken: nobody holds it
        except BlockingIOError:
            continue                                             # a live run's folder
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed
