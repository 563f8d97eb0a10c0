"""From an article's text to its figures: which numbers count something in scope, what
they count (the metric), how precisely, who said so and when.

A figure is a number whose nearest counted noun or event, in the same sentence, belongs
to a metric: "about 11,000 troops", "at least 600 ... killed", "4.000 gedood of gewond".
Pure: no I/O, no prefect; the same text always gives the same figures.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date
from typing import NamedTuple

from flows.extract.claimants import Attribution, find_attributions, nearest
from flows.extract.dates import PRECISION_RANK, DateMention, find_dates
from flows.extract.lexicon import Lexicon, PhraseSet, load_lexicons, load_vocabulary
from flows.extract.numbers import NumberMention, find_numbers
from flows.extract.text import Sentence, split_sentences

EXTRACTOR_VERSION = "1.1.0"   # bump when the rules change: stored articles are then extracted again

CASUALTY_EVENTS = ("killed", "wounded", "casualties", "captured")
# what Russia or Ukraine as a clause's subject counts of its own army: "Russia has lost
# 700,000 troops", "ВСУ потеряли 76 тыс." (not what it captured or received)
OWN_ARMY_METRICS = ("troops_deployed", "killed", "wounded", "casualties")
METRIC_OF_CLASS = {"personnel": "troops_deployed", "workers": "workers_deployed", "equipment": "equipment_supplied"}
NOUN_REACH = 45      # characters between a number and its counted noun
ADJECTIVE_AFTER = 2  # where an adjective follows its noun it follows at once: "soldados rusos"
ADJECTIVE_REACH = 15 # an adjective before a noun that precedes its number: "ロシア軍の死傷者"
# a clause ends at a comma, a dash or a bracket: what follows counts something else
_CLAUSE_END = re.compile(r",\s|，|、|\s[–—-]\s|\(|\)|:\s|…|⋯|\u3000")
_LABEL_MARK = re.compile(r":\s|\s[–—-]\s")   # "Troops: 11,000", "около 15 тыс. — столько военных"
_BULLETS = " \t•·*▪►-–—\ufe0f"
PARTICIPLE_GAP = 2       # "soldiers sent": a verb this close after its noun describes it
SUBJECT_AFTER_CUE = 5   # "afirma que", "says that", "sagte, dass": then the subject
RESTATED = 3            # how far another estimate of the same count may stray
LABEL_REACH = 40         # a list item's label before its colon: "파병 규모: 약 1만4천 명"
NEXT_NUMBER_REACH = 12   # a casualty word this close before the next number is that number's
INHERIT_REACH = 3        # sentences back that "the agency said" may point to
EVENT_NEXT_TO = 20       # "casualties exceeded 4,000": an event this close before counts alone


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
    as_of_stated: bool = field(default=False, compare=False)   # False: the publication month by default

    @property
    def key(self) -> tuple:
        return (self.metric, self.value_low, self.value_high, self.qualifier)


class Cue(NamedTuple):
    start: int
    end: int
    value: object


class Cues:
    """Every match of one phrase set in the given spans of the text (the sentences that
    hold a number: the rest cannot matter), searchable by position. Searched for on the
    first question: most articles are never asked about some of the sets."""

    def __init__(self, phrases: PhraseSet, text: str, spans: list[tuple[int, int]]):
        self.phrases, self.text, self.spans = phrases, text, spans
        self._found: tuple[list[Cue], list[int]] | None = None    # the cues and their starts

    def within(self, start: int, end: int) -> list[Cue]:
        """The cues that start in [start, end), in order."""
        cues, starts = self._search()
        return cues[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]

    def any(self, start: int, end: int) -> bool:
        _, starts = self._search()
        return bisect.bisect_left(starts, start) < bisect.bisect_left(starts, end)

    def _search(self) -> tuple[list[Cue], list[int]]:
        if self._found is None:
            cues = [Cue(m.start(), m.end(), self.phrases.lookup(m.group()))
                    for start, end in self.spans for m in self.phrases.finditer(self.text, start, end)]
            self._found = cues, [c.start for c in cues]
        return self._found


class _Article:
    """One article's text with its cues, shared by all its numbers."""

    def __init__(self, text: str, lex: Lexicon, published: date | None, spans: list[tuple[int, int]]):
        self.text, self.lex, self.published = text, lex, published
        cue = lambda phrases: Cues(phrases, text, spans)  # noqa: E731
        self.nouns, self.events, self.counters = cue(lex.nouns), cue(lex.events), cue(lex.counters)
        self.foreign, self.own = cue(lex.foreign_forces), cue(lex.own_forces)
        self.foreign_subjects, self.own_subjects = cue(lex.foreign_subjects), cue(lex.own_subjects)
        self.additional, self.total = cue(lex.additional), cue(lex.total)
        self.planned, self.negation = cue(lex.planned), cue(lex.negation)
        self.negation_after = cue(lex.negation_after)
        self._attributions: dict[Sentence, list[Attribution]] = {}
        self._dates: dict[Sentence, list[DateMention]] = {}

    def about_north_korea(self, s: Sentence) -> bool:
        """Does the sentence's paragraph, the one before it or the headline name North
        Korea? A toll, a drone count or an aid package elsewhere is another war's."""
        naming, headline, before = self._korea_context
        return bool({s.paragraph, before.get(s.paragraph), headline} & naming)

    @cached_property
    def _korea_context(self) -> tuple[set[int], int, dict[int, int]]:
        """The paragraphs (lines) that name North Korea, the headline's, and each paragraph's
        previous one; looked for once, and only when a number could be a figure."""
        lines = self.text.split("\n")
        starts = list(itertools.accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
        named = [p for p in (self.lex.own_forces, self.lex.own_subjects) if p.regex is not None]
        naming = {bisect.bisect_right(starts, m.start()) - 1 for p in named for m in p.regex.finditer(self.text)}
        filled = [i for i, line in enumerate(lines) if line.strip()]
        return naming, (filled[0] if filled else 0), dict(zip(filled[1:], filled))

    def sends(self, start: int, end: int) -> list[Cue]:
        """The words of sending or receiving in text[start:end]: sent, deployed, received."""
        return [c for c in self.events.within(start, end) if c.value[0] == "deployed"]

    def casualty_after(self, n: NumberMention, end: int) -> bool:
        return any(c.value[0] in CASUALTY_EVENTS for c in self.events.within(n.quote_end, end))

    def attributes(self, s: Sentence) -> bool:
        """Does the sentence attribute (said, according to) whether or not it names anyone?"""
        return any(p.regex is not None and p.regex.search(self.text, s.start, s.end)
                   for p in (self.lex.attribution_before, self.lex.attribution_after))

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
    numbers = [n for n in find_numbers(text, lex) if n.trap is None]
    if not numbers:
        return []
    sentences = split_sentences(text, lex.abbreviations, lex.months)
    starts = [n.start for n in numbers]
    counted = [s for s in sentences if bisect.bisect_left(starts, s.start) < bisect.bisect_left(starts, s.end)]
    article = _Article(text, lex, published, [(s.start, s.end) for s in counted])
    figures: dict[tuple, Figure] = {}
    earlier: list[Sentence] = []
    last: tuple[Sentence, Figure] | None = None     # the latest figure, for a count that leaves its noun out
    for sentence in sentences:
        inside = numbers[bisect.bisect_left(starts, sentence.start):bisect.bisect_left(starts, sentence.end)]
        clauses = [
            _clause(text, n, inside[i - 1].quote_end if i else sentence.start,
                    inside[i + 1].quote_start if i + 1 < len(inside) else sentence.end, lex)
            for i, n in enumerate(inside)]
        for i, number in enumerate(inside):
            # a casualty word right before the next number is that number's, unless the next
            # has its own: "з 11 000 ... загинули 300" but "400 gedood en 3.600 gewond"
            claimed_by_next = None
            if i + 1 < len(inside) and not article.casualty_after(inside[i + 1], clauses[i + 1][1]):
                claimed_by_next = inside[i + 1].quote_start
            previous = last[1] if last and (last[0] == sentence or _just_before(last[0], sentence, earlier)) else None
            # "raised from 4,000 to 4,700 casualties": the new estimate, when this is the old one
            newer = (inside[i + 1], *clauses[i + 1]) if i + 1 < len(inside) and inside[i + 1].revises is number else None
            figure = _figure(article, sentence, earlier, number, *clauses[i], claimed_by_next, previous, newer)
            if figure is None:
                continue
            last = sentence, figure
            first = figures.setdefault(figure.key, figure)
            if first is not figure:
                _merge(first, figure)
        earlier.append(sentence)
    return list(figures.values())


def _just_before(one: Sentence, sentence: Sentence, earlier: list[Sentence]) -> bool:
    return bool(earlier) and earlier[-1] == one and one.paragraph == sentence.paragraph


def _event_after_comma(a: _Article, start: int, end: int, next_number: int | None) -> Cue | None:
    """A casualty event that opens the clause right after this one's comma, as the
    predicate of a count with no verb of its own (not "sent 12,000 troops, killed 300")."""
    comma = re.match(r"\s*[,，]\s*", a.text[end:end + 4])
    if comma is None or a.sends(start, end):
        return None
    events = a.events.within(end + comma.end(), end + comma.end() + 1)
    if not events or events[0].value[0] not in CASUALTY_EVENTS:
        return None
    near_next = next_number is not None and next_number - events[0].end <= NEXT_NUMBER_REACH
    return None if near_next else events[0]


def _opens(a: _Article, opener: str) -> bool:
    """Is this all that stands before a clause's subject: nothing, or "X says (that)"?"""
    if not opener.strip(" \"“„«'‘"):
        return True
    cues = [m for p in (a.lex.attribution_after, a.lex.attribution_before) if p.regex is not None
            for m in p.regex.finditer(opener)]
    return any(len(opener[m.end():].strip()) <= SUBJECT_AFTER_CUE for m in cues)


def _restates(previous: Figure, n: NumberMention) -> bool:
    """Another estimate of the same count: of its order of magnitude (within 3x)."""
    known = previous.value_low or previous.value_high
    value = n.low or n.high
    return bool(known and value and known / RESTATED <= value <= known * RESTATED)


def _clause(text: str, number: NumberMention, lo: int, hi: int, lex: Lexicon) -> tuple[int, int]:
    """The stretch around a number that can hold its noun, event and qualifiers. A colon
    or dash between a list item's label and its number does not cut it: "Troops sent:
    about 11,000", "4.700: bajas norcoreanas", "более 12 млн — снарядов"."""
    after_end = min(hi, number.quote_end + lex.window_after)
    cut = _CLAUSE_END.search(text, number.quote_end, after_end)
    if cut and _LABEL_MARK.match(cut.group()) and not text[number.quote_end:cut.start()].strip() \
            and not text[text.rfind("\n", 0, number.quote_start) + 1:number.quote_start].strip(_BULLETS):
        cut = _CLAUSE_END.search(text, cut.end(), after_end)    # an item that opens with its number
    before_start = max(lo, number.quote_start - lex.window_before)
    cuts = list(_CLAUSE_END.finditer(text, before_start, number.quote_start))
    start = cuts[-1].end() if cuts else before_start
    if cuts and _LABEL_MARK.match(cuts[-1].group()):
        line = max(lo, text.rfind("\n", 0, cuts[-1].start()) + 1)
        label = text[line:cuts[-1].start()]
        if len(label) <= LABEL_REACH and not any(ch.isdigit() for ch in label):
            start = line
    return start, (cut.start() if cut else after_end)


def _figure(a: _Article, sentence: Sentence, earlier: list[Sentence], n: NumberMention,
            start: int, end: int, next_number: int | None, previous: Figure | None = None,
            newer: tuple[NumberMention, int, int] | None = None) -> Figure | None:
    counted = _counted(a, n, start, end, next_number, previous, newer)
    if counted is None or _out_of_scope(a, sentence, n, counted, start, end):
        return None
    metric, subject, cue = counted
    span_start, span_end = min(n.quote_start, cue.start), max(n.quote_end, cue.end)
    attribution, inherited_from = _attribution(a, sentence, earlier, n, start, end)
    as_of, precision, stated = _as_of(a, sentence, inherited_from, n)
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
        language=a.lex.language, as_of_stated=stated,
    )


