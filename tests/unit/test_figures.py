"""Sentences written for these tests, in each language, for every metric and qualifier,
plus the cases that must not become figures."""

from datetime import date

import pytest

from flows.extract import extract_figures
from flows.extract.dates import format_as_of

PUBLISHED = date(2025, 3, 20)


# the sentences below are read as the body of an article whose headline names North Korea
HEADLINE = {"en": "North Korea and Russia", "nl": "Noord-Korea en Rusland", "tl": "North Korea at Russia",
            "de": "Nordkorea und Russland", "fr": "La Corée du Nord et la Russie", "es": "Corea del Norte y Rusia",
            "it": "Corea del Nord e Russia", "pt": "Coreia do Norte e Rússia", "pl": "Korea Północna i Rosja",
            "ru": "КНДР и Россия", "uk": "КНДР і Росія", "id": "Korea Utara dan Rusia", "ja": "北朝鮮とロシア",
            "zh": "朝鲜与俄罗斯", "ko": "북한과 러시아"}


def extract(text: str, language: str, published: date | None = PUBLISHED):
    """Figures of `text` under a headline naming North Korea, offsets relative to `text`."""
    headline = HEADLINE.get(language, "North Korea") + "\n"
    found = extract_figures(headline + text, language, published)
    for f in found:
        f.char_start, f.char_end = f.char_start - len(headline), f.char_end - len(headline)
    return found


def figures(text: str, language: str, published: date = PUBLISHED):
    return [(f.metric, f.value_low, f.value_high, f.qualifier) for f in extract(text, language, published)]


@pytest.mark.parametrize("language, text, expected", [
    # English
    ("en", "North Korea sent 12,000 soldiers to the Kursk region.", ("troops_deployed", 12000, 12000, "exact")),
    ("en", "Pyongyang has dispatched about 15,000 workers to Russian building sites.", ("workers_deployed", 15000, 15000, "approx")),
    ("en", "At least 300 North Korean soldiers were killed in the fighting.", ("killed", 300, None, "at_least")),
    ("en", "More than 2,000 were wounded, officials said.", ("wounded", 2000, None, "more_than")),
    ("en", "The brigade suffered up to 1,000 casualties.", ("casualties", None, 1000, "at_most")),
    ("en", "Ukraine said its forces captured two North Korean soldiers.", ("captured", 2, 2, "exact")),
    ("en", "Fewer than 100 soldiers were taken prisoner.", ("captured", None, 100, "less_than")),
    ("en", "North Korea has shipped between 4 and 5 million artillery shells.", ("equipment_supplied", 4000000, 5000000, "range")),
    ("en", "Thousands of North Korean troops are now in Russia.", ("troops_deployed", 2000, 9999, "vague")),
    ("en", "Nearly 1,500 of them were killed or wounded.", ("casualties", 1500, 1500, "approx")),
    # Dutch
    ("nl", "Noord-Korea heeft 12.000 soldaten naar Rusland gestuurd.", ("troops_deployed", 12000, 12000, "exact")),
    ("nl", "Ongeveer 15.000 arbeiders werken inmiddels in Rusland.", ("workers_deployed", 15000, 15000, "approx")),
    ("nl", "Minstens 300 Noord-Koreaanse soldaten zijn gedood.", ("killed", 300, None, "at_least")),
    ("nl", "Meer dan 2.000 militairen raakten gewond.", ("wounded", 2000, None, "more_than")),
    ("nl", "De eenheid leed maximaal 1.000 slachtoffers.", ("casualties", None, 1000, "at_most")),
    ("nl", "Oekraïne heeft twee Noord-Koreaanse soldaten gevangen genomen.", ("captured", 2, 2, "exact")),
    ("nl", "Minder dan 100 soldaten werden krijgsgevangen gemaakt.", ("captured", None, 100, "less_than")),
    ("nl", "Pyongyang leverde tussen 4 en 5 miljoen granaten.", ("equipment_supplied", 4000000, 5000000, "range")),
    ("nl", "Duizenden Noord-Koreaanse troepen zijn in Rusland.", ("troops_deployed", 2000, 9999, "vague")),
    ("nl", "Bijna 1.500 soldaten werden gedood of gewond.", ("casualties", 1500, 1500, "approx")),
    # Tagalog
    ("tl", "Nagpadala ang North Korea ng 12,000 sundalo sa Russia.", ("troops_deployed", 12000, 12000, "exact")),
    ("tl", "Mga 15,000 manggagawa ang ipinadala sa Russia.", ("workers_deployed", 15000, 15000, "approx")),
    ("tl", "Hindi bababa sa 300 sundalo ng North Korea ang nasawi.", ("killed", 300, None, "at_least")),
    ("tl", "Mahigit 2,000 sundalo ang nasugatan.", ("wounded", 2000, None, "more_than")),
    ("tl", "Hanggang 1,000 ang kaswalti ng yunit.", ("casualties", None, 1000, "at_most")),
    ("tl", "Dalawang sundalo ng North Korea ang nabihag ng Ukraine.", ("captured", 2, 2, "exact")),
    ("tl", "Wala pang 100 sundalo ang nabihag.", ("captured", None, 100, "less_than")),
    ("tl", "Nagpadala rin ito ng mula 4 hanggang 5 milyong bala.", ("equipment_supplied", 4000000, 5000000, "range")),
    ("tl", "Libu-libong sundalo ng North Korea ang nasa Russia.", ("troops_deployed", 2000, 9999, "vague")),
    ("tl", "Halos 1,500 sundalo ang nasawi o nasugatan.", ("casualties", 1500, 1500, "approx")),
])
def test_every_metric_and_qualifier(language, text, expected):
    assert figures(text, language) == [expected]


