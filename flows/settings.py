"""Run settings: defaults, overridable by environment variables (NEWSFIGURES_*) and flags."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from flows.paths import DEFAULT_SOURCE, DEFAULT_WAREHOUSE


def _env(name: str, default, cast=str):
    value = os.environ.get(f"NEWSFIGURES_{name}")
    return default if value in (None, "") else cast(value)


@dataclass
class Settings:
    source: str = field(default_factory=lambda: _env("SOURCE", str(DEFAULT_SOURCE)))
    warehouse: str = field(default_factory=lambda: _env("WAREHOUSE", str(DEFAULT_WAREHOUSE)))
    # above this share of quarantined figures the run is refused: the extractor is broken
    max_quarantine_share: float = field(default_factory=lambda: _env("MAX_QUARANTINE_SHARE", 0.25, float))
    # ...judged only on runs with at least this many figures: in a run of three articles one
    # odd figure is noise for the quarantine, not a broken extractor
    min_gate_sample: int = field(default_factory=lambda: _env("MIN_GATE_SAMPLE", 20, int))
    lock_timeout: float = field(default_factory=lambda: _env("LOCK_TIMEOUT", 30.0, float))
    batch_size: int = field(default_factory=lambda: _env("BATCH_SIZE", 2000, int))