def _counted(a: _Article, n: NumberMention, start: int, end: int, next_number: int | None,
             previous: Figure | None, newer: tuple[NumberMention, int, int] | None) -> tuple[str, str, Cue] | None:
    """What the number counts (metric, subject, deciding cue), or None."""
    counted = _classify(a, n, start, end, next_number, previous)
    if newer is not None:       # the old estimate counts what the new one does
        counted = _classify(a, *newer, None, previous) or counted
    if counted is None and previous is not None and not n.plain_year and (
            a.additional.any(start, end) or _restates(previous, n)):
        # "15,000 workers arrived last year and another 35,000 are to be sent", "a number
        # Kyiv rounded up to 12k": the noun is left out after the sentence (or the one
        # before it) has counted it
        counted = previous.metric, previous.subject, Cue(n.start, n.end, None)
    if counted and counted[0] == "troops_deployed" and (
            predicate := _event_after_comma(a, start, end, next_number)) is not None:
        counted = _casualty([predicate]), counted[1], counted[2]   # "1,000 sundalo ng North Korea, patay"
    return counted


def _out_of_scope(a: _Article, sentence: Sentence, n: NumberMention, counted: tuple[str, str, Cue],
                  start: int, end: int) -> bool:
    """Another war's count, civilians, a year, a denial, or Russia's and Ukraine's own forces."""
    metric, _, cue = counted
    if not a.about_north_korea(sentence):
        return True
    if a.lex.other_subjects.starts(a.text[n.quote_end:n.quote_end + 40]) or (
            a.lex.foreign_before and a.lex.other_subjects.ends(a.text[max(start, n.quote_start - ADJECTIVE_REACH):n.quote_start])):
        return True  # "12 тысяч мирных жителей", "민간인 30여 명": civilians, refugees, children are not in scope
    if n.plain_year and cue.start - n.quote_end > 2 and n.quote_start == n.start \
            and not a.additional.any(n.quote_end, cue.start):
        return True  # "2024" not directly followed by what it counts is a year; "mindestens 2000" is not
    if a.negation.any(start, n.quote_start) or a.negation_after.any(n.quote_end, sentence.end):
        return True  # "denied sending 1,000 troops", "1만 명을 보냈다는 주장을 부인했다"
    # what Russia fires or loses ("launched 88 drones", "perdeu 12 tanques") is its own; what it receives is not
    own_army = metric in OWN_ARMY_METRICS or metric == "equipment_supplied" and not a.sends(start, end)
    return _foreign(a, n, cue, start) or own_army and _foreign_subject(a, sentence, n, end)


