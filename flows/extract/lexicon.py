"""Language lexicons: loaded from seeds/lexicons/*.yaml, checked, compiled to regexes.

A lexicon is pure data; everything language-specific the extractor knows comes from here.
A mistake in a lexicon is reported with the file and the key, at load time, not as a
wrong figure later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

import yaml
from lingua import Language as LinguaLanguage

from flows.paths import LEXICON_DIR, VOCABULARY_FILE, lexicon_dir

METRIC_CLASSES = {"personnel", "workers", "equipment"}
EVENT_CLASSES = {"killed", "wounded", "casualties", "captured", "deployed"}
KNOWN_SECTIONS = {"language", "name", "lingua", "spaced", "compound_numbers", "window", "numbers", "qualifiers",
                  "metrics", "context", "blockers", "claimants", "dates", "abbreviations"}


class LexiconError(ValueError):
    """A lexicon file is malformed; the message names the file and the key."""


# libyaml's parser, where PyYAML was built with it, reads the lexicons ~7x faster than the
# pure-Python one; both construct the same safe types
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)


@dataclass(frozen=True)
class Vocabulary:
    metrics: dict[str, dict]
    qualifiers: list[str]
    scopes: list[str]
    modalities: list[str]
    as_of_precisions: list[str]
    claimants: dict[str, str]
    claimant_subsumes: dict[str, list[str]]


@cache
def load_vocabulary(path: Path = VOCABULARY_FILE) -> Vocabulary:
    return Vocabulary(**_read_yaml(path))


_SPACE_RUN = re.compile(r"\s+")
_SPACE_SPLIT = re.compile(r"(\s+)")


class PhraseSet:
    """Phrases of one category compiled into a single regex, longest first.

    A trailing `*` in a phrase matches any ending of that word ("soldat*" matches
    "soldaten"). `lookup` maps a matched text back to the value given in the lexicon.
    The regexes are compiled on first use: a process that reads few languages, or only
    their names, does not pay for compiling all of them.
    """

    def __init__(self, phrases: dict[str, object], spaced: bool):
        self.values = {p.lower(): v for p, v in phrases.items()}
        self.stems = sorted(
            ((p[:-1], v) for p, v in self.values.items() if p.endswith("*")),
            key=lambda pv: -len(pv[0]),
        )
        self.spaced = spaced
        self._looked_up: dict[str, object] = {}

    def __bool__(self) -> bool:
        return bool(self.values)

    @cached_property
    def regex(self) -> re.Pattern | None:
        if not self.values:
            return None
        return re.compile(_trie_pattern(list(self.values), self.spaced), re.IGNORECASE)

    @cached_property
    def _ends(self) -> re.Pattern:
        return re.compile(rf"(?:{self.regex.pattern})\s*\Z", re.IGNORECASE)

    @cached_property
    def _starts(self) -> re.Pattern:
        return re.compile(rf"\s*(?:{self.regex.pattern})", re.IGNORECASE)

    @cached_property
    def _last_char(self) -> re.Pattern | None:
        """Matches the last non-space character of any match of a phrase; None if a phrase
        can match spaces and stem endings alone, and so no such character at all."""
        last: set[str] = set()
        for units in filter(None, map(_units, self.values)):
            for unit in reversed(units):
                if unit == _STEM:
                    last.add(r"\w")        # "soldat*": a letter of the ending, or, if none, the t
                elif unit != r"\s+":
                    last.add(unit)
                    break
            else:
                return None
        return re.compile("|".join(sorted(last)), re.IGNORECASE)

    def finditer(self, text: str, start: int = 0, end: int | None = None):
        if self.regex is None:
            return iter(())
        return self.regex.finditer(text, start, len(text) if end is None else end)

    def ends(self, text: str):
        """The phrase that `text` ends with (trailing spaces allowed), or None."""
        if not self.values:
            return None
        # such a phrase ends at the last non-space character: the search, which tries every
        # start in `text`, is only worth running when that character can end a phrase
        core = len(text.rstrip())
        if self._last_char is not None and not (core and self._last_char.match(text, core - 1)):
            return None
        return self._ends.search(text)

    def starts(self, text: str):
        """The phrase that `text` starts with (leading spaces allowed), or None."""
        return self._starts.match(text) if self.values else None

    def lookup(self, matched: str):
        """The value given in the lexicon for a matched text. Remembered: the same few words
        recur in every article (up to a bound, whatever the texts)."""
        if matched in self._looked_up:
            return self._looked_up[matched]
        value = self._lookup(matched)
        if len(self._looked_up) < 10_000:
            self._looked_up[matched] = value
        return value

    def _lookup(self, matched: str):
        key = _SPACE_RUN.sub(" ", matched.lower())
        if key in self.values:
            return self.values[key]
        for stem, value in self.stems:
            if key.startswith(stem):
                return value
        return None


_END, _STEM = "", "*"
_escape_char = cache(re.escape)     # for every character of every phrase: the same few hundred


def _units(phrase: str) -> list[str]:
    """A phrase as regex units: escaped characters, \\s+ for spaces, * for a stem ending."""
    units: list[str] = []
    for part in _SPACE_SPLIT.split(phrase.strip()):
        if not part:
            continue
        if part.isspace():
            units.append(r"\s+")
        elif part.endswith("*"):
            units += [*map(_escape_char, part[:-1]), _STEM]
        else:
            units += map(_escape_char, part)
    return units


def _trie_pattern(phrases: list[str], spaced: bool) -> str:
    """One regex for many phrases, shaped as a trie so the engine tests each position once
    per shared prefix instead of once per phrase; longer matches are tried first."""
    bounded: dict = {}
    free: dict = {}
    for phrase in phrases:
        units = _units(phrase)
        if not units:
            continue
        body = phrase.rstrip("*").strip()
        starts_word = spaced and body[:1].isalnum()
        ends_word = spaced and not phrase.endswith("*") and body[-1:].isalnum()
        _insert(bounded if starts_word else free, units, r"(?!\w)" if ends_word else "")
    parts = []
    if bounded:
        parts.append(r"(?<!\w)" + _emit(bounded))
    if free:
        parts.append(_emit(free))
    return "|".join(parts) if parts else r"(?!x)x"


def trie_alternation(words: list[str]) -> str:
    """Literal words as one regex alternation shaped as a trie. Of the words that can match
    at one place each is a prefix of the next, so it tries them in the same order as the
    alternation of the words longest first, but tests each place once per shared prefix."""
    trie: dict = {}
    for word in words:
        _insert(trie, list(map(_escape_char, word)), "")
    return _emit(trie)


def _insert(trie: dict, units: list[str], end: str) -> None:
    for unit in units:
        trie = trie.setdefault(unit, {})
    trie[_END] = end


def _emit(trie: dict) -> str:
    """The trie as a regex: the units of a node in order, each before the end of a phrase
    there, so that longer matches are tried first."""
    # most of a phrase is a run of units with one way on: written out without recursing
    run = ""
    while len(trie) == 1 and _END not in trie and _STEM not in trie:
        (unit, trie), = trie.items()
        run += unit
    options = [unit + _emit(trie[unit]) for unit in sorted(trie) if unit not in (_END, _STEM)]
    if _STEM in trie:
        options.append(r"\w*" + _emit(trie[_STEM]))
    if _END in trie:
        options.append(trie[_END])
    if len(options) == 1:
        return run + options[0]
    return run + "(?:" + "|".join(options) + ")"


@dataclass(eq=False)
class Lexicon:
    """One language's vocabulary, compiled."""

    language: str
    name: str
    lingua: str
    spaced: bool
    compounds: bool
    window_after: int
    window_before: int
    group_separators: str
    decimal_separators: str
    words: dict[str, float]
    multipliers: dict[str, float]
    scales: dict[str, float]
    number_atoms: PhraseSet
    connectors: PhraseSet
    vague: PhraseSet
    vague_alone: frozenset[str]     # plural scales that alone are vague: millions, тысячи
    infix_more_than: PhraseSet      # between digits and scale: 800多万, 800여만
    range_between: list[tuple[PhraseSet, PhraseSet]]
    revision_between: list[tuple[PhraseSet, PhraseSet]]   # "from X to Y" after `revised`: two estimates
    revised: PhraseSet              # raised, revised, повысил, elevó: an estimate changed
    range_infix: PhraseSet
    qualifiers_before: PhraseSet
    qualifiers_after: PhraseSet
    nouns: PhraseSet            # -> (class, gloss)
    events: PhraseSet           # -> (class, gloss)
    counters: PhraseSet
    foreign_forces: PhraseSet
    own_forces: PhraseSet
    foreign_subjects: PhraseSet     # "Russia has lost 700,000 troops": another army counting its own
    own_subjects: PhraseSet         # North Korea named as such: "Russia received 11,000 troops from North Korea"
    additional: PhraseSet
    total: PhraseSet
    planned: PhraseSet
    negation: PhraseSet
    negation_after: PhraseSet       # verb-final languages deny after the figure: 부인했다
    foreign_before: bool            # forces named before their count: 러시아군 사상자 1천 명
    other_subjects: PhraseSet       # "12,000 civilians": a count of someone out of scope
    blockers_before: PhraseSet
    blockers_after: PhraseSet
    attribution_before: PhraseSet
    attribution_after: PhraseSet
    claimants: PhraseSet
    weak_claimants: PhraseSet
    months: PhraseSet
    relative_dates: PhraseSet
    weekdays: PhraseSet             # "on Tuesday": the last such day up to publication (0 = Monday)
    since: PhraseSet
    since_after: PhraseSet          # 9월부터, 9月以降: the since-word follows the date
    numeric_dates: str | None       # "dmy" (18/10/2024), "mdy" or "ymd"
    abbreviations: frozenset[str]   # words whose period does not end a sentence: Mio, ok, тыс
    event_before: int               # characters a casualty word may stand before its number
    date_markers: dict = field(default_factory=dict)   # CJK: {year: 년, month: 월, day: 일}
    capitalized_months: bool = False                   # English "May" the month, not "may" the verb


