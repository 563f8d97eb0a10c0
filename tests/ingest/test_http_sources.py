"""Sources over HTTP, against a real server on 127.0.0.1: feeds and their pages,
conditional requests, timeouts, retries, size limits and redirects. The server counts
every request, so retries and "downloads nothing" are checked where they happen."""

from __future__ import annotations

import socket
import threading
import time
from collections import defaultdict
from datetime import date
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from flows.ingest.article import Article, Rejection, Unchanged
from flows.ingest.fetch import Fetcher, FetchState
from flows.ingest.sources import read_sources

ONE = ["Pyongyang has sent about 3,000 more soldiers to Russia since January, the South Korean "
       "intelligence service told lawmakers on Monday.",
       "The agency said the new troops brought the total deployment to roughly 14,000 soldiers."]
TWO = ["Ukraine's military intelligence said about 600 North Korean soldiers were killed in a "
       "single week of fighting in the Kursk region.",
       "A spokesman said 12 soldiers had been captured since the summer and were being questioned."]
FULL = [f"Paragraph {n} of a story that the feed carries whole: the agency estimated that about "
        f"1,100 North Korean soldiers had been killed and 2,700 wounded by the start of the year, "
        f"and lawmakers said the figures were a conservative estimate." for n in range(1, 5)]
ENTRY = ["The Russian defence ministry said 1,500 North Korean engineers would help rebuild the region.",
         "It gave no date for their arrival and did not say where they would be housed."]
LAST_MODIFIED = formatdate(1_762_750_000, usegmt=True)


def html_page(paragraphs, title="A page", head=""):
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html lang='en'><head><meta charset='utf-8'><title>{title}</title>{head}</head><body>"
            f"<nav><a href='/'>Home NAV_WORD</a></nav><article><h1>{title}</h1>{body}</article>"
            f"<footer>Copyright FOOTER_WORD</footer></body></html>").encode()


def rss(base):
    full = "".join(f"<p>{p}</p>" for p in FULL)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>The Daily Example</title><link>{base}/</link><description>World news</description>
<language>en-gb</language>
<item><title>Seoul: 3,000 more soldiers sent</title><link>{base}/articles/one.html</link>
<pubDate>Mon, 10 Nov 2025 08:00:00 GMT</pubDate><description>A short teaser.</description></item>
<item><title>The whole story in the feed</title><link>{base}/articles/never-fetched.html</link>
<pubDate>Tue, 11 Nov 2025 09:00:00 GMT</pubDate><description>Teaser.</description>
<content:encoded><![CDATA[{full}<script>SCRIPT_WORD</script>]]></content:encoded></item>
<item><title>Gone</title><link>{base}/missing.html</link></item>
</channel></rss>""".encode()


def atom(base):
    full = "".join(f"&lt;p&gt;{p}&lt;/p&gt;" for p in FULL)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><title>Atom Example</title>
<id>urn:example:feed</id><updated>2025-11-12T00:00:00Z</updated>
<entry><title>Kyiv: 600 killed in a week</title><link href="{base}/articles/two.html"/>
<id>urn:example:two</id><updated>2025-11-12T06:00:00Z</updated><summary>Teaser.</summary></entry>
<entry><title>Whole story in Atom</title><link href="{base}/articles/atom-never-fetched.html"/>
<id>urn:example:full</id><updated>2025-11-13T06:00:00Z</updated>
<content type="html">{full}</content></entry>
</feed>""".encode()


