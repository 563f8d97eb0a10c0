"""A run's memory holds a few batches, not the whole run: what a finished batch was is let go."""

import gc

import polars as pl
import pytest

from flows.bench.generate import generate_corpus
from flows.deploy import flow_for
from flows.settings import load_settings

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
    assert alive == []
