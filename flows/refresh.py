"""The refresh flow: read -> stage -> extract and gate -> publish -> report, streamed in batches.

Thin orchestration over pure modules. Articles are read and staged (Parquet parts beside
the warehouse) one batch at a time while earlier batches are extracted by the task runner's
workers (processes, or a Dask cluster), so memory holds a few batches however large the run,
and the number of task runs grows with batches, not articles. What the run has seen (to tell
copies from new articles) is kept in DuckDB, not in memory. Publishing loads the staged run
in one DuckDB transaction.
"""

from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Iterator
from itertools import chain
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE
from prefect.context import FlowRunContext
from prefect.runtime import flow_run
from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED, temporary_settings
from prefect.task_runners import ProcessPoolTaskRunner
from prefect.utilities.annotations import quote

from flows.extract.frame import FIGURE_SCHEMA, extraction_key, figures_frame
from flows.ingest.discover import Discoverer, Discovery, discover_in_batches
from flows.ingest.fetch import FetchState
from flows.ingest.filestate import FileState
from flows.ingest.sources import read_sources
from flows.quality.gate import GateFailed, SchemaViolation, gate_articles, gate_figures
from flows.reporting import TABLE_LIMIT, publish_artifacts
from flows.settings import load_settings
from flows.warehouse import rows
from flows.warehouse.connection import connect
from flows.warehouse.models import apply_ddl
from flows.warehouse.publish import ITEM_SCHEMA, Publication, RunRecord, publish_to, record_failed_run
from flows.warehouse.ledger import DuckDBLedger, add_missing_bands
from flows.warehouse.queries import article_count, fetch_state, file_state, stale_article_ids, stored_articles
from flows.warehouse.staging import Staging
from flows.workers import prepare_worker


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
class Known:
    """What a run reads of the warehouse at its start. Which articles it holds is looked up a
    chunk of items at a time instead (warehouse/ledger.py)."""
    stale_ids: list[str]               # stored articles to extract again (extractor or lexicons changed)
    state: FetchState
    files: FileState


_EMPTY = pl.DataFrame()


@dataclass
class Staged:
    """One batch of discovery, staged: what to extract and how its items came out."""
    to_extract: pl.DataFrame
    outcomes: Counter
    undated: int
    refused: dict[str, str]         # article_id -> why the contract refused it

    def release(self) -> pl.DataFrame:
        """The frame to extract, no longer held here: Prefect keeps a finished task run's
        result in reference cycles that only Python's rare full collection frees, and a
        run of 100,000 articles would keep every batch's texts until then."""
        frame, self.to_extract = self.to_extract, _EMPTY
        return frame


@dataclass
class Extracted:
    """One batch extracted and gated, with the seconds each took in the worker."""
    valid: pl.DataFrame
    failed: pl.DataFrame
    article_ids: list[str]
    seconds: dict[str, float]

    def release(self) -> tuple[pl.DataFrame, pl.DataFrame, list[str]]:
        """The figures, no longer held here (see Staged.release)."""
        taken = self.valid, self.failed, self.article_ids
        self.valid, self.failed, self.article_ids = _EMPTY, _EMPTY, []
        return taken


@task(name="open-warehouse", cache_policy=NONE)
def open_warehouse(warehouse: str, lock_timeout: float, key: str) -> Known:
    with connect(Path(warehouse), lock_timeout=lock_timeout) as con:
        apply_ddl(con)
        add_missing_bands(con)
        known = Known(stale_article_ids(con, key), fetch_state(con), file_state(con))
        stored = article_count(con)
    get_run_logger().info("%d articles in the warehouse; %d stored articles to re-extract (the extractor or "
                          "lexicons changed since they were read)", stored, len(known.stale_ids))
    return known


