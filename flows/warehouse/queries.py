"""Reads the flow and the CLI need from the warehouse."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from flows.extract.dates import format_as_of
from flows.ingest.fetch import FetchState
from flows.ingest.filestate import FileState
from flows.warehouse.connection import connect


def article_count(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("select count(*) from raw.articles").fetchone()[0]


def stale_article_ids(con: duckdb.DuckDBPyConnection, extraction_key: str) -> list[str]:
    """Stored articles not yet extracted with the current extractor and lexicons."""
    return [row[0] for row in con.execute(
        """
        select a.article_id
        from raw.articles a
        left join core.article_extractions e using (article_id)
        where e.extraction_key is distinct from ?
        order by a.article_id
        """,
        [extraction_key],
    ).fetchall()]


def stored_articles(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> pl.DataFrame:
    """What extraction needs of the given stored articles, in the order given."""
    return con.execute(
        """
        select a.article_id, a.text, a.language, a.published_at
        from unnest(?::varchar[]) with ordinality as wanted(article_id, position)
        join raw.articles a using (article_id)
        order by wanted.position
        """,
        [article_ids],
    ).pl()


def fetch_state(con: duckdb.DuckDBPyConnection) -> FetchState:
    return FetchState.from_rows(con.execute("select url, etag, last_modified from raw.fetch_state").fetchall())


def file_state(con: duckdb.DuckDBPyConnection) -> FileState:
    return FileState(con.execute("select path, size, mtime_ns from raw.file_state").fetchall())


def figures_for_evaluation(path: Path) -> tuple[list[dict], dict[str, str]]:
    """core.figures keyed by the article's file name, and each file's language."""
    with connect(path, read_only=True) as con:
        rows = con.execute(
            """
            select regexp_extract(a.source_uri, '[^/]+$') as article, f.*
            from core.figures f join raw.articles a using (article_id)
            """
        ).pl()
        languages = dict(con.execute("select regexp_extract(source_uri, '[^/]+$'), language from raw.articles").fetchall())
    predicted = [
        {**r, "as_of": format_as_of(r["as_of_date"], r["as_of_precision"])} for r in rows.iter_rows(named=True)
    ]
    return predicted, languages
