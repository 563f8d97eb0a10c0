"""Extraction scored against hand-made gold figures.

A predicted figure matches a gold one when article (file name), metric, low and high agree;
precision, recall and F1 are over distinct (article, metric, low, high) keys, overall and per
language. On matched keys, claimant and as_of agreement are reported too.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

Key = tuple[str, str, int | None, int | None]


def _int(value) -> int | None:
    if value is None or value == "":
        return None
    return int(float(value))


def _claimant_set(value) -> frozenset[str]:
    return frozenset(v for v in (value or "").split("|") if v)


@dataclass
class Score:
    gold: int
    predicted: int
    matched: int

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0 if not self.gold else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {**asdict(self), "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class Evaluation:
    overall: Score
    by_language: dict[str, Score]
    misses: list[dict] = field(default_factory=list)
    false_hits: list[dict] = field(default_factory=list)
    claimant_agreement: float | None = None
    as_of_agreement: float | None = None

    def as_dict(self) -> dict:
        return {
            "overall": self.overall.as_dict(),
            "by_language": {k: v.as_dict() for k, v in sorted(self.by_language.items())},
            "claimant_agreement": self.claimant_agreement,
            "as_of_agreement": self.as_of_agreement,
            "misses": self.misses,
            "false_hits": self.false_hits,
        }

    def render(self) -> str:
        lines = ["scope      gold  pred  hit  precision  recall     F1"]
        rows = [("overall", self.overall), *sorted(self.by_language.items())]
        for name, s in rows:
            lines.append(f"{name:<9} {s.gold:>5} {s.predicted:>5} {s.matched:>4}  {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f}")
        if self.claimant_agreement is not None:
            lines.append(f"on matched figures: claimant right {self.claimant_agreement:.0%}, as_of right {self.as_of_agreement:.0%}")
        for title, rows_ in (("missed (in gold, not extracted)", self.misses), ("false hits (extracted, not in gold)", self.false_hits)):
            if rows_:
                lines.append(f"{title}:")
                lines += [f"  {r['article']}  {r['metric']} {r['low']}..{r['high']}  {r.get('quote') or ''}" for r in rows_]
        return "\n".join(lines)


def predict_folder(folder: Path) -> tuple[list[dict], dict[str, str]]:
    """Extract a folder of articles directly (no warehouse): rows as `evaluate` takes them."""
    from flows.extract import extract_figures
    from flows.extract.dates import format_as_of
    from flows.ingest.article import Article
    from flows.ingest.folder import read_folder

    predicted, languages = [], {}
    for item in read_folder(folder):
        if isinstance(item, Article):
            languages[item.name] = item.language
            for f in extract_figures(item.text, item.language, item.published_at):
                predicted.append({"article": item.name, **vars(f), "as_of": format_as_of(f.as_of_date, f.as_of_precision)})
    return predicted, languages


def read_corpus(root: Path) -> tuple[list[dict], list[dict], dict[str, str]]:
    """A test corpus: one folder per language under `root`, each with its articles,
    manifest.csv and gold.csv. Returns predicted rows, gold rows and languages."""
    predicted, gold, languages = [], [], {}
    for folder in sorted(p for p in root.iterdir() if (p / "gold.csv").is_file()):
        rows, langs = predict_folder(folder)
        predicted += rows
        languages.update(langs)
        gold += read_gold(folder / "gold.csv")
    if not gold:
        raise ValueError(f"{root}: no <language>/gold.csv folders here")
    return predicted, gold, languages


def read_gold(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    missing = {"article", "metric", "low", "high"} - set(rows[0] if rows else {})
    if rows and missing:
        raise ValueError(f"{path}: gold file lacks columns {sorted(missing)}")
    return rows


def evaluate(predicted: list[dict], gold: list[dict], languages: dict[str, str]) -> Evaluation:
    """predicted rows: article, metric, value_low, value_high, claimant, as_of, quote;
    languages: article file name -> language code."""
    gold_by_key: dict[Key, dict] = {}
    for g in gold:
        gold_by_key.setdefault((g["article"], g["metric"], _int(g["low"]), _int(g["high"])), g)
    pred_by_key: dict[Key, list[dict]] = defaultdict(list)
    for p in predicted:
        pred_by_key[(p["article"], p["metric"], _int(p["value_low"]), _int(p["value_high"]))].append(p)

    def lang(key: Key) -> str:
        return languages.get(key[0]) or gold_by_key.get(key, {}).get("language") or "unknown"

    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for key in gold_by_key:
        counts[lang(key)][0] += 1
    for key in pred_by_key:
        counts[lang(key)][1] += 1
    matched = set(gold_by_key) & set(pred_by_key)
    for key in matched:
        counts[lang(key)][2] += 1
    by_language = {k: Score(*v) for k, v in counts.items()}
    overall = Score(*(sum(v[i] for v in counts.values()) for i in range(3)))

    claimant_right = sum(
        any(_claimant_set(p.get("claimant")) == _claimant_set(gold_by_key[k].get("claimant")) for p in pred_by_key[k])
        for k in matched)
    as_of_right = sum(
        any((p.get("as_of") or "") == (gold_by_key[k].get("as_of") or "") for p in pred_by_key[k]) for k in matched)
    row = lambda k, extra: {"article": k[0], "metric": k[1], "low": k[2], "high": k[3], **extra}  # noqa: E731
    return Evaluation(
        overall=overall,
        by_language=by_language,
        misses=[row(k, {"quote": gold_by_key[k].get("quote")}) for k in sorted(set(gold_by_key) - matched, key=str)],
        false_hits=[row(k, {"quote": pred_by_key[k][0].get("quote")}) for k in sorted(set(pred_by_key) - matched, key=str)],
        claimant_agreement=round(claimant_right / len(matched), 4) if matched else None,
        as_of_agreement=round(as_of_right / len(matched), 4) if matched else None,
    )
