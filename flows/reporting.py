"""What a run shows in the Prefect UI: the gate's verdict and the estimates, as artifacts."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact

from flows.warehouse.connection import connect
from flows.warehouse.publish import RunRecord

TABLE_LIMIT = 500   # rows in a table artifact; the warehouse has them all


def verdict_markdown(run: RunRecord) -> str:
    c = run.counts
    lines = [
        f"# Gate verdict: **{run.gate_verdict.upper()}**",
        "",
        f"Run `{run.run_id}` over `{run.source}` (extractor {run.extraction_key}).",
        "",
        "| step | count |",
        "| --- | ---: |",
        f"| items read | {c.get('items_read', 0)} |",
        f"| new articles | {c.get('loaded', 0)} |",
        f"| duplicates | {c.get('duplicate', 0)} |",
        f"| unchanged | {c.get('unchanged', 0)} |",
        f"| rejected | {c.get('rejected', 0)} |",
        f"| articles extracted | {c.get('articles_extracted', 0)} |",
        f"| figures extracted | {c.get('figures_extracted', 0)} |",
        f"| figures loaded | {c.get('figures_loaded', 0)} |",
        f"| figures quarantined | {c.get('figures_quarantined', 0)} |",
    ]
    if run.gate_reason:
        lines += ["", f"**Why:** {run.gate_reason}"]
    return "\n".join(lines)


def _records(frame: pl.DataFrame) -> list[dict]:
    return [{k: (None if v is None else str(v)) for k, v in row.items()} for row in frame.head(TABLE_LIMIT).iter_rows(named=True)]


def _chart(con, run: RunRecord, report_dir: str | None):
    """Drawn again only when the run changed figures, or when there is none yet."""
    # imported here: matplotlib costs ~45 MB in every extraction worker, which imports this
    # flow's modules but never draws
    from flows.charts.estimates import Report, write_report

    if not report_dir:
        return None
    folder = Path(report_dir)
    if run.counts.get("articles_extracted", 0) == 0 and (folder / "estimates.html").exists():
        return Report(folder / "estimates.png", folder / "estimates.html", run.counts.get("figures_loaded", 0))
    return write_report(con, folder)


def publish_artifacts(warehouse: str, run: RunRecord, new_figures: pl.DataFrame, report_dir: str | None) -> None:
    create_markdown_artifact(key="gate-verdict", markdown=verdict_markdown(run),
                             description=f"Data-quality gate: {run.gate_verdict}")
    shown = new_figures.select(
        [c for c in ("metric", "value_low", "value_high", "qualifier", "claimant", "as_of_date",
                     "as_of_precision", "quote", "dq_reasons") if c in new_figures.columns])
    create_table_artifact(key="new-figures", table=_records(shown),
                          description=("Figures new in this run" if run.gate_verdict == "passed"
                                       else "Figures that failed their contracts"))
    if run.gate_verdict == "passed":
        with connect(Path(warehouse), read_only=True) as con:
            latest = con.execute("select * from marts.latest_estimates").pl()
            chart = _chart(con, run, report_dir)
        create_table_artifact(key="latest-estimates", table=_records(latest),
                              description="Latest estimate per metric and claimant")
        if chart is not None:
            create_link_artifact(key="estimates-chart", link=chart.html.resolve().as_uri(),
                                 link_text="Estimate ranges over time (HTML, offline)",
                                 description=f"Chart of the estimates; PNG beside it: {chart.png}")
