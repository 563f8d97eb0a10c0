"""What every reader produces: an article with its metadata, or a rejection with a reason."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cached_property


@dataclass
class Article:
    source_uri: str            # the path or URL read
    text: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    original_source: str | None = None
    published_at: date | None = None
    language: str | None = None

    @cached_property
    def article_id(self) -> str:      # hashed once: asked for by discovery, staging and the audit
        return article_id(self.text)

    @property
    def name(self) -> str:
        """The file name (or last URL segment): how the gold files refer to an article."""
        return self.source_uri.rstrip("/").rsplit("/", 1)[-1]


@dataclass
class Rejection:
    source_uri: str
    reason: str


@dataclass
class Unchanged:
    """An item the source says has not changed since the last run (HTTP 304): nothing to read."""
    source_uri: str
    reason: str = "not modified since the last run"


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip().casefold()


def article_id(text: str) -> str:
    """The same article under another name has the same id: a hash of its normalised text."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()[:20]
