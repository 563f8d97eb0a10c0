"""The refresh flow on Prefect's real engine (prefect_test_harness) and a real DuckDB file."""

from pathlib import Path

import duckdb
import pytest
from prefect.client.orchestration import get_client

from flows.evaluate import evaluate, read_gold
from flows.quality.gate import GateFailed
from flows.refresh import refresh
from flows.warehouse.queries import figures_for_evaluation

from helpers import query, snapshot

pytestmark = pytest.mark.usefixtures("prefect_harness")
GOLD = Path(__file__).resolve().parents[3] / "shared" / "gold" / "seed_figures.csv"


def run_artifacts(run_id: str) -> dict[str, dict]:
    """The artifacts the Prefect API holds for a flow run, by key."""
    with get_client(sync_client=True) as client:
        response = client.request("POST", "/artifacts/filter", json={
            "artifacts": {"flow_run_id": {"any_": [run_id]}}, "flow_runs": {}, "task_runs": {},
            "limit": 50, "offset": 0, "sort": "CREATED_DESC"})
    return {a["key"]: a for a in response.json()}


def run(source: Path, warehouse: Path, **options):
    return refresh(sources=[str(source)], warehouse=str(warehouse), **options)


def test_end_to_end_on_the_seeds(seed_folder, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    summary = run(seed_folder, warehouse)

    assert (summary.items_read, summary.articles_loaded, summary.articles_rejected) == (5, 5, 0)
    assert summary.figures_loaded >= 21 and summary.figures_quarantined == 0
    assert set(summary.marts) == {"marts.claims", "marts.estimate_ranges", "marts.estimate_timeline",
                                  "marts.latest_estimates"}
    assert query(warehouse, "select count(*) from raw.articles") == [(5,)]
    assert query(warehouse, "select count(*) from core.figures") == [(summary.figures_loaded,)]
    assert query(warehouse, "select gate_verdict, items_read from audit.runs") == [("passed", 5)]
    assert query(warehouse, "select outcome, count(*) from audit.items group by 1") == [("loaded", 5)]
    killed = query(warehouse, "select low, high from marts.estimate_ranges "
                              "where metric = 'killed' and source_kind = 'claimant' and source = 'kr_nis'")
    assert killed == [(270, None)]

    artifacts = run_artifacts(summary.run_id)
    assert {"gate-verdict", "latest-estimates", "new-figures"} <= set(artifacts)
    assert "PASSED" in artifacts["gate-verdict"]["data"]

    if GOLD.exists():
        predicted, languages = figures_for_evaluation(warehouse)
        assert evaluate(predicted, read_gold(GOLD), languages).overall.f1 >= 0.95


def test_rerun_is_idempotent(seed_folder, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    run(seed_folder, warehouse)
    first = snapshot(warehouse)
    second_summary = run(seed_folder, warehouse)
    assert snapshot(warehouse) == first
    assert (second_summary.articles_unchanged, second_summary.articles_extracted) == (5, 0)
    # the audit trail is the one thing that grows: a row per run, a row per item seen
    assert query(warehouse, "select count(*) from audit.runs") == [(2,)]
    assert query(warehouse, "select outcome, count(*) from audit.items group by 1 order by 1") == [
        ("loaded", 5), ("unchanged", 5)]


def test_a_run_with_nothing_new_leaves_the_marts_and_file_state_be(seed_folder, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    run(seed_folder, warehouse)
    files = query(warehouse, "select path, size, mtime_ns from raw.file_state order by path")
    assert len(files) == 6                                  # five articles and the manifest
    # a sentinel row shows whether a run rebuilt the mart: nothing new, nothing rebuilt
    with duckdb.connect(str(warehouse)) as con:
        con.execute("insert into marts.claims (metric) values ('sentinel')")
    run(seed_folder, warehouse)
    assert query(warehouse, "select count(*) from marts.claims where metric = 'sentinel'") == [(1,)]
    assert query(warehouse, "select path, size, mtime_ns from raw.file_state order by path") == files

    (seed_folder / "005_new.txt").write_text("Officials said about 300 soldiers were wounded.", encoding="utf-8")
    run(seed_folder, warehouse)
    assert query(warehouse, "select count(*) from marts.claims where metric = 'sentinel'") == [(0,)]
    assert len(query(warehouse, "select path from raw.file_state")) == 7


def test_a_new_article_is_the_only_one_extracted(seed_folder, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    run(seed_folder, warehouse)
    (seed_folder / "005_new.txt").write_text(
        "South Korea's spy agency said on Tuesday that about 2,000 more North Korean troops had arrived.",
        encoding="utf-8")
    summary = run(seed_folder, warehouse)
    assert (summary.articles_loaded, summary.articles_unchanged, summary.articles_extracted) == (1, 5, 1)
    assert query(warehouse, "select articles_extracted from audit.runs order by started_at") == [(5,), (1,)]
    assert query(warehouse, "select claimant, value_low from core.figures f join raw.articles a using (article_id) "
                            "where a.source_uri like '%005_new.txt'") == [("kr_nis", 2000)]


BAD = ("In March 2025, South Korea's military said North Korea had sent about 3,000 more troops.", "2020-01-15")


def _bad_article(folder: Path, name: str) -> None:
    """A figure dated after its article's publication: the contract must catch it."""
    text, published = BAD
    (folder / name).write_text(text, encoding="utf-8")
    with (folder / "manifest.csv").open("a", encoding="utf-8") as manifest:
        manifest.write(f"{name},A misdated article,,,,{published},test,en\n")


def test_gate_quarantines_a_bad_figure_and_refuses_a_bad_run(seed_folder, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    _bad_article(seed_folder, "bad_1.txt")
    summary = run(seed_folder, warehouse)
    assert summary.figures_quarantined == 1
    (reasons,) = query(warehouse, "select dq_reasons from quarantine.figures")
    assert "as_of_not_after_publication" in reasons[0]
    assert query(warehouse, "select count(*) from core.figures where quote like '%3,000 more%'") == [(0,)]
    good_state = snapshot(warehouse, ("core", "marts"))

    # a second bad article, and no tolerance: the run is refused and nothing moves
    _bad_article(seed_folder, "bad_2.txt")
    (seed_folder / "bad_2.txt").write_text(BAD[0].replace("3,000", "4,000"), encoding="utf-8")
    with pytest.raises(GateFailed, match="failed their contracts"):
        run(seed_folder, warehouse, max_quarantine_share=0.0, min_gate_sample=0)
    assert snapshot(warehouse, ("core", "marts")) == good_state
    assert query(warehouse, "select gate_verdict from audit.runs order by started_at") == [("passed",), ("failed",)]
    (item,) = query(warehouse, "select outcome, reason from audit.items where source_uri like '%bad_2.txt'")
    assert item[0] == "rejected" and "refused by the gate" in item[1]

    # with the default tolerance the next run picks it up: one odd figure in a small run
    # is quarantined, not a reason to hold back the rest
    summary = run(seed_folder, warehouse)
    assert (summary.articles_loaded, summary.figures_quarantined) == (1, 1)
