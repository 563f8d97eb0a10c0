"""Where the project's data lives, relative to the repository (the package is installed editable)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "seeds"
LEXICON_DIR = SEEDS_DIR / "lexicons"
VOCABULARY_FILE = SEEDS_DIR / "vocabulary.yaml"
DEFAULT_SOURCE = SEEDS_DIR / "articles"
SQL_DIR = ROOT / "sql"
DEFAULT_WAREHOUSE = ROOT / "warehouse" / "newsfigures.duckdb"