@task(name="stage-articles", cache_policy=NONE)
def stage_articles(found: Discovery, staging: Staging, run_id: str, refused: dict[str, str]) -> Staged:
    """Gate a batch of new articles and stage them with every item's outcome. `refused`:
    articles refused earlier in the run, whose copies in this batch are rejected too."""
    logger = get_run_logger()
    for o in found.outcomes:
        if o.outcome == "rejected":
            logger.warning("rejected %s: %s", o.source_uri, o.reason)
    logger.info("read %d items: %d new, %d duplicate, %d unchanged, %d rejected", len(found.outcomes),
                found.count("loaded"), found.count("duplicate"), found.count("unchanged"), found.count("rejected"))
    split = gate_articles(rows.articles_frame(found, run_id))
    newly_refused = dict(zip(split.failed["article_id"], split.failed["dq_reasons"]))
    items = rows.items_frame(found, run_id, refused | newly_refused)
    staging.write("articles", split.valid)
    staging.write("items", items)
    staging.write("copies", rows.copies_frame(found, run_id))
    signatures = rows.signatures_frame(found, set(split.valid["article_id"]))
    staging.write("signatures", signatures)
    staging.write("bands", rows.bands_frame(signatures))
    return Staged(split.valid.select(rows.TO_EXTRACT), Counter(items["outcome"].to_list()),
                  int(split.valid["published_at"].is_null().sum()), newly_refused)


@task(name="extract-figures", cache_policy=NONE)
def extract_batch(batch: pl.DataFrame, run_id: str) -> Extracted:
    """Extract a batch's figures and split them by their contract, in the worker."""
    started = time.perf_counter()
    figures = figures_frame(batch.select(rows.TO_EXTRACT).iter_rows(), run_id)
    extracted = time.perf_counter()
    split = gate_figures(figures, batch)
    return Extracted(split.valid, split.failed, batch["article_id"].to_list(),
                     {"extract": extracted - started, "gate": time.perf_counter() - extracted})


@task(name="publish-warehouse", cache_policy=NONE)
def publish_run(warehouse: str, publication: Publication, lock_timeout: float, memory_limit: str) -> list[str]:
    return publish_to(Path(warehouse), publication, lock_timeout, memory_limit)


@task(name="record-refused-run", cache_policy=NONE)
def record_refusal(warehouse: str, run: RunRecord, items: pl.DataFrame, lock_timeout: float) -> None:
    with connect(Path(warehouse), lock_timeout=lock_timeout) as con:
        record_failed_run(con, run, items)


@task(name="report-run", cache_policy=NONE)
def report_run(warehouse: str, run: RunRecord, new_figures: pl.DataFrame, report_dir: str | None) -> None:
    publish_artifacts(warehouse, run, new_figures, report_dir)


class Extraction:
    """Batches extracted by a copy of the flow's task runner, a few in flight ahead of the
    one awaited (awaited in submission order, so the staged figures do not depend on the
    runner), each staged as it finishes. A copy, entered for the extraction only: its worker
    processes exit when the last batch is in, and do not hold their memory while the run
    publishes. `inline`: extract in the flow's own process instead; for a run of one batch,
    starting worker processes costs more than the batch."""

    def __init__(self, staging: Staging, run_id: str, inline: bool):
        self.staging, self.run_id, self.inline = staging, run_id, inline
        self.runner = None if inline else FlowRunContext.get().task_runner.duplicate()
        self.pending: deque = deque()
        self.counts = Counter()
        self.seconds = Counter()

    def __enter__(self) -> Extraction:
        if self.runner is not None:
            self.runner.__enter__()
            self.ahead = _in_flight(self.runner)
        return self

    def __exit__(self, *exc) -> None:
        try:
            if exc[0] is None:
                while self.pending:
                    self._stage(self.pending.popleft().result())
        finally:
            if self.runner is not None:
                self.runner.__exit__(*exc)

    def put(self, batch: pl.DataFrame) -> None:
        if self.inline:
            self._stage(extract_batch(batch, self.run_id))
            return
        self.pending.append(self.runner.submit(extract_batch, {"batch": batch, "run_id": self.run_id}))
        while len(self.pending) > self.ahead:
            self._stage(self.pending.popleft().result())

    def _stage(self, done: Extracted) -> None:
        valid, failed, article_ids = done.release()
        self.staging.write("figures", valid)
        self.staging.write("quarantined", failed)
        self.staging.write("extracted", pl.DataFrame({"article_id": article_ids}, schema=rows.EXTRACTED_SCHEMA))
        self.counts.update(articles=len(article_ids), valid=valid.height, failed=failed.height)
        self.seconds.update(done.seconds)
        get_run_logger().info("extracted %d articles: %d figures, %d quarantined", self.counts["articles"],
                              self.counts["valid"], self.counts["failed"])


