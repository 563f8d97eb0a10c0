"""Reading a whole warehouse back, for comparisons."""

from pathlib import Path

import duckdb

SCHEMAS = ("raw", "core", "quarantine", "marts")


def snapshot(path: Path, schemas=SCHEMAS) -> dict[str, list[tuple]]:
    """Every row of every table in `schemas`, sorted, so two warehouses can be compared."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema in ? and table_type = 'BASE TABLE' order by 1", [list(schemas)]).fetchall()
        return {t: sorted(con.execute(f"select * from {t}").fetchall(), key=repr) for (t,) in tables}
    finally:
        con.close()


def query(path: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


RUN_COLUMNS = {"run_id", "ingested_at"}


def content(path: Path, schemas=SCHEMAS) -> dict[str, list[tuple]]:
    """Like snapshot, without the columns that name the run that wrote a row: what two
    runs over the same input must agree on."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema in ? and table_type = 'BASE TABLE' order by 1", [list(schemas)]).fetchall()
        out = {}
        for (table,) in tables:
            schema, name = table.split(".")
            columns = [c for (c,) in con.execute(
                "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
                "order by ordinal_position", [schema, name]).fetchall() if c not in RUN_COLUMNS]
            rows = con.execute(f"select {', '.join(columns)} from {table}").fetchall()
            out[table] = sorted(rows, key=repr)
        return out
    finally:
        con.close()
