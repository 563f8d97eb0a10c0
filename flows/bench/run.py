"""`newsfigures bench run`: the real refresh flow over a generated corpus, measured.

Orchestration, so it imports prefect: the flow runs in this process through Prefect's
ephemeral server, like `newsfigures run`. Twice: N new articles, then the same folder again
(nothing new). Beside it, in the same process and over the same texts, the bare-regex
baseline and quantulum3.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from uuid import UUID

import duckdb

from flows.bench.baseline import (ALONE_SAMPLE, extraction_articles_per_second, number_scans_articles_per_second,
                                  regex_articles_per_second)
from flows.bench.corpus import read_articles, read_gold_values
from flows.bench.generate import generate_corpus
from flows.bench.memory import PeakMemory
from flows.bench.quantulum import quantulum_side_by_side
from flows.bench.report import STEPS, goals
from flows.paths import ROOT


def start_prefect() -> float:
    """Seconds to bring up Prefect's ephemeral server, so the runs below do not pay for it."""
    from prefect import get_client

    started = time.perf_counter()
    with get_client(sync_client=True) as client:
        client.api_healthcheck()
    return time.perf_counter() - started


def task_runs_of(flow_run_id: str, timeout: float = 30) -> dict:
    """How many task runs a flow run made, and their run time by task, from the Prefect API.
    Task-run states reach the server as events, a moment after the flow returns: wait until
    every one is recorded as final."""
    from prefect import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    wanted = FlowRunFilter(id=FlowRunFilterId(any_=[UUID(flow_run_id)]))
    deadline, previous = time.monotonic() + timeout, -1
    with get_client(sync_client=True) as client:
        while True:
            runs = client.read_task_runs(flow_run_filter=wanted)
            settled = runs and all(r.state is not None and r.state.is_final() for r in runs)
            if (settled and len(runs) == previous) or time.monotonic() > deadline:
                break
            previous = len(runs) if settled else -1
            time.sleep(0.5)
    seconds: dict[str, float] = {}
    for r in runs:
        task = r.name.rsplit("-", 1)[0]   # 'extract-figures-3a1' -> 'extract-figures'
        seconds[task] = round(seconds.get(task, 0.0) + r.total_run_time.total_seconds(), 3)
    return {"count": len(runs), "seconds_by_task": seconds}


def english_value_recall(warehouse: Path, gold: dict[str, list[int]]) -> dict:
    """The share of English gold figures whose number is a value of a figure in core.figures."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute("select a.source_uri, f.value_low, f.value_high from core.figures f "
                           "join raw.articles a using (article_id) where a.language = 'en'").fetchall()
    finally:
        con.close()
    values: dict[str, set[int]] = {}
    for uri, low, high in rows:
        values.setdefault(Path(uri).name, set()).update(v for v in (low, high) if v is not None)
    expected = {name: v for name, v in gold.items() if name.endswith("_en.txt")}
    total = sum(len(v) for v in expected.values())
    found = sum(1 for name, vs in expected.items() for v in vs if v in values.get(name, ()))
    return {"gold_figures": total, "found": found, "recall": round(found / total, 4) if total else None}


@contextmanager
def _frozen_lexicons(copy: Path):
    """Both runs use a copy of the lexicons taken now: an edit to seeds/lexicons while the
    benchmark runs would change the extraction key and make the second run re-extract all."""
    from flows.paths import lexicon_dir

    shutil.copytree(lexicon_dir(), copy)
    before = os.environ.get("NEWSFIGURES_LEXICONS")
    os.environ["NEWSFIGURES_LEXICONS"] = str(copy)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("NEWSFIGURES_LEXICONS")
        else:
            os.environ["NEWSFIGURES_LEXICONS"] = before


def _commit() -> str:
    """The code measured: the checked-out commit, '+' when the tree has local changes."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              cwd=ROOT, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                               text=True, cwd=ROOT, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return (head + ("+" if dirty else "")) or "unknown"


def _timed_refresh(flow, corpus: Path, warehouse: Path, reports: Path, batch_size: int | None):
    started = time.perf_counter()
    summary = flow(sources=[str(corpus)], warehouse=str(warehouse), report_dir=str(reports), batch_size=batch_size)
    return summary, time.perf_counter() - started


