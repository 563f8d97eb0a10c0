"""The hand-written multilingual test corpus (tests/corpus/<language>/): every supported
language reaches F1 >= 0.95 on its own sentences, and is detected as itself."""

from pathlib import Path

import pytest

from flows.evaluate import evaluate, predict_folder, read_gold
from flows.extract.lexicon import load_lexicons
from flows.ingest.folder import read_manifest
from flows.ingest.language import detect_language

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
LANGUAGES = sorted(p.name for p in CORPUS.iterdir() if (p / "gold.csv").is_file())


def test_every_supported_language_has_a_corpus():
    assert set(LANGUAGES) >= set(load_lexicons()) - {"en", "nl", "tl"}   # en, nl, tl: also the seeds
    assert len(LANGUAGES) >= 12


@pytest.mark.parametrize("language", LANGUAGES)
def test_language_reaches_f1(language):
    folder = CORPUS / language
    predicted, languages = predict_folder(folder)
    result = evaluate(predicted, read_gold(folder / "gold.csv"), languages)
    assert result.overall.gold >= 25, "a corpus needs enough figures to mean something"
    assert result.overall.f1 >= 0.95, result.render()


@pytest.mark.parametrize("language", LANGUAGES)
def test_language_is_detected(language):
    folder = CORPUS / language
    manifest, _ = read_manifest(folder)
    for path in sorted(folder.glob("*.txt")):
        assert detect_language(path.read_text(encoding="utf-8")) == language, path.name
        assert manifest.take(path.name)["language"] == language
