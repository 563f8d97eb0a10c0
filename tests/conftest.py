"""Shared fixtures. Prefect runs against its real engine and a temporary local server
(prefect_test_harness), with PREFECT_HOME under a temporary directory."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="newsfigures-prefect-"))
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds" / "articles"


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture
def seed_folder(tmp_path: Path) -> Path:
    """A private copy of the seed articles and their manifest."""
    target = tmp_path / "articles"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture(scope="session")
def seed_warehouse(prefect_harness, tmp_path_factory) -> Path:
    """The seeds run once through the flow, for tests that only read the result."""
    from flows.refresh import refresh

    folder = tmp_path_factory.mktemp("seeds") / "articles"
    shutil.copytree(SEEDS, folder)
    warehouse = folder.parent / "newsfigures.duckdb"
    refresh(sources=[str(folder)], warehouse=str(warehouse))
    return warehouse