def _foreign(a: _Article, n: NumberMention, cue: Cue, start: int) -> bool:
    """Counts of Russian or Ukrainian forces are out of scope: "hundreds of Russian
    soldiers", "sundalong Ruso", and where forces are named first, "러시아군 사상자 1천 명"."""
    if cue.start >= n.quote_end:
        phrase = (n.quote_end, cue.end + ADJECTIVE_AFTER)
    else:
        phrase = (max(start, cue.start - ADJECTIVE_REACH), n.quote_start)
    if a.foreign.any(*phrase) and not a.own.any(*phrase):
        return True
    before = (max(start, n.quote_start - a.lex.window_before), n.quote_start)
    return a.lex.foreign_before and a.foreign.any(*before) and not a.own.any(before[0], cue.end)


def _foreign_subject(a: _Article, sentence: Sentence, n: NumberMention, end: int) -> bool:
    """Russia or Ukraine opening the number's clause, as its subject, counts its own army:
    "Russia has lost 700,000 troops", "Selon Kiev, l'armée russe aurait perdu 1 200 hommes",
    unless North Korea is named in the clause or the name is only the source ("Moscow says")."""
    text, sources = a.text, None
    for c in a.foreign_subjects.within(sentence.start, n.quote_start):
        cuts = list(_CLAUSE_END.finditer(text, sentence.start, c.start))
        opener = text[cuts[-1].end() if cuts else sentence.start:c.start]
        between = text[c.end:n.quote_start]
        # the clause starts with the name, or a report of it does ("Kyiv says Russia has lost";
        # "sent to Russia 11,000 troops" does not)
        if not _opens(a, opener) or _CLAUSE_END.search(between):
            continue
        if a.own.any(c.start, end) or a.own_subjects.any(c.start, end):
            return False
        sources = a.attributions(sentence) if sources is None else sources
        if not any(s.start < c.end and c.start < s.end for s in sources):
            return True
    return False


