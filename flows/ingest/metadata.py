"""Metadata an article shows by itself when nothing else says it (title, publication date),
and metadata values as sources write them (dates, language tags)."""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from time import struct_time
from urllib.parse import urlsplit

from flows.extract.dates import find_dates
from flows.extract.lexicon import load_lexicons
from flows.ingest.article import Article
from flows.ingest.language import detect_language

ARTICLE_FIELDS = ("title", "outlet", "url", "original_source", "published_at", "language")

# a dated path: /2025/11/10/ in a URL or an image path
_DATED_PATH = re.compile(r"/((?:19|20)\d\d)/(\d{1,2})/(\d{1,2})/")
_ISO_IN_URL = re.compile(r"[/_-]((?:19|20)\d\d)-(\d\d)-(\d\d)(?!\d)")
_ISO_START = re.compile(r"((?:19|20)\d\d)-(\d\d)-(\d\d)")
_WRITTEN_DATES = ("%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%Y/%m/%d")   # never 1/2/2025: d/m or m/d?
_DATELINE_CHARS = 400   # where a byline or dateline sits; later dates are the story's, not its publication


def first_line(text: str, limit: int = 300) -> str | None:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:limit]
    return None


def date_from_paths(text: str) -> date | None:
    """The latest date that the article's URLs or image paths carry, if any."""
    found = []
    for pattern in (_DATED_PATH, _ISO_IN_URL):
        for y, m, d in pattern.findall(text):
            try:
                found.append(date(int(y), int(m), int(d)))
            except ValueError:
                continue
    return max(found) if found else None


def parse_date(value: object) -> date | None:
    """A publication date as metadata writes it: ISO 8601 (with or without time and zone),
    RFC 2822 as in feeds and HTTP ("Mon, 10 Nov 2025 08:00:00 GMT"), "10 Nov 2025",
    "November 10, 2025", a time.struct_time."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, struct_time):
        return _valid(value.tm_year, value.tm_mon, value.tm_mday)
    text = str(value).strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    iso = _ISO_START.match(text)
    if iso:
        return _valid(*map(int, iso.groups()))
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    for form in _WRITTEN_DATES:
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    return None


def date_from_url(url: str | None) -> date | None:
    """The date a URL's path carries (/2025/11/10/ or 2025-11-10), if any."""
    if not url:
        return None
    return date_from_paths(urlsplit(url).path + "/")


def date_from_text(text: str, language: str | None) -> date | None:
    """The publication date the article shows by itself: a dated URL or image path in it,
    else a full date (day, month, year) in its dateline, the first lines."""
    found = date_from_paths(text)
    if found or not language:
        return found
    lexicon = load_lexicons().get(language)
    if lexicon is None:
        return None
    for mention in find_dates(text, lexicon, None, 0, min(len(text), _DATELINE_CHARS)):
        if mention.precision == "day" and mention.year_given and not mention.since:
            return mention.value
    return None


def language_code(value: str | None) -> str | None:
    """"en-GB", "EN_us", "nl" -> the primary subtag, lowercased."""
    if not value:
        return None
    code = re.split(r"[-_]", value.strip(), maxsplit=1)[0].lower()
    return code if re.fullmatch(r"[a-z]{2,3}", code) else None


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def typed_fields(raw: dict) -> dict:
    """Metadata as a source writes it (strings, any date form) -> Article fields; empty and
    unreadable values are left out, so that what comes next (inference) fills them."""
    out = {}
    for key in ARTICLE_FIELDS:
        value = raw.get(key)
        if isinstance(value, str):
            value = value.strip()
        if key == "published_at":
            value = parse_date(value)
        elif key == "language":
            value = language_code(value)
        if value:
            out[key] = value
    return out


def complete(article: Article) -> Article:
    """Fill what the metadata left out from the article itself."""
    article.title = article.title or first_line(article.text)
    article.language = article.language or detect_language(article.text)
    article.published_at = (article.published_at or date_from_url(article.url)
                            or date_from_text(article.text, article.language))
    return article
