"""The run's staging area: parts written per batch, removed after the run, and the folders
of runs that died cleared by the next run while a live run's folder is left alone."""

import subprocess
import sys

import polars as pl

from flows.warehouse.staging import Staging, remove_abandoned, staging_root


def test_parts_are_written_per_batch_and_removed_with_the_run(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    with Staging.open(warehouse, "run-1") as staging:
        assert staging.parts("figures") is None
        staging.write("figures", pl.DataFrame({"a": [1, 2]}))
        staging.write("figures", pl.DataFrame({"a": [3]}))
        staging.write("figures", pl.DataFrame({"a": []}, schema={"a": pl.Int64}))    # empty: no part
        assert staging.scan("figures", {}).collect()["a"].sort().to_list() == [1, 2, 3]
        assert len(list((staging.folder / "figures").glob("*.parquet"))) == 2
        assert staging.scan("items", {"x": pl.Utf8}).collect().height == 0
        folder = staging.folder
    assert not folder.exists()


def test_a_dead_runs_folder_is_cleared_and_a_live_runs_is_kept(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    root = staging_root(warehouse)
    dead = root / "killed-run"
    (dead / "articles").mkdir(parents=True)
    (dead / "articles" / "000000.parquet").write_bytes(b"partial")
    live = root / "running"
    live.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", f"""
import fcntl, sys, time
lock = open({str(live / '.lock')!r}, 'w'); fcntl.flock(lock, fcntl.LOCK_EX); print('held', flush=True)
sys.stdin.read()
"""], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with Staging.open(warehouse, "next-run") as staging:
            assert not dead.exists() and live.exists()
            assert remove_abandoned(root) == []          # its own folder is locked too
            assert staging.folder.exists()
    finally:
        holder.stdin.close()
        holder.wait()
    assert remove_abandoned(root) == [live]


def test_a_run_id_cannot_name_a_folder_outside_the_staging_area(tmp_path):
    with Staging.open(tmp_path / "w.duckdb", "../../escape") as staging:
        assert staging.folder.parent == staging_root(tmp_path / "w.duckdb")
