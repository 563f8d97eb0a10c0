"""Sentences, the unit within which a figure, its counted noun and its attribution are read."""

from __future__ import annotations

import re
from dataclasses import dataclass

_BOUNDARY = re.compile(
    r"(?<=[.!?])[\"”’»)\]]*\s+(?=[\"“‘«(\[]?[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐ0-9])"   # Latin and Cyrillic: . then a capital
    r"|(?<=[。！？])"                                                   # CJK full stops need no space
    r"|;\s*"
)
# "U.S. officials", "Gen. Kim": a period that does not end a sentence
_ABBREVIATION = re.compile(r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Sgt|St|Sen|Rep|No|Nr|Jr|Prof|approx|ca|etc|vs))\.\Z")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int


def split_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    offset = 0
    for paragraph, line in enumerate(text.split("\n")):
        start = 0
        for m in _BOUNDARY.finditer(line):
            if m.group().startswith(";") or not _ABBREVIATION.search(line[: m.start()]):
                if line[start:m.start()].strip():
                    sentences.append(Sentence(offset + start, offset + m.start(), paragraph))
                start = m.end()
        if line[start:].strip():
            sentences.append(Sentence(offset + start, offset + len(line), paragraph))
        offset += len(line) + 1
    return sentences
