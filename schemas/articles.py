"""Contract for raw.articles."""

import polars as pl
import pandera.polars as pa
from pandera.api.polars.types import PolarsData


class ArticleContract(pa.DataFrameModel):
    article_id: str = pa.Field(unique=True, str_length={"min_value": 8})
    source_uri: str = pa.Field(str_length={"min_value": 1})
    title: str = pa.Field(nullable=True)
    outlet: str = pa.Field(nullable=True)
    url: str = pa.Field(nullable=True)
    published_at: pl.Date = pa.Field(nullable=True)
    language: str = pa.Field(nullable=True, str_matches=r"^[a-z]{2,3}$")
    text: str = pa.Field(str_length={"min_value": 1})
    run_id: str

    @pa.dataframe_check
    def has_readable_text(cls, data: PolarsData) -> pl.LazyFrame:
        """At least one letter, and no NUL: control characters alone are no article."""
        text = pl.col("text")
        return data.lazyframe.select(text.str.contains(r"\p{L}") & ~text.str.contains("\x00", literal=True))

    @pa.dataframe_check
    def published_not_in_future(cls, data: PolarsData) -> pl.LazyFrame:
        """A publication date after today is a parsing error, not news from the future."""
        return data.lazyframe.select((pl.col("published_at") <= pl.lit(_today())).fill_null(True))

    class Config:
        strict = False


def _today():
    from datetime import date, timedelta

    return date.today() + timedelta(days=1)   # a day of slack for time zones
