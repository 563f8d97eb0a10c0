"""quantulum3 side by side, on the English articles: how fast it reads them and how many of
the gold figures' numbers it finds (numbers only: units, metrics and qualifiers aside)."""

from __future__ import annotations

import time
import warnings
from collections.abc import Sequence

from flows.bench.corpus import BenchArticle


def quantulum_side_by_side(articles: Sequence[BenchArticle], gold: dict[str, list[int]], limit: int = 1000) -> dict:
    """A gold figure counts as found when quantulum3 reports a quantity of that value in its
    article. At most `limit` English articles: at about 15 articles/s more only adds minutes."""
    started = time.perf_counter()
    with warnings.catch_warnings():   # without the optional classifier extra it warns; it only picks units
        warnings.simplefilter("ignore")
        from quantulum3 import parser
        parser.parse("warm-up: 1 soldier")   # loads its unit tables (seconds), not counted below
    load_seconds = time.perf_counter() - started

    english = [a for a in articles if a.language == "en"][:limit]
    found = total = 0
    started = time.perf_counter()
    for article in english:
        values = {q.value for q in parser.parse(article.text)}
        expected = gold.get(article.name, [])
        total += len(expected)
        found += sum(1 for v in expected if float(v) in values)
    seconds = time.perf_counter() - started
    return {"articles": len(english), "seconds": round(seconds, 3),
            "articles_per_second": round(len(english) / max(seconds, 1e-9), 1),
            "load_seconds": round(load_seconds, 3), "gold_figures": total, "found": found,
            "recall": round(found / total, 4) if total else None}
