"""Contracts for figures: what may reach core.figures, and what quarantine.figures holds.

FigureContract validates a frame of figures joined with their article's `article_text` and
`article_published_at`, so a quote can be checked against the text it claims to come from.
"""

import polars as pl
import pandera.polars as pa
from pandera.api.polars.types import PolarsData

from schemas._vocabulary import CLAIMANTS, METRICS, MODALITIES, PRECISIONS, QUALIFIERS, SCOPES, VOCABULARY

_POINT = ("exact", "approx")
_LOWER_ONLY = ("at_least", "more_than")
_UPPER_ONLY = ("at_most", "less_than")
_SPAN = ("range", "vague")
_CLAIMANT_LIST = rf"^({'|'.join(CLAIMANTS)})(\|({'|'.join(CLAIMANTS)}))*$"


class FigureContract(pa.DataFrameModel):
    figure_id: str = pa.Field(unique=True)
    article_id: str
    metric: str = pa.Field(isin=METRICS)
    value_low: pl.Int64 = pa.Field(nullable=True, ge=0)
    value_high: pl.Int64 = pa.Field(nullable=True, ge=0)
    qualifier: str = pa.Field(isin=QUALIFIERS)
    scope: str = pa.Field(isin=SCOPES)
    modality: str = pa.Field(isin=MODALITIES)
    subject: str = pa.Field(str_length={"min_value": 1})
    claimant: str = pa.Field(nullable=True, str_matches=_CLAIMANT_LIST)
    claimant_text: str = pa.Field(nullable=True)
    as_of_date: pl.Date = pa.Field(nullable=True)
    as_of_precision: str = pa.Field(nullable=True, isin=PRECISIONS)
    quote: str = pa.Field(str_length={"min_value": 1})
    char_start: pl.Int64 = pa.Field(ge=0)
    char_end: pl.Int64 = pa.Field(ge=1)
    language: str
    extractor_version: str
    run_id: str

    @pa.dataframe_check
    def has_a_bound(cls, data: PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("value_low").is_not_null() | pl.col("value_high").is_not_null())

    @pa.dataframe_check
    def low_not_above_high(cls, data: PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select((pl.col("value_low") <= pl.col("value_high")).fill_null(True))

    @pa.dataframe_check
    def qualifier_fits_bounds(cls, data: PolarsData) -> pl.LazyFrame:
        low, high, q = pl.col("value_low").is_not_null(), pl.col("value_high").is_not_null(), pl.col("qualifier")
        return data.lazyframe.select(
            pl.when(q.is_in(_POINT)).then(low & high & (pl.col("value_low") == pl.col("value_high")))
            .when(q.is_in(_LOWER_ONLY)).then(low & ~high)
            .when(q.is_in(_UPPER_ONLY)).then(~low & high)
            .when(q.is_in(_SPAN)).then(low & high & (pl.col("value_low") < pl.col("value_high")))
            .otherwise(False)
        )

    @pa.dataframe_check
    def plausible_for_metric(cls, data: PolarsData) -> pl.LazyFrame:
        """Each metric has a plausible range (seeds/vocabulary.yaml): 5 million killed is a misread."""
        bounds = VOCABULARY.metrics
        low = pl.col("metric").replace_strict({m: b["min"] for m, b in bounds.items()}, default=None, return_dtype=pl.Int64)
        high = pl.col("metric").replace_strict({m: b["max"] for m, b in bounds.items()}, default=None, return_dtype=pl.Int64)
        value_max = pl.max_horizontal("value_low", "value_high")
        value_min = pl.coalesce("value_low", "value_high")
        return data.lazyframe.select(((value_max <= high) & (value_min >= low)).fill_null(False))

    @pa.dataframe_check
    def quote_span_is_ordered(cls, data: PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("char_end") > pl.col("char_start"))

    @pa.dataframe_check
    def quote_is_in_article(cls, data: PolarsData) -> pl.LazyFrame:
        """The quote is exactly the article's text at [char_start, char_end)."""
        start = pl.col("char_start").clip(lower_bound=0)
        length = (pl.col("char_end") - pl.col("char_start")).clip(lower_bound=0)
        sliced = pl.col("article_text").str.slice(start, length)
        return data.lazyframe.select((sliced == pl.col("quote")).fill_null(False))

    @pa.dataframe_check
    def as_of_not_after_publication(cls, data: PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select((pl.col("as_of_date") <= pl.col("article_published_at")).fill_null(True))

    @pa.dataframe_check
    def as_of_has_precision(cls, data: PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("as_of_date").is_null() == pl.col("as_of_precision").is_null())

    class Config:
        strict = False   # article_text and article_published_at ride along for the checks


class QuarantinedFigureContract(pa.DataFrameModel):
    """Quarantine keeps whatever failed; it only promises the row can be traced and fixed."""

    figure_id: str = pa.Field(unique=True)
    article_id: str
    dq_reasons: str = pa.Field(str_length={"min_value": 1})
    run_id: str

    class Config:
        strict = False
