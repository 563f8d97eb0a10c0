"""The refresh flow: discover -> extract -> gate -> publish -> report.

Thin orchestration: each task calls pure functions and has one side effect at most, so
every step is its own task run in the Prefect UI. Extraction runs in batches, so the number
of task runs grows with batches, not articles.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_progress_artifact, update_progress_artifact
from prefect.cache_policies import NONE
from prefect.context import FlowRunContext
from prefect.runtime import flow_run

from flows.extract.frame import FIGURE_SCHEMA, extraction_key, figures_frame
from flows.ingest.discover import Discovery, discover
from flows.ingest.fetch import FetchState
from flows.ingest.filestate import FileState
from flows.ingest.sources import read_sources
from flows.quality.gate import GateFailed, SchemaViolation, Split, gate_articles, gate_figures
from flows.reporting import publish_artifacts
from flows.settings import load_settings
from flows.warehouse.connection import connect
from flows.warehouse.models import apply_ddl
from flows.warehouse.publish import ITEM_SCHEMA, Publication, RunRecord, publish, record_failed_run
from flows.warehouse.queries import fetch_state, file_state, known_articles, near_duplicate_index, stale_articles

ARTICLE_SCHEMA = {
    "article_id": pl.Utf8, "source_uri": pl.Utf8, "title": pl.Utf8, "outlet": pl.Utf8, "url": pl.Utf8,
    "original_source": pl.Utf8, "published_at": pl.Date, "language": pl.Utf8, "text": pl.Utf8,
    "duplicate_of": pl.Utf8, "ingested_at": pl.Datetime("us"), "run_id": pl.Utf8,
}
COPY_SCHEMA = {"article_id": pl.Utf8, "source_uri": pl.Utf8, "title": pl.Utf8, "outlet": pl.Utf8, "url": pl.Utf8,
               "published_at": pl.Date, "run_id": pl.Utf8}
SIGNATURE_SCHEMA = {"article_id": pl.Utf8, "signature": pl.List(pl.UInt64)}
STATE_SCHEMA = {"url": pl.Utf8, "etag": pl.Utf8, "last_modified": pl.Utf8}
FILE_SCHEMA = {"path": pl.Utf8, "size": pl.Int64, "mtime_ns": pl.Int64}


@dataclass
class RunSummary:
    run_id: str
    warehouse: str
    items_read: int
    articles_loaded: int
    articles_duplicate: int
    articles_unchanged: int
    articles_rejected: int
    articles_extracted: int
    figures_loaded: int
    figures_quarantined: int
    marts: list[str]
    articles_without_date: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def render(self) -> str:
        undated = f" ({self.articles_without_date} without a publication date)" if self.articles_without_date else ""
        return (
            f"read {self.items_read} items: {self.articles_loaded} new articles{undated}, "
            f"{self.articles_duplicate} duplicates, {self.articles_unchanged} unchanged, "
            f"{self.articles_rejected} rejected\n"
            f"extracted {self.articles_extracted} articles: {self.figures_loaded} figures loaded, "
            f"{self.figures_quarantined} quarantined\n"
            f"built {len(self.marts)} marts: {', '.join(self.marts)}\n"
            f"warehouse: {self.warehouse}  (open it with: uv run duckdb {self.warehouse})"
        )


@dataclass
class Found:
    """What discovery hands on: the sorted items, stored articles to re-extract, fetch state."""
    discovery: Discovery
    stale: pl.DataFrame
    state: FetchState
    files: FileState


@task(name="discover-articles", cache_policy=NONE)
def discover_articles(sources: list[str], warehouse: str, lock_timeout: float, key: str) -> Found:
    logger = get_run_logger()
    with connect(Path(warehouse), lock_timeout=lock_timeout) as con:
        apply_ddl(con)
        known, stale = known_articles(con), stale_articles(con, key)
        state, files = fetch_state(con), file_state(con)
        published = dict(con.execute("select article_id, published_at from raw.articles").fetchall())

    def load_index():      # only when a new article needs it: a run with nothing new skips it
        with connect(Path(warehouse), read_only=True) as con:
            return near_duplicate_index(con)
    found = discover(read_sources(sources, state, files=files), known, load_index, published)
    for o in found.outcomes:
        if o.outcome == "rejected":
            logger.warning("rejected %s: %s", o.source_uri, o.reason)
    logger.info("%d new, %d duplicate, %d unchanged, %d rejected; %d stored articles to re-extract",
                found.count("loaded"), found.count("duplicate"), found.count("unchanged"),
                found.count("rejected"), stale.height)
    return Found(found, stale, state, files)


@task(name="gate-articles", cache_policy=NONE)
def check_articles(articles: pl.DataFrame) -> Split:
    return gate_articles(articles)


@task(name="extract-figures", cache_policy=NONE)
def extract_batch(batch: pl.DataFrame, run_id: str) -> pl.DataFrame:
    rows = batch.select("article_id", "text", "language", "published_at").iter_rows()
    return figures_frame(rows, run_id)


@task(name="gate-figures", cache_policy=NONE)
def check_figures(figures: pl.DataFrame, articles: pl.DataFrame) -> Split:
    return gate_figures(figures, articles)


@task(name="publish-warehouse", cache_policy=NONE)
def publish_run(warehouse: str, publication: Publication, lock_timeout: float) -> list[str]:
    with connect(Path(warehouse), lock_timeout=lock_timeout) as con:
        return publish(con, publication)


@task(name="record-refused-run", cache_policy=NONE)
def record_refusal(warehouse: str, run: RunRecord, items: pl.DataFrame, lock_timeout: float) -> None:
    with connect(Path(warehouse), lock_timeout=lock_timeout) as con:
        record_failed_run(con, run, items)


@task(name="report-run", cache_policy=NONE)
def report_run(warehouse: str, run: RunRecord, new_figures: pl.DataFrame, report_dir: str | None) -> None:
    publish_artifacts(warehouse, run, new_figures, report_dir)


def _articles_frame(found: Discovery, run_id: str) -> pl.DataFrame:
    now = datetime.now()
    rows = [{"article_id": a.article_id, "source_uri": a.source_uri, "title": a.title, "outlet": a.outlet,
             "url": a.url, "original_source": a.original_source, "published_at": a.published_at,
             "language": a.language, "text": a.text, "duplicate_of": found.near.get(a.article_id),
             "ingested_at": now, "run_id": run_id} for a in found.new]
    return pl.DataFrame(rows, schema=ARTICLE_SCHEMA)


def _items_frame(found: Discovery, run_id: str, refused: dict[str, str]) -> pl.DataFrame:
    rows = []
    for o in found.outcomes:
        outcome, reason = o.outcome, o.reason
        if o.article_id in refused and o.outcome in ("loaded", "duplicate"):
            outcome, reason = "rejected", refused[o.article_id]
        rows.append({"run_id": run_id, "source_uri": o.source_uri, "article_id": o.article_id,
                     "outcome": outcome, "reason": reason, "duplicate_of": o.duplicate_of})
    return pl.DataFrame(rows, schema=ITEM_SCHEMA)


def _side_tables(found: Discovery, valid_ids: set[str], state: FetchState, files: FileState, run_id: str):
    copies = pl.DataFrame([{"article_id": aid, "source_uri": a.source_uri, "title": a.title, "outlet": a.outlet,
                            "url": a.url, "published_at": a.published_at, "run_id": run_id}
                           for a, aid in found.copies], schema=COPY_SCHEMA)
    signatures = pl.DataFrame([{"article_id": aid, "signature": list(sig)} for aid, sig in found.signatures.items()
                               if aid in valid_ids], schema=SIGNATURE_SCHEMA)
    return (copies, signatures, pl.DataFrame(state.to_rows(), schema=STATE_SCHEMA),
            pl.DataFrame(files.to_rows(), schema=FILE_SCHEMA))


def _in_flight() -> int:
    """Batches submitted ahead of the one awaited: two per Dask worker thread keeps a cluster
    busy; for Prefect's thread pool two is enough, since extraction is Python holding the GIL
    (all at once only delays the first result and keeps every batch's rows in memory together)."""
    client = getattr(FlowRunContext.get().task_runner, "client", None)   # DaskTaskRunner has one
    return 2 * max(1, sum(client.nthreads().values())) if client is not None else 2


def _extract(to_extract: pl.DataFrame, run_id: str, batch_size: int) -> pl.DataFrame:
    """Extraction in batches, one task run each, submitted to the flow's task runner (so a
    Dask runner spreads them over its workers), with progress in the UI and the log."""
    logger = get_run_logger()
    total = to_extract.height
    progress = create_progress_artifact(progress=0.0, key="extraction-progress",
                                        description=f"Articles extracted of {total}") if total > batch_size else None
    started, ahead = time.monotonic(), _in_flight()
    pending = deque(extract_batch.submit(to_extract.slice(start, batch_size), run_id)
                    for start in range(0, min(total, ahead * batch_size), batch_size))
    next_start, batches = ahead * batch_size, []
    while pending:   # awaited in submission order, so the frame does not depend on the runner
        batches.append(pending.popleft().result())
        if next_start < total:
            pending.append(extract_batch.submit(to_extract.slice(next_start, batch_size), run_id))
            next_start += batch_size
        done = min(total, len(batches) * batch_size)
        rate = done / max(time.monotonic() - started, 1e-9)
        if progress is not None:
            update_progress_artifact(progress, progress=100.0 * done / total)
            logger.info("extracted %d/%d articles, %.0f/s, about %.0f s left", done, total, rate,
                        (total - done) / rate)
    return pl.concat(batches) if batches else pl.DataFrame(schema=FIGURE_SCHEMA)


def _refuse(warehouse: str, run: RunRecord, items: pl.DataFrame, lock_timeout: float, reason: str,
            report_dir: str | None, failed: pl.DataFrame | None = None) -> None:
    """Record a refused run (its items rejected, to be retried) and fail the flow."""
    run.gate_verdict, run.gate_reason = "failed", reason + "; nothing was published"
    items = items.with_columns(
        reason=pl.when(pl.col("outcome").is_in(["loaded", "duplicate"]) & pl.col("article_id").is_not_null())
        .then(pl.lit("run refused by the gate: " + reason)).otherwise(pl.col("reason")),
        outcome=pl.when(pl.col("outcome").is_in(["loaded", "duplicate"]) & pl.col("article_id").is_not_null())
        .then(pl.lit("rejected")).otherwise(pl.col("outcome")),
    )
    record_refusal(warehouse, run, items, lock_timeout)
    report_run(warehouse, run, failed if failed is not None else pl.DataFrame(schema=FIGURE_SCHEMA), report_dir)
    raise GateFailed(f"{run.gate_reason}. The warehouse keeps its last good state; "
                     "the run's gate-verdict artifact and audit.runs record why.")


@flow(name="refresh", log_prints=True)
def refresh(sources: list[str] | None = None, warehouse: str | None = None,
            max_quarantine_share: float | None = None, min_gate_sample: int | None = None,
            lock_timeout: float | None = None, batch_size: int | None = None,
            dask_address: str | None = None, report_dir: str | None = None) -> RunSummary:
    """Read new articles from `sources` (folders, files, globs, http(s) URLs of pages or
    feeds), extract and gate their figures, publish to `warehouse`."""
    s = load_settings(sources=tuple(sources or ()), warehouse=warehouse, max_quarantine_share=max_quarantine_share,
                      min_gate_sample=min_gate_sample, lock_timeout=lock_timeout, batch_size=batch_size,
                      dask_address=dask_address, report_dir=report_dir)
    run_id = str(flow_run.id or datetime.now().strftime("local-%Y%m%dT%H%M%S%f"))
    run = RunRecord(run_id=run_id, started_at=datetime.now(), source=" ".join(s.sources), extraction_key=extraction_key())
    clock = {"start": time.monotonic()}

    found = discover_articles(list(s.sources), s.warehouse, s.lock_timeout, run.extraction_key)
    clock["read"] = time.monotonic()
    article_split = check_articles(_articles_frame(found.discovery, run_id))
    refused = dict(zip(article_split.failed["article_id"], article_split.failed["dq_reasons"]))
    items = _items_frame(found.discovery, run_id, refused)
    articles = article_split.valid
    columns = ["article_id", "text", "language", "published_at"]
    to_extract = pl.concat([articles.select(columns), found.stale.select(columns)])
    figures = _extract(to_extract, run_id, s.batch_size)
    clock["extract"] = time.monotonic()

    counts = {o: int((items["outcome"] == o).sum()) for o in ("loaded", "duplicate", "unchanged", "rejected")}
    run.counts = {**counts, "items_read": items.height, "articles_extracted": to_extract.height,
                  "figures_extracted": figures.height,
                  "articles_without_date": int(articles["published_at"].is_null().sum())}
    try:
        figure_split = check_figures(figures, to_extract)
    except SchemaViolation as exc:
        _refuse(s.warehouse, run, items, s.lock_timeout, f"the figures do not have the contract's shape: {exc}",
                s.report_dir)
    run.counts.update(figures_loaded=figure_split.valid.height, figures_quarantined=figure_split.failed.height)
    if figures.height >= s.min_gate_sample and figure_split.failed_share > s.max_quarantine_share:
        _refuse(s.warehouse, run, items, s.lock_timeout,
                f"{figure_split.failed.height} of {figures.height} figures failed their contracts "
                f"({figure_split.failed_share:.0%} > the {s.max_quarantine_share:.0%} allowed)",
                s.report_dir, figure_split.failed)
    clock["gate"] = time.monotonic()

    copies, signatures, state, files = _side_tables(found.discovery, set(articles["article_id"]), found.state,
                                                    found.files, run_id)
    publication = Publication(run, articles, to_extract["article_id"].to_list(), figure_split.valid,
                              figure_split.failed, items, copies, signatures, state, files)
    marts = publish_run(s.warehouse, publication, s.lock_timeout)
    clock["publish"] = time.monotonic()
    report_run(s.warehouse, run, figure_split.valid, s.report_dir)
    steps = ["start", "read", "extract", "gate", "publish"]
    seconds = {step: round(clock[step] - clock[prev], 3) for prev, step in zip(steps, steps[1:])}
    return RunSummary(run_id, s.warehouse, items.height, counts["loaded"], counts["duplicate"],
                      counts["unchanged"], counts["rejected"], to_extract.height, figure_split.valid.height,
                      figure_split.failed.height, marts, run.counts["articles_without_date"], seconds)
