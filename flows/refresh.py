"""The refresh flow: discover -> extract -> gate -> publish -> report.

Thin orchestration: each task calls one pure function and has one side effect at most, so
every step is its own task run in the Prefect UI. Extraction runs in batches, so the number
of task runs grows with batches, not articles.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE
from prefect.runtime import flow_run

from flows.extract.frame import FIGURE_SCHEMA, extraction_key, figures_frame
from flows.ingest.discover import Discovery, discover
from flows.ingest.folder import read_folder
from flows.quality.gate import GateFailed, SchemaViolation, Split, gate_articles, gate_figures
from flows.reporting import publish_artifacts
from flows.settings import Settings
from flows.warehouse.connection import connect
from flows.warehouse.models import apply_ddl
from flows.warehouse.publish import ITEM_SCHEMA, Publication, RunRecord, publish, record_failed_run
from flows.warehouse.queries import known_articles, stale_articles

ARTICLE_SCHEMA = {
    "article_id": pl.Utf8, "source_uri": pl.Utf8, "title": pl.Utf8, "outlet": pl.Utf8, "url": pl.Utf8,
    "original_source": pl.Utf8, "published_at": pl.Date, "language": pl.Utf8, "text": pl.Utf8,
    "ingested_at": pl.Datetime("us"), "run_id": pl.Utf8,
}


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

    def render(self) -> str:
        return (
            f"read {self.items_read} items: {self.articles_loaded} new articles, {self.articles_duplicate} duplicates, "
            f"{self.articles_unchanged} unchanged, {self.articles_rejected} rejected\n"
            f"extracted {self.articles_extracted} articles: {self.figures_loaded} figures loaded, "
            f"{self.figures_quarantined} quarantined\n"
            f"built {len(self.marts)} marts: {', '.join(self.marts)}\n"
            f"warehouse: {self.warehouse}  (open it with: duckdb {self.warehouse})"
        )


@task(name="discover-articles", cache_policy=NONE)
def discover_articles(source: str, warehouse: str, lock_timeout: float, key: str) -> tuple[Discovery, pl.DataFrame]:
    logger = get_run_logger()
    with connect(Path(warehouse), lock_timeout=lock_timeout) as con:
        apply_ddl(con)
        known = known_articles(con)
        stale = stale_articles(con, key)
    found = discover(read_folder(Path(source)), known)
    for o in found.outcomes:
        if o.outcome == "rejected":
            logger.warning("rejected %s: %s", o.source_uri, o.reason)
    logger.info("%d new, %d duplicate, %d unchanged, %d rejected; %d stored articles to re-extract",
                found.count("loaded"), found.count("duplicate"), found.count("unchanged"),
                found.count("rejected"), stale.height)
    return found, stale


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
def report_run(warehouse: str, run: RunRecord, new_figures: pl.DataFrame) -> None:
    publish_artifacts(warehouse, run, new_figures)


def _articles_frame(found: Discovery, run_id: str) -> pl.DataFrame:
    now = datetime.now()
    rows = [{"article_id": a.article_id, "source_uri": a.source_uri, "title": a.title, "outlet": a.outlet,
             "url": a.url, "original_source": a.original_source, "published_at": a.published_at,
             "language": a.language, "text": a.text, "ingested_at": now, "run_id": run_id} for a in found.new]
    return pl.DataFrame(rows, schema=ARTICLE_SCHEMA)


def _items_frame(found: Discovery, run_id: str, refused: dict[str, str]) -> pl.DataFrame:
    rows = []
    for o in found.outcomes:
        outcome, reason = o.outcome, o.reason
        if o.outcome == "loaded" and o.article_id in refused:
            outcome, reason = "rejected", refused[o.article_id]
        rows.append({"run_id": run_id, "source_uri": o.source_uri, "article_id": o.article_id,
                     "outcome": outcome, "reason": reason, "duplicate_of": o.duplicate_of})
    return pl.DataFrame(rows, schema=ITEM_SCHEMA)


def _refuse(warehouse: str, run: RunRecord, items: pl.DataFrame, lock_timeout: float, reason: str,
            failed: pl.DataFrame | None = None) -> None:
    """Record a refused run (its items rejected, to be retried) and fail the flow."""
    run.gate_verdict, run.gate_reason = "failed", reason + "; nothing was published"
    items = items.with_columns(
        reason=pl.when(pl.col("outcome") == "loaded").then(pl.lit("run refused by the gate: " + reason))
        .otherwise(pl.col("reason")),
        outcome=pl.when(pl.col("outcome") == "loaded").then(pl.lit("rejected")).otherwise(pl.col("outcome")),
    )
    record_refusal(warehouse, run, items, lock_timeout)
    report_run(warehouse, run, failed if failed is not None else pl.DataFrame(schema=FIGURE_SCHEMA))
    raise GateFailed(f"{run.gate_reason}. The warehouse keeps its last good state; "
                     "the run's gate-verdict artifact and audit.runs record why.")


@flow(name="refresh", log_prints=True)
def refresh(source: str | None = None, warehouse: str | None = None,
            max_quarantine_share: float | None = None, min_gate_sample: int | None = None,
            lock_timeout: float | None = None, batch_size: int | None = None) -> RunSummary:
    """Read new articles from `source`, extract and gate their figures, publish to `warehouse`."""
    defaults = Settings()
    source = source or defaults.source
    warehouse = warehouse or defaults.warehouse
    max_share = defaults.max_quarantine_share if max_quarantine_share is None else max_quarantine_share
    min_sample = defaults.min_gate_sample if min_gate_sample is None else min_gate_sample
    lock_timeout = defaults.lock_timeout if lock_timeout is None else lock_timeout
    batch_size = batch_size or defaults.batch_size
    run_id = flow_run.id or datetime.now().strftime("local-%Y%m%dT%H%M%S%f")
    key = extraction_key()
    run = RunRecord(run_id=run_id, started_at=datetime.now(), source=source, extraction_key=key)

    found, stale = discover_articles(source, warehouse, lock_timeout, key)
    article_split = check_articles(_articles_frame(found, run_id))
    refused = dict(zip(article_split.failed["article_id"], article_split.failed["dq_reasons"]))
    items = _items_frame(found, run_id, refused)
    articles = article_split.valid
    to_extract = pl.concat([articles.select(stale.columns), stale]) if stale.height else articles.select(
        "article_id", "text", "language", "published_at")
    batches = [extract_batch(to_extract.slice(i, batch_size), run_id) for i in range(0, to_extract.height, batch_size)]
    figures = pl.concat(batches) if batches else pl.DataFrame(schema=FIGURE_SCHEMA)
    counts = {o: int((items["outcome"] == o).sum()) for o in ("loaded", "duplicate", "unchanged", "rejected")}
    run.counts = {**counts, "items_read": items.height, "articles_extracted": to_extract.height,
                  "figures_extracted": figures.height}
    try:
        figure_split = check_figures(figures, to_extract)
    except SchemaViolation as exc:
        _refuse(warehouse, run, items, lock_timeout, f"the figures do not have the contract's shape: {exc}")
    run.counts.update(figures_loaded=figure_split.valid.height, figures_quarantined=figure_split.failed.height)
    if figures.height >= min_sample and figure_split.failed_share > max_share:
        _refuse(warehouse, run, items, lock_timeout,
                f"{figure_split.failed.height} of {figures.height} figures failed their contracts "
                f"({figure_split.failed_share:.0%} > the {max_share:.0%} allowed)", figure_split.failed)

    marts = publish_run(warehouse, Publication(run, articles, to_extract["article_id"].to_list(),
                                               figure_split.valid, figure_split.failed, items), lock_timeout)
    report_run(warehouse, run, figure_split.valid)
    return RunSummary(run_id, warehouse, items.height, counts["loaded"], counts["duplicate"], counts["unchanged"],
                      counts["rejected"], to_extract.height, figure_split.valid.height,
                      figure_split.failed.height, marts)
