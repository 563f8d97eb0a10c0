"""Numbers as they are written: digits with the language's separators, number words,
scale words (million, тыс., 만, 万), ranges and vague magnitudes ("thousands").

`find_numbers` returns every number in a text, figures and non-figures alike; a number
that cannot be a figure (a year, a date, a calibre, a price) carries the reason in `trap`.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from dataclasses import dataclass
from functools import cache

from flows.extract.lexicon import Lexicon, trie_alternation

SPACES = " \u00a0\u202f\u2009"
_SEPARATOR = re.compile(f"([.,'{SPACES}])")


@dataclass
class Atom:
    start: int
    end: int
    kind: str          # digits | word | multiplier | scale
    value: float
    separated: bool = False   # digits written with a group separator (11,000)


@dataclass
class NumberMention:
    start: int
    end: int
    low: int | None
    high: int | None
    form: str                  # exact | range | vague
    qualifier: str             # from the vocabulary
    quote_start: int           # where the figure's wording starts (its qualifier)
    quote_end: int
    trap: str | None = None    # why this number is not a figure
    plain_year: bool = False   # four bare digits that may be a year
    more_than: bool = False    # "800多万": the qualifier sits inside the number
    lone_scale: bool = False   # a plural scale word standing alone: "millions of"
    revises: "NumberMention | None" = None   # "raised from 4,000 to 4,700": 4,700 revises 4,000
    joined_at: int = 0         # where "to" ends: a qualifier is read only after it ("с 4 тыс. до 4,7 тыс.")


def _digits_regex(lex: Lexicon) -> re.Pattern:
    """Runs of digits with their separators, for finditer over a whole text. A match always
    takes a run of digits whole, so none starts inside one and no (?<!\\d) is needed: a
    pattern that starts with \\d lets the engine skip straight to the next digit."""
    spaces = "".join(c for c in lex.group_separators if c in SPACES)
    seps = re.escape(".,'" + spaces)
    return re.compile(rf"\d+(?:[{seps}]\d+)*(?!\d)")


@cache
def _compiled(lex: Lexicon):
    word_alternation = lex.number_atoms.regex.pattern if lex.number_atoms else None
    compound = None
    if lex.compounds and word_alternation:
        # "dreitausend", "duemilacinquecento": number words written as one word
        words = sorted({**lex.words, **lex.multipliers, **lex.scales}, key=len, reverse=True)
        word = trie_alternation(words)     # as "|".join(words), but faster to search the text with
        compound = re.compile(rf"(?<!\w)(?:{word})(?:(?:und|en|e|y|i)?(?:{word}))+(?!\w)", re.IGNORECASE)
        compound_part = re.compile("|".join(map(re.escape, words)) + "|und|en|e|y|i", re.IGNORECASE)
    else:
        compound_part = None
    glued = None
    if lex.spaced and lex.scales:
        # "15mila", "12k": a scale word written onto its digits
        names = "|".join(re.escape(w) for w in sorted(lex.scales, key=len, reverse=True))
        glued = re.compile(rf"(?<=\d)(?:{names})(?!\w)", re.IGNORECASE)
    return _digits_regex(lex), compound, compound_part, glued


def scans(lex: Lexicon) -> list[re.Pattern]:
    """The patterns `find_numbers` runs over a whole text before any judgement: the
    benchmark times them alone, the floor of any extractor built on them."""
    digits, compound, _, _ = _compiled(lex)
    return [p for p in (digits, compound, lex.number_atoms.regex, lex.vague.regex) if p is not None]


def parse_digits(raw: str, lex: Lexicon, scaled: bool) -> tuple[float, bool] | None:
    """'11,000' -> 11000; '3.000' -> 3000; '1.5' -> 1.5 (only meaningful before a scale).

    A single separator followed by exactly three digits is a group separator unless a scale
    word follows and the separator is the language's decimal mark ("1.500 million")."""
    parts = _SEPARATOR.split(raw)
    numbers, seps = parts[0::2], parts[1::2]
    if not seps:
        return float(raw), False
    if any(s in SPACES and s not in lex.group_separators for s in seps):
        return None
    last_sep, last = seps[-1], numbers[-1]
    group_seps, tail = seps, None
    decimal_possible = last_sep in ".," and (len(last) != 3 or (scaled and last_sep in lex.decimal_separators))
    if decimal_possible:
        group_seps, tail = seps[:-1], last
    if len(set(group_seps)) > 1 or (tail is not None and last_sep in group_seps):
        return None
    body = numbers[: len(numbers) - (1 if tail is not None else 0)]
    if group_seps and (not 1 <= len(body[0]) <= 3 or any(len(p) != 3 for p in body[1:])):
        return None
    value = float("".join(body) + ("." + tail if tail is not None else ""))
    return value, bool(group_seps)


