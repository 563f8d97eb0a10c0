"""Settings: pyproject defaults < config file < environment < flags."""

from pathlib import Path

import pytest

from flows.paths import ROOT
from flows.settings import ConfigError, load_settings


def test_defaults_come_from_pyproject(monkeypatch):
    for name in ("SOURCE", "SOURCES", "WAREHOUSE", "SCHEDULE"):
        monkeypatch.delenv(f"NEWSFIGURES_{name}", raising=False)
    s = load_settings()
    assert s.sources == (str(ROOT / "seeds" / "articles"),)
    assert s.warehouse == str(ROOT / "warehouse" / "newsfigures.duckdb")
    assert s.schedule == "0 * * * *"


def test_precedence(tmp_path, monkeypatch):
    config = tmp_path / "site.toml"
    config.write_text('sources = ["inbox", "https://example.org/rss.xml"]\nwarehouse = "w.duckdb"\n'
                      'schedule = "*/5 * * * *"\nmax_quarantine_share = 0.1\n', encoding="utf-8")
    s = load_settings(config)
    assert s.sources == (str(tmp_path / "inbox"), "https://example.org/rss.xml")   # relative to the file
    assert (s.warehouse, s.schedule, s.max_quarantine_share) == (str(tmp_path / "w.duckdb"), "*/5 * * * *", 0.1)
    monkeypatch.setenv("NEWSFIGURES_SCHEDULE", "0 6 * * *")
    monkeypatch.setenv("NEWSFIGURES_MAX_QUARANTINE_SHARE", "0.3")
    s = load_settings(config, max_quarantine_share=0.5)
    assert (s.schedule, s.max_quarantine_share) == ("0 6 * * *", 0.5)


@pytest.mark.parametrize("text, message", [
    ("sourcess = ['x']\n", "unknown setting 'sourcess'"),
    ("max_quarantine_share = 'lots'\n", "max_quarantine_share = 'lots'"),
    ("sources = [\n", "cannot read the config file"),
])
def test_bad_config_is_named(tmp_path, text, message):
    config = tmp_path / "bad.toml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as error:
        load_settings(config)
    assert "bad.toml" in str(error.value)