@contextmanager
def _api_for_workers() -> Iterator[None]:
    """Worker processes report their task runs to the API this flow reports to. Prefect's
    ephemeral server is known only inside this process (a worker would start its own), so
    while the run lasts its address is in the settings the workers receive."""
    if PREFECT_API_URL.value() or not PREFECT_SERVER_EPHEMERAL_ENABLED.value():
        yield
        return
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()      # the one this process already runs
    server.start()
    with temporary_settings(updates={PREFECT_API_URL: server.api_url}):    # what the workers' context carries
        yield


def _in_flight(runner) -> int:
    """Batches submitted ahead of the one awaited: two per worker keeps every worker busy
    while the flow reads; more would only hold more batches in memory."""
    client = getattr(runner, "client", None)              # DaskTaskRunner
    if client is not None:
        return 2 * max(1, sum(client.nthreads().values()))
    return 2 * getattr(runner, "_max_workers", 1)


def _batches(sources: tuple[str, ...], known: Known, s, staging: Staging, run_id: str,
             refused: dict, tally: Counter, clock: Counter) -> Iterator[pl.DataFrame]:
    """Frames to extract: new articles as they are read and staged, then stored ones that
    an older extractor or lexicon read. `clock["read"]` counts the time spent here."""
    items = read_sources(sources, known.state, files=known.files)
    started = time.perf_counter()
    with DuckDBLedger.open(staging.folder, Path(s.warehouse), s.lock_timeout) as ledger:
        for found in discover_in_batches(items, Discoverer(ledger), s.batch_size):
            # quote(): Prefect would otherwise walk every article of the batch looking for futures
            staged = stage_articles(quote(found), staging, run_id, quote(refused))
            tally.update(staged.outcomes)
            refused.update(staged.refused)
            tally["articles_without_date"] += staged.undated
            staging.write("file_state", rows.file_state_frame(known.files))
            clock["read"] += time.perf_counter() - started
            batch = staged.release()
            if batch.height:
                yield batch
            started = time.perf_counter()
    for start in range(0, len(known.stale_ids), s.batch_size):
        with connect(Path(s.warehouse), read_only=True, lock_timeout=s.lock_timeout) as con:
            stored = stored_articles(con, known.stale_ids[start:start + s.batch_size])
        clock["read"] += time.perf_counter() - started
        yield stored
        started = time.perf_counter()


def _refuse(s, run: RunRecord, staging: Staging, reason: str, failed: pl.DataFrame) -> None:
    """Record a refused run (its items rejected, to be retried) and fail the flow."""
    run.gate_verdict, run.gate_reason = "failed", reason + "; nothing was published"
    accepted = pl.col("outcome").is_in(["loaded", "duplicate"]) & pl.col("article_id").is_not_null()
    items = staging.scan("items", ITEM_SCHEMA).with_columns(
        reason=pl.when(accepted).then(pl.lit("run refused by the gate: " + reason)).otherwise(pl.col("reason")),
        outcome=pl.when(accepted).then(pl.lit("rejected")).otherwise(pl.col("outcome")),
    ).collect()
    record_refusal(s.warehouse, run, items, s.lock_timeout)
    report_run(s.warehouse, run, failed, s.report_dir)
    raise GateFailed(f"{run.gate_reason}. The warehouse keeps its last good state; "
                     "the run's gate-verdict artifact and audit.runs record why.")