_Piece = tuple[int, int, str, float]     # start, end, kind and value of a possible atom


def _pieces(text: str, lex: Lexicon) -> tuple[list[_Piece], list[_Piece]]:
    """Every digit run, compound number word ("dreitausend") and glued scale ("15mila") in
    the text, then every number word: the regexes run once per text, however many masks
    find_numbers then tries."""
    digits_re, compound_re, compound_part, glued_re = _compiled(lex)
    digits = [m.span() for m in digits_re.finditer(text)]
    pieces: list[_Piece] = [(s, e, "digits", 0.0) for s, e in digits]
    if compound_re is not None:
        for m in compound_re.finditer(text):
            value = _evaluate_compound(m.group(), lex, compound_part)
            if value is not None:
                pieces.append((m.start(), m.end(), "word", value))
    if glued_re is not None:
        # a scale word starts with a letter, so it is glued only where a run of digits ends
        for _, end in digits:
            m = glued_re.match(text, end)
            if m:
                pieces.append((m.start(), m.end(), "scale", lex.scales[m.group().lower()]))
    words: list[_Piece] = []
    for m in lex.number_atoms.finditer(text):
        key = m.group().lower()
        for kind, values in (("scale", lex.scales), ("multiplier", lex.multipliers), ("word", lex.words)):
            if key in values:
                words.append((m.start(), m.end(), kind, values[key]))
                break
    return pieces, words


class _Spans:
    """Character spans, to ask whether a span overlaps any of them. Sorted by start, with
    the furthest end reached so far: one bisection per question."""

    def __init__(self, spans: list[tuple[int, int]]):
        spans = sorted(spans)
        self.starts = [s for s, _ in spans]
        self.reach = list(itertools.accumulate((e for _, e in spans), max))

    def overlaps(self, start: int, end: int) -> bool:
        before_end = bisect.bisect_left(self.starts, end)     # the spans that start before `end`
        return before_end > 0 and self.reach[before_end - 1] > start


def _atoms(pieces: list[_Piece], words: list[_Piece], masked: list[tuple[int, int]]) -> list[Atom]:
    """The atoms outside the masked spans; a number word only where no digits, compound or
    glued scale stands."""
    hidden = _Spans(masked)
    atoms = [Atom(*p) for p in pieces if not hidden.overlaps(p[0], p[1])]
    taken = _Spans([(a.start, a.end) for a in atoms])
    atoms += [Atom(*w) for w in words if not (hidden.overlaps(w[0], w[1]) or taken.overlaps(w[0], w[1]))]
    atoms.sort(key=lambda a: a.start)
    return atoms


def _evaluate_compound(word: str, lex: Lexicon, part_re: re.Pattern) -> float | None:
    pieces, pos = [], 0
    for m in part_re.finditer(word):
        if m.start() != pos:
            return None
        pos = m.end()
        key = m.group().lower()
        if key in lex.scales:
            pieces.append(Atom(0, 0, "scale", lex.scales[key]))
        elif key in lex.multipliers:
            pieces.append(Atom(0, 0, "multiplier", lex.multipliers[key]))
        elif key in lex.words:
            pieces.append(Atom(0, 0, "word", lex.words[key]))
    if pos != len(word) or not pieces:
        return None
    # German and Dutch put units before tens: "dreiundzwanzig" = 3 + 20
    chains = _chains(pieces, lambda a, b: True, lex)
    return chains[0][1] if len(chains) == 1 else None


