"""An optional header block at the top of a text article:

    url: https://example.org/2025/11/10/troops
    outlet: Example Daily
    published: 2025-11-10

    The article starts here.

Only known keys make a header, so an article that opens with "Note: ..." keeps its text.
"""

from __future__ import annotations

import re

# header key (any case) -> Article field
HEADER_KEYS = {
    "url": "url", "outlet": "outlet", "title": "title", "published": "published_at",
    "published_at": "published_at", "language": "language", "original_source": "original_source",
}
_LINE = re.compile(r"([A-Za-z_ ]{1,30}):(.*)")


def split_header(text: str) -> tuple[dict[str, str], str]:
    """(header fields by Article field name, the text after the header). Without a header,
    or when any line before the first blank one is not a known key, ({}, text) unchanged."""
    lines = text.lstrip("\ufeff").split("\n")
    fields: dict[str, str] = {}
    for i, line in enumerate(lines):
        if not line.strip():
            if not fields:
                return {}, text
            return fields, "\n".join(lines[i + 1:]).strip("\n")
        match = _LINE.fullmatch(line.strip())
        key = match and match.group(1).strip().lower().replace(" ", "_")
        if not match or key not in HEADER_KEYS:
            return {}, text
        if value := match.group(2).strip():
            fields[HEADER_KEYS[key]] = value
    return {}, text         # no blank line after the key lines: the whole file is the article
