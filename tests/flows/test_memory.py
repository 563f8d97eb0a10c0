"""A run's memory holds a few batches, not the whole run: what a finished batch was is let go."""

import gc
import time
from datetime import date
from pathlib import Path

import polars as pl
import psutil
import pytest
from prefect import flow
from prefect.task_runners import ProcessPoolTaskRunner
from prefect.utilities.annotations import quote

from flows.bench.generate import generate_corpus
from flows.deploy import flow_for
from flows.refresh import Extraction
from flows.settings import load_settings
from flows.warehouse.staging import Staging
from flows.workers import prepare_worker

pytestmark = pytest.mark.usefixtures("prefect_harness")


def test_finished_batches_are_not_kept_alive(tmp_path):
    # Prefect keeps a finished task run's result in reference cycles, which only Python's
    # rare full collection frees: with it held off, whatever a batch frame is still reachable from shows
    generate_corpus(60, tmp_path / "corpus")
    refresh = flow_for(load_settings(workers=1))
    gc.collect()
    gc.disable()
    try:
        summary = refresh(sources=[str(tmp_path / "corpus")], warehouse=str(tmp_path / "w.duckdb"),
                          batch_size=10, report_dir=None)
        alive = [o for o in gc.get_objects() if isinstance(o, pl.DataFrame) and o.height
                 and {"text", "quote"} & set(o.columns)]
    finally:
        gc.enable()
    assert summary.articles_extracted >= 50
    # six batches went through; a reference Prefect keeps to its last task run may hold one
    batches_alive = sum("text" in f.columns for f in alive)
    figures_alive = sum("quote" in f.columns for f in alive)
    assert batches_alive <= 1 and figures_alive <= 1, [(f.shape, f.columns[:3]) for f in alive]


def _worker_processes() -> list[psutil.Process]:
    return [p for p in psutil.Process().children(recursive=True) if "--multiprocessing-fork" in " ".join(p.cmdline())]


def _wait_for_workers() -> int:
    """Worker processes start as the batches are handed over, a moment after submission."""
    for _ in range(600):
        if found := _worker_processes():
            return len(found)
        time.sleep(0.05)
    return 0


@flow(task_runner=ProcessPoolTaskRunner(max_workers=2, initializer=prepare_worker))
def _extract_and_look(batches: list[pl.DataFrame], warehouse: str) -> tuple[int, int, int]:
    with Staging.open(Path(warehouse), "memory-test") as staging:
        with Extraction(staging, "memory-test", inline=False) as extraction:
            for batch in batches:
                extraction.put(batch)
            during = _wait_for_workers()
        after = len(_worker_processes())
    return during, after, extraction.counts["articles"]


def test_extraction_workers_exit_before_the_run_publishes(tmp_path):
    sentences = ["About 1,200 soldiers were wounded, officials said.", "Rund 3.000 Soldaten wurden entsandt."]
    batches = [pl.DataFrame({"article_id": [f"a{i}"], "text": [sentences[i % 2]], "language": [["en", "de"][i % 2]],
                             "published_at": [date(2025, 1, 1)]}) for i in range(4)]
    during, after, extracted = _extract_and_look(quote(batches), str(tmp_path / "w.duckdb"))
    assert extracted == 4
    assert during >= 1           # the batches went to worker processes...
    assert after == 0            # ...which are gone once the last batch is in, before publishing
