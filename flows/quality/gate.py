"""Write-audit-publish's audit step.

A contract splits a frame into valid rows and failed rows carrying every reason
(`dq_reasons`). A schema-level failure (a missing column, a wrong type) means the pipeline
itself is broken: it raises, and the run fails without publishing.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandera.polars as pa
import polars as pl

from schemas.articles import ArticleContract
from schemas.figures import FigureContract


class SchemaViolation(RuntimeError):
    """The frame does not have the shape of the contract: nothing of it can be trusted."""


class GateFailed(RuntimeError):
    """The gate refused to publish this run."""


@dataclass
class Split:
    valid: pl.DataFrame
    failed: pl.DataFrame      # the same columns plus dq_reasons

    @property
    def failed_share(self) -> float:
        total = self.valid.height + self.failed.height
        return self.failed.height / total if total else 0.0


def _reason(row: dict) -> str:
    if row["schema_context"] == "Column":
        return f"{row['column']} failed {row['check']} (value {row['failure_case']!s:.60})"
    return f"failed {row['check']}"


def split_by_contract(frame: pl.DataFrame, contract: type[pa.DataFrameModel], keep: list[str]) -> Split:
    """Validate `frame` lazily (every failure collected) and split it; `keep` are the
    columns the result keeps (the rest only served the checks)."""
    frame = frame.with_row_index("_row")
    try:
        contract.validate(frame, lazy=True)
        return Split(frame.select(keep), frame.head(0).select(keep).with_columns(dq_reasons=pl.lit("", pl.Utf8)))
    except pa.errors.SchemaErrors as exc:
        failures = exc.failure_cases
    except pa.errors.SchemaError as exc:
        raise SchemaViolation(f"{contract.__name__}: {exc}") from exc
    schema_level = failures.filter(pl.col("index").is_null())
    if schema_level.height:
        problems = "; ".join(f"{r['column']}: {r['check']} ({r['failure_case']})" for r in schema_level.iter_rows(named=True))
        raise SchemaViolation(f"frame does not match {contract.__name__}: {problems}")
    reasons = (
        failures.with_columns(reason=pl.struct(failures.columns).map_elements(_reason, return_dtype=pl.Utf8))
        .group_by("index")
        .agg(pl.col("reason").unique().sort().str.join("; ").alias("dq_reasons"))
        .select(pl.col("index").cast(pl.UInt32).alias("_row"), "dq_reasons")
    )
    marked = frame.join(reasons, on="_row", how="left", maintain_order="left")
    return Split(
        marked.filter(pl.col("dq_reasons").is_null()).select(keep),
        marked.filter(pl.col("dq_reasons").is_not_null()).select([*keep, "dq_reasons"]),
    )


def gate_figures(figures: pl.DataFrame, articles: pl.DataFrame) -> Split:
    """figures: the staging frame; articles: article_id, text, published_at of their articles
    (for the quote and date checks)."""
    context = articles.select(
        "article_id", pl.col("text").alias("article_text"), pl.col("published_at").alias("article_published_at"))
    return split_by_contract(figures.join(context, on="article_id", how="left", maintain_order="left"), FigureContract, list(figures.columns))


def gate_articles(articles: pl.DataFrame) -> Split:
    return split_by_contract(articles, ArticleContract, list(articles.columns))
