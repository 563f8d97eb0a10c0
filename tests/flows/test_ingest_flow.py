"""Several kinds of source in one run, copies counted once with every outlet kept, and a
feed over real HTTP that a second run does not download again."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

from flows.refresh import refresh

from helpers import query

pytestmark = pytest.mark.usefixtures("prefect_harness")

WIRE = ("Seoul, Nov 3 - South Korea's spy agency said on Monday that North Korea had sent about 5,000 more "
        "military construction workers and deminers to Russia since September, to help rebuild the "
        "Kursk region after months of fighting. The National Intelligence Service told lawmakers in a "
        "closed-door briefing that the new group had travelled by train and by ship, and that it "
        "expected more to follow before the end of the year. Lawmakers said the agency also believed "
        "that at least 600 North Korean soldiers had been killed in the fighting so far, and that "
        "thousands more had been wounded. The agency said Pyongyang was receiving oil, food and "
        "military technology in return, and that it saw no sign of the deployment ending soon. "
        "Analysts say the arrangement has given the North its first combat experience in decades.")


def test_many_kinds_of_source_and_copies(tmp_path):
    folder = tmp_path / "wire"
    folder.mkdir()
    (folder / "agency.txt").write_text("outlet: Wire Agency\npublished: 2025-11-03\n\n" + WIRE, encoding="utf-8")
    # the same story under another name (an exact copy) and a syndicated copy with a new lead
    (folder / "copy.txt").write_text("outlet: Copy Daily\npublished: 2025-11-03\n\n" + WIRE, encoding="utf-8")
    syndicated = WIRE.replace("Analysts say the arrangement has given the North its first combat experience in "
                              "decades.", "Read more of our coverage of the war in Ukraine on our website.")
    (folder / "syndicated.html").write_text(
        f"<html lang='en'><head><title>North Korea sends more workers</title>"
        f"<meta property='og:site_name' content='Syndicate Times'></head><body><nav>Home Sport Weather</nav>"
        f"<article><h1>North Korea sends more workers</h1><p>{syndicated}</p></article>"
        f"<script>var tracking = 1;</script></body></html>", encoding="utf-8")
    export = tmp_path / "export.jsonl"
    export.write_text("\n".join([
        json.dumps({"text": "Ukraine's military intelligence said around 1,200 North Korean soldiers had been "
                            "wounded in November.", "outlet": "Kyiv Desk", "published": "2025-11-20",
                    "language": "en", "url": "https://example.org/kyiv/1"}),
        "{not json at all",
        json.dumps({"title": "no text here"}),
    ]) + "\n", encoding="utf-8")

    warehouse = tmp_path / "w.duckdb"
    summary = refresh(sources=[str(folder), str(export)], warehouse=str(warehouse))
    assert (summary.items_read, summary.articles_rejected) == (6, 2)

    outcomes = dict(query(warehouse, "select regexp_extract(source_uri, '[^/]+$'), outcome from audit.items"))
    assert outcomes["agency.txt"] == "loaded" and outcomes["copy.txt"] == "duplicate"
    assert outcomes["syndicated.html"] == "duplicate"       # near-duplicate: loaded, linked to the first
    reasons = dict(query(warehouse, "select regexp_extract(source_uri, '[^/]+$'), reason from audit.items "
                                    "where outcome = 'rejected'"))
    assert "line=2" in "".join(reasons) and "line=3" in "".join(reasons)
    assert all(reason for reason in reasons.values())

    (claim,) = query(warehouse, "select articles, reports, outlets from marts.claims "
                                "where metric = 'troops_deployed' and value_low = 5000")
    articles, reports, outlets = claim
    assert (articles, reports) == (1, 2)                     # one story, reported twice
    assert set(outlets) == {"Wire Agency", "Copy Daily", "Syndicate Times"}
    assert query(warehouse, "select count(*) from raw.articles where duplicate_of is not null") == [(1,)]


class FeedSite(BaseHTTPRequestHandler):
    hits: dict = {}

    def do_GET(self):  # noqa: N802 (http.server's naming)
        FeedSite.hits[self.path] = FeedSite.hits.get(self.path, 0) + 1
        base = f"http://127.0.0.1:{self.server.server_port}"
        pages = {
            "/feed.xml": (f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Example Wire</title>
<link>{base}/</link><description>news</description>
<item><title>Seoul: 2,000 more troops</title><link>{base}/a1.html</link><pubDate>Tue, 04 Nov 2025 08:00:00 GMT</pubDate></item>
</channel></rss>""", "application/rss+xml"),
            "/a1.html": ("<html lang='en'><head><title>Seoul: 2,000 more troops</title></head><body><article>"
                         "<p>South Korea's Joint Chiefs of Staff said on Tuesday that about 2,000 more North Korean "
                         "troops had arrived in Russia's Kursk region this month, bringing the total there to "
                         "roughly 13,000 soldiers according to the military's own count.</p></article></body></html>",
                         "text/html; charset=utf-8"),
        }
        if self.path not in pages:
            self.send_error(404)
            return
        etag = f'"{self.path}-v1"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.end_headers()
            return
        body, kind = pages[self.path]
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def feed_server():
    FeedSite.hits = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), FeedSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_a_feed_is_not_downloaded_again_when_unchanged(feed_server, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    first = refresh(sources=[f"{feed_server}/feed.xml"], warehouse=str(warehouse))
    assert (first.articles_loaded, first.figures_loaded) == (1, 2)
    assert FeedSite.hits == {"/feed.xml": 1, "/a1.html": 1}
    assert query(warehouse, "select url from raw.fetch_state order by url") == [(f"{feed_server}/a1.html",),
                                                                               (f"{feed_server}/feed.xml",)]

    second = refresh(sources=[f"{feed_server}/feed.xml"], warehouse=str(warehouse))
    assert (second.items_read, second.articles_unchanged, second.articles_loaded) == (1, 1, 0)
    assert FeedSite.hits == {"/feed.xml": 2, "/a1.html": 1}   # a 304 for the feed, nothing else asked
    assert query(warehouse, "select outcome from audit.items where run_id = ?", [second.run_id]) == [("unchanged",)]


def test_a_syndicated_copy_in_a_later_run_is_linked_to_the_stored_story(tmp_path):
    first, later = tmp_path / "monday", tmp_path / "tuesday"
    first.mkdir()
    later.mkdir()
    (first / "agency.txt").write_text("outlet: Wire Agency\npublished: 2025-11-03\n\n" + WIRE, encoding="utf-8")
    warehouse = tmp_path / "w.duckdb"
    story = refresh(sources=[str(first)], warehouse=str(warehouse))
    assert story.articles_loaded == 1
    # a warehouse from before band keys were stored: the next run gives its signatures theirs
    with duckdb.connect(str(warehouse)) as con:
        con.execute("delete from raw.article_bands")

    # an undated copy with its own closing line, and an exact copy under another name
    (later / "reprint.txt").write_text(
        "outlet: Reprint Weekly\n\n" + WIRE.replace("Analysts say", "Our analysts said"), encoding="utf-8")
    (later / "exact.txt").write_text("outlet: Copy Daily\n\n" + WIRE, encoding="utf-8")
    copies = refresh(sources=[str(later)], warehouse=str(warehouse))
    assert (copies.articles_loaded, copies.articles_duplicate) == (0, 2)

    (stored_id, stored_date), = query(warehouse, "select article_id, published_at from raw.articles "
                                                 "where source_uri like '%agency.txt'")
    assert query(warehouse, "select duplicate_of, published_at from raw.articles where source_uri like '%reprint.txt'") \
        == [(stored_id, stored_date)]                     # linked, and dated like the story it copies
    assert query(warehouse, "select article_id from raw.article_copies") == [(stored_id,)]
    assert query(warehouse, "select count(*) = 32 * (select count(*) from raw.article_signatures) "
                            "from raw.article_bands") == [(True,)]
