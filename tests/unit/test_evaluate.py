from flows.evaluate import evaluate


def test_scores_distinct_keys_per_language():
    gold = [
        {"article": "a.txt", "metric": "killed", "low": "600", "high": "", "claimant": "kr", "as_of": "2025-11"},
        {"article": "a.txt", "metric": "wounded", "low": "2000", "high": "9999", "claimant": "", "as_of": "2025-11"},
        {"article": "b.txt", "metric": "troops_deployed", "low": "3000", "high": "3000", "claimant": "us|kr", "as_of": "2025"},
    ]
    predicted = [
        {"article": "a.txt", "metric": "killed", "value_low": 600, "value_high": None, "claimant": "kr", "as_of": "2025-11"},
        {"article": "a.txt", "metric": "killed", "value_low": 600, "value_high": None, "claimant": "kr", "as_of": "2025-11"},
        {"article": "b.txt", "metric": "troops_deployed", "value_low": 3000, "value_high": 3000, "claimant": "kr|us", "as_of": "2024"},
        {"article": "b.txt", "metric": "killed", "value_low": 5, "value_high": 5, "claimant": None, "as_of": None},
    ]
    result = evaluate(predicted, gold, {"a.txt": "tl", "b.txt": "en"})
    assert (result.overall.gold, result.overall.predicted, result.overall.matched) == (3, 3, 2)
    assert round(result.overall.f1, 4) == round(2 / 3, 4)
    assert result.by_language["tl"].recall == 0.5 and result.by_language["en"].precision == 0.5
    assert result.claimant_agreement == 1.0 and result.as_of_agreement == 0.5
    assert [m["metric"] for m in result.misses] == ["wounded"]
    assert [f["metric"] for f in result.false_hits] == ["killed"]
