"""Figures of many articles as one polars frame, with stable ids: the staging table."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date

import polars as pl

from flows.extract.figures import EXTRACTOR_VERSION, extract_figures
from flows.extract.lexicon import load_lexicons

FIGURE_SCHEMA = {
    "figure_id": pl.Utf8, "article_id": pl.Utf8, "metric": pl.Utf8,
    "value_low": pl.Int64, "value_high": pl.Int64, "qualifier": pl.Utf8, "scope": pl.Utf8,
    "modality": pl.Utf8, "subject": pl.Utf8, "claimant": pl.Utf8, "claimant_text": pl.Utf8,
    "as_of_date": pl.Date, "as_of_precision": pl.Utf8, "quote": pl.Utf8,
    "char_start": pl.Int64, "char_end": pl.Int64, "language": pl.Utf8,
    "extractor_version": pl.Utf8, "run_id": pl.Utf8,
}


def figure_id(article_id: str, metric: str, low, high, qualifier: str, char_start: int) -> str:
    key = "|".join(map(str, (article_id, metric, low, high, qualifier, char_start)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def figures_frame(articles: Iterable[tuple[str, str, str | None, date | None]], run_id: str) -> pl.DataFrame:
    """articles: (article_id, text, language, published_at)."""
    lexicons = load_lexicons()
    rows = []
    for article_id, text, language, published in articles:
        for f in extract_figures(text, language, published, lexicons):
            row = {k: v for k, v in vars(f).items() if k in FIGURE_SCHEMA}
            row.update(
                figure_id=figure_id(article_id, f.metric, f.value_low, f.value_high, f.qualifier, f.char_start),
                article_id=article_id, extractor_version=EXTRACTOR_VERSION, run_id=run_id,
            )
            rows.append(row)
    return pl.DataFrame(rows, schema=FIGURE_SCHEMA)


def extraction_key() -> str:
    """Changes whenever the extractor or any lexicon or vocabulary does."""
    from flows.paths import VOCABULARY_FILE, lexicon_dir

    digest = hashlib.sha256(EXTRACTOR_VERSION.encode())
    for path in [VOCABULARY_FILE, *sorted(lexicon_dir().glob("*.yaml"))]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return f"{EXTRACTOR_VERSION}+{digest.hexdigest()[:12]}"
