"""Short-lived DuckDB connections. DuckDB allows one writing process per file: a second
writer waits for the lock for a bounded time, then gets a message that says what to do."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import duckdb
import polars as pl

T = TypeVar("T")


# DuckDB's default is 80% of the machine's memory; a run publishing 100,000 articles would
# take 1.7 GB of it. Under a limit DuckDB spills to a temporary folder beside the file instead.
MEMORY_LIMIT = "512MB"


class WarehouseLocked(RuntimeError):
    pass


class WarehouseMissing(FileNotFoundError):
    pass


class WarehouseOutOfMemory(RuntimeError):
    pass


def when_unlocked(attempt: Callable[[], T], path: Path, lock_timeout: float) -> T:
    """attempt() (opening or attaching the file at path), tried again while another process
    holds the file's lock, for lock_timeout seconds at most."""
    deadline = time.monotonic() + lock_timeout
    while True:
        try:
            return attempt()
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() >= deadline:
                raise WarehouseLocked(
                    f"{path} is in use by another process (probably another newsfigures run) and stayed "
                    f"locked for {lock_timeout:.0f} s. Wait for that run to finish, or raise --lock-timeout."
                ) from exc
            time.sleep(0.25)


@contextmanager
def connect(path: Path, read_only: bool = False, lock_timeout: float = 30.0, memory_limit: str = MEMORY_LIMIT,
            threads: int | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """threads: DuckDB's own default (one per core) unless given; each thread needs memory of its own."""
    path = Path(path)
    if read_only and not path.exists():
        raise WarehouseMissing(f"{path}: no warehouse there yet; run `newsfigures run --warehouse {path}` first")
    path.parent.mkdir(parents=True, exist_ok=True)
    config = {"memory_limit": memory_limit, **({"threads": threads} if threads else {})}
    con = when_unlocked(lambda: duckdb.connect(str(path), read_only=read_only, config=config), path, lock_timeout)
    try:
        yield con
    finally:
        con.close()


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> Iterator[None]:
    """The frame as a table `name` of con while the block runs. Better than a list parameter
    of many values, which DuckDB converts from Python one element at a time."""
    con.register(name, frame.to_arrow())
    try:
        yield
    finally:
        con.unregister(name)


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame, replace: bool = False) -> None:
    """Insert a frame's rows by column name; replace: rows replace those with the same key."""
    if frame.height:
        with registered(con, "_incoming", frame):
            con.execute(f"insert {'or replace ' if replace else ''}into {table} by name select * from _incoming")
