"""The bare baseline: one compiled regex finding every run of digits in the same texts.
Extraction is reported as a share of its speed, a ratio that holds on a noisy machine.

Both are also timed alone, one after the other in this process on one core: inside the run
the extraction workers share two cores with the flow's reading, so their busy seconds
include waiting for a core, while the regex pass never competes with anything."""

from __future__ import annotations

import re
import time
from collections.abc import Sequence

from flows.extract.figures import extract_figures
from flows.extract.lexicon import load_lexicons
from flows.extract.numbers import scans

DIGITS = re.compile(r"\d+")
ALONE_SAMPLE = 5_000     # articles extracted alone: enough for every language, a few seconds


def regex_articles_per_second(texts: Sequence[str], repeat: int = 3) -> float:
    """Best of `repeat` passes, so a moment of contention does not flatter the ratio."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for text in texts:
            for _match in DIGITS.finditer(text):
                pass
        best = min(best, time.perf_counter() - started)
    return len(texts) / max(best, 1e-9)


def number_scans_articles_per_second(articles: Sequence[tuple[str, str]], repeat: int = 3) -> float:
    """The regex passes that only find the numbers (digits, number words, vague magnitudes)
    with no judgement at all, timed as the regex is: an extractor whose every step runs
    on Python's `re` cannot be faster than this."""
    lexicons = load_lexicons()
    passes = [(text, scans(lexicons[language])) for text, language in articles if language in lexicons]
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for text, patterns in passes:
            for pattern in patterns:
                for _match in pattern.finditer(text):
                    pass
        best = min(best, time.perf_counter() - started)
    return len(passes) / max(best, 1e-9)


def extraction_articles_per_second(articles: Sequence[tuple[str, str]], sample: int = ALONE_SAMPLE) -> float:
    """Extraction of (text, language) pairs on one core with nothing else running: the
    first `sample` (the generated corpus cycles through its languages)."""
    lexicons = load_lexicons()
    chosen = articles[:sample]
    for text, language in chosen[:50]:          # warm: the lexicons' regexes compile on first use
        extract_figures(text, language, None, lexicons)
    started = time.perf_counter()
    for text, language in chosen:
        extract_figures(text, language, None, lexicons)
    return len(chosen) / max(time.perf_counter() - started, 1e-9)
