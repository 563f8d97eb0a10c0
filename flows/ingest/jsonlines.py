"""JSON Lines: one article object per line, as exports and scrapers write them.

Fields: text or content; title; url; outlet or source (a string, or an object with a name);
published, published_at or publishedAt; language or lang; original_source. Every line is
`<path>#line=<n>`; a bad line is rejected with its reason and the other lines still load.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from flows.ingest.article import Article, Rejection
from flows.ingest.decode import Undecodable, decode
from flows.ingest.htmlpage import html_to_text
from flows.ingest.metadata import complete, typed_fields
from flows.ingest.textfile import read_bytes

MAX_LINE_BYTES = 2_000_000      # a line longer than this is no article; it is skipped unread
_SKIP_CHUNK = 1 << 20
_SNIFF_BYTES = 8192
_TEXT_KEYS = ("text", "content")
_ALIASES = {
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "outlet": ("outlet", "source"),
    "published_at": ("published_at", "published", "publishedAt", "date"),
    "language": ("language", "lang"),
    "original_source": ("original_source",),
}
_MARKUP = re.compile(r"</?(?:p|div|br|span|a|li|ul|h[1-6]|article|section|strong|em)\b[^<>]*>", re.IGNORECASE)


def read_jsonl(path: Path, meta: dict) -> Iterator[Article | Rejection]:
    """meta: a manifest entry for the file, which overrides every line's own fields."""
    try:
        with path.open("rb") as stream:
            head = stream.read(_SNIFF_BYTES)
            stream.seek(0)
            if not head.strip():
                yield Rejection(str(path), "empty file")
            elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                yield from _utf16_lines(path, meta)
            elif b"\x00" in head:
                yield Rejection(str(path), "binary content (NUL bytes), not JSON Lines")
            else:
                for number, raw in _lines(stream):
                    uri = f"{path}#line={number}"
                    if raw is None:
                        yield Rejection(uri, f"line longer than {MAX_LINE_BYTES // 1_000_000} MB; not an article")
                    elif raw.strip():
                        try:
                            yield line_article(uri, decode(raw), meta)
                        except Undecodable as exc:
                            yield Rejection(uri, str(exc))
    except OSError as exc:
        yield Rejection(str(path), f"cannot be read: {exc.strerror}")


def _utf16_lines(path: Path, meta: dict) -> Iterator[Article | Rejection]:
    """UTF-16 cannot be split at newline bytes: decode the file whole (it is size-limited)."""
    try:
        text = decode(read_bytes(path))
    except Undecodable as exc:
        yield Rejection(str(path), str(exc))
        return
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            yield line_article(f"{path}#line={number}", line, meta)


def _lines(stream: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes), or None for a line too long, skipped without holding it."""
    number = 0
    while line := stream.readline(MAX_LINE_BYTES + 1):
        number += 1
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while (rest := stream.readline(_SKIP_CHUNK)) and not rest.endswith(b"\n"):
                pass
            yield number, None
        else:
            yield number, line


def line_article(uri: str, line: str, meta: dict) -> Article | Rejection:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return Rejection(uri, f"not valid JSON: {exc.msg} at column {exc.colno}")
    except RecursionError:
        return Rejection(uri, "JSON nested too deeply to be an article")
    except ValueError as exc:           # e.g. an integer with more digits than Python reads
        return Rejection(uri, f"not readable JSON: {exc}")
    if not isinstance(record, dict):
        return Rejection(uri, f"a JSON {_kind(record)}, not an object with a 'text' field")
    text, problem = _text(record)
    if problem:
        return Rejection(uri, problem)
    fields = typed_fields({field: _string(record, keys) for field, keys in _ALIASES.items()})
    return complete(Article(source_uri=uri, text=text, **(fields | typed_fields(meta))))


def _text(record: dict) -> tuple[str, str | None]:
    for key in _TEXT_KEYS:
        value = record.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            return "", f"field {key!r} is a JSON {_kind(value)}, not the article's text"
        text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
        if _MARKUP.search(text):
            text = html_to_text(text)
        if text:
            return text, None
    return "", "no article text: needs a non-empty 'text' or 'content' field"


def _string(record: dict, keys: tuple[str, ...]) -> str | None:
    """The first of keys holding a string; a source object's name ({"source": {"name": ...}})."""
    for key in keys:
        value = record.get(key)
        if isinstance(value, dict):
            value = value.get("name")
        if isinstance(value, str) and value.strip():
            return value
    return None


def _kind(value) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number")
