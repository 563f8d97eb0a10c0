"""The SQL in sql/: DDL applied in order, staging models as views, marts as tables.
Each model file is one SELECT; the file name is the model name."""

from __future__ import annotations

from pathlib import Path

import duckdb

from flows.paths import SQL_DIR


def apply_ddl(con: duckdb.DuckDBPyConnection, sql_dir: Path = SQL_DIR) -> None:
    for path in sorted((sql_dir / "ddl").glob("*.sql")):
        con.execute(path.read_text(encoding="utf-8"))


def build_models(con: duckdb.DuckDBPyConnection, sql_dir: Path = SQL_DIR) -> list[str]:
    """Rebuild staging views, then marts tables; returns the marts built."""
    for path in sorted((sql_dir / "staging").glob("*.sql")):
        con.execute(f"create or replace view staging.{path.stem} as\n{path.read_text(encoding='utf-8')}")
    marts = []
    for path in sorted((sql_dir / "marts").glob("*.sql")):
        con.execute(f"create or replace table marts.{path.stem} as\n{path.read_text(encoding='utf-8')}")
        marts.append(f"marts.{path.stem}")
    return marts
