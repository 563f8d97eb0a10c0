"""Date expressions ("on 4 November", "last year", "지난 9월", "в апреле"), resolved
against the publication date to the date a figure refers to, with its precision."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from flows.extract.lexicon import Lexicon

PRECISION_RANK = {"year": 0, "month": 1, "day": 2}


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    value: date
    precision: str      # day | month | year
    since: bool         # "since September": a starting point, not the date of the figure


@cache
def _patterns(lex: Lexicon) -> list[re.Pattern]:
    month = lex.months.regex.pattern if lex.months else r"(?!x)x"
    day, year = r"(?<![\d.,])(?P<day>\d{1,2})(?![\d]|[.,]\d)", r"(?P<year>(?:19|20)\d\d)(?![\d]|[.,]\d)"
    marks = lex.date_markers or {}
    patterns = [
        rf"{day}\.?\s+(?:de\s+|of\s+)?(?P<month>{month})(?:,?\s+(?:de\s+|del\s+)?{year})?",
        rf"(?P<month>{month})\s+{day}(?:st|nd|rd|th)?(?:,?\s+{year})?",
        rf"(?P<month>{month})(?:,?\s+(?:of\s+|de\s+|del\s+)?{year})?",
    ]
    if {"year", "month"} <= marks.keys():
        y, m, d = (re.escape(marks[k]) for k in ("year", "month", "day"))
        patterns.insert(0, rf"(?:{year}\s*{y}\s*)?(?P<monthnum>\d{{1,2}})\s*{m}(?:\s*{day}\s*{d})?")
    patterns.append(rf"(?<!\d){year}(?:\s*{re.escape(marks['year'])})?" if "year" in marks else rf"(?<![\d.,]){year}(?![\d.,]\d)")
    return [re.compile(p, re.IGNORECASE) for p in patterns]


def find_dates(text: str, lex: Lexicon, published: date | None, start: int = 0, end: int | None = None) -> list[DateMention]:
    """Date expressions in text[start:end], resolved; overlapping forms keep the most precise."""
    end = len(text) if end is None else end
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern in _patterns(lex):
        for m in pattern.finditer(text, start, end):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            resolved = _resolve(m, lex, published)
            if resolved is None:
                continue
            taken.append((m.start(), m.end()))
            found.append(DateMention(m.start(), m.end(), *resolved, since=_is_since(text, m.start(), lex)))
    if published is not None:
        for m in lex.relative_dates.finditer(text, start, end):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            offset = lex.relative_dates.lookup(m.group())
            value, precision = _shift(published, offset)
            found.append(DateMention(m.start(), m.end(), value, precision, _is_since(text, m.start(), lex)))
    return sorted(found, key=lambda d: d.start)


def _is_since(text: str, start: int, lex: Lexicon) -> bool:
    return bool(lex.since) and lex.since.ends(text[max(0, start - 20):start]) is not None


def _resolve(m: re.Match, lex: Lexicon, published: date | None) -> tuple[date, str] | None:
    groups = m.groupdict()
    if groups.get("month"):
        if lex.capitalized_months and not m.group("month")[0].isupper():
            return None
        month = int(lex.months.lookup(m.group("month")))
    elif groups.get("monthnum"):
        month = int(groups["monthnum"])
        if not 1 <= month <= 12:
            return None
    else:
        return date(int(groups["year"]), 1, 1), "year"
    if groups.get("year"):
        year = int(groups["year"])
    elif published is not None:
        year = published.year if month <= published.month else published.year - 1
    else:
        return None
    day = int(groups["day"]) if groups.get("day") else None
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return (date(year, month, day), "day") if day else (date(year, month, 1), "month")


def _shift(published: date, offset: dict) -> tuple[date, str]:
    if "days" in offset:
        value = date.fromordinal(published.toordinal() + int(offset["days"]))
        return value, offset.get("precision", "day")
    if "months" in offset:
        index = published.year * 12 + published.month - 1 + int(offset["months"])
        return date(index // 12, index % 12 + 1, 1), offset.get("precision", "month")
    return date(published.year + int(offset["years"]), 1, 1), offset.get("precision", "year")


def format_as_of(value: date | None, precision: str | None) -> str | None:
    """The gold file's form: YYYY, YYYY-MM or YYYY-MM-DD."""
    if value is None or precision is None:
        return None
    return value.strftime({"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d"}[precision])
