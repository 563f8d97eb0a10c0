"""Prefect's share of a run: task runs grow with batches, not with articles (counted through
the Prefect API, as the benchmark counts them); and the quantulum3 side-by-side reads the
English articles it is given."""

import pytest

from flows.bench.corpus import read_articles, read_gold_values
from flows.bench.generate import generate_corpus
from flows.bench.quantulum import quantulum_side_by_side
from flows.bench.run import task_runs_of
from flows.deploy import flow_for
from flows.settings import load_settings


@pytest.mark.usefixtures("prefect_harness")
def test_task_runs_grow_with_batches_not_with_articles(tmp_path):
    refresh = flow_for(load_settings(workers=1))     # batches in the flow's process: the count is the same

    def task_runs(articles: int, batch_size: int) -> int:
        corpus = tmp_path / f"n{articles}-b{batch_size}"
        generate_corpus(articles, corpus)
        summary = refresh(sources=[str(corpus)], warehouse=str(corpus / "w.duckdb"), batch_size=batch_size,
                          report_dir=None)
        assert summary.articles_extracted == articles
        return task_runs_of(summary.run_id)["count"]

    two_small_batches, two_large_batches = task_runs(30, 15), task_runs(60, 30)
    four_batches = task_runs(60, 15)
    assert two_large_batches == two_small_batches          # twice the articles, the same batches
    assert four_batches == two_small_batches + 2 * 2       # two more batches: staged and extracted each


def test_quantulum_side_by_side_reads_only_the_english_articles(tmp_path):
    generate_corpus(45, tmp_path)                          # three articles in each of 15 languages
    articles, gold = read_articles(tmp_path), read_gold_values(tmp_path)
    english = [a.name for a in articles if a.language == "en"]
    result = quantulum_side_by_side(articles, gold)
    assert result["articles"] == len(english) == 3
    assert result["gold_figures"] == sum(len(gold[name]) for name in english)
    assert result["found"] <= result["gold_figures"] and result["recall"] >= 0.9   # plain digits: the easy part
    assert result["articles_per_second"] > 0
