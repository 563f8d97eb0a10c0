"""Reading a generated corpus back: its articles' texts with their language, and its gold."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BenchArticle:
    name: str
    language: str
    text: str


def read_articles(folder: Path) -> list[BenchArticle]:
    with (folder / "manifest.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [BenchArticle(r["file"], r["language"], (folder / r["file"]).read_text(encoding="utf-8")) for r in rows]


def read_gold_values(folder: Path) -> dict[str, list[int]]:
    """The value of every gold figure, by article: low, or high when only an upper bound is stated."""
    values: dict[str, list[int]] = {}
    with (folder / "gold.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            values.setdefault(row["article"], []).append(int(row["low"] or row["high"]))
    return values
