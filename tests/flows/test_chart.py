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


def test_crowded_panel_draws_a_sample_but_counts_every_report():
    from datetime import date, timedelta

    import polars as pl

    from flows.charts.estimates import POINTS_PER_PANEL, _window, draw

    n = 5 * POINTS_PER_PANEL + 7
    days = [date(2024, 1, 1) + timedelta(days=i % 700) for i in range(n)]
    frame = pl.DataFrame({
        "metric": ["killed"] * n, "claimant": ["ua_gov" if i % 3 else "us_officials" for i in range(n)],
        "as_of_date": days, "as_of_month": [d.replace(day=1) for d in days],
        "low": [100 + i for i in range(n)], "high": [200 + i for i in range(n)],
        "point_value": [150 + i for i in range(n)],
    }).sort("as_of_date")
    fig = draw(frame, "test")
    ax = fig.axes[0]
    drawn = sum(len(c.get_offsets()) for c in ax.collections if hasattr(c, "get_sizes") and len(c.get_sizes()))
    assert 0 < drawn <= POINTS_PER_PANEL
    assert "one report in 5 drawn" in ax.get_title(loc="left")
    shown, _ = _window(frame)           # the stray earliest 1% is left out of every panel
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert sum(int(label.rsplit("(", 1)[1].rstrip(")")) for label in labels) == shown.height > n // 2
