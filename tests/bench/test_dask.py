"""Extraction on a Dask cluster publishes exactly what the default runner (worker processes
on this machine) publishes: the seeds and a small generated corpus, through both, into two
warehouses."""

import importlib

import pytest
from distributed import Client, LocalCluster

from flows.bench.generate import generate_corpus
from flows.deploy import flow_for
from flows.settings import load_settings

from helpers import content

pytestmark = pytest.mark.usefixtures("prefect_harness")
BATCH = 25


@pytest.fixture(scope="module")
def cluster():
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None,
                      host="127.0.0.1") as local:
        # workers import the project (prefect, polars) once, up front: cold imports racing
        # the flow on two cores cost more than they do one after the other
        with Client(local) as client:
            client.run(importlib.import_module, "flows.refresh")
        yield local


def _extraction_batches_done(cluster) -> int:
    """How many extraction batches finished on the cluster's workers (the scheduler counts
    every transition into a state, per task function)."""
    with Client(cluster) as client:
        return client.run_on_scheduler(lambda dask_scheduler: dask_scheduler.task_prefixes["extract_batch"]
                                       .state_counts["memory"])


def test_dask_runner_publishes_the_same_tables_as_the_default_runner(cluster, seed_folder, tmp_path):
    corpus = tmp_path / "generated"
    generate_corpus(90, corpus)
    sources = [str(seed_folder), str(corpus)]
    dask_flow = flow_for(load_settings(dask_address=cluster.scheduler_address))
    assert type(dask_flow.task_runner).__name__ == "DaskTaskRunner"
    default_flow = flow_for(load_settings())
    assert type(default_flow.task_runner).__name__ == "ProcessPoolTaskRunner"

    by_dask = dask_flow(sources=sources, warehouse=str(tmp_path / "dask.duckdb"), batch_size=BATCH,
                        report_dir=str(tmp_path / "reports-dask"))
    by_default = default_flow(sources=sources, warehouse=str(tmp_path / "default.duckdb"), batch_size=BATCH,
                         report_dir=str(tmp_path / "reports-default"))

    batches = -(-by_dask.articles_extracted // BATCH)
    assert batches >= 4, "too few batches to spread over two workers"
    assert _extraction_batches_done(cluster) == batches
    assert by_dask.figures_loaded == by_default.figures_loaded > 200
    assert content(tmp_path / "dask.duckdb") == content(tmp_path / "default.duckdb")


def test_one_worker_extracts_in_the_flows_own_process():
    assert type(flow_for(load_settings(workers=1)).task_runner).__name__ == "ThreadPoolTaskRunner"
    assert flow_for(load_settings(workers=3)).task_runner._max_workers == 3
