"""Sort what the sources yield into new articles, copies, known ones and rejections,
recording an outcome for every item: nothing disappears without a row."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from flows.ingest.article import Article, Rejection, Unchanged
from flows.ingest.neardup import NearDuplicateIndex, signature


@dataclass
class ItemOutcome:
    source_uri: str
    outcome: str                # loaded | duplicate | unchanged | rejected
    article_id: str | None = None
    reason: str | None = None
    duplicate_of: str | None = None


@dataclass
class Discovery:
    new: list[Article] = field(default_factory=list)           # to load (near-duplicates too: their outlet counts)
    copies: list[tuple[Article, str]] = field(default_factory=list)   # exact copies of a known text, and of what
    near: dict[str, str] = field(default_factory=dict)          # new article id -> the story it copies
    signatures: dict[str, tuple[int, ...]] = field(default_factory=dict)
    outcomes: list[ItemOutcome] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(o.outcome == outcome for o in self.outcomes)


def discover(items: Iterable[Article | Rejection | Unchanged], known: dict[str, str],
             index: NearDuplicateIndex | Callable[[], NearDuplicateIndex] | None = None,
             published: dict | None = None) -> Discovery:
    """known: article_id -> source_uri of articles already in the warehouse; index: their
    near-duplicate signatures, or a function that loads them when a new article first needs
    them (new articles are added as they are seen); published: their publication dates,
    lent to an undated syndicated copy so it dates its figures alike."""
    found = Discovery()
    seen: dict[str, str] = {}
    published = dict(published or {})
    loaded: list[NearDuplicateIndex] = [index] if isinstance(index, NearDuplicateIndex) else []

    def near_index() -> NearDuplicateIndex:
        if not loaded:
            loaded.append(index() if callable(index) else NearDuplicateIndex())
        return loaded[0]

    for item in items:
        if isinstance(item, Rejection):
            found.outcomes.append(ItemOutcome(item.source_uri, "rejected", reason=item.reason))
            continue
        if isinstance(item, Unchanged):
            found.outcomes.append(ItemOutcome(item.source_uri, "unchanged", reason=item.reason))
            continue
        aid = item.article_id
        first = known.get(aid) or seen.get(aid)
        if first == item.source_uri:
            found.outcomes.append(ItemOutcome(item.source_uri, "unchanged", aid))
        elif first is not None:
            found.copies.append((item, aid))
            found.outcomes.append(ItemOutcome(item.source_uri, "duplicate", aid, f"same text as {first}", aid))
        else:
            seen[aid] = item.source_uri
            sig = signature(item.text)
            story = near_index().find(sig)
            near_index().add(aid, sig)
            found.new.append(item)
            found.signatures[aid] = sig
            if story is not None and item.published_at is None:
                item.published_at = published.get(story)
            published.setdefault(aid, item.published_at)
            if story is None:
                found.outcomes.append(ItemOutcome(item.source_uri, "loaded", aid))
            else:
                found.near[aid] = story
                found.outcomes.append(ItemOutcome(
                    item.source_uri, "duplicate", aid,
                    f"near-duplicate of {story} (a syndicated copy); loaded and linked, counted once", story))
    return found
