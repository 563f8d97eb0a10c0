"""One file read by its extension: .txt, .html/.htm, .jsonl."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from flows.ingest.article import Article, Rejection
from flows.ingest.htmlpage import read_html_file
from flows.ingest.jsonlines import read_jsonl
from flows.ingest.textfile import read_text_file

READABLE = (".txt", ".html", ".htm", ".jsonl")


def read_file(path: Path, meta: dict) -> Iterator[Article | Rejection]:
    """meta: the file's manifest entry, which overrides what the file says about itself."""
    suffix = path.suffix.lower()
    if suffix == ".txt":
        yield read_text_file(path, meta)
    elif suffix in (".html", ".htm"):
        yield read_html_file(path, meta)
    elif suffix == ".jsonl":
        yield from read_jsonl(path, meta)
    else:
        yield Rejection(str(path), f"cannot read {suffix or 'extensionless'} files; "
                                   f"use one of {', '.join(READABLE)}")