def _classify(a: _Article, n: NumberMention, start: int, end: int,
              next_number: int | None, previous: Figure | None = None) -> tuple[str, str, Cue] | None:
    """The metric of a number, from the first counted noun or event after it (or, failing
    that, just before it), with the subject's English gloss and the deciding cue."""
    nouns_after = [c for c in a.nouns.within(n.quote_end, min(end, n.quote_end + NOUN_REACH))]
    events_after = [c for c in a.events.within(n.quote_end, end) if c.value[0] in CASUALTY_EVENTS
                    # "з 11 000 ... загинули 300": the word is the next number's, unless a comma
                    # parts them ("1200 militairen omgekomen, tegen 600 eind maart")
                    and not (next_number is not None and next_number - c.end <= NEXT_NUMBER_REACH
                             and not _CLAUSE_END.search(a.text, c.end, next_number))]
    first_noun = nouns_after[0] if nouns_after else None
    # "3.000 man hebben gestuurd om de verliezen aan te vullen": a verb of sending between
    # the count and a casualty word makes it a deployment; not a participle on the noun
    # ("3 800 militaires envoyés par Pyongyang ont été tués")
    people = first_noun if first_noun and first_noun.value[0] == "personnel" else next(
        iter(a.counters.within(n.end, min(end, n.quote_end + 6))), None)     # "5.000 man"
    sent = a.sends(n.quote_end, events_after[0].start) if events_after and people else []
    if sent and sent[0].start - people.end > PARTICIPLE_GAP:
        return "troops_deployed", (first_noun.value[1] if people is first_noun else "soldiers"), people
    if first_noun and first_noun.value[0] == "equipment" and not (events_after and events_after[0].start < first_noun.start):
        return "equipment_supplied", first_noun.value[1], first_noun
    events_before = [c for c in a.events.within(max(start, n.quote_start - a.lex.event_before), n.quote_start)
                     if c.value[0] in CASUALTY_EVENTS]
    if events_after and events_before and events_before[-1].value[0] == "captured" \
            and n.quote_start - events_before[-1].end <= EVENT_NEXT_TO and {c.value[0] for c in events_after} == {"wounded"}:
        return "captured", (first_noun.value[1] if first_noun else "soldiers"), first_noun or events_before[-1]   # "captured two wounded soldiers"
    if events_after and not (first_noun and first_noun.value[0] == "workers" and first_noun.start < events_after[0].start):
        return _casualty(events_after), (first_noun.value[1] if first_noun else "soldiers"), events_after[-1]
    if first_noun and first_noun.value[0] == "personnel" and events_before:
        return _casualty(events_before), first_noun.value[1], first_noun   # "captured two soldiers"
    if first_noun:
        return METRIC_OF_CLASS[first_noun.value[0]], first_noun.value[1], first_noun
    nouns_before = a.nouns.within(start, n.quote_start)
    counted = a.counters.within(n.end, min(end, n.quote_end + 6))
    close_event = events_before and n.quote_start - events_before[-1].end <= EVENT_NEXT_TO
    if events_before and (close_event or nouns_before or counted or a.nouns.within(n.quote_end, end)):
        return _casualty(events_before), "soldiers", events_before[-1]   # "the death toll topped 1,000"
    if nouns_before:
        noun = nouns_before[-1]
        return METRIC_OF_CLASS[noun.value[0]], noun.value[1], noun
    if a.sends(start, end) and counted:
        # "数千人 … 抵达": people arriving are whoever the sentence was counting
        if previous is not None and previous.metric in ("troops_deployed", "workers_deployed"):
            return previous.metric, previous.subject, counted[0]
        return "troops_deployed", "soldiers", counted[0]
    return None