class _Chain:
    """Adds atoms one by one while they still form one number."""

    def __init__(self, spaced: bool = True):
        self.spaced = spaced
        self.total = 0.0
        self.group = 0.0
        self.last: float | None = None
        self.last_kind = ""
        self.last_multiplier = math.inf
        self.last_scale = math.inf
        self.atoms: list[Atom] = []

    def accepts(self, atom: Atom) -> bool:
        if not self.atoms:
            return True
        if atom.kind in ("digits", "word"):
            if not any(a.kind in ("digits", "word", "multiplier") for a in self.atoms) \
                    and not (self.spaced and atom.kind == "word"):
                # "만 1만5천": a scale word with no number of its own starts nothing; 백이십 is
                # 120, and a spelled-out thousand goes on: "mil quinientos", "mille cinq cents"
                return False
            if self.last is None:
                return not (self.last_kind == "digits")
            if atom.kind == "word" and self.last_kind == "word":
                return self.last > atom.value and _fits_below(self.last, atom.value) or (
                    self.last < 10 and atom.value >= 20 and atom.value % 10 == 0)
            return False
        if atom.kind == "multiplier":
            return atom.value < self.last_multiplier and (self.last is None or self.last < atom.value or self.last_kind == "digits")
        return atom.value < self.last_scale

    def add(self, atom: Atom) -> None:
        if atom.kind in ("digits", "word"):
            self.last = atom.value if self.last is None else self.last + atom.value
        elif atom.kind == "multiplier":
            self.group += (1 if self.last is None else self.last) * atom.value
            self.last, self.last_multiplier = None, atom.value
        else:
            amount = self.group + (self.last or 0)
            self.total += (amount or 1) * atom.value
            self.group, self.last = 0.0, None
            self.last_scale, self.last_multiplier = atom.value, math.inf
        self.last_kind = atom.kind
        self.atoms.append(atom)

    @property
    def value(self) -> float:
        return self.total + self.group + (self.last or 0)


def _fits_below(last: float, value: float) -> bool:
    """'twenty' + 'one', 'сто' + 'двадцать': the new word fills the zeros of the last."""
    place = 1
    n = int(last)
    while n and n % 10 == 0:
        n //= 10
        place *= 10
    return value < place


def _chains(atoms: list[Atom], joinable, lex: Lexicon) -> list[tuple[list[Atom], float]]:
    out, chain = [], _Chain(lex.spaced)
    for atom in atoms:
        if chain.atoms and not (joinable(chain.atoms[-1], atom) and chain.accepts(atom)):
            out.append((chain.atoms, chain.value))
            chain = _Chain(lex.spaced)
        chain.add(atom)
    if chain.atoms:
        out.append((chain.atoms, chain.value))
    return out


