"""RSS and Atom feeds, parsed by feedparser: the entries, each with its link and, when the
feed carries the whole article (content:encoded, Atom content), its text."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin, urlsplit

import feedparser

from flows.ingest.htmlpage import html_to_text
from flows.ingest.metadata import language_code, parse_date

# an entry whose own text is at least this long is the article, not a teaser to follow
FULL_TEXT_CHARS = 500


@dataclass
class FeedEntry:
    number: int                 # 1-based, in feed order
    link: str | None            # absolute http(s) URL of the article page
    title: str | None
    published: date | None
    text: str                   # the entry's own text (content, else summary), "" if none

    @property
    def carries_article(self) -> bool:
        return len(self.text) >= FULL_TEXT_CHARS


@dataclass
class Feed:
    title: str | None           # the outlet, usually
    language: str | None
    entries: list[FeedEntry]


def looks_like_feed(data: bytes, content_type: str | None = None) -> bool:
    """Cheap sniffing first: feedparser takes seconds over a large HTML page."""
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind.endswith(("rss+xml", "atom+xml", "rdf+xml")):
        return True
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<html" in head:
        return False
    return (kind in ("application/xml", "text/xml") or head.startswith(b"<?xml")
            or any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf")))


def parse_feed(data: bytes, url: str, content_type: str | None = None) -> Feed | None:
    """The feed, or None when the bytes are not an RSS or Atom feed (e.g. an HTML page)."""
    if not looks_like_feed(data, content_type):
        return None
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    # a stream, never a string: feedparser would fetch a string that looks like a URL
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    if not parsed.get("version"):
        return None
    channel = parsed.get("feed", {})
    entries = [_entry(number, raw, url) for number, raw in enumerate(parsed.entries, start=1)]
    return Feed(_clean(channel.get("title")), language_code(channel.get("language")), entries)


def _entry(number: int, raw, feed_url: str) -> FeedEntry:
    link = raw.get("link")
    link = urljoin(feed_url, link) if link else None
    if link and urlsplit(link).scheme not in ("http", "https"):
        link = None
    # dict.get: feedparser's own get maps a missing key to another, with a deprecation warning
    published = next((found for key in ("published_parsed", "updated_parsed", "published", "updated")
                      if (found := parse_date(dict.get(raw, key)))), None)
    return FeedEntry(number, link, _clean(raw.get("title")), published, _text(raw))


def _text(raw) -> str:
    """The longest of the entry's contents and summary, as plain text."""
    candidates = [(c.get("type", ""), c.get("value", "")) for c in raw.get("content", [])]
    if raw.get("summary"):
        candidates.append((raw.get("summary_detail", {}).get("type", "text/html"), raw["summary"]))
    texts = [value.strip() if kind == "text/plain" else html_to_text(value) for kind, value in candidates if value]
    return max(texts, key=len, default="")


def _clean(value: str | None) -> str | None:
    return " ".join(value.split()) if value and value.strip() else None
