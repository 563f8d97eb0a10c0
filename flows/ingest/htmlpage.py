"""An HTML article page, from a file or the web: its main text and metadata (title, date,
site name, canonical URL, language) extracted by trafilatura, so navigation, comments,
scripts and boilerplate stay out of the text."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html
import trafilatura
from lxml.etree import ParserError
from trafilatura.utils import load_html

from flows.ingest.article import Article, Rejection
from flows.ingest.decode import Undecodable, content_type_charset, decode_declared
from flows.ingest.metadata import complete, language_code, typed_fields
from flows.ingest.textfile import read_bytes

# trafilatura reports pages it finds no text in as warnings; the rejection says it instead
logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)

_BLOCKS = ("p", "div", "br", "li", "tr", "blockquote", "pre", "section", "article", "table",
           "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "dt", "dd", "figure", "figcaption")
_PRESCAN_BYTES = 4096     # where a page declares its charset (browsers look at the first 1024)


def read_html_file(path: Path, meta: dict) -> Article | Rejection:
    """meta: a manifest entry (Article field -> string), which overrides what the page says."""
    try:
        data = read_bytes(path)
    except Undecodable as exc:
        return Rejection(str(path), str(exc))
    except OSError as exc:
        return Rejection(str(path), f"cannot be read: {exc.strerror}")
    return html_article(data, str(path), meta=meta)


def html_article(data: bytes, source_uri: str, charset: str | None = None, page_url: str | None = None,
                 meta: dict | None = None, fallback: dict | None = None) -> Article | Rejection:
    """charset: what the HTTP response declared; page_url: where the page was fetched from
    (the article's url unless the page names a canonical one); meta overrides what the page
    says, fallback fills what it does not say (before anything is inferred from the text)."""
    try:
        html = decode_declared(data, charset or meta_charset(data))
    except Undecodable as exc:
        return Rejection(source_uri, str(exc))
    try:
        tree = load_html(html)
    except (ParserError, ValueError) as exc:
        return Rejection(source_uri, f"not a readable HTML page ({exc})")
    if tree is None:
        return Rejection(source_uri, "not a readable HTML page")
    language = page_language(tree.getroottree().getroot())
    try:
        doc = trafilatura.bare_extraction(
            # precision over recall: a "related stories" box would bring other articles' figures
            tree, url=page_url, with_metadata=True, include_comments=False, include_tables=True,
            favor_precision=True,
            # the page's own metadata only: a date guessed from the text comes last, after the URL's
            date_extraction_params={"extensive_search": False, "original_date": True})
    except Exception as exc:    # hostile markup must cost one page, not the run
        return Rejection(source_uri, f"the HTML could not be parsed ({type(exc).__name__}: {exc})")
    if doc is None or not (doc.text or "").strip():
        return Rejection(source_uri, "no article text found in the page (only navigation, scripts or boilerplate)")
    url = _http_url(doc.url, page_url) or page_url
    fields = typed_fields(fallback or {}) | typed_fields({
        "title": doc.title, "outlet": _site_name(doc.sitename, url), "url": url,
        "published_at": doc.date, "language": language,
    }) | typed_fields(meta or {})
    if url and "outlet" not in fields:          # nothing names the site: its host does
        fields["outlet"] = _host(url)
    return complete(Article(source_uri=source_uri, text=doc.text.strip(), **fields))


def html_to_text(fragment: str) -> str:
    """The text of an HTML fragment that is the article already (a feed entry's content, a
    JSON field holding markup): no boilerplate to find, only markup to drop. One line per
    paragraph; scripts, styles and comments left out."""
    try:
        tree = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ParserError, ValueError):
        return ""
    for hidden in tree.xpath(".//script|.//style|.//noscript|.//template|.//comment()"):
        hidden.drop_tree()
    for block in tree.iter(*_BLOCKS):
        block.tail = "\n" + (block.tail or "")
    lines = (" ".join(line.split()) for line in tree.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


def meta_charset(data: bytes) -> str | None:
    """The charset a page declares in <meta charset> or <meta http-equiv="Content-Type">."""
    try:
        head = lxml.html.document_fromstring(data[:_PRESCAN_BYTES])
    except (ParserError, ValueError, LookupError):
        return None
    for meta in head.iter("meta"):
        if meta.get("charset"):
            return meta.get("charset").strip()
        if (meta.get("http-equiv") or "").lower() == "content-type":
            return content_type_charset(meta.get("content"))
    return None


def page_language(root) -> str | None:
    """<html lang>, else a Content-Language or og:locale meta tag."""
    candidates = [root.get("lang"), root.get("{http://www.w3.org/XML/1998/namespace}lang")]
    for meta in root.iter("meta"):
        if (meta.get("http-equiv") or "").lower() == "content-language" or meta.get("property") == "og:locale":
            candidates.append(meta.get("content"))
    return next((code for c in candidates if (code := language_code(c))), None)


def _site_name(name: str | None, url: str | None) -> str | None:
    """The site's name as the page gives it; not the host name trafilatura puts in its place,
    so that a feed's title can come first."""
    if name and url and name.lower() in (urlsplit(url).netloc.lower(), _host(url)):
        return None
    return name


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower().removeprefix("www.")


def _http_url(url: str | None, base: str | None) -> str | None:
    if not url:
        return None
    absolute = urljoin(base, url) if base else url
    return absolute if urlsplit(absolute).scheme in ("http", "https") else None
