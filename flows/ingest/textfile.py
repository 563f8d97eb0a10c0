"""A .txt article: its text, an optional header block on top, and a manifest entry that
overrides both."""

from __future__ import annotations

from pathlib import Path

from flows.ingest.article import Article, Rejection
from flows.ingest.decode import Undecodable, decode
from flows.ingest.header import split_header
from flows.ingest.metadata import complete, typed_fields

MAX_BYTES = 20_000_000


def read_bytes(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The file's bytes, refusing a file too large to be an article before reading it."""
    if path.stat().st_size > limit:
        raise Undecodable(f"larger than {limit // 1_000_000} MB; not an article")
    return path.read_bytes()


def read_text_file(path: Path, meta: dict) -> Article | Rejection:
    """meta: a manifest entry (Article field -> string), which overrides the file's header."""
    try:
        text = decode(read_bytes(path))
    except Undecodable as exc:
        return Rejection(str(path), str(exc))
    except OSError as exc:
        return Rejection(str(path), f"cannot be read: {exc.strerror}")
    return text_article(str(path), text, meta)


def text_article(source_uri: str, text: str, meta: dict) -> Article | Rejection:
    header, body = split_header(text)
    if not body.strip():
        return Rejection(source_uri, "only a header, no article text after it")
    fields = typed_fields(header) | typed_fields(meta)
    return complete(Article(source_uri=source_uri, text=body, **fields))
