"""The chart a person looks at: a PNG and a self-contained HTML page that works offline."""

import re
import shutil

import pytest
from PIL import Image

from flows.charts.estimates import write_report
from flows.warehouse.connection import connect


def test_report_is_self_contained(seed_warehouse, tmp_path):
    copy = tmp_path / "w.duckdb"
    shutil.copy(seed_warehouse, copy)
    with connect(copy, read_only=True) as con:
        report = write_report(con, tmp_path / "reports")
    page = report.html.read_text(encoding="utf-8")
    assert "data:image/png;base64," in page and "Latest estimate per metric and claimant" in page
    assert not re.search(r"<script|<link|src=\"http|href=\"http|@import", page)   # nothing fetched: works offline
    assert "<table>" in page and "kr_nis" in page
    width, height = Image.open(report.png).size
    assert width >= 1000 and height >= 1000
    assert report.figures >= 21


@pytest.mark.usefixtures("prefect_harness")
def test_report_command(seed_warehouse, tmp_path, capsys):
    from flows.cli import main

    assert main(["report", "--warehouse", str(seed_warehouse), "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "estimates.png").stat().st_size > 10_000
    assert "estimates.html" in capsys.readouterr().out
