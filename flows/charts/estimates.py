"""Estimate ranges over time: one panel per metric, one band per claimant (the range of its
estimates month by month), each report as a point with its low-high bar (in a crowded panel,
a regular sample of them). Written as a PNG and as a self-contained HTML page (the picture
inline, no script, works offline)."""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import matplotlib

matplotlib.use("Agg")   # no screen here: render to files
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import polars as pl  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogLocator  # noqa: E402

TOP_CLAIMANTS = 6         # per panel; the rest are drawn together as "other"
POINTS_PER_PANEL = 3_000  # beyond this a panel is a smear and slow to draw: every k-th report is
                          # drawn as a point, while bands and counts still use every report
METRIC_TITLES = {
    "troops_deployed": "Troops deployed", "workers_deployed": "Workers deployed", "killed": "Killed",
    "wounded": "Wounded", "casualties": "Casualties (killed and wounded)", "captured": "Captured",
    "equipment_supplied": "Equipment supplied",
}


@dataclass
class Report:
    png: Path
    html: Path
    figures: int


def _figures(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return con.execute("""
        select metric, claimant, as_of_date, as_of_month,
               coalesce(value_low, value_high) as low, coalesce(value_high, value_low) as high,
               point_value
        from staging.stg_figures
        where as_of_date is not null
        order by metric, as_of_date
    """).pl()


def _top(frame: pl.DataFrame) -> pl.DataFrame:
    ranked = frame.group_by("claimant").len().sort(["len", "claimant"], descending=[True, False])
    keep = set(ranked["claimant"].head(TOP_CLAIMANTS))
    return frame.with_columns(pl.when(pl.col("claimant").is_in(keep)).then("claimant").otherwise(pl.lit("other"))
                              .alias("claimant"))


def _latest_band(mine: pl.DataFrame) -> pl.DataFrame:
    """Month by month, the range of the claimant's latest estimates so far: the band holds
    until the claimant says something new."""
    monthly = mine.group_by("as_of_month").agg(pl.col("low").min(), pl.col("high").max()).sort("as_of_month")
    if monthly.height < 2:
        return monthly.rename({"as_of_month": "month"})
    months = pl.date_range(monthly["as_of_month"].min(), monthly["as_of_month"].max(), "1mo", eager=True)
    return (pl.DataFrame({"month": months})
            .join(monthly.rename({"as_of_month": "month"}), on="month", how="left")
            .with_columns(pl.col("low").forward_fill(), pl.col("high").forward_fill()))


def _thousands(value, _):
    return f"{value:,.0f}"


def _window(frame: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """The stretch of time that holds 98% of the reports: a stray old date ("in 2005")
    must not squeeze every recent report into a sliver. Returns the rows kept and the number
    left out."""
    if frame.height < 50:
        return frame, 0
    start = frame["as_of_date"].sort()[int(frame.height * 0.01)]
    kept = frame.filter(pl.col("as_of_date") >= start)
    return kept, frame.height - kept.height


def draw(frame: pl.DataFrame, title: str):
    frame, hidden = _window(frame)
    if hidden:
        title += f"; {hidden} earlier reports not shown"
    size, alpha = (18, 0.8) if frame.height < 300 else (8, 0.35)
    metrics = [m for m in METRIC_TITLES if m in set(frame["metric"])]
    rows = max(1, len(metrics))
    fig, axes = plt.subplots(rows, 1, figsize=(11, 3.2 * rows), squeeze=False, sharex=True)
    colours = plt.get_cmap("tab10")
    for ax, metric in zip(axes[:, 0], metrics):
        data = _top(frame.filter(pl.col("metric") == metric))
        every = -(-data.height // POINTS_PER_PANEL)
        claimants = sorted(set(data["claimant"]), key=lambda c: (c == "other", c))
        for i, claimant in enumerate(claimants):
            colour = colours(i % 10)
            mine = data.filter(pl.col("claimant") == claimant)
            band = _latest_band(mine)
            if claimant != "other" and band.height > 1:
                ax.fill_between(band["month"].to_list(), band["low"].to_list(), band["high"].to_list(),
                                color=colour, alpha=0.15, step="post", linewidth=0)
            shown = mine.gather_every(every)
            dates = shown["as_of_date"].to_list()
            ax.vlines(dates, shown["low"].to_list(), shown["high"].to_list(), color=colour, alpha=alpha * 0.6,
                      linewidth=2 if size > 10 else 1)
            ax.scatter(dates, shown["point_value"].to_list(), color=colour, s=size, alpha=alpha, zorder=3,
                       label=f"{claimant} ({mine.height})", linewidths=0)
        sampled = f" (one report in {every:,} drawn)" if every > 1 else ""
        ax.set_title(METRIC_TITLES[metric] + sampled, loc="left", fontsize=11, fontweight="bold")
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(FuncFormatter(_thousands))
        ax.yaxis.set_minor_locator(LogLocator(subs=(2.0, 5.0)))
        ax.yaxis.set_minor_formatter(FuncFormatter(_thousands))
        ax.tick_params(axis="y", which="minor", labelsize=7)
        ax.grid(True, which="major", alpha=0.3)
        legend = ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False, markerscale=1.5,
                           title="claimant (reports)", title_fontsize=8)
        for handle in legend.legend_handles:
            handle.set_alpha(1)
    axes[-1, 0].xaxis.set_major_formatter(mdates.ConciseDateFormatter(mdates.AutoDateLocator()))
    if not metrics:
        axes[0, 0].text(0.5, 0.5, "no figures yet", ha="center", va="center", transform=axes[0, 0].transAxes)
    fig.suptitle(title, x=0.01, ha="left", fontsize=13)
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.45 / (3.2 * rows)))
    return fig


