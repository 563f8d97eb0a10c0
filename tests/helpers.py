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
