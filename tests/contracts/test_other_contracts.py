"""Articles, audit and marts contracts, each shown to catch its violation."""

from datetime import date, timedelta

import polars as pl
import pytest

from flows.quality.gate import split_by_contract
from schemas.articles import ArticleContract
from schemas.audit import ItemContract, RunContract
from schemas.marts import ClaimContract, EstimateRangeContract, TimelineContract


def article(**changes) -> dict:
    row = {"article_id": "0123456789abcdef", "source_uri": "a.txt", "title": "t", "outlet": None, "url": None,
           "published_at": date(2025, 1, 1), "language": "en", "text": "About 11,000 troops.", "run_id": "r"}
    return {**row, **changes}


@pytest.mark.parametrize("changes, reason", [
    ({"text": ""}, "text failed str_length"),
    ({"text": "\x00\x01 \x02"}, "failed has_readable_text"),
    ({"language": "English"}, "language failed str_matches"),
    ({"published_at": date.today() + timedelta(days=30)}, "published_not_in_future"),
    ({"article_id": "x"}, "article_id failed str_length"),
])
def test_article_contract(changes, reason):
    frame = pl.DataFrame([article(), article(**{"article_id": "fedcba9876543210", **changes})],
                         schema_overrides={"outlet": pl.Utf8, "url": pl.Utf8})
    result = split_by_contract(frame, ArticleContract, frame.columns)
    assert result.valid.height == 1 and reason in result.failed["dq_reasons"][0]


def test_run_counts_must_add_up():
    runs = pl.DataFrame({"run_id": ["a", "b"], "items_read": [3, 3], "articles_loaded": [3, 1],
                         "articles_duplicate": [0, 0], "articles_unchanged": [0, 0], "articles_rejected": [0, 0],
                         "figures_loaded": [1, 1], "figures_quarantined": [0, 0], "gate_verdict": ["passed", "passed"]},
                        schema_overrides={c: pl.Int32 for c in ("items_read", "figures_loaded", "figures_quarantined")})
    result = split_by_contract(runs, RunContract, runs.columns)
    assert result.failed["run_id"].to_list() == ["b"]


def test_rejections_need_a_reason():
    items = pl.DataFrame({"run_id": ["r", "r"], "source_uri": ["a", "b"], "outcome": ["rejected", "rejected"],
                          "reason": ["empty file", None]})
    result = split_by_contract(items, ItemContract, items.columns)
    assert result.failed["source_uri"].to_list() == ["b"]


def test_mart_contracts():
    ranges = pl.DataFrame({"metric": ["killed", "killed"], "source_kind": ["claimant", "claimant"], "source": ["kr", "us"],
                           "low": [10, 50], "high": [20, 40], "figures": [2, 1], "articles": [1, 1]})
    assert split_by_contract(ranges, EstimateRangeContract, ranges.columns).failed["source"].to_list() == ["us"]
    claims = pl.DataFrame({"claim_id": ["c1", "c2"], "metric": ["killed", "killed"], "articles": [2, 2], "reports": [2, 1]})
    assert split_by_contract(claims, ClaimContract, claims.columns).failed["claim_id"].to_list() == ["c2"]
    timeline = pl.DataFrame({"metric": ["killed", "killed"], "month": [date(2025, 1, 1), date(2025, 2, 1)],
                             "low": [1, 5], "high": [2, 4], "claimants": [1, 1]})
    assert split_by_contract(timeline, TimelineContract, timeline.columns).failed.height == 1
