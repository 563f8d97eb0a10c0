"""From an article's text to its figures: which numbers count something in scope, what
they count (the metric), how precisely, who said so and when.

A figure is a number whose nearest counted noun or event, in the same sentence, belongs
to a metric: "about 11,000 troops", "at least 600 ... killed", "4.000 gedood of gewond".
Pure: no I/O, no prefect; the same text always gives the same figures.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date

from flows.extract.claimants import Attribution, find_attributions, nearest
from flows.extract.dates import PRECISION_RANK, DateMention, find_dates
from flows.extract.lexicon import Lexicon, PhraseSet, load_lexicons
from flows.extract.numbers import NumberMention, find_numbers
from flows.extract.text import Sentence, split_sentences

EXTRACTOR_VERSION = "1.0.0"

CASUALTY_EVENTS = ("killed", "wounded", "casualties", "captured")
METRIC_OF_CLASS = {"personnel": "troops_deployed", "workers": "workers_deployed", "equipment": "equipment_supplied"}
NOUN_REACH = 45      # characters between a number and its counted noun
EVENT_BEFORE = 30    # "killing 30", "death toll of 300"
ADJECTIVE_AFTER = 2  # where an adjective follows its noun it follows at once: "soldados rusos"
# a clause ends at a comma, a dash or a bracket: what follows counts something else
_CLAUSE_END = re.compile(r",\s|，|、|\s[–—-]\s|\(|\)|:\s")


@dataclass
class Figure:
    metric: str
    value_low: int | None
    value_high: int | None
    qualifier: str
    scope: str
    modality: str
    subject: str
    claimant: str | None
    claimant_text: str | None
    as_of_date: date | None
    as_of_precision: str | None
    quote: str
    char_start: int
    char_end: int
    language: str

    @property
    def key(self) -> tuple:
        return (self.metric, self.value_low, self.value_high, self.qualifier)


@dataclass(frozen=True)
class Cue:
    start: int
    end: int
    value: object


class Cues:
    """Every match of one phrase set in the text, searchable by position."""

    def __init__(self, phrases: PhraseSet, text: str):
        self.items = [Cue(m.start(), m.end(), phrases.lookup(m.group())) for m in phrases.finditer(text)]
        self.starts = [c.start for c in self.items]

    def within(self, start: int, end: int) -> list[Cue]:
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end)
        return [c for c in self.items[lo:hi] if c.end <= end or c.start < end]

    def any(self, start: int, end: int) -> bool:
        return bool(self.within(start, end))


class _Article:
    """One article's text with its cues found once, shared by all its numbers."""

    def __init__(self, text: str, lex: Lexicon, published: date | None):
        self.text, self.lex, self.published = text, lex, published
        cue = lambda phrases: Cues(phrases, text)  # noqa: E731
        self.nouns, self.events, self.counters = cue(lex.nouns), cue(lex.events), cue(lex.counters)
        self.foreign, self.own = cue(lex.foreign_forces), cue(lex.own_forces)
        self.additional, self.total = cue(lex.additional), cue(lex.total)
        self.planned, self.negation = cue(lex.planned), cue(lex.negation)
        self._attributions: dict[Sentence, list[Attribution]] = {}
        self._dates: dict[Sentence, list[DateMention]] = {}

    def attributions(self, s: Sentence) -> list[Attribution]:
        if s not in self._attributions:
            self._attributions[s] = find_attributions(self.text, self.lex, s.start, s.end)
        return self._attributions[s]

    def dates(self, s: Sentence) -> list[DateMention]:
        if s not in self._dates:
            found = find_dates(self.text, self.lex, self.published, s.start, s.end)
            self._dates[s] = [d for d in found if not d.since]
        return self._dates[s]


def extract_figures(text: str, language: str, published: date | None = None,
                    lexicons: dict[str, Lexicon] | None = None) -> list[Figure]:
    """Every distinct figure in one article, in order of first mention."""
    lexicons = load_lexicons() if lexicons is None else lexicons
    lex = lexicons.get(language)
    if lex is None or not text:
        return []
    article = _Article(text, lex, published)
    numbers = find_numbers(text, lex)
    sentences = split_sentences(text)
    figures: dict[tuple, Figure] = {}
    previous: Sentence | None = None
    for sentence in sentences:
        inside = [n for n in numbers if sentence.start <= n.start < sentence.end and n.trap is None]
        for i, number in enumerate(inside):
            lo = inside[i - 1].quote_end if i else sentence.start
            hi = inside[i + 1].quote_start if i + 1 < len(inside) else sentence.end
            figure = _figure(article, sentence, previous, number, lo, hi)
            if figure is None:
                continue
            first = figures.setdefault(figure.key, figure)
            if first is not figure:
                _merge(first, figure)
        previous = sentence
    return list(figures.values())


def _clause(text: str, number: NumberMention, lo: int, hi: int, lex: Lexicon) -> tuple[int, int]:
    """The stretch around a number that can hold its noun, event and qualifiers."""
    after_end = min(hi, number.quote_end + lex.window_after)
    cut = _CLAUSE_END.search(text, number.quote_end, after_end)
    before_start = max(lo, number.quote_start - lex.window_before)
    cuts = list(_CLAUSE_END.finditer(text, before_start, number.quote_start))
    return (cuts[-1].end() if cuts else before_start), (cut.start() if cut else after_end)