def _get(data: dict, path: str, source: Path, kind=dict, required=True):
    node = data
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            if required:
                raise LexiconError(f"{source.name}: missing key '{path}'")
            return kind()
        node = node[key]
    if node is None:
        return kind()
    if not isinstance(node, kind):
        raise LexiconError(f"{source.name}: '{path}' should be a {kind.__name__}, got {type(node).__name__}")
    return node


def _check_values(mapping: dict, allowed, path: str, source: Path) -> None:
    for phrase, value in mapping.items():
        if not isinstance(phrase, str) or not phrase.strip():
            raise LexiconError(f"{source.name}: '{path}' has an empty or non-text phrase: {phrase!r}")
        if allowed is not None and value not in allowed:
            raise LexiconError(
                f"{source.name}: '{path}.{phrase}' is {value!r}, not one of {sorted(allowed)}"
            )


def _check_numbers(mapping: dict, path: str, source: Path) -> dict[str, float]:
    for phrase, value in mapping.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise LexiconError(f"{source.name}: '{path}.{phrase}' should be a non-negative number, got {value!r}")
    return {str(k).lower(): float(v) for k, v in mapping.items()}


def _pairs(data: dict, path: str, source: Path, spaced: bool) -> list[tuple[PhraseSet, PhraseSet]]:
    """[[opening word, joining word], ...]: "between X and Y", "from X to Y"."""
    out = []
    for i, pair in enumerate(_get(data, path, source, list, required=False)):
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(w, str) and w.strip() for w in pair)):
            raise LexiconError(f"{source.name}: '{path}[{i}]' should be [opening word, joining word]")
        out.append((PhraseSet({pair[0]: True}, spaced), PhraseSet({pair[1]: True}, spaced)))
    return out


