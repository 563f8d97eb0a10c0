"""Sentences, the unit within which a figure, its counted noun and its attribution are read."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flows.extract.lexicon import PhraseSet

# a sentence may end here: . ! ? then space; CJK full stops; a semicolon. The stop comes
# first, as a class of its own, so that the engine skips straight from one to the next
_END = re.compile(r"""
    [.!?。！？;]
    (?: (?<=[.!?])   [.!?]*    ["”’»)\]]*   \s+
      | (?<=[。！？])  [。！？]*  [”」』)）]*  \s*
      | (?<=;)       \s*
    )""", re.VERBOSE)
_OPENING = "\"“‘«„(['「『 \u00a0"
# "U.S. officials", "Gen. Kim": a period that does not end a sentence
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr gen lt col sgt st sen rep no nr jr prof approx ca etc vs e.g i.e".split())
_INITIALS = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]?")   # "U.S", "e.g"
_ORDINAL = re.compile(r"\d{1,2}")                       # "am 18. Oktober", not "der andere 26. Beide"


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int


def _continues(line: str, stop: re.Match, abbreviations: frozenset[str], months: PhraseSet | None) -> bool:
    """Does the text go on after this period (an abbreviation, an ordinal day before its
    month, lower case next)?"""
    token = stop.group()
    if token[0] not in ".!?":
        return False
    rest = line[stop.end():].lstrip(_OPENING)
    if rest[:1].islower():
        return True
    if token[0] != "." or len(token.rstrip()) > 1 and token[1] == ".":
        return False
    word = _last_word(line, stop.start()).lower()
    if _ORDINAL.fullmatch(word):
        return bool(months and months.starts(rest))
    return (len(word) == 1 and word.isalpha()) or word in _ABBREVIATIONS or word in abbreviations \
        or bool(_INITIALS.fullmatch(word))


def _last_word(line: str, end: int) -> str:
    """The run of non-space characters that line[:end] ends with ("" after a space).
    rsplit reads from the right: the cost is the word's, not the line's."""
    before = line[:end]
    if not before or before[-1].isspace():
        return ""
    return before.rsplit(None, 1)[-1]


def split_sentences(text: str, abbreviations: frozenset[str] = frozenset(),
                    months: PhraseSet | None = None) -> list[Sentence]:
    sentences: list[Sentence] = []
    offset = 0
    for paragraph, line in enumerate(text.split("\n")):
        start = 0
        for stop in _END.finditer(line):
            if _continues(line, stop, abbreviations, months):
                continue
            end = stop.start() + len(stop.group().rstrip())
            if line[start:end].strip():
                sentences.append(Sentence(offset + start, offset + end, paragraph))
            start = stop.end()
        if line[start:].strip():
            sentences.append(Sentence(offset + start, offset + len(line), paragraph))
        offset += len(line) + 1
    return sentences
