"""Number forms of the other supported languages, in short phrases written for these tests."""

from datetime import date

import pytest

from flows.extract import extract_figures
from flows.extract.dates import find_dates, format_as_of
from flows.extract.lexicon import load_lexicons
from flows.extract.numbers import find_numbers


def numbers(text: str, language: str):
    lex = load_lexicons()[language]
    return [(m.low, m.high, m.qualifier) for m in find_numbers(text, lex) if m.trap is None and not m.plain_year]


@pytest.mark.parametrize("language, text, expected", [
    ("it", "circa 15mila soldati", (15000, 15000, "approx")),
    ("it", "milioni di proiettili", (2000000, 9999999, "vague")),
    ("de", "rund 11.000 Soldaten", (11000, 11000, "approx")),
    ("de", "dreitausend Soldaten", (3000, 3000, "exact")),
    ("de", "zwischen 10.000 und 12.000 Soldaten", (10000, 12000, "range")),
    ("fr", "environ 11\u202f000 soldats", (11000, 11000, "approx")),
    ("fr", "de 10 000 à 12 000 soldats", (10000, 12000, "range")),
    ("es", "entre 10 mil y 12 mil soldados", (10000, 12000, "range")),
    ("pt", "1,5 milhão de projéteis", (1500000, 1500000, "exact")),
    ("id", "sekitar 3,5 ribu tentara", (3500, 3500, "approx")),
    ("pl", "ok. 12 tys. żołnierzy", (12000, 12000, "approx")),
    ("ru", "от 10 до 12 тысяч военных", (10000, 12000, "range")),
    ("ru", "более 3,5 тысяч военных", (3500, None, "more_than")),
    ("uk", "п'ять тисяч військових", (5000, 5000, "exact")),
    ("ko", "병력 1만2000명", (12000, 12000, "exact")),
    ("ko", "5000여 명", (5000, None, "more_than")),
    ("ko", "1만~1만2000명", (10000, 12000, "range")),
    ("ja", "約1.1万人の兵士", (11000, 11000, "approx")),
    ("zh", "800多万发炮弹", (8000000, None, "more_than")),
    ("zh", "一万二千名士兵", (12000, 12000, "exact")),
])
def test_number_forms(language, text, expected):
    assert expected in numbers(text, language)


@pytest.mark.parametrize("language, text", [
    ("ko", "하지만 백악관은 말했다"),     # 만 and 백 inside ordinary words
    ("ko", "화성-20형 미사일"),
    ("zh", "火星-20导弹"),
    ("de", "am 18. Oktober"),
    ("ru", "калибра 152 мм"),
])
def test_not_numbers(language, text):
    assert numbers(text, language) == []


@pytest.mark.parametrize("language, text, published, expected", [
    ("ko", "국정원은 13일 밝혔다", date(2025, 11, 20), "2025-11-13"),
    ("ko", "국정원은 25일 밝혔다", date(2025, 11, 20), "2025-10-25"),     # a day still to come is last month's
    ("ko", "지난해 8월", date(2025, 3, 1), "2024-08"),
    ("en", "in March last year", date(2025, 6, 1), "2024-03"),
    ("id", "pada Jumat (18/10/2024)", date(2024, 10, 20), "2024-10-18"),
    ("en", "on 2024-10-18", date(2024, 10, 20), "2024-10-18"),
])
def test_dates(language, text, published, expected):
    (found,) = find_dates(text, load_lexicons()[language], published)
    assert format_as_of(found.value, found.precision) == expected


def test_since_after_the_date_is_not_the_figure_date():
    (found,) = find_dates("9월부터", load_lexicons()["ko"], date(2025, 11, 20))
    assert found.since


@pytest.mark.parametrize("language, text", [
    ("ko", "러시아군 사상자는 하루 평균 1천여 명에 이른다"),
    ("ko", "북한은 병력 1만 명을 보냈다는 주장을 전면 부인했다"),
    ("uk", "Київ заявив, що загинули 1200 російських військових"),
])
def test_out_of_scope_or_denied(language, text):
    assert extract_figures(text, language, date(2025, 3, 1)) == []


def test_a_casualty_word_before_the_next_number_is_that_numbers():
    text = "з 11 000 північнокорейських військових загинули щонайменше 300"
    got = {(f.metric, f.value_low) for f in extract_figures(text, "uk", date(2025, 3, 1))}
    assert got == {("troops_deployed", 11000), ("killed", 300)}
