"""The DuckDB warehouse: connections, DDL, models and the publishing transaction. No prefect here."""