@pytest.mark.parametrize("language, text", [
    ("en", "Pyongyang denied sending 10,000 troops."),
    ("en", "Kyiv said 1,200 Russian soldiers were killed."),
    ("en", "In 2024 the 155 mm shells cost $3 million, a 20% rise over 12 months."),
    ("en", "The Hwasong-19 flew for 86 minutes on 31 October."),
    ("nl", "Pyongyang ontkende 10.000 soldaten te hebben gestuurd."),
    ("nl", "Kiev meldde dat 1.200 Russische soldaten zijn gedood."),
    ("nl", "In 2024 kostten de 155 mm granaten $3 miljoen, 20 procent meer dan in 12 maanden."),
    ("tl", "Itinanggi ng Pyongyang na nagpadala ito ng 10,000 sundalo."),
    ("tl", "Ayon sa Kyiv, 1,200 sundalong Ruso ang nasawi."),
    ("tl", "Noong 2024, tumaas ng 20% ang presyo sa loob ng 12 buwan."),
])
def test_no_figure(language, text):
    assert figures(text, language) == []


@pytest.mark.parametrize("language, text", [
    ("en", "North Korea plans to send 6,000 military engineers."),
    ("nl", "Pyongyang is van plan nog 6.000 militairen te sturen."),
    ("tl", "Nagpaplano ang North Korea na magpadala ng 6,000 sundalo."),
])
def test_planned(language, text):
    (figure,) = extract(text, language, PUBLISHED)
    assert (figure.metric, figure.value_low, figure.modality) == ("troops_deployed", 6000, "planned")


@pytest.mark.parametrize("language, text, claimant, as_of", [
    ("en", "According to South Korea's National Intelligence Service, about 11,000 troops were deployed in October.",
     "kr_nis", "2024-10"),
    ("en", "US officials said on 4 March that 10,000 soldiers had arrived.", "us", "2025-03-04"),
    ("en", "A lawmaker briefed by the NIS said 3,000 more troops were sent last year.", "kr_nis", "2024"),
    ("en", "South Korea's Joint Chiefs of Staff gave new estimates in February. About 1,000 soldiers were killed.",
     "kr_jcs", "2025-02"),
    ("en", "Intelligence from the United States, South Korea and Ukraine indicated that 12,000 troops were sent.",
     "us|kr|ua", "2025-03"),
    ("nl", "Volgens de Zuid-Koreaanse inlichtingendienst zijn in januari 11.000 soldaten gestuurd.", "kr_nis", "2025-01"),
    ("nl", "CNN meldde dat vorig jaar 3.000 soldaten zijn vertrokken.", "cnn", "2024"),
    ("tl", "Ayon sa ahensiya ng intelihensiya ng South Korea, mga 5,000 sundalo ang ipinadala noong Enero.",
     "kr_nis", "2025-01"),
    ("tl", "Hindi bababa sa 600 sundalo ang nasawi, ayon sa South Korea.", "kr", "2025-03"),
])
def test_claimant_and_as_of(language, text, claimant, as_of):
    (figure,) = extract(text, language, PUBLISHED)
    assert figure.claimant == claimant
    assert format_as_of(figure.as_of_date, figure.as_of_precision) == as_of