def _figure(a: _Article, sentence: Sentence, previous: Sentence | None, n: NumberMention,
            lo: int, hi: int) -> Figure | None:
    start, end = _clause(a.text, n, lo, hi, a.lex)
    classified = _classify(a, n, start, end)
    if classified is None:
        return None
    metric, subject, cue = classified
    if n.plain_year and cue.start - n.quote_end > 2:
        return None  # "2024" not directly followed by what it counts is a year
    span_start, span_end = min(n.quote_start, cue.start), max(n.quote_end, cue.end)
    if a.negation.any(start, n.quote_start):
        return None  # "denied sending 1,000 troops"
    # "hundreds of Russian soldiers", "sundalong Ruso": out of scope
    phrase_end = cue.end + ADJECTIVE_AFTER if cue.start >= n.quote_end else n.quote_start
    phrase = (min(n.quote_end, cue.start), max(phrase_end, n.quote_start))
    if a.foreign.any(*phrase) and not a.own.any(*phrase):
        return None
    attribution, as_of_sentence = _attribution(a, sentence, previous, n)
    as_of, precision = _as_of(a, as_of_sentence, n)
    modality = "planned" if a.planned.any(sentence.start, n.quote_start) or a.planned.any(n.quote_end, end) else "actual"
    additional = a.additional.any(start, end) or modality == "planned"
    return Figure(
        metric=metric, value_low=n.low, value_high=n.high, qualifier=n.qualifier,
        scope="additional" if additional and not a.total.any(start, end) else "total",
        modality=modality, subject=subject,
        claimant=attribution.claimant if attribution else None,
        claimant_text=attribution.claimant_text if attribution else None,
        as_of_date=as_of, as_of_precision=precision,
        quote=a.text[span_start:span_end], char_start=span_start, char_end=span_end,
        language=a.lex.language,
    )


def _classify(a: _Article, n: NumberMention, start: int, end: int) -> tuple[str, str, Cue] | None:
    """The metric of a number, from the first counted noun or event after it (or, failing
    that, just before it), with the subject's English gloss and the deciding cue."""
    nouns_after = [c for c in a.nouns.within(n.quote_end, min(end, n.quote_end + NOUN_REACH))]
    events_after = [c for c in a.events.within(n.quote_end, end) if c.value[0] in CASUALTY_EVENTS]
    first_noun = nouns_after[0] if nouns_after else None
    if first_noun and first_noun.value[0] == "equipment" and not (events_after and events_after[0].start < first_noun.start):
        return "equipment_supplied", first_noun.value[1], first_noun
    if events_after and not (first_noun and first_noun.value[0] == "workers" and first_noun.start < events_after[0].start):
        return _casualty(events_after), (first_noun.value[1] if first_noun else "soldiers"), events_after[-1]
    events_before = [c for c in a.events.within(max(start, n.quote_start - EVENT_BEFORE), n.quote_start)
                     if c.value[0] in CASUALTY_EVENTS]
    if first_noun and first_noun.value[0] == "personnel" and events_before:
        return _casualty(events_before), first_noun.value[1], first_noun   # "captured two soldiers"
    if first_noun:
        return METRIC_OF_CLASS[first_noun.value[0]], first_noun.value[1], first_noun
    nouns_before = a.nouns.within(start, n.quote_start)
    counted = a.counters.within(n.quote_end, min(end, n.quote_end + 6))
    if events_before and (nouns_before or counted or a.nouns.within(n.quote_end, end)):
        return _casualty(events_before), "soldiers", events_before[-1]
    if nouns_before:
        noun = nouns_before[-1]
        return METRIC_OF_CLASS[noun.value[0]], noun.value[1], noun
    deployed = [c for c in a.events.within(start, end) if c.value[0] == "deployed"]
    if deployed and counted:
        return "troops_deployed", "soldiers", counted[0]
    return None


def _casualty(events: list[Cue]) -> str:
    classes = {c.value[0] for c in events}
    if "casualties" in classes or {"killed", "wounded"} <= classes:
        return "casualties"
    return events[0].value[0]


def _attribution(a: _Article, sentence: Sentence, previous: Sentence | None,
                 n: NumberMention) -> tuple[Attribution | None, Sentence]:
    """The nearest attribution in the sentence; else the previous sentence's in the same
    paragraph ("..., officials said. They added that ..."), whose date then applies too."""
    found = nearest(a.attributions(sentence), n.start, n.end)
    if found is None and previous is not None and previous.paragraph == sentence.paragraph:
        inherited = nearest(a.attributions(previous), previous.end, previous.end)
        if inherited is not None:
            return inherited, previous
    return found, sentence


def _as_of(a: _Article, sentence: Sentence, n: NumberMention) -> tuple[date | None, str | None]:
    """The most precise date stated in the sentence (nearest first on ties), else the
    month of publication."""
    dates = a.dates(sentence)
    if dates:
        best = max(dates, key=lambda d: (PRECISION_RANK[d.precision], -abs(d.start - n.start)))
        return best.value, best.precision
    if a.published is None:
        return None, None
    return a.published.replace(day=1), "month"


def _merge(first: Figure, later: Figure) -> None:
    """The same claim repeated in an article: keep the first wording, complete it."""
    if not first.claimant and later.claimant:
        first.claimant, first.claimant_text = later.claimant, later.claimant_text
    if later.as_of_precision and (not first.as_of_precision or
                                  PRECISION_RANK[later.as_of_precision] > PRECISION_RANK[first.as_of_precision]):
        first.as_of_date, first.as_of_precision = later.as_of_date, later.as_of_precision