def _casualty(events: list[Cue]) -> str:
    classes = {c.value[0] for c in events}
    if "casualties" in classes or {"killed", "wounded"} <= classes:
        return "casualties"
    return events[0].value[0]


def _attribution(a: _Article, sentence: Sentence, earlier: list[Sentence],
                 n: NumberMention, start: int, end: int) -> tuple[Attribution | None, Sentence | None]:
    """The nearest attribution in the figure's clause, else in the sentence. Else a speaker
    from before: the previous sentence's in the same paragraph ("They added that ..."),
    returned with that sentence (its date applies when the figure's own sentence has none),
    or, when the sentence attributes without a name ("the agency said"), the latest of the
    last three's."""
    attributions = a.attributions(sentence)
    # one in the figure's own clause first: "the Pentagon put it at 12,000, while Kyiv said 15,000"
    found = nearest([c for c in attributions if start <= c.start and c.end <= end], n.start, n.end) \
        or nearest(attributions, n.start, n.end)
    if found is not None:
        return found, None
    if a.attributes(sentence):
        reach = earlier[-INHERIT_REACH:]
    else:
        reach = [s for s in earlier[-1:] if s.paragraph == sentence.paragraph]
    for source in reversed(reach):
        inherited = nearest(a.attributions(source), source.end, source.end)
        if inherited is not None:
            # a date travels with the speaker only from the sentence just before
            return inherited, source if source is earlier[-1] and source.paragraph == sentence.paragraph else None
    return None, None


