"""The SQL models: marts remember the SQL they were built from, so an unchanged run can skip them."""

import shutil

import duckdb

from flows.paths import SQL_DIR
from flows.warehouse.models import apply_ddl, build_models, current_marts


def test_marts_are_current_until_their_sql_changes_or_one_goes_missing(tmp_path):
    sql = tmp_path / "sql"
    shutil.copytree(SQL_DIR, sql)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    apply_ddl(con, sql)
    assert current_marts(con, sql) is None                  # never built

    built = build_models(con, sql)
    assert current_marts(con, sql) == built and len(built) >= 4

    mart = sql / "marts" / "claims.sql"
    mart.write_text(mart.read_text(encoding="utf-8") + "\n-- reworded\n", encoding="utf-8")
    assert current_marts(con, sql) is None                  # its SQL changed
    build_models(con, sql)
    assert current_marts(con, sql) == built

    con.execute("drop table marts.claims")
    assert current_marts(con, sql) is None                  # a mart went missing
