"""A run killed at any point (kill -9 during extraction, during publishing) leaves the
warehouse as it was before that run or as it is after it, never in between; the next run
completes the work. Runs in a child process against the test Prefect server."""

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from prefect.settings import get_current_settings

from flows.bench.generate import generate_corpus
from flows.refresh import refresh

from helpers import content

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.usefixtures("prefect_harness")


@pytest.fixture(scope="module")
def big_source(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("big") / "articles"
    generate_corpus(800, folder)
    return folder


@pytest.fixture(scope="module")
def states(seed_warehouse, big_source, tmp_path_factory):
    """The warehouse before the big run, and what the big run makes of it."""
    work = tmp_path_factory.mktemp("reference")
    before = work / "before.duckdb"
    shutil.copy(seed_warehouse, before)
    after = work / "after.duckdb"
    shutil.copy(seed_warehouse, after)
    refresh(sources=[str(big_source)], warehouse=str(after))
    return before, content(before), content(after)


def _start_run(source: Path, warehouse: Path) -> subprocess.Popen:
    # batches of 200: extraction runs in worker processes, several batches in flight
    env = {**os.environ, "PREFECT_API_URL": str(get_current_settings().api.url), "PREFECT_LOGGING_LEVEL": "INFO",
           "NEWSFIGURES_BATCH_SIZE": "200"}
    return subprocess.Popen([sys.executable, "-m", "flows.cli", "run", "--source", str(source),
                             "--warehouse", str(warehouse)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _kill_when(process: subprocess.Popen, ready, timeout: float = 120) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if ready():
            process.send_signal(signal.SIGKILL)
            process.wait()
            return True
        time.sleep(0.005)
    return False


def _extracting(process: subprocess.Popen):
    """True once the child's log says its first batch is extracted (more are in flight)."""
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(process.stderr), daemon=True).start()
    return lambda: any("extracted 200 articles" in line for line in lines)


def _children(pid: int) -> list[int]:
    tasks = Path(f"/proc/{pid}/task")
    return [int(c) for t in tasks.iterdir() for c in (t / "children").read_text().split()] if tasks.exists() else []


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("phase", ["extraction", "publishing"])
def test_kill_nine_leaves_before_or_after(phase, states, big_source, tmp_path):
    before_file, before, after = states
    warehouse = tmp_path / "w.duckdb"
    shutil.copy(before_file, warehouse)
    child = _start_run(big_source, warehouse)
    workers: list[int] = []
    if phase == "extraction":
        ready = _extracting(child)
        killed = _kill_when(child, lambda: ready() and not workers.extend(_children(child.pid)))
    else:
        wal = warehouse.with_name(warehouse.name + ".wal")
        killed = _kill_when(child, wal.exists)
    assert killed, "the run finished before it could be killed"
    deadline = time.monotonic() + 60
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(w) for w in workers), "extraction workers outlived the killed run"

    state = content(warehouse)
    assert state == before or state == after, f"killed during {phase}: the warehouse is in between"

    refresh(sources=[str(big_source)], warehouse=str(warehouse))
    assert content(warehouse) == after
    staged = warehouse.parent / f".{warehouse.name}.staging"
    assert [p.name for p in staged.iterdir() if p.is_dir()] == [], "the killed run's staging was not cleared"