def find_numbers(text: str, lex: Lexicon) -> list[NumberMention]:
    vague_spans = [(m.start(), m.end(), lex.vague.lookup(m.group())) for m in lex.vague.finditer(text)]
    pieces, words = _pieces(text, lex)
    atoms = _atoms(pieces, words, [(s, e) for s, e, _ in vague_spans])
    # "3 тысячи северокорейских": a numeral before a vague phrase makes its word a scale again
    counted = []
    if vague_spans:
        unmasked = _atoms(pieces, words, [])
        counted = [v for v in vague_spans if any(a.start == v[0] for a in unmasked)
                   and _numeral_before(text, v[0], unmasked, lex)]
    if counted:
        vague_spans = [v for v in vague_spans if v not in counted]
        atoms = _atoms(pieces, words, [(s, e) for s, e, _ in vague_spans])

    def joinable(a: Atom, b: Atom) -> bool:
        gap = text[a.end:b.start]
        if not gap.strip(SPACES + "\n\t"):
            return "\n" not in gap
        if a.kind == "digits" and b.kind == "scale" and lex.infix_more_than.regex is not None:
            if lex.infix_more_than.regex.fullmatch(gap.strip()):
                return True     # "800多万", "800여만": more than 8 million
        # "dreihundert und fünfzig" joins words; "10 mil e 12 mil" is two numbers
        return (bool(lex.connectors) and "digits" not in (a.kind, b.kind) and len(gap) <= 6
                and lex.connectors.regex.fullmatch(gap.strip()) is not None)

    # digits must be parsed with knowledge of a following scale ("1.5 million")
    numbers: list[tuple[int, int, float | None, bool, list[Atom]]] = []
    for chain_atoms, _ in _chains(atoms, joinable, lex):
        value, separated = _chain_value(text, chain_atoms, lex)
        numbers.append((chain_atoms[0].start, chain_atoms[-1].end, value, separated, chain_atoms))

    mentions: list[NumberMention] = []
    revisions: list[tuple[int, int, int]] = []      # old estimate's start, new one's, where "to" ends
    i = 0
    while i < len(numbers):
        start, end, value, separated, chain_atoms = numbers[i]
        nxt = numbers[i + 1] if i + 1 < len(numbers) else None
        revision = _revision(text, lex, numbers[i], nxt) if nxt else None
        if revision is not None:
            revisions.append((start, nxt[0], revision))
        joined = _range(text, lex, numbers[i], nxt) if nxt and revision is None else None
        if joined:
            low, high = joined
            mentions.append(NumberMention(start, nxt[1], low, high, "range", "range", start, nxt[1]))
            i += 2
            continue
        if value is None or value != value or value < 0:
            mentions.append(NumberMention(start, end, None, None, "exact", "exact", start, end, trap="unreadable"))
        else:
            rounded = round(value)
            trap = None if abs(value - rounded) < 1e-6 else "fraction"
            if trap is None and rounded < 2 and all(a.kind == "word" for a in chain_atoms):
                trap = "lone word one"
            if trap is None and (rounded == 0 or text[start] == "0" and end - start > 1 and text[start + 1].isdigit()):
                trap = "zero or a leading zero"   # "12 h 00", "gli 007 di Seul"
            if (trap is None and not lex.spaced and not any(a.kind in ("digits", "word") for a in chain_atoms)
                    and not _counter_follows(text, end, lex)):
                trap = "scale word without a number"   # 하지만, 백악관: 만 and 백 inside words; 千人 counts
            plain_year = (len(chain_atoms) == 1 and chain_atoms[0].kind == "digits" and not separated
                          and end - start == 4 and 1900 <= rounded <= 2100)
            mention = NumberMention(start, end, rounded, rounded, "exact", "exact", start, end,
                                    trap=trap, plain_year=plain_year)
            mention.more_than = any(text[a.end:b.start].strip(SPACES) != "" and a.kind == "digits"
                                    and b.kind == "scale" for a, b in zip(chain_atoms, chain_atoms[1:]))
            mention.lone_scale = (len(chain_atoms) == 1 and chain_atoms[0].kind == "scale"
                                  and text[start:end].lower() in lex.vague_alone)
            mentions.append(mention)
        i += 1
    for s, e, (low, high) in vague_spans:
        mentions.append(NumberMention(s, e, low, high, "vague", "vague", s, e))
    mentions.sort(key=lambda m: m.start)
    by_start = {m.start: m for m in mentions}
    for old_start, new_start, joined_at in revisions:
        if old_start in by_start and new_start in by_start:
            by_start[new_start].revises, by_start[new_start].joined_at = by_start[old_start], joined_at
    for mention in mentions:
        _qualify(text, lex, mention)
        if mention.trap is None:
            mention.trap = _trap(text, lex, mention)
    return mentions