def _check_vague(mapping: dict, source: Path) -> dict[str, tuple[int, int]]:
    """A vague phrase gives a magnitude ("thousands: 1000" is 2,000 to 9,999) or its own
    bounds ("kilkanaście tysięcy: [11000, 19999]", a dozen-odd thousand)."""
    out = {}
    for phrase, value in mapping.items():
        if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) and v > 0 for v in value) \
                and value[0] < value[1]:
            out[str(phrase).lower()] = (value[0], value[1])
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
            out[str(phrase).lower()] = (2 * int(value), 10 * int(value) - 1)
        else:
            raise LexiconError(f"{source.name}: 'numbers.vague.{phrase}' should be a magnitude or [low, high], got {value!r}")
    return out


def _phrases(items, path: str, source: Path) -> dict[str, bool]:
    if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
        raise LexiconError(f"{source.name}: '{path}' should be a list of non-empty phrases")
    return {i: True for i in items}


def _classed(data: dict, path: str, classes: set[str], source: Path) -> dict[str, tuple[str, str]]:
    """{class: {phrase: gloss}} -> {phrase: (class, gloss)}, classes checked."""
    out: dict[str, tuple[str, str]] = {}
    for cls, phrases in _get(data, path, source).items():
        if cls not in classes:
            raise LexiconError(f"{source.name}: '{path}.{cls}' is not one of {sorted(classes)}")
        if not isinstance(phrases, dict):
            raise LexiconError(f"{source.name}: '{path}.{cls}' should map phrases to English glosses")
        for phrase, gloss in phrases.items():
            out[str(phrase)] = (cls, str(gloss))
    return out


