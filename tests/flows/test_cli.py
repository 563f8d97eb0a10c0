"""The command line as scripts and CI use it: exit codes, messages, reports."""

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from flows.cli import main

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT.parent / "shared" / "gold" / "seed_figures.csv"


def test_run_prints_a_summary(prefect_harness, seed_folder, tmp_path, capsys):
    assert main(["run", "--source", str(seed_folder), "--warehouse", str(tmp_path / "w.duckdb")]) == 0
    out = capsys.readouterr().out
    assert "read 5 items: 5 new articles" in out and "0 quarantined" in out
    assert "built 4 marts" in out and str(tmp_path / "w.duckdb") in out


def test_run_on_a_missing_folder_fails_with_the_reason(tmp_path, capsys):
    assert main(["run", "--source", str(tmp_path / "nowhere"), "--warehouse", str(tmp_path / "w.duckdb")]) == 2
    assert "nowhere: no such file or folder" in capsys.readouterr().err


def test_run_refused_by_the_gate_exits_non_zero(prefect_harness, tmp_path, capsys):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("In May 2025, US officials said about 12,000 North Korean troops were sent.",
                                  encoding="utf-8")
    (folder / "manifest.csv").write_text("file,published_at,language\na.txt,2021-01-01,en\n", encoding="utf-8")
    code = main(["run", "--source", str(folder), "--warehouse", str(tmp_path / "w.duckdb"),
                 "--max-quarantine-share", "0", "--min-gate-sample", "0"])
    assert code == 1
    assert "the gate refused the run" in capsys.readouterr().err


def test_validate_passes_then_catches_a_tampered_row(seed_warehouse, tmp_path, capsys):
    copy = tmp_path / "w.duckdb"
    shutil.copy(seed_warehouse, copy)
    assert main(["validate", "--warehouse", str(copy)]) == 0
    assert re.search(r"^\d+ passed, 0 failed$", capsys.readouterr().out, re.M)

    con = duckdb.connect(str(copy))
    con.execute("update core.figures set value_low = value_high + 1 where qualifier = 'range'")
    con.execute("update core.figures set quote = 'edited' where metric = 'wounded'")
    con.close()
    assert main(["validate", "--warehouse", str(copy)]) == 1
    out = capsys.readouterr().out
    assert "FAIL  core.figures" in out and "quote_is_in_article" in out and "low_not_above_high" in out


def test_validate_without_a_warehouse(tmp_path, capsys):
    assert main(["validate", "--warehouse", str(tmp_path / "none.duckdb")]) == 2
    assert "no warehouse there yet" in capsys.readouterr().err


@pytest.mark.skipif(not GOLD.exists(), reason="shared/gold is not beside the checkout")
def test_evaluate_reports_json(seed_warehouse, capsys):
    assert main(["evaluate", "--gold", str(GOLD), "--warehouse", str(seed_warehouse), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["overall"]["f1"] >= 0.95
    assert set(report["by_language"]) == {"en", "nl", "tl"}


def test_readme_queries_run(seed_warehouse):
    """Every ```sql block in the README runs against the seed warehouse and returns rows."""
    blocks = re.findall(r"```sql\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 5
    con = duckdb.connect(str(seed_warehouse), read_only=True)
    try:
        for sql in blocks:
            assert con.execute(sql).fetchall(), f"no rows from:\n{sql}"
    finally:
        con.close()


def test_workers_report_to_the_ephemeral_server_of_the_run(tmp_path):
    """Without PREFECT_API_URL the run starts Prefect's ephemeral server; its extraction
    workers must use that one, not start one each (slow, and racing for the ports)."""
    import os
    import subprocess
    import sys
    import threading

    from flows.bench.generate import generate_corpus
    from flows.bench.memory import _children, _is_server

    generate_corpus(120, tmp_path / "articles")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.update(PREFECT_HOME=str(tmp_path / "prefect"), NEWSFIGURES_BATCH_SIZE="30", NEWSFIGURES_WORKERS="2")
    run = subprocess.Popen([sys.executable, "-m", "flows.cli", "run", "--source", str(tmp_path / "articles"),
                            "--warehouse", str(tmp_path / "w.duckdb")], cwd=ROOT, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    servers: set[int] = set()

    def watch():
        while run.poll() is None:
            todo = [run.pid]
            while todo:
                pid = todo.pop()
                servers.update([pid] if _is_server(pid) else [])
                todo += _children(pid)
            threading.Event().wait(0.2)

    watcher = threading.Thread(target=watch)
    watcher.start()
    out, err = run.communicate(timeout=300)
    watcher.join()
    assert run.returncode == 0, err[-4000:]
    assert "120 new articles" in out and "extracted 120 articles" in out
    assert len(servers) == 1, f"{len(servers)} Prefect servers for one run"


def test_a_run_whose_articles_hold_no_figure_passes_the_gate(prefect_harness, tmp_path, capsys):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Russian strikes hit Kharkiv; 17 people were wounded.", encoding="utf-8")
    (folder / "manifest.csv").write_text("file,published_at,language\na.txt,2025-01-01,en\n", encoding="utf-8")
    code = main(["run", "--source", str(folder), "--warehouse", str(tmp_path / "w.duckdb"),
                 "--max-quarantine-share", "0", "--min-gate-sample", "0"])
    assert code == 0, capsys.readouterr().err
