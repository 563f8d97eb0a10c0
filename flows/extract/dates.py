"""Date expressions ("on 4 November", "last year", "지난 9월", "в апреле"), resolved
against the publication date to the date a figure refers to, with its precision."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
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
    year_given: bool = True   # False: the year was inferred from the publication date


# what a date pattern cannot match without: most sentences name no month and no year
_MONTH_NAME, _YEAR = "month name", "year"
_YEAR_DIGITS = re.compile(r"(?:19|20)\d\d")


@cache
def _patterns(lex: Lexicon) -> list[tuple[re.Pattern, str | None]]:
    """The date regexes, tried in this order, each with what it needs (_MONTH_NAME, _YEAR)."""
    month = lex.months.regex.pattern if lex.months else r"(?!x)x"
    day, year = r"(?<![\d.,])(?P<day>\d{1,2})(?![\d]|[.,]\d)", r"(?P<year>(?:19|20)\d\d)(?![\d]|[.,]\d)"
    marks = lex.date_markers or {}
    patterns = [
        (_MONTH_NAME, rf"{day}\.?\s+(?:de\s+|of\s+)?(?P<month>{month})(?:,?\s+(?:de\s+|del\s+)?{year})?"),
        (_MONTH_NAME, rf"(?P<month>{month})\s+{day}(?:st|nd|rd|th)?(?:,?\s+{year})?"),
        (_MONTH_NAME, rf"(?P<month>{month})(?:,?\s+(?:of\s+|de\s+|del\s+)?{year})?"),
    ]
    if {"year", "month", "day"} <= marks.keys():
        # CJK: 2025년 11월 4일, 11月4日, 9월, and a day alone: 국정원은 13일, 4日、
        y, m, d = (re.escape(marks[k]) for k in ("year", "month", "day"))
        patterns.insert(0, (None, rf"(?:{year}\s*{y}\s*)?(?P<monthnum>\d{{1,2}})\s*{m}(?:\s*{day}\s*{d})?"))
        patterns.append((_YEAR, rf"(?<![\d.,]){year}\s*{y}"))
        patterns.append((None, rf"(?<![\d.,{m}\s])\s*(?P<dayonly>\d{{1,2}})\s*{d}"))
    else:
        patterns.append((_YEAR, rf"(?<![\d.,A-Za-z]){year}"))     # not a model name: M1989
    numeric = {
        "dmy": r"(?P<day>\d{1,2})[/.](?P<monthnum>\d{1,2})[/.](?P<year>(?:19|20)\d\d)",
        "mdy": r"(?P<monthnum>\d{1,2})/(?P<day>\d{1,2})/(?P<year>(?:19|20)\d\d)",
    }.get(lex.numeric_dates)
    patterns.insert(0, (_YEAR, r"(?P<year>(?:19|20)\d\d)-(?P<monthnum>\d{1,2})-(?P<day>\d{1,2})"))   # ISO, everywhere
    if numeric:
        patterns.insert(0, (_YEAR, numeric))
    return [(re.compile(rf"(?<![\d/.-]){p}(?![\d/]|[.,-]\d)", re.IGNORECASE), needs) for needs, p in patterns]


def find_dates(text: str, lex: Lexicon, published: date | None, start: int = 0, end: int | None = None) -> list[DateMention]:
    """Date expressions in text[start:end], resolved; overlapping forms keep the most precise."""
    end = len(text) if end is None else end
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    present = {
        None: True,
        _MONTH_NAME: bool(lex.months) and lex.months.regex.search(text, start, end) is not None,
        _YEAR: _YEAR_DIGITS.search(text, start, end) is not None,
    }
    for pattern, needs in _patterns(lex):
        if not present[needs]:
            continue
        for m in pattern.finditer(text, start, end):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            resolved = _resolve(m, lex, published)
            if resolved is None:
                continue
            taken.append((m.start(), m.end()))
            value, precision, year_given = resolved
            found.append(DateMention(m.start(), m.end(), value, precision, _is_since(text, m, lex), year_given))
    if published is not None:
        for m in lex.relative_dates.finditer(text, start, end):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            offset = lex.relative_dates.lookup(m.group())
            value, precision = _shift(published, offset)
            relative = DateMention(m.start(), m.end(), value, precision, _is_since(text, m, lex))
            found = _anchor_month(found, relative, text) or [*found, relative]
        # "said on Tuesday" is the last Tuesday up to publication: when the statement was
        # made, so a figure's own date in the sentence ("sent in February") comes first
        for m in lex.weekdays.finditer(text, start, end) if not any(not d.since for d in found) else ():
            back = (published.weekday() - int(lex.weekdays.lookup(m.group()))) % 7
            found.append(DateMention(m.start(), m.end(), published - timedelta(days=back), "day", _is_since(text, m, lex)))
    return sorted(found, key=lambda d: d.start)


def _anchor_month(found: list[DateMention], relative: DateMention, text: str) -> list[DateMention] | None:
    """"지난해 8월", "March last year": a month next to a relative year is in that year."""
    if relative.precision != "year":
        return None
    for i, d in enumerate(found):
        gap = text[relative.end:d.start] if d.start >= relative.end else text[d.end:relative.start]
        if not d.year_given and d.precision in ("month", "day") and len(gap.strip()) <= 2 and len(gap) <= 3:
            moved = DateMention(min(d.start, relative.start), max(d.end, relative.end),
                                d.value.replace(year=relative.value.year), d.precision,
                                d.since or relative.since, True)
            return [*found[:i], moved, *found[i + 1:]]
    return None


def _is_since(text: str, m: re.Match, lex: Lexicon) -> bool:
    before = text[max(0, m.start() - 30):m.start()]     # "sinds het najaar van", "desde mediados de"
    after = text[m.end():m.end() + 8]
    return bool(lex.since and lex.since.ends(before)) or bool(lex.since_after and lex.since_after.starts(after))


def _resolve(m: re.Match, lex: Lexicon, published: date | None) -> tuple[date, str, bool] | None:
    groups = m.groupdict()
    if groups.get("dayonly"):
        # a day alone is in the month of publication, or the month before if still to come
        if published is None:
            return None
        day = int(groups["dayonly"])
        back = day > published.day
        month_index = published.year * 12 + published.month - 1 - back
        year, month = divmod(month_index, 12)
        if not 1 <= day <= calendar.monthrange(year, month + 1)[1]:
            return None
        return date(year, month + 1, day), "day", False
    if groups.get("month"):
        if lex.capitalized_months and not m.group("month")[0].isupper():
            return None
        month = int(lex.months.lookup(m.group("month")))
    elif groups.get("monthnum"):
        month = int(groups["monthnum"])
        if not 1 <= month <= 12:
            return None
    else:
        return date(int(groups["year"]), 1, 1), "year", True
    year_given = bool(groups.get("year"))
    if year_given:
        year = int(groups["year"])
    elif published is not None:
        year = published.year if month <= published.month else published.year - 1
    else:
        return None
    day = int(groups["day"]) if groups.get("day") else None
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return (date(year, month, day), "day", year_given) if day else (date(year, month, 1), "month", year_given)


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
