"""Each figure contract catches what it is for: a bad row goes to quarantine with its
reason, the good rows beside it pass; a frame of the wrong shape fails the run."""

from datetime import date

import polars as pl
import pytest

from flows.extract.frame import figures_frame
from flows.quality.gate import SchemaViolation, gate_figures

TEXT = "According to US officials, at least 600 North Korean soldiers were killed and about 11,000 troops were sent."
ARTICLES = pl.DataFrame({"article_id": ["a1"], "text": [TEXT], "published_at": [date(2025, 3, 1)]})


@pytest.fixture
def good() -> pl.DataFrame:
    frame = figures_frame([("a1", TEXT, "en", date(2025, 3, 1))], run_id="test")
    assert frame.height == 2
    return frame


def broken(frame: pl.DataFrame, **values) -> pl.DataFrame:
    """The first row with `values` replaced."""
    first = frame.head(1).with_columns(**{k: pl.lit(v, dtype=frame.schema[k]) for k, v in values.items()})
    return pl.concat([first, frame.slice(1)])


def test_good_figures_pass(good):
    result = gate_figures(good, ARTICLES)
    assert result.valid.height == 2 and result.failed.height == 0


@pytest.mark.parametrize("values, reason", [
    ({"metric": "horses_deployed"}, "metric failed isin"),
    ({"qualifier": "roughly"}, "qualifier failed isin"),
    ({"scope": "partial"}, "scope failed isin"),
    ({"modality": "rumoured"}, "modality failed isin"),
    ({"claimant": "us|cia"}, "claimant failed str_matches"),
    ({"value_low": -5}, "value_low failed greater_than_or_equal_to"),
    ({"value_low": None, "value_high": None}, "failed has_a_bound"),
    ({"qualifier": "range", "value_low": 900, "value_high": 700}, "failed low_not_above_high"),
    ({"qualifier": "exact"}, "failed qualifier_fits_bounds"),          # at_least 600 has no high: not exact
    ({"value_low": 90_000_000}, "failed plausible_for_metric"),
    ({"quote": "at least 700 North Korean soldiers"}, "failed quote_is_in_article"),
    ({"char_start": 3}, "failed quote_is_in_article"),
    ({"as_of_date": date(2025, 6, 1)}, "failed as_of_not_after_publication"),
    ({"as_of_precision": None}, "failed as_of_has_precision"),
    ({"char_end": 0}, "char_end failed greater_than_or_equal_to"),
])
def test_each_contract_quarantines_its_violation(good, values, reason):
    result = gate_figures(broken(good, **values), ARTICLES)
    assert result.valid.height == 1 and result.failed.height == 1
    assert reason in result.failed["dq_reasons"][0]


def test_duplicate_figure_ids_are_quarantined(good):
    result = gate_figures(pl.concat([good, good.head(1)]), ARTICLES)
    assert "figure_id failed field_uniqueness" in result.failed["dq_reasons"][0]


def test_a_row_keeps_every_reason(good):
    result = gate_figures(broken(good, metric="x", scope="y"), ARTICLES)
    reasons = result.failed["dq_reasons"][0]
    assert "metric failed" in reasons and "scope failed" in reasons


def test_a_missing_column_fails_the_run(good):
    with pytest.raises(SchemaViolation, match="metric"):
        gate_figures(good.drop("metric"), ARTICLES)


def test_a_wrong_type_fails_the_run(good):
    with pytest.raises(SchemaViolation, match="value_low"):
        gate_figures(good.with_columns(pl.col("value_low").cast(pl.Utf8)), ARTICLES)


def test_a_whole_army_or_russian_losses_read_as_a_deployment_are_quarantined():
    text = "North Korea's army of 1,200,000 troops is on alert, while Russia has lost 700,000 soldiers killed."
    frame = figures_frame([("a2", text, "en", date(2025, 3, 1))], run_id="test")
    articles = pl.DataFrame({"article_id": ["a2"], "text": [text], "published_at": [date(2025, 3, 1)]})
    result = gate_figures(frame, articles)
    assert result.valid.height == 0
    assert all("plausible_for_metric" in reasons for reasons in result.failed["dq_reasons"])
