"""Numbers as each language writes them, and the numbers that are not figures."""

import pytest

from flows.extract.lexicon import load_lexicons
from flows.extract.numbers import find_numbers


def numbers(text: str, language: str):
    lex = load_lexicons()[language]
    return [(m.low, m.high, m.qualifier) for m in find_numbers(text, lex) if m.trap is None and not m.plain_year]


@pytest.mark.parametrize("language, text, expected", [
    ("en", "about 11,000 troops", [(11000, 11000, "approx")]),
    ("en", "1.5 million shells", [(1500000, 1500000, "exact")]),
    ("en", "three thousand soldiers", [(3000, 3000, "exact")]),
    ("en", "twenty-five hundred workers", [(2500, 2500, "exact")]),
    ("en", "between 10 and 12 thousand troops", [(10000, 12000, "range")]),
    ("en", "10,000-12,000 troops", [(10000, 12000, "range")]),
    ("en", "tens of thousands of workers", [(20000, 99999, "vague")]),
    ("en", "at least 600 killed", [(600, None, "at_least")]),
    ("en", "more than 2,700 injured", [(2700, None, "more_than")]),
    ("en", "up to 12,000 troops", [(None, 12000, "at_most")]),
    ("en", "fewer than 500 soldiers", [(None, 500, "less_than")]),
    ("en", "11,000 or more troops", [(11000, None, "at_least")]),
    ("nl", "ongeveer 11.000 soldaten", [(11000, 11000, "approx")]),
    ("nl", "1,5 miljoen granaten", [(1500000, 1500000, "exact")]),
    ("nl", "drieduizend soldaten", [(3000, 3000, "exact")]),
    ("nl", "tussen 10.000 en 12.000 soldaten", [(10000, 12000, "range")]),
    ("nl", "duizenden containers", [(2000, 9999, "vague")]),
    ("nl", "minstens 3.000 soldaten", [(3000, None, "at_least")]),
    ("tl", "mga 5,000 tropa", [(5000, 5000, "approx")]),
    ("tl", "dalawang libong sundalo", [(2000, 2000, "exact")]),
    ("tl", "libu-libong sundalo", [(2000, 9999, "vague")]),
    ("tl", "hindi bababa sa 600 sundalo", [(600, None, "at_least")]),
    ("tl", "mahigit 1,000 sundalo", [(1000, None, "more_than")]),
    ("tl", "mula 10,000 hanggang 12,000 sundalo", [(10000, 12000, "range")]),
])
def test_reads_numbers_as_written(language, text, expected):
    assert numbers(text, language) == expected


@pytest.mark.parametrize("language, text", [
    ("en", "the Hwasong-20 missile"),
    ("en", "a 170 mm gun"),
    ("en", "16 px"),
    ("en", "a 30% rise"),
    ("en", "$5 million in aid"),
    ("en", "for 30 days"),
    ("en", "the 93rd anniversary"),
    ("en", "id 97e97534-22cf-4d02"),
    ("en", "on June 4"),
    ("nl", "de 30 dagen durende wapenstilstand"),
    ("nl", "een 170 mm kanon"),
    ("tl", "ang ika-93 anibersaryo"),
    ("tl", "noong Abril 25"),
])
def test_traps_are_not_figures(language, text):
    assert numbers(text, language) == []


def test_a_bare_year_is_flagged():
    lex = load_lexicons()["en"]
    (mention,) = find_numbers("in 2019 the summit failed", lex)
    assert mention.plain_year
