"""Scheduled runs: `newsfigures serve` registers the refresh flow as a deployment on a cron
schedule with its parameters from the settings, and runs it when due (Prefect's serve)."""

from __future__ import annotations

from flows.refresh import refresh
from flows.settings import Settings


def serve(settings: Settings) -> None:
    """Blocks, serving the deployment until interrupted."""
    refresh.serve(
        name=settings.deployment,
        cron=settings.schedule,
        parameters=settings.flow_parameters(),
        description="Read new articles, extract and gate their figures, publish the warehouse and marts.",
        tags=["newsfigures"],
        pause_on_shutdown=False,
    )
