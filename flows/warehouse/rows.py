"""A batch of discovery as frames with the warehouse's column types, ready to stage."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import polars as pl

from flows.ingest.discover import Discovery
from flows.ingest.fetch import FetchState
from flows.ingest.filestate import FileState
from flows.ingest.neardup import BANDS, PERMUTATIONS, band_keys
from flows.warehouse.publish import ITEM_SCHEMA

ARTICLE_SCHEMA = {
    "article_id": pl.Utf8, "source_uri": pl.Utf8, "title": pl.Utf8, "outlet": pl.Utf8, "url": pl.Utf8,
    "original_source": pl.Utf8, "published_at": pl.Date, "language": pl.Utf8, "text": pl.Utf8,
    "duplicate_of": pl.Utf8, "ingested_at": pl.Datetime("us"), "run_id": pl.Utf8,
}
COPY_SCHEMA = {"article_id": pl.Utf8, "source_uri": pl.Utf8, "title": pl.Utf8, "outlet": pl.Utf8, "url": pl.Utf8,
               "published_at": pl.Date, "run_id": pl.Utf8}
SIGNATURE_SCHEMA = {"article_id": pl.Utf8, "signature": pl.List(pl.UInt64)}
BAND_SCHEMA = {"band_key": pl.UInt32, "article_id": pl.Utf8}
STATE_SCHEMA = {"url": pl.Utf8, "etag": pl.Utf8, "last_modified": pl.Utf8}
FILE_SCHEMA = {"path": pl.Utf8, "size": pl.Int64, "mtime_ns": pl.Int64}
TO_EXTRACT = ["article_id", "text", "language", "published_at"]
EXTRACTED_SCHEMA = {"article_id": pl.Utf8}


def articles_frame(found: Discovery, run_id: str) -> pl.DataFrame:
    now = datetime.now()
    rows = [{"article_id": a.article_id, "source_uri": a.source_uri, "title": a.title, "outlet": a.outlet,
             "url": a.url, "original_source": a.original_source, "published_at": a.published_at,
             "language": a.language, "text": a.text, "duplicate_of": found.near.get(a.article_id),
             "ingested_at": now, "run_id": run_id} for a in found.new]
    return pl.DataFrame(rows, schema=ARTICLE_SCHEMA)


def items_frame(found: Discovery, run_id: str, refused: dict[str, str]) -> pl.DataFrame:
    """One audit row per item; an article the contract refused is rejected, with its copies."""
    rows = []
    for o in found.outcomes:
        outcome, reason = o.outcome, o.reason
        if o.article_id in refused and o.outcome in ("loaded", "duplicate"):
            outcome, reason = "rejected", refused[o.article_id]
        rows.append({"run_id": run_id, "source_uri": o.source_uri, "article_id": o.article_id,
                     "outcome": outcome, "reason": reason, "duplicate_of": o.duplicate_of})
    return pl.DataFrame(rows, schema=ITEM_SCHEMA)


def copies_frame(found: Discovery, run_id: str) -> pl.DataFrame:
    return pl.DataFrame([{"article_id": aid, "source_uri": a.source_uri, "title": a.title, "outlet": a.outlet,
                          "url": a.url, "published_at": a.published_at, "run_id": run_id}
                         for a, aid in found.copies], schema=COPY_SCHEMA)


def signatures_frame(found: Discovery, valid_ids: set[str]) -> pl.DataFrame:
    return pl.DataFrame([{"article_id": aid, "signature": list(sig)} for aid, sig in found.signatures.items()
                         if aid in valid_ids], schema=SIGNATURE_SCHEMA)


def bands_frame(signatures: pl.DataFrame) -> pl.DataFrame:
    """raw.article_bands rows of raw.article_signatures rows: BANDS keys per article."""
    values = signatures["signature"].explode().to_numpy().astype(np.uint32).reshape(signatures.height, PERMUTATIONS)
    return pl.DataFrame({"band_key": band_keys(values).ravel(),
                         "article_id": np.repeat(signatures["article_id"].to_numpy(), BANDS)}, schema=BAND_SCHEMA)


def fetch_state_frame(state: FetchState) -> pl.DataFrame:
    return pl.DataFrame(state.to_rows(), schema=STATE_SCHEMA)


def file_state_frame(files: FileState) -> pl.DataFrame:
    """The files read since the last call (FileState.take_rows)."""
    return pl.DataFrame(files.take_rows(), schema=FILE_SCHEMA)