def _counter_follows(text: str, end: int, lex: Lexicon) -> bool:
    """Does a counter follow, perhaps after "more than": 千人, 천 명, 천여 명?"""
    after = text[end:end + 8]
    more = lex.qualifiers_after.starts(after) if lex.qualifiers_after else None
    return bool(lex.counters and lex.counters.starts(after[more.end():] if more else after))


def _numeral_before(text: str, start: int, atoms: list[Atom], lex: Lexicon) -> bool:
    """Is a number, or a qualifier such as "более", right before `start`?"""
    before = text[max(0, start - 30):start]
    if lex.qualifiers_before.ends(before):
        return True
    ends = [a for a in atoms if a.end <= start and not text[a.end:start].strip(SPACES)]
    return any(a.kind in ("digits", "word") for a in ends)


def _chain_value(text: str, atoms: list[Atom], lex: Lexicon) -> tuple[float | None, bool]:
    if len(atoms) == 1 and atoms[0].kind == "digits":
        # most numbers are one run of digits: its value needs no chain
        parsed = parse_digits(text[atoms[0].start:atoms[0].end], lex, False)
        if parsed is None:
            return None, False
        atoms[0].value = parsed[0]
        return parsed
    chain, separated = _Chain(), False
    for i, atom in enumerate(atoms):
        if atom.kind == "digits":
            scaled = i + 1 < len(atoms) and atoms[i + 1].kind in ("scale", "multiplier")
            parsed = parse_digits(text[atom.start:atom.end], lex, scaled)
            if parsed is None:
                return None, False
            atom.value, atom_separated = parsed
            separated = separated or atom_separated
        chain.add(atom)
    return chain.value, separated


def _revision(text: str, lex: Lexicon, a, b) -> int | None:
    """"raised its estimate from 4,000 to 4,700", "повысил оценку с 4 тыс. до 4,7 тыс.": two
    estimates, the old and the new, not a range. Where the joining word ends, or None."""
    if not lex.revised:
        return None
    a_start, a_end, *_ = a
    b_start, b_end, *_ = b
    gap = text[a_end:b_start]
    if len(gap) > 30 or "\n" in gap:        # "van 4700 in april naar ongeveer 5500"
        return None
    for opening, joining in lex.revision_between:
        joined = joining.regex.search(gap) if joining.regex else None
        if joined and opening.ends(text[max(0, a_start - 25):a_start]) \
                and lex.revised.regex.search(text, max(0, a_start - 60), min(len(text), b_end + 30)):
            return a_end + joined.end()
    return None


def _range(text: str, lex: Lexicon, a, b) -> tuple[int, int] | None:
    a_start, a_end, a_value, _, a_atoms = a
    b_start, b_end, b_value, _, b_atoms = b
    if a_value is None or b_value is None:
        return None
    gap = text[a_end:b_start]
    if len(gap) > 12 or "\n" in gap:
        return None
    infix = lex.range_infix.regex and lex.range_infix.regex.fullmatch(gap.strip(SPACES))
    between = False
    if not infix:
        before = text[max(0, a_start - 20):a_start]
        for opening, joining in lex.range_between:
            if opening.ends(before) and joining.regex.fullmatch(gap.strip(SPACES)):
                between = True
    if not (infix or between):
        return None
    # "10 to 12 thousand", "від 10 до 12 тисяч": the scale of the second applies to the first
    b_scale = b_atoms[-1].value if b_atoms[-1].kind == "scale" else None   # "12 thousand", not "1만1"
    if b_scale and not any(x.kind == "scale" for x in a_atoms) and a_value * b_scale <= b_value:
        a_value *= b_scale
    low, high = round(a_value), round(b_value)
    if abs(a_value - low) > 1e-6 or abs(b_value - high) > 1e-6 or not 0 < low < high:
        return None
    if infix and "-" in gap and not gap.strip(SPACES).strip("-–—") and 1900 <= low <= 2100 and high <= 2100:
        return None  # 2024-2025 is a span of years
    return low, high