class Site:
    """What the server serves, and what it saw: requests per path, headers, bytes sent."""

    def __init__(self):
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.hits: dict[str, int] = defaultdict(int)
        self.headers: dict[str, list[dict]] = defaultdict(list)
        self.sent: dict[str, list[int]] = defaultdict(list)
        self.base = ""


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        site: Site = self.server.site
        path = urlsplit(self.path).path
        with site.lock:
            site.hits[self.path] += 1
            count = site.hits[self.path]
            site.headers[self.path].append(dict(self.headers))
        try:
            status, headers, body = self.route(site, path, count)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if "Content-Length" not in headers and isinstance(body, bytes):
                self.send_header("Content-Length", str(len(body)))
            if isinstance(body, bytes):         # recorded first: the client may be done before we are
                with site.lock:
                    site.sent[self.path].append(len(body))
            self.end_headers()
            if isinstance(body, bytes):
                self.wfile.write(body)
                return
            sent = 0
            for chunk in body:
                self.wfile.write(chunk)
                sent += len(chunk)
            with site.lock:
                site.sent[self.path].append(sent)
        except (BrokenPipeError, ConnectionResetError):
            with site.lock:
                site.sent[self.path].append(-1)

    def route(self, site: Site, path: str, count: int):
        html = {"Content-Type": "text/html; charset=utf-8"}
        if path == "/feed.rss":
            return 200, {"Content-Type": "application/rss+xml"}, rss(site.base)
        if path == "/atom.xml":
            return 200, {"Content-Type": "application/atom+xml"}, atom(site.base)
        if path == "/articles/one.html":
            return 200, html, html_page(ONE, "Page title of one")
        if path == "/articles/two.html":
            return 200, html, html_page(TWO, "Page title of two")
        if path in ("/cond/etag.html", "/cond/feed.xml", "/cond/entry.html"):
            etag = '"v1-' + path.rsplit("/", 1)[-1] + '"'
            if self.headers.get("If-None-Match") == etag:
                return 304, {"ETag": etag}, b""
            if path == "/cond/feed.xml":
                feed = (f"<?xml version='1.0'?><rss version='2.0'><channel><title>Cond</title>"
                        f"<item><title>Entry</title><link>{site.base}/cond/entry.html</link></item></channel></rss>")
                return 200, {"ETag": etag, "Content-Type": "application/rss+xml"}, feed.encode()
            return 200, html | {"ETag": etag}, html_page(ENTRY, "Conditional")
        if path == "/cond/lastmod.html":
            if self.headers.get("If-Modified-Since") == LAST_MODIFIED:
                return 304, {}, b""
            return 200, html | {"Last-Modified": LAST_MODIFIED}, html_page(ENTRY, "Last modified")
        if path == "/slow.html":
            site.stop.wait(3)
            return 200, html, html_page(ONE)
        if path == "/flaky.html":
            if count == 1:
                return 503, {"Retry-After": "0"}, b"busy"
            return 200, html, html_page(TWO, "Flaky but fine")
        if path == "/throttled.html":
            if count <= 2:
                return 429, {}, b"slow down"
            return 200, html, html_page(ONE, "Throttled but fine")
        if path == "/always-503.html":
            return 503, {}, b"busy"
        if path == "/missing.html":
            return 404, {}, b"not here"
        if path == "/bad-request.html":
            return 400, {}, b"bad"
        if path == "/error.html":
            return 500, {}, b"broken"
        if path == "/big.html":           # no Content-Length: only the streamed size can tell
            chunk = b"<p>" + b"x" * 65_536 + b"</p>"
            return 200, html | {"Content-Length": "none"}, (chunk for _ in range(800))
        if path == "/big-declared.html":
            return 200, html | {"Content-Length": "50000000"}, b"<p>"
        if path == "/redirect":
            return 302, {"Location": "/articles/one.html"}, b""
        if path == "/redirect-file":
            return 302, {"Location": "file:///etc/passwd"}, b""
        if path == "/redirect-ftp":
            return 301, {"Location": "ftp://127.0.0.1/feed.xml"}, b""
        if path == "/loop":
            return 302, {"Location": "/loop"}, b""
        if path == "/image.png":
            return 200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
        return 404, {}, b"no route"

    def send_header(self, keyword, value):
        if not (keyword == "Content-Length" and value == "none"):
            super().send_header(keyword, value)


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.site = Site()
    httpd.site.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.site.stop.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@pytest.fixture
def site(server) -> Site:
    s = server.site
    with s.lock:
        s.hits.clear()
        s.headers.clear()
        s.sent.clear()
    return s


