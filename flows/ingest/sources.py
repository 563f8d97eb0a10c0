"""Every kind of source a user names: a folder, a file, a glob, an http(s) URL of an
article page or of an RSS/Atom feed. Each item comes out as an Article, a Rejection with
its reason, or Unchanged (the server says so); one bad item never stops the others."""

from __future__ import annotations

import glob
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from flows.ingest.article import Article, Rejection, Unchanged
from flows.ingest.feed import Feed, FeedEntry, parse_feed
from flows.ingest.fetch import Fetcher, FetchState, Page
from flows.ingest.filestate import FileState
from flows.ingest.folder import MANIFEST, Manifest, SourceError, read_file_once, read_folder, read_manifest
from flows.ingest.htmlpage import html_article
from flows.ingest.metadata import complete

Item = Article | Rejection | Unchanged

_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*)://")
_NOT_PAGES = ("image/", "audio/", "video/", "font/", "application/pdf", "application/zip")


def read_sources(specs: list[str], state: FetchState | None = None,
                 fetcher: Fetcher | None = None, files: FileState | None = None) -> Iterator[Item]:
    """Items of every spec in turn. Every spec is checked before anything is read: one that
    names nothing raises SourceError. `state` remembers what URLs answered, so that the
    next run downloads only what changed; a fetcher is made (and closed) when none is given."""
    resolved = [(spec, _resolve(spec)) for spec in specs]
    own_fetcher = fetcher is None and any(kind == "url" for _, (kind, _) in resolved)
    if own_fetcher:
        fetcher = Fetcher()
    seen: set[str] = set()          # a file named twice (its folder and a glob) is read once
    try:
        for spec, (kind, target) in resolved:
            if kind == "folder":
                items = read_folder(target, files)
            elif kind == "files":
                items = _read_files(target, files)
            else:
                items = read_url(target, fetcher, state)
            for item in items:
                if item.source_uri not in seen:
                    seen.add(item.source_uri)
                    yield item
    finally:
        if own_fetcher:
            fetcher.close()


def _resolve(spec: str) -> tuple[str, object]:
    scheme = _SCHEME.match(spec)
    if scheme:
        if scheme.group(1).lower() in ("http", "https"):
            return "url", spec
        raise SourceError(f"{spec}: {scheme.group(1)}:// sources are not read; "
                          "name a local folder, file or glob, or an http(s) URL")
    path = Path(spec).expanduser()
    if path.is_dir():
        return "folder", path
    if path.is_file():
        return "files", [path]
    if any(char in spec for char in "*?["):
        files = sorted(Path(p) for p in glob.glob(str(path), recursive=True))
        files = [p for p in files if p.is_file() and p.name != MANIFEST]
        if not files:
            raise SourceError(f"{spec}: the pattern matches no file")
        return "files", files
    raise SourceError(f"{spec}: no such file or folder")


def _read_files(paths: Iterable[Path], files: FileState | None = None) -> Iterator[Item]:
    manifests: dict[Path, tuple[Manifest, bool]] = {}      # by folder: a glob of 100,000 files reads each once
    for path in paths:
        if path.parent not in manifests:
            manifest = path.parent / MANIFEST
            same = files is None or not manifest.exists() or files.unchanged(manifest)
            manifests[path.parent] = read_manifest(path.parent)[0], same
        entries, manifest_same = manifests[path.parent]
        yield from read_file_once(path, entries, files, manifest_same)


def read_url(url: str, fetcher: Fetcher, state: FetchState | None = None) -> Iterator[Item]:
    """An article page, or every entry of a feed."""
    fetched = fetcher.fetch(url, state)
    if not isinstance(fetched, Page):
        yield fetched
        return
    kind = (fetched.content_type or "").split(";")[0].strip().lower()
    if kind.startswith(_NOT_PAGES):
        yield Rejection(url, f"the server sent {kind}, not an article page or a feed")
        return
    feed = parse_feed(fetched.content, fetched.final_url, fetched.content_type)
    if feed is None:
        yield html_article(fetched.content, url, fetched.charset, fetched.final_url)
        return
    for entry in feed.entries:
        yield entry_article(entry, feed, url, fetcher, state)


def entry_article(entry: FeedEntry, feed: Feed, feed_url: str, fetcher: Fetcher,
                  state: FetchState | None) -> Item:
    """The entry's own text when it carries the article, else its page, fetched."""
    uri = entry.link or f"{feed_url}#entry={entry.number}"
    given = {"title": entry.title, "published_at": entry.published}
    if entry.carries_article:
        return complete(Article(source_uri=uri, text=entry.text, url=entry.link, outlet=feed.title,
                                language=feed.language, **{k: v for k, v in given.items() if v}))
    if not entry.link:
        return Rejection(uri, f"feed entry without a link, and its own text ({len(entry.text)} characters) "
                              "is too short to be the article")
    fetched = fetcher.fetch(entry.link, state)
    if not isinstance(fetched, Page):
        return fetched
    return html_article(fetched.content, uri, fetched.charset, fetched.final_url, meta=given,
                        fallback={"outlet": feed.title, "language": feed.language})