def parse_lexicon(data: dict, source: Path) -> Lexicon:
    if not isinstance(data, dict):
        raise LexiconError(f"{source.name}: a lexicon is a mapping of sections, got {type(data).__name__}")
    vocab = load_vocabulary()
    language = _get(data, "language", source, str)
    if language != source.stem:
        raise LexiconError(f"{source.name}: 'language' is {language!r} but the file is named {source.stem!r}")
    spaced = bool(data.get("spaced", True))
    number = lambda path: _check_numbers(_get(data, path, source, required=False), path, source)  # noqa: E731
    phrases = lambda path: PhraseSet(_phrases(_get(data, path, source, list, required=False), path, source), spaced)  # noqa: E731

    words, multipliers, scales = number("numbers.words"), number("numbers.multipliers"), number("numbers.scales")
    vague = _check_vague(_get(data, "numbers.vague", source, required=False), source)
    qualifiers_before = _get(data, "qualifiers.before", source)
    qualifiers_after = _get(data, "qualifiers.after", source, required=False)
    _check_values(qualifiers_before, vocab.qualifiers, "qualifiers.before", source)
    _check_values(qualifiers_after, vocab.qualifiers, "qualifiers.after", source)
    aliases = _get(data, "claimants.aliases", source)
    weak = _get(data, "claimants.weak_aliases", source, required=False)
    _check_values(aliases, vocab.claimants, "claimants.aliases", source)
    _check_values(weak, vocab.claimants, "claimants.weak_aliases", source)
    months = _get(data, "dates.months", source)
    _check_values(months, set(range(1, 13)), "dates.months", source)
    weekdays = _get(data, "dates.weekdays", source, required=False)
    _check_values(weekdays, set(range(7)), "dates.weekdays", source)
    relative = _get(data, "dates.relative", source, required=False)
    for phrase, offset in relative.items():
        if not isinstance(offset, dict) or not set(offset) <= {"days", "months", "years", "precision"}:
            raise LexiconError(f"{source.name}: 'dates.relative.{phrase}' should set days, months or years")
    between, revision = (_pairs(data, path, source, spaced) for path in ("numbers.range_between", "numbers.revision_between"))

    numeric = _get(data, "dates", source).get("numeric")
    if numeric not in (None, "dmy", "mdy", "ymd"):
        raise LexiconError(f"{source.name}: 'dates.numeric' is {numeric!r}, not one of dmy, mdy, ymd")
    unknown = set(data) - KNOWN_SECTIONS
    if unknown:
        raise LexiconError(f"{source.name}: unknown sections {sorted(unknown)} (a typo?); known: {sorted(KNOWN_SECTIONS)}")
    separators = lambda path: "".join(_get(data, path, source, list))  # noqa: E731
    window = _get(data, "window", source, required=False)
    lingua_name = _get(data, "lingua", source, str)
    if not hasattr(LinguaLanguage, lingua_name):
        raise LexiconError(f"{source.name}: 'lingua' is {lingua_name!r}, not a lingua.Language member (e.g. ENGLISH)")
    return Lexicon(
        language=language,
        name=_get(data, "name", source, str),
        lingua=_get(data, "lingua", source, str),
        spaced=spaced,
        compounds=bool(data.get("compound_numbers", False)),
        window_after=int(window.get("after", 70)),
        window_before=int(window.get("before", 45)),
        group_separators=separators("numbers.group_separators"),
        decimal_separators=separators("numbers.decimal_separators"),
        words=words,
        multipliers=multipliers,
        scales=scales,
        number_atoms=PhraseSet({**words, **multipliers, **scales}, spaced),
        connectors=phrases("numbers.connectors"),
        vague=PhraseSet(vague, spaced),
        vague_alone=frozenset(w.lower() for w in _phrases(
            _get(data, "numbers.vague_alone", source, list, required=False), "numbers.vague_alone", source)),
        infix_more_than=phrases("numbers.infix_more_than"),
        range_between=between,
        revision_between=revision,
        revised=phrases("context.revised"),
        range_infix=phrases("numbers.range_infix"),
        qualifiers_before=PhraseSet(qualifiers_before, spaced),
        qualifiers_after=PhraseSet(qualifiers_after, spaced),
        nouns=PhraseSet(_classed(data, "metrics.nouns", METRIC_CLASSES, source), spaced),
        events=PhraseSet(_classed(data, "metrics.events", EVENT_CLASSES, source), spaced),
        counters=phrases("metrics.counters"),
        foreign_forces=phrases("context.foreign_forces"),
        own_forces=phrases("context.own_forces"),
        foreign_subjects=phrases("context.foreign_subjects"),
        own_subjects=phrases("context.own_subjects"),
        additional=phrases("context.additional"),
        total=phrases("context.total"),
        planned=phrases("context.planned"),
        negation=phrases("context.negation"),
        negation_after=phrases("context.negation_after"),
        foreign_before=bool(_get(data, "context", source).get("foreign_before", False)),
        other_subjects=phrases("context.other_subjects"),
        blockers_before=phrases("blockers.before"),
        blockers_after=phrases("blockers.after"),
        attribution_before=phrases("claimants.attribution.before"),
        attribution_after=phrases("claimants.attribution.after"),
        claimants=PhraseSet(aliases, spaced),
        weak_claimants=PhraseSet(weak, spaced),
        months=PhraseSet(months, spaced),
        relative_dates=PhraseSet(relative, spaced),
        weekdays=PhraseSet(weekdays, spaced),
        since=phrases("dates.since"),
        since_after=phrases("dates.since_after"),
        numeric_dates=_get(data, "dates", source).get("numeric"),
        abbreviations=frozenset(a.lower().rstrip(".") for a in _phrases(
            _get(data, "abbreviations", source, list, required=False), "abbreviations", source)),
        event_before=int(window.get("event_before", 30)),
        date_markers=_get(data, "dates.markers", source, required=False),
        capitalized_months=bool(_get(data, "dates", source).get("capitalized_months", False)),
    )


def load_lexicon(path: Path) -> Lexicon:
    try:
        data = _read_yaml(path)
    except yaml.YAMLError as exc:
        raise LexiconError(f"{path.name}: not valid YAML: {exc}") from exc
    return parse_lexicon(data, path)


def load_lexicons(directory: Path | None = None) -> dict[str, Lexicon]:
    """Every lexicon in the folder (default: lexicon_dir()), by language code. The set of
    files is the set of supported languages."""
    directory = Path(directory or lexicon_dir()).resolve()
    # keyed on the files' sizes and times too, so an edited lexicon is read again
    fingerprint = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(directory.glob("*.yaml")))
    return _load_lexicons(directory, fingerprint)


@cache
def _load_lexicons(directory: Path, fingerprint: tuple) -> dict[str, Lexicon]:
    paths = sorted(directory.glob("*.yaml"))
    if not paths:
        raise LexiconError(f"no lexicons (*.yaml) in {directory}")
    return {lex.language: lex for lex in map(load_lexicon, paths)}