def _gate_run(s, run: RunRecord, staging: Staging, extraction: Extraction) -> None:
    """Refuse the run when too many of its figures failed: the extractor is broken."""
    failed, extracted = extraction.counts["failed"], extraction.counts["valid"] + extraction.counts["failed"]
    if extracted and extracted >= s.min_gate_sample and failed / extracted > s.max_quarantine_share:
        _refuse(s, run, staging, f"{failed} of {extracted} figures failed their contracts "
                f"({failed / extracted:.0%} > the {s.max_quarantine_share:.0%} allowed)",
                staging.scan("quarantined", {}).head(TABLE_LIMIT).collect())


@flow(name="refresh", log_prints=True, task_runner=ProcessPoolTaskRunner(initializer=prepare_worker))
def refresh(sources: list[str] | None = None, warehouse: str | None = None,
            max_quarantine_share: float | None = None, min_gate_sample: int | None = None,
            lock_timeout: float | None = None, batch_size: int | None = None,
            report_dir: str | None = None, duckdb_memory_limit: str | None = None) -> RunSummary:
    """Read new articles from `sources` (folders, files, globs, http(s) URLs of pages or
    feeds), extract and gate their figures, publish to `warehouse`."""
    s = load_settings(sources=tuple(sources or ()), warehouse=warehouse, max_quarantine_share=max_quarantine_share,
                      min_gate_sample=min_gate_sample, lock_timeout=lock_timeout, batch_size=batch_size,
                      report_dir=report_dir, duckdb_memory_limit=duckdb_memory_limit)
    run_id = str(flow_run.id or datetime.now().strftime("local-%Y%m%dT%H%M%S%f"))
    run = RunRecord(run_id=run_id, started_at=datetime.now(), source=" ".join(s.sources), extraction_key=extraction_key())
    started = time.perf_counter()
    known = open_warehouse(s.warehouse, s.lock_timeout, run.extraction_key)
    tally, clock, refused = Counter(), Counter(), {}

    with Staging.open(Path(s.warehouse), run_id) as staging, _api_for_workers():
        batches = _batches(s.sources, known, s, staging, run_id, refused, tally, clock)
        first, second = next(batches, None), next(batches, None)
        with Extraction(staging, run_id, inline=second is None) as extraction:
            for batch in chain((b for b in (first, second) if b is not None), batches):
                extraction.put(batch)
        extracted_at = time.perf_counter()

        counts = {o: tally[o] for o in ("loaded", "duplicate", "unchanged", "rejected")}
        run.counts = {**counts, "items_read": sum(counts.values()), "articles_extracted": extraction.counts["articles"],
                      "figures_extracted": extraction.counts["valid"] + extraction.counts["failed"],
                      "figures_loaded": extraction.counts["valid"], "figures_quarantined": extraction.counts["failed"],
                      "articles_without_date": tally["articles_without_date"]}
        _gate_run(s, run, staging, extraction)

        marts = publish_run(s.warehouse, Publication(run, staging, rows.fetch_state_frame(known.state)),
                            s.lock_timeout, s.duckdb_memory_limit)
        published_at = time.perf_counter()
        new_figures = staging.scan("figures", FIGURE_SCHEMA).head(TABLE_LIMIT).collect()
    report_run(s.warehouse, run, new_figures, s.report_dir)
    seconds = {"read": clock["read"], "extract": extraction.seconds["extract"], "gate": extraction.seconds["gate"],
               "extract_wall": extracted_at - started - clock["read"], "publish": published_at - extracted_at,
               "total": time.perf_counter() - started}
    return RunSummary(run_id, s.warehouse, run.counts["items_read"], counts["loaded"], counts["duplicate"],
                      counts["unchanged"], counts["rejected"], run.counts["articles_extracted"],
                      run.counts["figures_loaded"], run.counts["figures_quarantined"], marts,
                      run.counts["articles_without_date"], {k: round(v, 3) for k, v in seconds.items()})