def test_repeated_figure_counts_once_and_keeps_the_most_precise_date():
    text = "About 11,000 troops are in Russia.\nOn 4 March, officials said about 11,000 troops are in Russia."
    (figure,) = extract(text, "en", PUBLISHED)
    assert figure.quote == "About 11,000 troops"
    assert format_as_of(figure.as_of_date, figure.as_of_precision) == "2025-03-04"


def test_quote_is_the_text_at_its_offsets():
    text = "Officials said that at least 600 soldiers were killed."
    (figure,) = extract(text, "en", PUBLISHED)
    assert text[figure.char_start:figure.char_end] == figure.quote == "at least 600 soldiers were killed"


def test_without_publication_date_relative_dates_stay_unknown():
    (figure,) = extract("About 11,000 troops were sent last year.", "en", None)
    assert figure.as_of_date is None and figure.as_of_precision is None


def test_unsupported_language_gives_nothing():
    assert extract("About 11,000 troops.", "xx", PUBLISHED) == []


@pytest.mark.parametrize("language, text, expected", [
    ("en", "The North Korean death toll has topped 1,000, Ukraine said.", [("killed", 1000, None, "more_than")]),
    ("en", "Casualties exceeded 4,000 by March.", [("casualties", 4000, None, "more_than")]),
    ("en", "The shelling has killed more than 12,000 civilians since 2022.", []),
])
def test_event_right_before_the_number(language, text, expected):
    assert figures(text, language) == expected


@pytest.mark.parametrize("language, text", [
    # Russia or Ukraine as the subject counts its own army
    ("en", "Russia has lost more than 700,000 troops since the invasion began."),
    ("pt", "A Rússia já perdeu mais de 900 mil militares."),
    ("fr", "Selon Kiev, l'armée russe aurait perdu plus de 1 200 hommes."),
    ("nl", "Rusland zou zelf circa 60.000 manschappen hebben ingezet."),
    ("ko", "러시아는 쿠르스크에 5만 명 이상의 병력을 투입했다."),
    ("uk", "ЗСУ втратили понад 76 тисяч військових."),
    ("en", "Russia has lost over 900,000 soldiers killed and wounded."),
    # an age that ends a sentence is not an ordinal joining it to the next
    ("de", "Einer der Männer ist 20 Jahre alt, der andere 26. Beide seien verletzt."),
    ("pl", "Jeden z jeńców ma 19 lat, drugi 27. Obaj są ranni."),
    # one unit after two calibres
    ("it", "Sono arrivati proiettili da 122 e 152 millimetri."),
    ("nl", "Pyongyang leverde granaten van 122 en 152 millimeter."),
])
def test_other_armies_ages_and_calibres_are_not_figures(language, text):
    assert figures(text, language) == []


@pytest.mark.parametrize("language, text, expected", [
    ("en", "Russia has received about 11,000 troops from North Korea.", ("troops_deployed", 11000, 11000, "approx")),
    ("en", "Kyiv says 3,000 soldiers were killed or wounded.", ("casualties", 3000, 3000, "exact")),
    ("ko", "러시아는 북한군 1만1천 명을 쿠르스크에 투입했다.", ("troops_deployed", 11000, 11000, "exact")),
    ("en", "Ukraine killed 300 North Korean soldiers in Kursk.", ("killed", 300, 300, "exact")),
    ("en", "Russia has received 1.5 million shells from North Korea.", ("equipment_supplied", 1500000, 1500000, "exact")),
    ("en", "North Korea shipped shells of 122 and 152 mm, and 11,000 troops.", ("troops_deployed", 11000, 11000, "exact")),
])
def test_a_foreign_subject_naming_north_korea_or_only_reporting_keeps_the_figure(language, text, expected):
    assert figures(text, language) == [expected]


