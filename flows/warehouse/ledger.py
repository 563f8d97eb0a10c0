"""The articles a run tells new ones from, in DuckDB: the warehouse's, and those the run
read in earlier chunks. discover.Discoverer looks a chunk of items up at a time, so a run's
memory does not grow with the articles it reads or the warehouse holds.

The run's own are kept in a DuckDB file in its staging folder, which goes with it. The
warehouse is attached read-only for one chunk's lookups at a time: another run may publish
in between, and this run then sees what it published. Near-duplicate candidates are found by
their LSH band keys (neardup.band_keys), stored beside the signatures in raw.article_bands.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

from flows.ingest.article import Article
from flows.ingest.discover import Stories
from flows.ingest.neardup import BANDS, PERMUTATIONS, band_keys
from flows.warehouse.connection import insert_frame, registered, when_unlocked
from flows.warehouse.rows import bands_frame

# The run's tables are read a chunk at a time; DuckDB keeps what fits in this (with the
# attached warehouse's pages) and reads the rest back from the file. At 64MB a run's
# lookups level off at about 70 MB from ~40,000 articles on, ~20% slower than at 128MB;
# below ~32MB a lookup runs out of room.
LEDGER_MEMORY = "64MB"

_STORY_SCHEMA = {"article_id": pl.Utf8, "signature": pl.List(pl.UInt32), "published_at": pl.Date}
_RUN_TABLES = """
create table seen (seq bigint, article_id varchar, source_uri varchar, published_at date, signature uinteger[]);
create table bands (band_key uinteger, seq bigint);
"""


class DuckDBLedger:
    def __init__(self, con: duckdb.DuckDBPyConnection, warehouse: Path, lock_timeout: float):
        self.con, self.warehouse, self.lock_timeout = con, warehouse, lock_timeout
        self.attached = False
        self.count = 0

    @classmethod
    @contextmanager
    def open(cls, folder: Path, warehouse: Path, lock_timeout: float) -> Iterator[DuckDBLedger]:
        con = duckdb.connect(str(folder / "ledger.duckdb"), config={"memory_limit": LEDGER_MEMORY, "threads": 1})
        try:
            con.execute(_RUN_TABLES)
            yield cls(con, warehouse, lock_timeout)
        finally:
            con.close()

    @contextmanager
    def session(self) -> Iterator[None]:
        """The warehouse attached read-only, when there is one, while a chunk is looked up."""
        if not self.warehouse.exists():
            yield
            return
        path = str(self.warehouse).replace("'", "''")      # ATTACH takes no parameters
        when_unlocked(lambda: self.con.execute(f"attach '{path}' as wh (read_only)"), self.warehouse, self.lock_timeout)
        self.attached = True
        try:
            yield
        finally:
            self.attached = False
            self.con.execute("detach wh")

    def first_reads(self, article_ids: list[str]) -> dict[str, str]:
        sql = "select article_id, source_uri from seen semi join _wanted using (article_id)"
        if self.attached:
            sql += " union all select article_id, source_uri from wh.raw.articles semi join _wanted using (article_id)"
        with registered(self.con, "_wanted", pl.DataFrame({"article_id": article_ids}, schema={"article_id": pl.Utf8})):
            return dict(self.con.execute(sql).fetchall())

    def stories_like(self, signatures: np.ndarray) -> Stories:
        """Stored stories (not copies) first, in the order they were stored, then the run's."""
        with registered(self.con, "_probe", pl.DataFrame({"band_key": np.unique(band_keys(signatures))})):
            parts = [self._candidates("select distinct seq from bands semi join _probe using (band_key)", """
                select article_id, signature, published_at from seen semi join _keys using (seq) order by seq""")]
            if self.attached:
                parts.insert(0, self._candidates(
                    "select distinct article_id from wh.raw.article_bands semi join _probe using (band_key)", """
                    select a.article_id, s.signature, a.published_at
                    from wh.raw.articles a join wh.raw.article_signatures s using (article_id)
                    where a.article_id in (from _keys) and s.article_id in (from _keys) and a.duplicate_of is null
                    order by a.ingested_at, a.article_id"""))
        found = pl.concat(parts)
        values = found["signature"].explode().to_numpy().astype(np.uint32)
        return Stories(found["article_id"].to_list(), values.reshape(found.height, PERMUTATIONS),
                       found["published_at"].to_list())

    def _candidates(self, keys_sql: str, rows_sql: str) -> pl.DataFrame:
        """The rows sharing a band with the probe, in two steps: their keys by band key, then
        the rows of those keys (`_keys`), when there are any: usually there are none."""
        keys = self.con.execute(keys_sql).pl()
        if not keys.height:
            return pl.DataFrame(schema=_STORY_SCHEMA)
        with registered(self.con, "_keys", keys):
            return self.con.execute(rows_sql).pl().cast(_STORY_SCHEMA)

    def remember(self, articles: list[Article], signatures: np.ndarray) -> None:
        if not articles:
            return
        seq = np.arange(self.count, self.count + len(articles), dtype=np.int64)
        self.count += len(articles)
        seen = pl.DataFrame({
            "seq": seq, "article_id": [a.article_id for a in articles],
            "source_uri": [a.source_uri for a in articles], "published_at": [a.published_at for a in articles],
            "signature": pl.Series(signatures.tolist(), dtype=pl.List(pl.UInt32)),
        }, schema_overrides={"published_at": pl.Date})
        bands = pl.DataFrame({"band_key": band_keys(signatures).ravel(), "seq": np.repeat(seq, BANDS)})
        insert_frame(self.con, "seen", seen)
        insert_frame(self.con, "bands", bands)


def add_missing_bands(con: duckdb.DuckDBPyConnection, rows_at_a_time: int = 10_000) -> int:
    """Band keys for a warehouse stored before raw.article_bands existed; returns the
    articles given them. Cheap when there is nothing to do: a new warehouse, or one done."""
    if con.execute("select exists (from raw.article_bands) or not exists (from raw.article_signatures)").fetchone()[0]:
        return 0
    reader = con.cursor().execute("select article_id, signature from raw.article_signatures").to_arrow_reader(
        rows_at_a_time)
    added = 0
    for batch in reader:
        insert_frame(con, "raw.article_bands", bands_frame(pl.from_arrow(batch)))
        added += batch.num_rows
    return added