def _as_of(a: _Article, sentence: Sentence, inherited_from: Sentence | None,
           n: NumberMention) -> tuple[date | None, str | None, bool]:
    """The most precise date stated in the figure's sentence (the latest on ties: "in January
    and February" is as of February), else in the sentence its attribution came from, else
    the month of publication."""
    for source in (sentence, inherited_from):
        # not the figure's own number: "wil nog 2000 soldaten sturen" is not as of 2000
        dates = [d for d in a.dates(source) if d.end <= n.start or d.start >= n.end] if source is not None else []
        if dates:
            best = max(dates, key=lambda d: (PRECISION_RANK[d.precision], d.value, -abs(d.start - n.start)))
            return best.value, best.precision, True
    if a.published is None:
        return None, None, False
    return a.published.replace(day=1), "month", False


def _merge(first: Figure, later: Figure) -> None:
    """The same claim repeated in an article: keep the first wording, complete it with the
    more specific claimant and the more precise stated date."""
    subsumes = load_vocabulary().claimant_subsumes
    if later.claimant and (not first.claimant or first.claimant in subsumes.get(later.claimant, ())):
        first.claimant, first.claimant_text = later.claimant, later.claimant_text
    if later.as_of_stated and (not first.as_of_stated or (
            PRECISION_RANK[later.as_of_precision] > PRECISION_RANK[first.as_of_precision])):
        first.as_of_date, first.as_of_precision, first.as_of_stated = (
            later.as_of_date, later.as_of_precision, True)
