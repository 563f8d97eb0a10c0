"""Where the project's data lives, relative to the repository (the package is installed editable)."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "seeds"
LEXICON_DIR = SEEDS_DIR / "lexicons"
VOCABULARY_FILE = SEEDS_DIR / "vocabulary.yaml"
DEFAULT_SOURCE = SEEDS_DIR / "articles"
SQL_DIR = ROOT / "sql"
DEFAULT_WAREHOUSE = ROOT / "warehouse" / "newsfigures.duckdb"


def lexicon_dir() -> Path:
    """The lexicons in use: NEWSFIGURES_LEXICONS points elsewhere to try a changed set."""
    return Path(os.environ.get("NEWSFIGURES_LEXICONS") or LEXICON_DIR)
