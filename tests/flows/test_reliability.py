"""Quarantine as a workflow, the CI report, and a second writer waiting for the lock."""

import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from flows.cli import main
from flows.paths import LEXICON_DIR
from flows.refresh import refresh
from flows.warehouse.connection import WarehouseLocked, connect

from helpers import query

pytestmark = pytest.mark.usefixtures("prefect_harness")


def test_a_lexicon_fix_releases_quarantined_figures(seed_folder, tmp_path, monkeypatch, capsys):
    lexicons = tmp_path / "lexicons"
    shutil.copytree(LEXICON_DIR, lexicons)
    tagalog = lexicons / "tl.yaml"
    good = tagalog.read_text(encoding="utf-8")
    # a lexicon mistake: "libu-libo" (thousands) entered as hundreds of millions
    broken = good.replace("    libu-libo*: 1000\n", "    libu-libo*: 100000000\n")
    broken = broken.replace("    libu-libong: 1000\n", "    libu-libong: 100000000\n")
    assert broken.count("100000000") >= 2
    tagalog.write_text(broken, encoding="utf-8")
    monkeypatch.setenv("NEWSFIGURES_LEXICONS", str(lexicons))
    warehouse = tmp_path / "w.duckdb"

    first = refresh(sources=[str(seed_folder)], warehouse=str(warehouse))
    assert first.figures_quarantined == 2
    assert main(["quarantine", "--warehouse", str(warehouse)]) == 0
    listed = capsys.readouterr().out
    assert "failed plausible_for_metric" in listed and "libu-libo" in listed and "2 figures in quarantine" in listed

    tagalog.write_text(good, encoding="utf-8")
    second = refresh(sources=[str(seed_folder)], warehouse=str(warehouse))
    assert (second.articles_extracted, second.figures_quarantined) == (5, 0)
    assert query(warehouse, "select count(*) from quarantine.figures") == [(0,)]
    assert query(warehouse, "select count(*) from core.figures where qualifier = 'vague' and language = 'tl'") == [(2,)]


def test_validate_writes_junit(seed_warehouse, tmp_path):
    report = tmp_path / "reports" / "contracts.xml"
    assert main(["validate", "--warehouse", str(seed_warehouse), "--junit", str(report)]) == 0
    suite = ET.parse(report).getroot()
    assert suite.tag == "testsuite" and suite.get("failures") == "0"
    names = {case.get("name") for case in suite.iter("testcase")}
    assert {"raw.articles", "core.figures", "marts.claims", "every claim traces back to figures"} <= names


def test_a_second_writer_waits_then_fails_clearly(seed_warehouse, tmp_path):
    copy = tmp_path / "w.duckdb"
    shutil.copy(seed_warehouse, copy)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); "
                               "time.sleep(60)", str(copy)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with pytest.raises(WarehouseLocked, match="in use by another process") as error:
            with connect(copy, lock_timeout=1.5):
                pass
        waited = time.monotonic() - started
        assert 1.4 <= waited < 10
        assert "--lock-timeout" in str(error.value)
    finally:
        holder.kill()
        holder.wait()
    with connect(copy, lock_timeout=5) as con:       # free again, and intact
        assert con.execute("select count(*) from core.figures").fetchone()[0] > 0


def test_a_publish_beyond_duckdbs_memory_limit_fails_clearly_and_loses_nothing(seed_folder, tmp_path, monkeypatch,
                                                                               capsys):
    warehouse = tmp_path / "w.duckdb"
    monkeypatch.setenv("NEWSFIGURES_DUCKDB_MEMORY_LIMIT", "1MB")
    assert main(["run", "--source", str(seed_folder), "--warehouse", str(warehouse)]) == 2
    said = capsys.readouterr().err
    assert f"publishing to {warehouse} needed more than the 1MB" in said and "duckdb_memory_limit" in said
    assert query(warehouse, "select count(*) from raw.articles") == [(0,)]

    monkeypatch.delenv("NEWSFIGURES_DUCKDB_MEMORY_LIMIT")
    assert refresh(sources=[str(seed_folder)], warehouse=str(warehouse)).articles_loaded == 5


def test_a_memory_limit_duckdb_cannot_read_is_refused_before_the_run(seed_folder, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEWSFIGURES_DUCKDB_MEMORY_LIMIT", "lots")
    assert main(["run", "--source", str(seed_folder), "--warehouse", str(tmp_path / "w.duckdb")]) == 2
    assert "duckdb_memory_limit = 'lots'" in capsys.readouterr().err
    assert not (tmp_path / "w.duckdb").exists()