def _qualify(text: str, lex: Lexicon, m: NumberMention) -> None:
    if m.form == "exact":
        before = text[max(0, m.start - 40, m.joined_at):m.start]
        q = lex.qualifiers_before.ends(before)
        if q:
            m.qualifier = lex.qualifiers_before.lookup(q.group().strip())
            m.quote_start = m.start - (len(before) - q.start())
        elif m.lone_scale:
            # "Milioni di proiettili", "тысячи строителей": the plural scale alone is vague
            magnitude = m.low
            m.form = m.qualifier = "vague"
            m.low, m.high = 2 * magnitude, 10 * magnitude - 1
            return
        if m.more_than:
            m.qualifier = "more_than"
        after = text[m.end:m.end + 30]
        counter = lex.counters.starts(after) if lex.counters else None
        offset = counter.end() if counter else 0
        q = lex.qualifiers_after.starts(after[offset:]) if lex.qualifiers_after else None
        if q:
            m.qualifier = lex.qualifiers_after.lookup(q.group().strip())
            m.quote_end = m.end + offset + q.end()
    if m.qualifier in ("at_least", "more_than"):
        m.high = None
    elif m.qualifier in ("at_most", "less_than"):
        m.low = None


# what stands right before (…\Z) or right after (^…) a number that cannot be a figure
_LETTER_BEFORE = re.compile(r"[^\W\d_]-?\Z")         # "T-90", "Su34"
_LETTER_AFTER = re.compile(r"[^\W\d_]")
_LATIN_BEFORE = re.compile(r"[A-Za-z]-?\Z")           # unspaced scripts: a model name
_LATIN_AFTER = re.compile(r"[A-Za-z]")
_DIGIT_BEFORE = re.compile(r"\d[.,:/]?\Z")            # "1/2", "3:0", "12.5"
_DIGIT_AFTER = re.compile(r"[.,:/]?\d")
_NUMBER_AHEAD = re.compile(r"\s*\d+(?:[.,]\d+)*")     # the next number after "and": "122 and 152 mm"


def _trap(text: str, lex: Lexicon, m: NumberMention) -> str | None:
    before = text[max(0, m.quote_start - 25, m.joined_at):m.quote_start]
    after = text[m.quote_end:m.quote_end + 25]
    touching = before[-2:]      # the *_BEFORE patterns match the last two characters at most
    if lex.spaced:
        if _LETTER_BEFORE.search(touching) or _LETTER_AFTER.match(after) and not lex.blockers_after.starts(after):
            return "part of a word or model name"
    elif _LATIN_BEFORE.search(touching) or _LATIN_AFTER.match(after):
        return "part of a model name"
    if _DIGIT_BEFORE.search(touching) or _DIGIT_AFTER.match(after):
        return "part of a longer number"
    if lex.blockers_before.ends(before):
        return "unit, currency or ordinal before it"
    if lex.blockers_after.starts(after) or _unit_after_next(after, lex):
        return "unit, currency or duration after it"
    could_be_date = m.form == "exact" and m.low is not None and (m.low <= 31 or m.plain_year)
    # the month must touch the number itself: "seit Dezember mindestens 2000" is a count
    if could_be_date and (lex.months.ends(text[max(0, m.start - 25):m.start]) or lex.months.starts(after)):
        return "part of a date"
    return None


def _unit_after_next(after: str, lex: Lexicon) -> bool:
    """"shells of 122 and 152 mm": the unit after the second number is the first's too."""
    for joining in (lex.connectors, *(j for _, j in lex.range_between)):   # "and": und, e, y, en
        joined = joining.starts(after) if joining else None
        number = _NUMBER_AHEAD.match(after, joined.end()) if joined else None
        if number is not None and lex.blockers_after.starts(after[number.end():]):
            return True
    return False