def run_benchmark(n: int, batch_size: int | None = None, work: Path | None = None,
                  with_quantulum: bool = True) -> dict:
    from flows.deploy import flow_for
    from flows.settings import load_settings

    settings = load_settings(batch_size=batch_size)
    batch_size, refresh = settings.batch_size, flow_for(settings)     # the runner `newsfigures run` uses
    if work is not None:
        work.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="newsfigures-bench-", dir=work) as tmp, \
            _frozen_lexicons(Path(tmp) / "lexicons"):
        corpus, warehouse, reports = Path(tmp) / "articles", Path(tmp) / "bench.duckdb", Path(tmp) / "reports"
        started = time.perf_counter()
        generated = generate_corpus(n, corpus)
        generate_seconds = time.perf_counter() - started
        startup = start_prefect()

        with PeakMemory() as peak:      # the runs only, not the side-by-side tools below
            first, first_seconds = _timed_refresh(refresh, corpus, warehouse, reports, batch_size)
            again, again_seconds = _timed_refresh(refresh, corpus, warehouse, reports, batch_size)
        task_runs, again_tasks = task_runs_of(first.run_id), task_runs_of(again.run_id)

        articles, gold = read_articles(corpus), read_gold_values(corpus)
        regex_rate = regex_articles_per_second([a.text for a in articles])
        alone_rate = extraction_articles_per_second([(a.text, a.language) for a in articles])
        scans_rate = number_scans_articles_per_second([(a.text, a.language) for a in articles])
        quantulum = quantulum_side_by_side(articles, gold) if with_quantulum else None
        ours = english_value_recall(warehouse, gold)
        warehouse_mb = warehouse.stat().st_size / 2**20

    extract_rate = n / max(first.seconds["extract"], 1e-9)     # per core: extraction's busy seconds
    results = {
        "articles": n, "batch_size": batch_size,
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "commit": _commit(),
        "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}",
        "extraction_workers": settings.dask_address or settings.workers or os.cpu_count(),
        "corpus": {**generated, "generate_seconds": round(generate_seconds, 2)},
        "prefect_startup_seconds": round(startup, 2),
        "first_run": {
            "seconds": first.seconds, "total_seconds": round(first_seconds, 3),
            "other_seconds": round(first_seconds - sum(first.seconds[s] for s in ("read", "extract_wall", "publish")), 3),
            "articles_per_second": {**{s: round(n / max(first.seconds[s], 1e-9), 1) for s in STEPS},
                                    "total": round(n / first_seconds, 1)},
            "articles_loaded": first.articles_loaded, "figures_loaded": first.figures_loaded,
            "figures_quarantined": first.figures_quarantined,
            "task_runs": task_runs["count"], "task_seconds": task_runs["seconds_by_task"],
            "extraction_batches": -(-first.articles_extracted // batch_size),
        },
        "nothing_new_run": {"seconds": again.seconds, "total_seconds": round(again_seconds, 3),
                            "task_seconds": again_tasks["seconds_by_task"],
                            "articles_loaded": again.articles_loaded, "articles_unchanged": again.articles_unchanged,
                            "articles_extracted": again.articles_extracted},
        "peak_rss_mb": round(peak.mb, 1), "warehouse_mb": round(warehouse_mb, 1),
        "baseline": {"regex_articles_per_second": round(regex_rate, 1),
                     "extraction_articles_per_second": round(extract_rate, 1),
                     "extraction_share": round(extract_rate / regex_rate, 5),
                     "extraction_alone_articles": min(n, ALONE_SAMPLE),
                     "extraction_alone_articles_per_second": round(alone_rate, 1),
                     "extraction_alone_share": round(alone_rate / regex_rate, 5),
                     "number_scans_articles_per_second": round(scans_rate, 1),
                     "number_scans_share": round(scans_rate / regex_rate, 5)},
        "quantulum3": quantulum,
        "newsfigures_english": ours,
    }
    results["goals"] = goals(results)
    return results