def test_an_ordinal_day_before_its_month_does_not_end_the_sentence():
    (figure,) = extract("Am 18. Oktober meldete der Geheimdienst 1.500 Soldaten.", "de", PUBLISHED)
    assert format_as_of(figure.as_of_date, figure.as_of_precision) == "2024-10-18"


@pytest.mark.parametrize("language, text, as_of", [
    # PUBLISHED is Thursday 20 March 2025: a weekday is the last one up to that day
    ("en", "South Korea's spy agency said on Wednesday that about 3,000 troops had arrived.", "2025-03-19"),
    ("en", "About 3,000 troops had arrived, the agency said on Thursday.", "2025-03-20"),
    ("de", "Am Montag meldete Kiew, 300 nordkoreanische Soldaten seien getötet worden.", "2025-03-17"),
    ("es", "El martes, Seúl informó de que unos 3.000 soldados habían llegado.", "2025-03-18"),
    ("ko", "국정원은 화요일 북한군 3천 명이 추가로 파병됐다고 밝혔다.", "2025-03-18"),
    ("zh", "韩国国情院周五表示，约3000名朝鲜士兵已抵达。", "2025-03-14"),
    # the statement's weekday gives way to the figure's own date
    ("en", "The NIS said on Tuesday that 3,000 more troops were sent in February.", "2025-02"),
])
def test_a_weekday_dates_the_figure_back_from_publication(language, text, as_of):
    (figure,) = extract(text, language, PUBLISHED)
    assert format_as_of(figure.as_of_date, figure.as_of_precision) == as_of


@pytest.mark.parametrize("language, text, expected", [
    # a count that leaves out the noun the sentence (or the one before) just counted
    ("en", "About 15,000 workers arrived last year and another 35,000 are to be sent.",
     [("workers_deployed", 15000, 15000, "approx"), ("workers_deployed", 35000, 35000, "exact")]),
    ("pt", "Cerca de 15 mil operários chegaram em 2024, e outros 35 mil devem ser enviados.",
     [("workers_deployed", 15000, 15000, "approx"), ("workers_deployed", 35000, 35000, "exact")]),
    ("en", "North Korea has sent 11,000 troops. Another 3,000 are expected.",
     [("troops_deployed", 11000, 11000, "exact"), ("troops_deployed", 3000, 3000, "exact")]),
    ("en", "The war has lasted 1,000 days, and another 200 may follow.", []),
    # a multiplier alone counts when a counter follows it
    ("ja", "北朝鮮は工兵部隊およそ千人を派遣する準備を進めている。", [("troops_deployed", 1000, 1000, "approx")]),
    ("ko", "백악관은 무려 천 명의 북한군이 이미 파병됐다고 밝혔다.", [("troops_deployed", 1000, 1000, "exact")]),
    # civilians named before their count, where forces are too
    ("ko", "접경 지역에서는 최근 교전으로 민간인 30여 명이 숨졌다.", []),
    # a dozen-odd thousand has its own bounds
    ("pl", "Do Rosji trafiło kilkanaście tysięcy żołnierzy z Korei Północnej.", [("troops_deployed", 11000, 19999, "vague")]),
    ("id", "Belasan ribu pekerja Korea Utara dikirim ke Rusia.", [("workers_deployed", 11000, 19999, "vague")]),
])
def test_left_out_nouns_lone_multipliers_civilians_and_dozen_odd_thousands(language, text, expected):
    assert figures(text, language) == expected


def test_a_long_since_phrase_marks_a_start_not_the_figures_date():
    (figure,) = extract("Sinds het najaar van 2024 zijn 12.000 soldaten gestuurd.", "nl", PUBLISHED)
    assert format_as_of(figure.as_of_date, figure.as_of_precision) == "2025-03"


