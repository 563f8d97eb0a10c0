"""Feeds as bytes: entries, their links and dates, and when an entry carries the article."""

import time
from datetime import date

from flows.ingest.article import Article, Rejection
from flows.ingest.feed import FULL_TEXT_CHARS, parse_feed
from flows.ingest.sources import entry_article

FEED_URL = "https://news.example.org/feeds/world.xml"
LONG = "About 11,000 North Korean soldiers were deployed to the Kursk region, Seoul said. " * 8


def rss(items: str) -> bytes:
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>  World \n News </title>"
            f"<language>NL-be</language>{items}</channel></rss>").encode()


def test_entries_with_their_links_dates_and_text():
    feed = parse_feed(rss(
        "<item><title>Relative</title><link>/2025/11/10/troops.html</link><pubDate>Mon, 10 Nov 2025 08:00:00 GMT</pubDate></item>"
        "<item><title>Not web</title><link>javascript:alert(1)</link><description>Short.</description></item>"
        f"<item><title>Whole</title><link>https://news.example.org/whole</link><description>{LONG}</description></item>"
        "<item><title>Bad date</title><link>https://news.example.org/x</link><pubDate>someday</pubDate></item>"),
        FEED_URL)
    relative, not_web, whole, bad_date = feed.entries
    assert (feed.title, feed.language) == ("World News", "nl")
    assert relative.link == "https://news.example.org/2025/11/10/troops.html"
    assert relative.published == date(2025, 11, 10) and not relative.carries_article
    assert not_web.link is None
    assert whole.carries_article and len(whole.text) >= FULL_TEXT_CHARS
    assert bad_date.published is None


def test_an_entry_without_link_or_article_is_rejected_and_one_with_its_article_is_read():
    feed = parse_feed(rss(
        "<item><title>Teaser only</title><description>Read more on our site.</description></item>"
        f"<item><title>All here</title><description>{LONG}</description></item>"), FEED_URL)
    teaser, whole = (entry_article(e, feed, FEED_URL, fetcher=None, state=None) for e in feed.entries)
    assert isinstance(teaser, Rejection) and teaser.source_uri == f"{FEED_URL}#entry=1"
    assert "too short to be the article" in teaser.reason
    assert isinstance(whole, Article) and whole.source_uri == f"{FEED_URL}#entry=2"
    assert (whole.title, whole.outlet, whole.language) == ("All here", "World News", "nl")


def test_pages_are_not_mistaken_for_feeds_and_cost_no_feed_parsing():
    page = b"<!DOCTYPE html><html><body>" + b"<div><p>Words and <a href='/x'>links</a>.</p></div>" * 20_000 + b"</body></html>"
    started = time.perf_counter()
    assert parse_feed(page, FEED_URL, "text/html") is None
    assert parse_feed(b"<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'><body/></html>", FEED_URL) is None
    assert time.perf_counter() - started < 0.5
    # a feed served with a wrong content type is still a feed
    assert parse_feed(rss("<item><title>T</title><link>https://x.example/a</link></item>"), FEED_URL, "text/html")
