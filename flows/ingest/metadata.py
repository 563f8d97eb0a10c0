"""Metadata an article shows by itself when nothing else says it: title, publication date."""

from __future__ import annotations

import re
from datetime import date

# a dated path: /2025/11/10/ in a URL or an image path
_DATED_PATH = re.compile(r"/((?:19|20)\d\d)/(\d{1,2})/(\d{1,2})/")
_ISO_IN_URL = re.compile(r"[/_-]((?:19|20)\d\d)-(\d\d)-(\d\d)(?!\d)")


def first_line(text: str, limit: int = 300) -> str | None:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:limit]
    return None


def date_from_paths(text: str) -> date | None:
    """The latest date that the article's URLs or image paths carry, if any."""
    found = []
    for pattern in (_DATED_PATH, _ISO_IN_URL):
        for y, m, d in pattern.findall(text):
            try:
                found.append(date(int(y), int(m), int(d)))
            except ValueError:
                continue
    return max(found) if found else None
