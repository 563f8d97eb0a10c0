"""Publishing a run: everything it writes, in one DuckDB transaction.

Either the whole run lands (articles, figures, quarantine, audit, rebuilt marts) or none of
it does; a failed gate writes only its audit rows and leaves core and marts as they were.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from flows.warehouse.connection import WarehouseOutOfMemory, connect, insert_frame
from flows.warehouse.models import build_models, current_marts
from flows.warehouse.staging import Staging

ITEM_SCHEMA = {"run_id": pl.Utf8, "source_uri": pl.Utf8, "article_id": pl.Utf8,
               "outcome": pl.Utf8, "reason": pl.Utf8, "duplicate_of": pl.Utf8}


@dataclass
class RunRecord:
    run_id: str
    started_at: datetime
    source: str
    extraction_key: str
    counts: dict[str, int] = field(default_factory=dict)
    gate_verdict: str = "passed"
    gate_reason: str | None = None


@dataclass
class Publication:
    run: RunRecord
    staging: Staging                # the run's parts: articles, items, copies, signatures, bands,
                                    # extracted (ids whose figures are replaced), figures, quarantined,
                                    # file_state (of the files read in this run)
    fetch_state: pl.DataFrame       # raw.fetch_state rows of the URLs read in this run


CHANGES_MARTS = ("articles", "copies", "extracted", "figures", "quarantined")   # parts the marts read
# One DuckDB thread publishes: the extraction workers are gone by then, and the marts' large
# group-bys need about half the memory on one thread (at 100,000 articles: 16 s instead of 12)
PUBLISH_THREADS = 1
STAGED_INTO = {"articles": "raw.articles", "copies": "raw.article_copies", "signatures": "raw.article_signatures",
               "bands": "raw.article_bands", "figures": "core.figures", "quarantined": "quarantine.figures"}


def _insert_staged(con: duckdb.DuckDBPyConnection, table: str, staging: Staging, part: str) -> None:
    parts = staging.parts(part)
    if parts:
        con.execute(f"insert into {table} by name select * from read_parquet(?)", [parts])


def _upsert_file_state(con: duckdb.DuckDBPyConnection, staging: Staging) -> None:
    """A file read twice in a run (two sources naming it) keeps how it looked last."""
    parts = staging.parts("file_state")
    if parts:
        con.execute("""
            insert or replace into raw.file_state by name
            select distinct on (path) path, size, mtime_ns from read_parquet(?, filename = true)
            order by path, filename desc""", [parts])


def _record_run(con: duckdb.DuckDBPyConnection, run: RunRecord) -> None:
    c = run.counts
    con.execute(
        """
        insert into audit.runs by name
        select ? as run_id, ? as started_at, ? as finished_at, ? as source, ? as extraction_key,
               ? as items_read, ? as articles_loaded, ? as articles_duplicate, ? as articles_unchanged,
               ? as articles_rejected, ? as articles_extracted, ? as figures_extracted, ? as figures_loaded,
               ? as figures_quarantined, ? as gate_verdict, ? as gate_reason, ? as articles_without_date
        """,
        [run.run_id, run.started_at, datetime.now(), run.source, run.extraction_key,
         c.get("items_read", 0), c.get("loaded", 0), c.get("duplicate", 0), c.get("unchanged", 0),
         c.get("rejected", 0), c.get("articles_extracted", 0), c.get("figures_extracted", 0),
         c.get("figures_loaded", 0), c.get("figures_quarantined", 0), run.gate_verdict, run.gate_reason,
         c.get("articles_without_date", 0)],
    )


def publish(con: duckdb.DuckDBPyConnection, pub: Publication) -> list[str]:
    """Write the run and rebuild the marts atomically; returns the marts. A run that
    changed nothing the marts read leaves them be, unless their SQL changed."""
    con.begin()
    try:
        _insert_staged(con, "raw.articles", pub.staging, "articles")
        extracted = pub.staging.parts("extracted")
        if extracted:
            con.execute("create temp table _extracted as select distinct article_id from read_parquet(?)", [extracted])
            for table in ("core.figures", "quarantine.figures", "core.article_extractions"):
                con.execute(f"delete from {table} where article_id in (select article_id from _extracted)")
            con.execute("insert into core.article_extractions select article_id, ?, ? from _extracted",
                        [pub.run.extraction_key, pub.run.run_id])
            con.execute("drop table _extracted")
        for part, table in STAGED_INTO.items():
            if part != "articles":
                _insert_staged(con, table, pub.staging, part)
        insert_frame(con, "raw.fetch_state", pub.fetch_state, replace=True)   # URLs not read this run stay
        _upsert_file_state(con, pub.staging)
        _record_run(con, pub.run)
        _insert_staged(con, "audit.items", pub.staging, "items")
        unchanged = not any(pub.staging.parts(part) for part in CHANGES_MARTS)
        marts = (unchanged and current_marts(con)) or build_models(con)
        con.commit()
        return marts
    except BaseException:
        con.rollback()
        raise


def publish_to(warehouse: Path, pub: Publication, lock_timeout: float, memory_limit: str) -> list[str]:
    """publish() on a connection of its own, within `memory_limit`; running out of it is the
    user's setting to raise, said so."""
    try:
        with connect(warehouse, lock_timeout=lock_timeout, memory_limit=memory_limit, threads=PUBLISH_THREADS) as con:
            return publish(con, pub)
    except duckdb.OutOfMemoryException as exc:
        raise WarehouseOutOfMemory(
            f"publishing to {warehouse} needed more than the {memory_limit} DuckDB may use, so nothing of "
            f"this run was published ({str(exc).splitlines()[0]}). Raise the setting duckdb_memory_limit "
            "(e.g. NEWSFIGURES_DUCKDB_MEMORY_LIMIT=2GB) and run again: the same articles are read again."
        ) from exc


def record_failed_run(con: duckdb.DuckDBPyConnection, run: RunRecord, items: pl.DataFrame) -> None:
    """A refused run leaves its audit trail and nothing else."""
    con.begin()
    try:
        _record_run(con, run)
        insert_frame(con, "audit.items", items)
        con.commit()
    except BaseException:
        con.rollback()
        raise
