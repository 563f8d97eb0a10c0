"""HTML pages saved as files: the article's text and metadata, and nothing of the page
around it (navigation, scripts, styles, comments, related stories)."""

import time
from datetime import date

import pytest

from flows.ingest.article import Article, Rejection
from flows.ingest.folder import read_folder
from flows.ingest.htmlpage import html_article, html_to_text, read_html_file

PARAGRAPHS = [
    "North Korea has sent about 3,000 additional soldiers to Russia since January, the South "
    "Korean intelligence service told lawmakers on Monday.",
    "The new deployment brings the total to roughly 14,000, according to the agency, which said "
    "at least 1,100 had been killed in the Kursk region.",
    "Officials added that the soldiers were trained on drones and artillery before being sent to "
    "the front, and that more engineers could follow.",
]

HIDDEN = ["SCRIPT_WORD", "STYLE_WORD", "COMMENT_WORD", "NAV_WORD", "READER_WORD", "FOOTER_WORD",
          "RELATED_WORD", "NOSCRIPT_WORD"]


def page(head: str = "", article_head: str = "", lang: str = "en") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<title>Pyongyang sends 3,000 more | The Daily Example</title>
{head}
<script>var tracker = "SCRIPT_WORD"; document.write("<p>SCRIPT_WORD</p>");</script>
<style>p::after {{ content: "STYLE_WORD"; }}</style>
</head><body>
<header><nav><a href="/">Home</a> <a href="/world">World NAV_WORD</a> <a href="/sport">Sport</a></nav></header>
<main><article>
<h1>Pyongyang sends 3,000 more soldiers, Seoul says</h1>
{article_head}
<!-- COMMENT_WORD: 99,999 troops -->
{body}
<noscript>Enable JavaScript NOSCRIPT_WORD</noscript>
</article>
<aside class="related"><h2>Related stories</h2><ul>
<li><a href="/a">Russia says 50,000 RELATED_WORD soldiers moved to the border</a></li>
<li><a href="/b">Drone factory staffed by 2,500 RELATED_WORD workers</a></li></ul></aside>
<section id="comments" class="comments"><h2>Comments</h2>
<div class="comment"><p>READER_WORD: I heard it was 40,000 troops, not 14,000.</p></div></section>
</main>
<footer><p>Copyright 2025 The Daily Example FOOTER_WORD. All rights reserved.</p></footer>
</body></html>"""


FULL_HEAD = """<meta property="og:site_name" content="The Daily Example">
<meta property="og:title" content="Pyongyang sends 3,000 more soldiers, Seoul says">
<meta property="article:published_time" content="2025-11-10T08:00:00+09:00">
<link rel="canonical" href="https://example.org/world/troops-sent">"""


def write(tmp_path, html: str | bytes, name="page.html"):
    path = tmp_path / name
    path.write_bytes(html.encode("utf-8") if isinstance(html, str) else html)
    return path


def test_the_article_text_and_nothing_around_it(tmp_path):
    article = read_html_file(write(tmp_path, page(FULL_HEAD)), {})
    assert isinstance(article, Article), article
    for paragraph in PARAGRAPHS:
        assert paragraph in article.text
    for word in HIDDEN:
        assert word not in article.text
    assert "99,999" not in article.text and "40,000" not in article.text
    assert "50,000" not in article.text and "2,500" not in article.text


def test_the_page_metadata(tmp_path):
    article = read_html_file(write(tmp_path, page(FULL_HEAD, lang="en-GB")), {})
    assert article.title == "Pyongyang sends 3,000 more soldiers, Seoul says"
    assert article.outlet == "The Daily Example"
    assert article.url == "https://example.org/world/troops-sent"          # the canonical URL
    assert article.published_at == date(2025, 11, 10)
    assert article.language == "en"


def test_a_fetched_page_without_canonical_keeps_its_own_url_and_takes_its_date():
    html = page().encode("utf-8")
    article = html_article(html, "https://example.org/2025/11/12/troops", page_url="https://example.org/2025/11/12/troops")
    assert article.url == "https://example.org/2025/11/12/troops"
    assert article.published_at == date(2025, 11, 12)


def test_without_date_metadata_or_url_the_dateline_gives_it(tmp_path):
    dated = page(article_head="<p>SEOUL, 14 November 2025</p>")
    assert read_html_file(write(tmp_path, dated), {}).published_at == date(2025, 11, 14)
    assert read_html_file(write(tmp_path, page(), "undated.html"), {}).published_at is None


def test_the_manifest_overrides_the_page(tmp_path):
    write(tmp_path, page(FULL_HEAD))
    (tmp_path / "manifest.csv").write_text("file,outlet,published_at\npage.html,Wire Copy,2025-11-11\n", encoding="utf-8")
    [article] = read_folder(tmp_path)
    assert (article.outlet, article.published_at) == ("Wire Copy", date(2025, 11, 11))
    assert article.title == "Pyongyang sends 3,000 more soldiers, Seoul says"


def test_a_hostile_title_is_kept_as_written(tmp_path):
    hostile = "x'); DROP TABLE raw.articles;-- \"quoted\" <b>not bold</b>"
    head = '<meta property="og:title" content="x&#39;); DROP TABLE raw.articles;-- &quot;quoted&quot; &lt;b&gt;not bold&lt;/b&gt;">'
    assert read_html_file(write(tmp_path, page(head)), {}).title == hostile


@pytest.mark.parametrize("encoding, head_charset", [
    ("cp1252", '<meta charset="windows-1252">'),
    ("latin-1", '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'),
    ("latin-1", ""),                       # no declaration: detected
    ("utf-16", ""),                        # with its BOM
])
def test_pages_in_other_encodings(tmp_path, encoding, head_charset):
    text = "Les forces nord-coréennes déployées à Koursk comptent près de 11 000 soldats, selon Séoul."
    html = (f'<html lang="fr"><head>{head_charset}<title>Koursk</title></head><body><article>'
            f"<p>{text}</p><p>{text}</p></article></body></html>")
    article = read_html_file(write(tmp_path, html.encode(encoding)), {})
    assert isinstance(article, Article), article
    assert text in article.text


@pytest.mark.parametrize("content, reason", [
    (b"", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01", "binary content"),
    (b"<html><head><script>var SCRIPT_WORD = 1;</script></head><body>"
     b"<nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/sport'>Sport</a></nav>"
     b"<footer>Copyright 2025 The Daily Example. All rights reserved.</footer></body></html>", "no article text"),
])
def test_pages_without_an_article_are_rejected(tmp_path, content, reason):
    rejection = read_html_file(write(tmp_path, content), {})
    assert isinstance(rejection, Rejection)
    assert reason in rejection.reason


def test_a_huge_page_is_rejected_without_reading_it(tmp_path):
    with (tmp_path / "huge.htm").open("wb") as f:
        f.truncate(50_000_000)
    started = time.perf_counter()
    [rejection] = read_folder(tmp_path)
    assert time.perf_counter() - started < 2
    assert "larger than 20 MB" in rejection.reason


def test_truncated_pages_still_give_what_they_have(tmp_path):
    cut = page(FULL_HEAD).split(PARAGRAPHS[2][:40])[0]
    article = read_html_file(write(tmp_path, cut), {})
    assert PARAGRAPHS[0] in article.text and PARAGRAPHS[2] not in article.text


def test_fragments_become_text_one_paragraph_per_line():
    fragment = ('<p>About <b>3,000</b> soldiers, <a href="/x">Seoul</a> says.</p><p>Second<br>line</p>'
                "<script>SCRIPT_WORD</script><style>STYLE_WORD</style><!-- COMMENT_WORD --><ul><li>one</li></ul>")
    assert html_to_text(fragment) == "About 3,000 soldiers, Seoul says.\nSecond\nline\none"