@pytest.mark.parametrize("language, text, expected", [
    # a list item's label and its number across a colon or a dash
    ("en", "Key figures:\nTroops sent: about 11,000\nKilled: at least 600",
     [("troops_deployed", 11000, 11000, "approx"), ("killed", 600, None, "at_least")]),
    ("es", "4.700: bajas norcoreanas (NIS)", [("casualties", 4700, 4700, "exact")]),
    ("ko", "억류 포로: 4명", [("captured", 4, 4, "exact")]),
    ("ru", "Снаряды — более 12 млн.", [("equipment_supplied", 12000000, None, "more_than")]),
    ("es", "Actualización 3: Corea del Norte envió tropas a Kursk.", []),     # numbering, not an item's number
    # a live blog's time stamp is not a count
    ("fr", "12 h 00 – Les prisonniers nord-coréens sont interrogés à Kiev.", []),
    # "captured two wounded soldiers" is a capture
    ("pt", "As forças ucranianas capturaram dois militares norte-coreanos feridos.", [("captured", 2, 2, "exact")]),
    ("de", "Kiew meldete die Festnahme von zwei verletzten Nordkoreanern.", [("captured", 2, 2, "exact")]),
    # another estimate of the count just made, with its noun left out
    ("en", "The Pentagon put the force at roughly 11,000 troops, a number Kyiv rounded up to 12k.",
     [("troops_deployed", 11000, 11000, "approx"), ("troops_deployed", 12000, 12000, "approx")]),
    ("en", "About 11,000 troops were sent, and they stayed until 2025.", [("troops_deployed", 11000, 11000, "approx")]),
    # spoken Sino-Korean numbers: 천여 명, 백이십 문
    ("ko", "북한은 지난달 천여 명을 더 보냈다.", [("troops_deployed", 1000, None, "more_than")]),
    ("ko", "240㎜ 방사포 백이십 문 정도가 전달됐다.", [("equipment_supplied", 120, 120, "approx")]),
])
def test_list_items_time_stamps_captured_wounded_and_restated_counts(language, text, expected):
    assert figures(text, language) == expected


def test_a_year_inside_a_model_name_is_not_a_date():
    (figure,) = extract("Korut mengirim 100 howitzer M1989 Koksan kaliber 170 mm.", "id", PUBLISHED)
    assert format_as_of(figure.as_of_date, figure.as_of_precision) == "2025-03"


def test_two_claimants_with_a_figure_between_them_are_two_claims():
    text = "미국 국방부는 북한군 1만2천 명이 파병됐다고 평가했고, 우크라이나 국방부 정보총국은 1만5천 명으로 추산했다."
    claimants = {f.value_low: f.claimant for f in extract(text, "ko", PUBLISHED)}
    assert "|" not in claimants[12000] and "|" not in claimants[15000]


def test_each_figure_takes_the_claimant_of_its_own_clause():
    text = ("The Pentagon put the figure at 12,000 troops, while Ukraine's military intelligence "
            "said 15,000 troops had arrived.")
    claimants = {f.value_low: f.claimant for f in extract(text, "en", PUBLISHED)}
    assert claimants == {12000: "us", 15000: "ua"}


@pytest.mark.parametrize("language, text, expected", [
    # a headline's count whose predicate follows a comma
    ("tl", "1,000 sundalo ng North Korea, patay sa Kursk", [("killed", 1000, 1000, "exact")]),
    ("tl", "Dalawang sundalong North Korean, nabihag ng Ukraine", [("captured", 2, 2, "exact")]),
    # not where the count has its own verb, nor where the event is the next number's
    ("en", "North Korea sent 12,000 troops, killed 300 of them in Kursk.",
     [("troops_deployed", 12000, 12000, "exact"), ("killed", 300, 300, "exact")]),
])
def test_a_casualty_predicate_after_a_comma(language, text, expected):
    assert figures(text, language) == expected


@pytest.mark.parametrize("language, text, expected", [
    ("es", "Llegaron mil quinientos soldados norcoreanos.", [("troops_deployed", 1500, 1500, "exact")]),
    ("fr", "Pyongyang enverra mille cinq cents soldats supplémentaires.", [("troops_deployed", 1500, 1500, "exact")]),
    ("it", "Sono arrivati mille cinquecento soldati nordcoreani.", [("troops_deployed", 1500, 1500, "exact")]),
    ("it", "Secondo gli 007 di Seul, la Russia ha ricevuto altri soldati.", []),
])
def test_a_spelled_out_thousand_goes_on_and_a_leading_zero_is_a_name(language, text, expected):
    assert figures(text, language) == expected


