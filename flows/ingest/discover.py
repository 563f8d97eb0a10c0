"""Sort what a source yields into new articles, copies, known ones and rejections,
recording an outcome for every item."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from flows.ingest.article import Article, Rejection


@dataclass
class ItemOutcome:
    source_uri: str
    outcome: str                # loaded | duplicate | unchanged | rejected
    article_id: str | None = None
    reason: str | None = None
    duplicate_of: str | None = None


@dataclass
class Discovery:
    new: list[Article] = field(default_factory=list)
    outcomes: list[ItemOutcome] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(o.outcome == outcome for o in self.outcomes)


def discover(items: Iterable[Article | Rejection], known: dict[str, str]) -> Discovery:
    """known: article_id -> source_uri of articles already in the warehouse."""
    found = Discovery()
    seen: dict[str, str] = {}
    for item in items:
        if isinstance(item, Rejection):
            found.outcomes.append(ItemOutcome(item.source_uri, "rejected", reason=item.reason))
            continue
        aid = item.article_id
        if aid in known:
            same = known[aid] == item.source_uri
            found.outcomes.append(ItemOutcome(
                item.source_uri, "unchanged" if same else "duplicate", aid,
                None if same else f"same text as {known[aid]}", None if same else aid))
        elif aid in seen:
            found.outcomes.append(ItemOutcome(item.source_uri, "duplicate", aid, f"same text as {seen[aid]}", aid))
        else:
            seen[aid] = item.source_uri
            found.new.append(item)
            found.outcomes.append(ItemOutcome(item.source_uri, "loaded", aid))
    return found
