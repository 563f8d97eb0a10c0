"""Contracts for audit.runs and audit.items."""

import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData

OUTCOMES = ["loaded", "duplicate", "unchanged", "rejected"]


class RunContract(pa.DataFrameModel):
    run_id: str = pa.Field(unique=True)
    items_read: pl.Int32 = pa.Field(ge=0)
    figures_loaded: pl.Int32 = pa.Field(ge=0)
    figures_quarantined: pl.Int32 = pa.Field(ge=0)
    gate_verdict: str = pa.Field(isin=["passed", "failed"])

    @pa.dataframe_check
    def items_add_up(cls, data: PolarsData) -> pl.LazyFrame:
        """Every item read has exactly one outcome."""
        outcomes = pl.sum_horizontal("articles_loaded", "articles_duplicate", "articles_unchanged", "articles_rejected")
        return data.lazyframe.select(outcomes == pl.col("items_read"))

    class Config:
        strict = False


class ItemContract(pa.DataFrameModel):
    run_id: str
    source_uri: str
    outcome: str = pa.Field(isin=OUTCOMES)

    @pa.dataframe_check
    def rejection_has_reason(cls, data: PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select((pl.col("outcome") != "rejected") | pl.col("reason").is_not_null())

    class Config:
        strict = False
