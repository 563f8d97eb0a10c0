"""The bare baseline: one compiled regex finding every run of digits in the same texts.
Extraction is reported as a share of its speed, a ratio that holds on a noisy machine."""

from __future__ import annotations

import re
import time
from collections.abc import Sequence

DIGITS = re.compile(r"\d+")


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