@pytest.fixture
def fetcher():
    with Fetcher(read_timeout=5, tries=3, backoff=0.01, max_bytes=1_000_000, trust_env=False) as f:
        yield f


def read(site, paths, fetcher, state=None):
    return list(read_sources([site.base + p for p in paths], state=state, fetcher=fetcher))


def test_an_rss_feed_yields_its_entries(site, fetcher):
    one, full, gone = read(site, ["/feed.rss"], fetcher)
    assert isinstance(one, Article) and one.source_uri == f"{site.base}/articles/one.html"
    assert one.text.splitlines()[1:] == ONE                     # the page's article, fetched
    assert (one.title, one.published_at) == ("Seoul: 3,000 more soldiers sent", date(2025, 11, 10))
    assert (one.outlet, one.language) == ("The Daily Example", "en")
    assert "NAV_WORD" not in one.text and "FOOTER_WORD" not in one.text
    # the entry that carries its whole story is used as it is, its page never fetched
    assert full.source_uri == f"{site.base}/articles/never-fetched.html"
    assert full.text.splitlines() == FULL and "SCRIPT_WORD" not in full.text
    assert full.published_at == date(2025, 11, 11)
    assert site.hits["/articles/never-fetched.html"] == 0
    assert isinstance(gone, Rejection) and "HTTP 404" in gone.reason
    assert site.hits["/missing.html"] == 1


def test_an_atom_feed_yields_its_entries(site, fetcher):
    two, full = read(site, ["/atom.xml"], fetcher)
    assert two.source_uri == f"{site.base}/articles/two.html"
    assert two.text.splitlines()[1:] == TWO
    assert (two.title, two.published_at, two.outlet) == ("Kyiv: 600 killed in a week", date(2025, 11, 12), "Atom Example")
    assert full.text.splitlines() == FULL and full.published_at == date(2025, 11, 13)
    assert site.hits["/articles/atom-never-fetched.html"] == 0


def test_a_page_url_is_an_article(site, fetcher):
    [article] = read(site, ["/articles/two.html"], fetcher)
    assert article.url == f"{site.base}/articles/two.html"
    assert article.title == "Page title of two" and TWO[0] in article.text
    assert site.headers["/articles/two.html"][0]["User-Agent"].startswith("newsfigures/")


def test_an_unchanged_page_is_not_downloaded_again(site, fetcher):
    state = FetchState()
    [first] = read(site, ["/cond/etag.html", "/cond/lastmod.html"][:1], fetcher, state)
    assert isinstance(first, Article)
    # persisted between runs as plain rows
    state = FetchState.from_rows([tuple(r.values()) for r in state.to_rows()])
    [second] = read(site, ["/cond/etag.html"], fetcher, state)
    assert second == Unchanged(f"{site.base}/cond/etag.html")
    assert site.hits["/cond/etag.html"] == 2
    assert site.headers["/cond/etag.html"][1]["If-None-Match"] == '"v1-etag.html"'
    assert site.sent["/cond/etag.html"][1] == 0                  # the 304 carried no body


def test_last_modified_alone_is_enough(site, fetcher):
    state = FetchState()
    [first] = read(site, ["/cond/lastmod.html"], fetcher, state)
    assert isinstance(first, Article)
    assert state.to_rows() == [{"url": f"{site.base}/cond/lastmod.html", "etag": None, "last_modified": LAST_MODIFIED}]
    [second] = read(site, ["/cond/lastmod.html"], fetcher, state)
    assert isinstance(second, Unchanged) and site.sent["/cond/lastmod.html"] == [len(html_page(ENTRY, "Last modified")), 0]


def test_an_unchanged_feed_fetches_none_of_its_entries(site, fetcher):
    state = FetchState()
    [entry] = read(site, ["/cond/feed.xml"], fetcher, state)
    assert isinstance(entry, Article) and entry.text.splitlines()[1:] == ENTRY
    assert len(state) == 2                                       # the feed and the entry's page
    again = read(site, ["/cond/feed.xml"], fetcher, state)
    assert again == [Unchanged(f"{site.base}/cond/feed.xml")]
    assert (site.hits["/cond/feed.xml"], site.hits["/cond/entry.html"]) == (2, 1)


