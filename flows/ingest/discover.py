"""Sort what the sources yield into new articles, copies, known ones and rejections,
recording an outcome for every item: nothing disappears without a row."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from flows.ingest.article import Article, Rejection, Unchanged
from flows.ingest.neardup import NearDuplicateIndex, signature


OUTCOMES_PER_ARTICLE = 50     # a batch of 1,000 new articles, or of 50,000 items with nothing to extract


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


class Discoverer:
    """Sorts items one at a time, remembering the articles seen earlier in the run.

    known: article_id -> source_uri of articles already in the warehouse; index: their
    near-duplicate signatures, or a function that loads them when a new article first needs
    them (a run with nothing new never loads them); published: their publication dates,
    lent to an undated syndicated copy so it dates its figures alike."""

    def __init__(self, known: dict[str, str],
                 index: NearDuplicateIndex | Callable[[], NearDuplicateIndex] | None = None,
                 published: dict | None = None):
        self.known, self.seen = known, {}
        self.published = dict(published or {})
        self._index = index if isinstance(index, NearDuplicateIndex) else None
        self._load_index = index if callable(index) else NearDuplicateIndex

    def near_index(self) -> NearDuplicateIndex:
        if self._index is None:
            self._index = self._load_index()
        return self._index

    def sort(self, item: Article | Rejection | Unchanged, into: Discovery) -> None:
        if isinstance(item, Rejection):
            into.outcomes.append(ItemOutcome(item.source_uri, "rejected", reason=item.reason))
            return
        if isinstance(item, Unchanged):
            into.outcomes.append(ItemOutcome(item.source_uri, "unchanged", reason=item.reason))
            return
        aid = item.article_id
        first = self.known.get(aid) or self.seen.get(aid)
        if first == item.source_uri:
            into.outcomes.append(ItemOutcome(item.source_uri, "unchanged", aid))
        elif first is not None:
            into.copies.append((item, aid))
            into.outcomes.append(ItemOutcome(item.source_uri, "duplicate", aid, f"same text as {first}", aid))
        else:
            self._sort_new(item, aid, into)

    def _sort_new(self, item: Article, aid: str, into: Discovery) -> None:
        self.seen[aid] = item.source_uri
        sig = signature(item.text)
        story = self.near_index().find(sig)
        self.near_index().add(aid, sig)
        into.new.append(item)
        into.signatures[aid] = sig
        if story is not None and item.published_at is None:
            item.published_at = self.published.get(story)
        self.published.setdefault(aid, item.published_at)
        if story is None:
            into.outcomes.append(ItemOutcome(item.source_uri, "loaded", aid))
        else:
            into.near[aid] = story
            into.outcomes.append(ItemOutcome(
                item.source_uri, "duplicate", aid,
                f"near-duplicate of {story} (a syndicated copy); loaded and linked, counted once", story))


def discover(items: Iterable[Article | Rejection | Unchanged], known: dict[str, str],
             index: NearDuplicateIndex | Callable[[], NearDuplicateIndex] | None = None,
             published: dict | None = None) -> Discovery:
    """Every item sorted into one Discovery (see Discoverer for the arguments)."""
    sorter, found = Discoverer(known, index, published), Discovery()
    for item in items:
        sorter.sort(item, found)
    return found


def discover_in_batches(items: Iterable[Article | Rejection | Unchanged], sorter: Discoverer,
                        batch_size: int) -> Iterator[Discovery]:
    """The items sorted into Discoveries of at most `batch_size` new articles, so a run holds
    one batch of texts at a time, however large. Outcomes without a text (unchanged, rejected)
    weigh little: a batch holds up to OUTCOMES_PER_ARTICLE times as many of them."""
    found = Discovery()
    for item in items:
        sorter.sort(item, found)
        if len(found.new) >= batch_size or len(found.outcomes) >= OUTCOMES_PER_ARTICLE * batch_size:
            yield found
            found = Discovery()
    if found.outcomes:
        yield found
