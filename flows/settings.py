"""Run settings, from the lowest to the highest precedence: the defaults below, the
[tool.newsfigures] table of pyproject.toml, a config file (--config), environment variables
(NEWSFIGURES_*), command-line flags. Relative paths in a file are relative to that file."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from flows.paths import DEFAULT_SOURCE, DEFAULT_WAREHOUSE, ROOT
from flows.warehouse.connection import MEMORY_LIMIT


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Settings:
    sources: tuple[str, ...] = (str(DEFAULT_SOURCE),)
    warehouse: str = str(DEFAULT_WAREHOUSE)
    # above this share of quarantined figures the run is refused: the extractor is broken...
    max_quarantine_share: float = 0.25
    # ...judged only on runs with at least this many figures: in a run of three articles one
    # odd figure is noise for the quarantine, not a broken extractor
    min_gate_sample: int = 20
    lock_timeout: float = 30.0
    batch_size: int = 1000
    schedule: str = "0 * * * *"          # cron for `newsfigures serve`: hourly
    deployment: str = "newsfigures-refresh"
    workers: int | None = None           # extraction processes; unset: one per core; 1: in the flow's process
    dask_address: str | None = None      # extraction on a Dask cluster when set (workers is then the cluster's)
    report_dir: str = str(ROOT / "warehouse" / "reports")
    # what DuckDB may hold while a run publishes; past it, it spills to disk where it can and
    # otherwise fails the run with a message to raise this (a DuckDB size: "512MB", "2GB")
    duckdb_memory_limit: str = MEMORY_LIMIT
    extra: dict = field(default_factory=dict, compare=False)

    def flow_parameters(self) -> dict:
        """What the refresh flow takes, e.g. as a deployment's parameters."""
        return {"sources": list(self.sources), "warehouse": self.warehouse,
                "max_quarantine_share": self.max_quarantine_share, "min_gate_sample": self.min_gate_sample,
                "lock_timeout": self.lock_timeout, "batch_size": self.batch_size,
                "duckdb_memory_limit": self.duckdb_memory_limit}


_TYPES = {f.name: f.type for f in fields(Settings)}
_DUCKDB_SIZE = re.compile(r"\d+(\.\d+)?\s*([KMGT]i?B|B)", re.IGNORECASE)
_PATHS = {"warehouse", "report_dir"}


def _from_table(table: dict, base: Path, origin: str) -> dict:
    out = {}
    for key, value in table.items():
        key = key.replace("-", "_")
        if key not in _TYPES or key == "extra":
            raise ConfigError(f"{origin}: unknown setting {key!r}; known: {sorted(k for k in _TYPES if k != 'extra')}")
        if key == "sources":
            if isinstance(value, str):
                value = [value]
            value = tuple(_resolve(v, base) for v in value)
        elif key in _PATHS:
            value = str(_resolve(value, base))
        out[key] = value
    return out


def _resolve(value: str, base: Path) -> str:
    if "://" in value or Path(value).is_absolute():
        return value
    return str((base / value).resolve()) if not any(c in value for c in "*?[") else str(base / value)


def _read_toml(path: Path) -> dict:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the config file: {exc}") from exc
    return data.get("tool", {}).get("newsfigures", data) if "tool" in data else data


def _from_env() -> dict:
    out = {name: os.environ[f"NEWSFIGURES_{name.upper()}"] for name in _TYPES
           if name != "extra" and os.environ.get(f"NEWSFIGURES_{name.upper()}")}
    if os.environ.get("NEWSFIGURES_SOURCE"):           # one source; NEWSFIGURES_SOURCES takes several
        out["sources"] = os.environ["NEWSFIGURES_SOURCE"]
    return out


def _cast(values: dict, origin: str) -> dict:
    out = {}
    for key, value in values.items():
        kind = _TYPES[key]
        try:
            if key == "sources":
                out[key] = tuple(value.split(os.pathsep)) if isinstance(value, str) else tuple(value)
            elif "float" in str(kind):
                out[key] = float(value)
            elif "int" in str(kind):
                out[key] = int(value)
            else:
                out[key] = value if value is None else str(value)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{origin}: {key} = {value!r} is not a valid {kind}") from exc
    return out


def load_settings(config: Path | None = None, **overrides) -> Settings:
    settings = Settings()
    pyproject = ROOT / "pyproject.toml"
    if pyproject.exists():
        table = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("newsfigures", {})
        settings = replace(settings, **_cast(_from_table(table, ROOT, str(pyproject)), str(pyproject)))
    if config is not None:
        path = Path(config)
        settings = replace(settings, **_cast(_from_table(_read_toml(path), path.parent.resolve(), str(path)), str(path)))
    settings = replace(settings, **_cast(_from_env(), "environment"))
    given = {k: v for k, v in overrides.items() if v is not None and v != ()}
    settings = replace(settings, **_cast(given, "command line"))
    if not _DUCKDB_SIZE.fullmatch(settings.duckdb_memory_limit):
        raise ConfigError(f"duckdb_memory_limit = {settings.duckdb_memory_limit!r}: give a size DuckDB reads, "
                          "such as 512MB or 2GB")
    if settings.workers is not None and settings.workers < 1:
        raise ConfigError(f"workers = {settings.workers}: give at least 1 (1 extracts in the flow's own process)")
    return settings
