"""Scheduled runs: `newsfigures serve` registers the refresh flow as a deployment on a cron
schedule with its parameters from the settings, and runs it when due (Prefect's serve).
`flow_for` picks where extraction runs: worker processes on this machine, or a Dask cluster."""

from __future__ import annotations

from prefect import Flow
from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

from flows.refresh import refresh
from flows.settings import Settings
from flows.workers import prepare_worker


def flow_for(settings: Settings) -> Flow:
    """The refresh flow with its extraction batches sent to the Dask scheduler at
    `settings.dask_address` when one is set, else to `settings.workers` processes here (one
    per core by default; 1 keeps them in the flow's process). Reading, staging and the
    single-writer DuckDB publish stay in the flow's own process either way."""
    if settings.dask_address:
        from prefect_dask import DaskTaskRunner   # only when asked for: distributed is slow to import

        return refresh.with_options(task_runner=DaskTaskRunner(address=settings.dask_address))
    if settings.workers == 1:
        return refresh.with_options(task_runner=ThreadPoolTaskRunner(max_workers=1))
    return refresh.with_options(task_runner=ProcessPoolTaskRunner(max_workers=settings.workers,
                                                                  initializer=prepare_worker))


def serve(settings: Settings) -> None:
    """Blocks, serving the deployment until interrupted."""
    flow_for(settings).serve(
        name=settings.deployment,
        cron=settings.schedule,
        parameters=settings.flow_parameters(),
        description="Read new articles, extract and gate their figures, publish the warehouse and marts.",
        tags=["newsfigures"],
        pause_on_shutdown=False,
    )
