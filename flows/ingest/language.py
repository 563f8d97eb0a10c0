"""Which supported language an article is in: lingua, restricted to the lexicons' languages
(fast to build and small, unlike a detector with every language loaded)."""

from __future__ import annotations

from functools import cache

from lingua import Language, LanguageDetectorBuilder

from flows.extract.lexicon import load_lexicons


@cache
def _detector():
    lexicons = load_lexicons()
    languages = {getattr(Language, lex.lingua): code for code, lex in lexicons.items()}
    if len(languages) == 1:
        return None, languages
    detector = LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()
    return detector, languages


def detect_language(text: str) -> str | None:
    """The ISO code of the most likely supported language, or None when none fits."""
    detector, languages = _detector()
    if detector is None:
        return next(iter(languages.values()))
    found = detector.detect_language_of(text[:3000])
    return languages.get(found) if found else None