def test_a_slow_server_times_out_within_a_bounded_time(site):
    with Fetcher(read_timeout=0.3, tries=2, backoff=0.05, trust_env=False) as slow:
        started = time.perf_counter()
        [rejection] = read(site, ["/slow.html"], slow)
        elapsed = time.perf_counter() - started
    assert isinstance(rejection, Rejection)
    assert "timed out" in rejection.reason and "read timeout 0.3 s" in rejection.reason
    assert "2 tries" in rejection.reason
    assert site.hits["/slow.html"] == 2
    assert elapsed < 2


def test_transient_errors_are_retried(site, fetcher):
    flaky, throttled = read(site, ["/flaky.html", "/throttled.html"], fetcher)
    assert isinstance(flaky, Article) and flaky.title == "Flaky but fine"
    assert isinstance(throttled, Article)
    assert (site.hits["/flaky.html"], site.hits["/throttled.html"]) == (2, 3)


def test_retries_are_bounded(site, fetcher):
    [rejection] = read(site, ["/always-503.html"], fetcher)
    assert "HTTP 503" in rejection.reason and "3 tries" in rejection.reason
    assert site.hits["/always-503.html"] == 3


@pytest.mark.parametrize("path, status", [("/missing.html", 404), ("/bad-request.html", 400), ("/error.html", 500)])
def test_client_and_server_errors_are_not_retried(site, fetcher, path, status):
    [rejection] = read(site, [path], fetcher)
    assert isinstance(rejection, Rejection) and f"HTTP {status}" in rejection.reason
    assert site.hits[path] == 1


def test_an_oversized_response_is_cut_off_while_streaming(site, fetcher):
    started = time.perf_counter()
    [streamed] = read(site, ["/big.html"], fetcher)
    assert "larger than the 1 MB size limit" in streamed.reason
    assert time.perf_counter() - started < 3
    [declared] = read(site, ["/big-declared.html"], fetcher)
    assert "larger than the 1 MB size limit" in declared.reason and "50,000,000 bytes" in declared.reason
    for _ in range(50):                          # the server notices the client has gone
        if site.sent["/big.html"]:
            break
        time.sleep(0.1)
    assert site.sent["/big.html"] == [-1]        # it could not send all 52 MB


def test_redirects_are_followed_to_http_only(site, fetcher):
    followed, to_file, to_ftp, loop = read(site, ["/redirect", "/redirect-file", "/redirect-ftp", "/loop"], fetcher)
    assert isinstance(followed, Article) and followed.source_uri == f"{site.base}/redirect"
    assert followed.url == f"{site.base}/articles/one.html"
    assert isinstance(to_file, Rejection) and "file:///etc/passwd" in to_file.reason and "refused" in to_file.reason
    assert isinstance(to_ftp, Rejection) and "ftp://" in to_ftp.reason and "refused" in to_ftp.reason
    assert isinstance(loop, Rejection) and "more than 5 redirects" in loop.reason
    assert site.hits["/loop"] == 6


def test_what_is_not_a_page_is_rejected(site, fetcher):
    [image] = read(site, ["/image.png"], fetcher)
    assert "image/png" in image.reason


def test_an_unreachable_server_is_a_rejection_not_a_crash():
    with socket.socket() as probe:          # a port that was free a moment ago: nobody listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with Fetcher(connect_timeout=0.5, tries=2, backoff=0.01, trust_env=False) as f:
        [rejection] = read_sources([f"http://127.0.0.1:{port}/feed.xml"], fetcher=f)
    assert isinstance(rejection, Rejection) and "connection failed" in rejection.reason


def test_without_a_fetcher_one_is_made_with_the_defaults(site):
    [article] = read_sources([f"{site.base}/articles/one.html"])
    assert isinstance(article, Article) and ONE[1] in article.text
