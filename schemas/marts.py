"""Contracts for the marts: consistent ranges, counts that add up, closed vocabularies."""

import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData

from schemas._vocabulary import METRICS


def _low_not_above_high(data: PolarsData) -> pl.LazyFrame:
    return data.lazyframe.select((pl.col("low") <= pl.col("high")).fill_null(True))


class EstimateRangeContract(pa.DataFrameModel):
    metric: str = pa.Field(isin=METRICS)
    source_kind: str = pa.Field(isin=["claimant", "outlet"])
    source: str
    figures: pl.Int64 = pa.Field(ge=1)
    articles: pl.Int64 = pa.Field(ge=1)

    @pa.dataframe_check
    def low_not_above_high(cls, data: PolarsData) -> pl.LazyFrame:
        return _low_not_above_high(data)

    @pa.dataframe_check
    def articles_not_above_figures(cls, data: PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("articles") <= pl.col("figures"))

    class Config:
        strict = False


class ClaimContract(pa.DataFrameModel):
    claim_id: str = pa.Field(unique=True)
    metric: str = pa.Field(isin=METRICS)
    articles: pl.Int64 = pa.Field(ge=1)
    reports: pl.Int64 = pa.Field(ge=1)

    @pa.dataframe_check
    def reports_cover_articles(cls, data: PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("reports") >= pl.col("articles"))

    class Config:
        strict = False


class TimelineContract(pa.DataFrameModel):
    metric: str = pa.Field(isin=METRICS)
    month: pl.Date
    claimants: pl.Int64 = pa.Field(ge=1)

    @pa.dataframe_check
    def low_not_above_high(cls, data: PolarsData) -> pl.LazyFrame:
        return _low_not_above_high(data)

    class Config:
        strict = False