@pytest.mark.parametrize("language, text, expected", [
    # a number that could be a year is a count when qualified or followed by "more"
    ("de", "Nach Kiewer Zählung wurden seit Dezember mindestens 2000 Nordkoreaner getötet.",
     [("killed", 2000, None, "at_least")]),
    ("de", "Kim schickte 2000 weitere Soldaten.", [("troops_deployed", 2000, 2000, "exact")]),
    ("de", "Im Jahr 2024 wurden Soldaten geschickt.", []),
])
def test_a_count_that_looks_like_a_year(language, text, expected):
    assert figures(text, language) == expected


def test_a_count_that_looks_like_a_year_is_not_its_own_date():
    (figure,) = extract("Pyongyang wil nog 2000 soldaten sturen.", "nl", PUBLISHED)
    assert format_as_of(figure.as_of_date, figure.as_of_precision) == "2025-03"


@pytest.mark.parametrize("language, text, expected", [
    # a revised estimate: the old and the new are two figures of one metric, not a range
    ("en", "South Korea's spy agency raised its estimate of North Korean casualties from 3,000 to 4,700.",
     [("casualties", 3000, 3000, "exact"), ("casualties", 4700, 4700, "exact")]),
    ("ru", "Разведка повысила оценку потерь КНДР с 4 тыс. до 4,7 тыс. человек.",
     [("casualties", 4000, 4000, "exact"), ("casualties", 4700, 4700, "exact")]),
    ("pl", "Wywiad podniósł szacunek strat wojsk północnokoreańskich z 4 tys. do ok. 4,7 tys. zabitych i rannych.",
     [("casualties", 4000, 4000, "exact"), ("casualties", 4700, 4700, "approx")]),
    # without a word of revision it stays a range
    ("en", "From 10,000 to 12,000 soldiers were sent.", [("troops_deployed", 10000, 12000, "range")]),
    ("ru", "Пхеньян направил от 10 до 12 тысяч военных.", [("troops_deployed", 10000, 12000, "range")]),
])
def test_a_revised_estimate_gives_the_old_and_the_new_figure(language, text, expected):
    assert figures(text, language) == expected


def test_a_count_in_a_passage_that_never_names_north_korea_is_another_wars():
    text = ("Russian strikes hit Kharkiv overnight\n\n"
            "Two people were killed and 17 wounded, and air defences shot down most of 112 drones.\n\n"
            "North Korea has sent about 11,000 troops to Russia, Seoul says.\n\n"
            "About 300 of them have been killed.")
    found = [(f.metric, f.value_low) for f in extract_figures(text, "en", PUBLISHED)]
    # the North Korea paragraph and the one after it count; the Kharkiv toll does not
    assert found == [("troops_deployed", 11000), ("killed", 300)]


def test_a_headline_naming_north_korea_covers_the_whole_article():
    text = "North Korean soldiers in Kursk\n\nAbout 300 soldiers were killed last week.\n\nOthers were wounded."
    assert [(f.metric, f.value_low) for f in extract_figures(text, "en", PUBLISHED)] == [("killed", 300)]


@pytest.mark.parametrize("language, text, expected", [
    # what Russia fires or loses is not a supply; what it receives is
    ("en", "Russia launched 88 drones and five ballistic missiles overnight.", []),
    ("pt", "A Rússia perdeu 12 tanques e 34 sistemas de artilharia.", []),
    ("en", "Russia has received 1.5 million shells, the agency said.",
     [("equipment_supplied", 1500000, 1500000, "exact")]),
    # Russia as the subject of what someone reports
    ("pt", "O Estado-Maior ucraniano afirma que o Exército russo perdeu mais de 1.500 soldados.", []),
    ("en", "Ukraine's general staff says Russia has lost 700,000 troops.", []),
])
def test_what_russia_fires_loses_or_receives(language, text, expected):
    assert figures(text, language) == expected


def test_a_since_date_leaves_the_weekday_to_date_the_statement():
    (figure,) = extract("The NIS said on Tuesday that 3,000 more troops have been sent since October.", "en")
    assert format_as_of(figure.as_of_date, figure.as_of_precision) == "2025-03-18"
