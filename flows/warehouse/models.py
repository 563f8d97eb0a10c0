"""The SQL in sql/: DDL applied in order, staging models as views, marts as tables.
Each model file is one SELECT; the file name is the model name. Each mart carries, as its
table comment, a key of the SQL it was built from, so a run that changed no data can tell
whether the marts are current without rebuilding them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from flows.paths import SQL_DIR


def apply_ddl(con: duckdb.DuckDBPyConnection, sql_dir: Path = SQL_DIR) -> None:
    for path in sorted((sql_dir / "ddl").glob("*.sql")):
        con.execute(path.read_text(encoding="utf-8"))


def _models(sql_dir: Path, layer: str) -> list[Path]:
    return sorted((sql_dir / layer).glob("*.sql"))


def models_key(sql_dir: Path = SQL_DIR) -> str:
    """Changes whenever a staging or mart model's SQL changes."""
    digest = hashlib.sha256()
    for path in _models(sql_dir, "staging") + _models(sql_dir, "marts"):
        digest.update(f"{path.parent.name}/{path.name}\0".encode() + path.read_bytes() + b"\0")
    return "models:" + digest.hexdigest()[:16]


def build_models(con: duckdb.DuckDBPyConnection, sql_dir: Path = SQL_DIR) -> list[str]:
    """Rebuild staging views, then marts tables; returns the marts built."""
    key = models_key(sql_dir)
    for path in _models(sql_dir, "staging"):
        con.execute(f"create or replace view staging.{path.stem} as\n{path.read_text(encoding='utf-8')}")
    marts = []
    for path in _models(sql_dir, "marts"):
        con.execute(f"create or replace table marts.{path.stem} as\n{path.read_text(encoding='utf-8')}")
        con.execute(f"comment on table marts.{path.stem} is '{key}'")
        marts.append(f"marts.{path.stem}")
    return marts


def current_marts(con: duckdb.DuckDBPyConnection, sql_dir: Path = SQL_DIR) -> list[str] | None:
    """The marts, when every one of them was built from today's SQL; None when any must be built."""
    built = dict(con.execute("select table_name, comment from duckdb_tables() where schema_name = 'marts'").fetchall())
    names = [path.stem for path in _models(sql_dir, "marts")]
    key = models_key(sql_dir)
    return [f"marts.{name}" for name in names] if all(built.get(name) == key for name in names) else None
