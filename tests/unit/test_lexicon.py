"""Lexicons are checked when loaded; a mistake names the file and the key."""

from pathlib import Path

import pytest
import yaml

from flows.extract.lexicon import LEXICON_DIR, LexiconError, load_lexicon, load_lexicons


def test_every_shipped_lexicon_loads():
    lexicons = load_lexicons()
    assert {"en", "nl", "tl"} <= set(lexicons)
    for code, lex in lexicons.items():
        assert lex.language == code and lex.nouns and lex.events and lex.qualifiers_before


def _broken(tmp_path: Path, change) -> Path:
    data = yaml.safe_load((LEXICON_DIR / "en.yaml").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "en.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("change, message", [
    (lambda d: d["qualifiers"]["before"].update({"about": "roughly"}), "qualifiers.before.about"),
    (lambda d: d["claimants"]["aliases"].update({"cia": "cia_agency"}), "claimants.aliases.cia"),
    (lambda d: d["metrics"]["nouns"].update({"animals": {"horses": "horses"}}), "metrics.nouns.animals"),
    (lambda d: d["numbers"]["words"].update({"two": "deux"}), "numbers.words.two"),
    (lambda d: d["dates"]["months"].update({"smarch": 13}), "dates.months.smarch"),
    (lambda d: d.pop("claimants"), "claimants.aliases"),
    (lambda d: d.update(language="fr"), "file is named 'en'"),
])
def test_a_broken_lexicon_is_refused_with_file_and_key(tmp_path, change, message):
    with pytest.raises(LexiconError) as error:
        load_lexicon(_broken(tmp_path, change))
    assert "en.yaml" in str(error.value) and message in str(error.value)


def test_invalid_yaml_is_refused(tmp_path):
    path = tmp_path / "en.yaml"
    path.write_text("language: en\nnumbers: [unclosed\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="en.yaml: not valid YAML"):
        load_lexicon(path)
