"""The same inputs give identical tables, across runs and across processes (each with its
own hash seed): ids are content hashes, ordering never decides a value."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from prefect.settings import get_current_settings

from flows.bench.generate import generate_corpus
from flows.refresh import refresh

from helpers import content

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.usefixtures("prefect_harness")


def test_same_input_same_tables_in_another_process(tmp_path):
    source = tmp_path / "articles"
    shutil.copytree(ROOT / "seeds" / "articles", source)
    generate_corpus(150, tmp_path / "generated")
    sources = [str(source), str(tmp_path / "generated")]

    here = tmp_path / "here.duckdb"
    refresh(sources=sources, warehouse=str(here))

    there = tmp_path / "there.duckdb"
    env = {**os.environ, "PREFECT_API_URL": str(get_current_settings().api.url), "PYTHONHASHSEED": "12345"}
    args = [sys.executable, "-m", "flows.cli", "run", "--warehouse", str(there)]
    for s in reversed(sources):            # named in the other order, too
        args += ["--source", s]
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]

    assert content(here) == content(there)