def _latest_table(con: duckdb.DuckDBPyConnection) -> str:
    rows = con.execute("""
        select metric, claimant, value_low, value_high, qualifier, as_of_date, outlet
        from marts.latest_estimates order by metric, as_of_date desc nulls last, claimant
    """).fetchall()
    cells = "".join(
        "<tr>" + "".join(f"<td>{html.escape('' if v is None else f'{v:,}' if isinstance(v, int) else str(v))}</td>"
                         for v in row) + "</tr>" for row in rows)
    head = "".join(f"<th>{h}</th>" for h in ("metric", "claimant", "low", "high", "qualifier", "as of", "outlet"))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{cells}</tbody></table>"


def write_report(con: duckdb.DuckDBPyConnection, out_dir: Path) -> Report:
    frame = _figures(con)
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y-%m-%d %H:%M")
    fig = draw(frame, f"Reported estimates over time ({frame.height} figures, as of {stamp})")
    png = out_dir / "estimates.png"
    fig.savefig(png, dpi=110)
    plt.close(fig)
    # the page carries the picture itself (base64), so it works offline and stays light
    # however many points: an SVG of 30,000 points is slow to write and to open
    picture = base64.b64encode(png.read_bytes()).decode("ascii")
    page = out_dir / "estimates.html"
    page.write_text(f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>newsfigures: estimates over time</title>
<style>body{{font-family:sans-serif;margin:2em;color:#222}} img{{max-width:100%;height:auto}}
table{{border-collapse:collapse;font-size:.9em}} td,th{{border-bottom:1px solid #ddd;padding:.3em .8em;text-align:left}}
td:nth-child(3),td:nth-child(4){{text-align:right}}</style></head>
<body><h1>Reported estimates over time</h1>
<p>Each point is one report (its bar spans the low-high range it gives); each band spans a claimant's
estimates month by month. Generated {html.escape(stamp)} from the newsfigures warehouse.</p>
<img alt="Reported estimates over time, one panel per metric" src="data:image/png;base64,{picture}">
<h2>Latest estimate per metric and claimant</h2>
{_latest_table(con)}
</body></html>
""", encoding="utf-8")
    return Report(png, page, frame.height)
