"""Property-based tests of the number and range reader in every supported language:
no crash on any text, no negative value, low <= high, and a number written in the
language's own style reads back to the same value."""

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from flows.extract import extract_figures
from flows.extract.lexicon import load_lexicons
from flows.extract.numbers import find_numbers
from flows.bench.generate import CJK_SCALE, written   # a number as a journalist in that language writes it

LEXICONS = load_lexicons()
LANGUAGES = sorted(LEXICONS)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("language", LANGUAGES)
@SETTINGS
@given(n=st.integers(min_value=2, max_value=9_999_999))
def test_written_numbers_read_back(language, n):
    text = f"— {written(n, language)} —"
    values = [(m.low, m.high) for m in find_numbers(text, LEXICONS[language]) if m.trap is None]
    assert values == [(n, n)], (text, values)


@pytest.mark.parametrize("language", LANGUAGES)
@SETTINGS
@given(a=st.integers(min_value=1, max_value=999_999), width=st.integers(min_value=1, max_value=999_999))
def test_ranges_are_ordered(language, a, width):
    # "1～2万人" is 10,000 to 20,000: where only the second end carries 万/만, it scales both
    assume(not (language in CJK_SCALE and a < 10_000 <= a + width))
    text = f"{written(a, language)}-{written(a + width, language)}"
    for m in find_numbers(text, LEXICONS[language]):
        if m.form == "range":
            assert (m.low, m.high) == (a, a + width)


@pytest.mark.parametrize("language", LANGUAGES)
@SETTINGS
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_is_safe(language, text):
    for m in find_numbers(text, LEXICONS[language]):
        assert m.low is None or m.low >= 0
        assert m.high is None or m.high >= 0
        if m.low is not None and m.high is not None:
            assert m.low <= m.high
    for f in extract_figures(text, language):
        assert text[f.char_start:f.char_end] == f.quote
        assert f.value_low is not None or f.value_high is not None


@pytest.mark.parametrize("language", LANGUAGES)
@SETTINGS
@given(parts=st.lists(st.sampled_from(["12,000", "11.000", "3 000", "1.5", "2,5", "million", "mil", "тысяч", "만",
                                       "万", "-", "to", "bis", "~", "about", "at least", "troops", "soldiers", "killed",
                                       "2024", "%", "$", "mm", " ", "\u00a0", "\u202f", "."]), max_size=12))
def test_number_soup_is_safe(language, parts):
    text = " ".join(parts)
    for f in extract_figures(text, language):
        assert f.value_low is None or f.value_high is None or f.value_low <= f.value_high
        assert text[f.char_start:f.char_end] == f.quote
