"""Sort what the sources yield into new articles, copies, known ones and rejections,
recording an outcome for every item: nothing disappears without a row."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from flows.ingest.article import Article, Rejection, Unchanged
from flows.ingest.neardup import PERMUTATIONS, NearDuplicateIndex, signature


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


@dataclass
class Stories:
    """Stored stories a chunk's new articles may copy, in the order they were first seen."""
    ids: list[str]
    signatures: np.ndarray                  # (len(ids), PERMUTATIONS)
    published: list                         # each one's publication date, or None


class Ledger(Protocol):
    """What came before a chunk of items: the warehouse's articles and the run's so far."""

    def session(self) -> AbstractContextManager: ...     # held while one chunk is looked up

    def first_reads(self, article_ids: list[str]) -> dict[str, str]: ...   # id -> source_uri read first

    def stories_like(self, signatures: np.ndarray) -> Stories: ...   # those sharing an LSH band with any

    def remember(self, articles: list[Article], signatures: np.ndarray) -> None: ...


class MemoryLedger:
    """A Ledger in memory, for a handful of items (the warehouse's runs use a DuckDB one)."""

    def __init__(self, known: dict[str, str] | None = None):
        self.sources, self.published, self.index = dict(known or {}), {}, NearDuplicateIndex()

    def session(self) -> AbstractContextManager:
        return nullcontext()

    def first_reads(self, article_ids: list[str]) -> dict[str, str]:
        return {aid: self.sources[aid] for aid in article_ids if aid in self.sources}

    def stories_like(self, signatures: np.ndarray) -> Stories:
        ids, found = self.index.sharing_a_band(signatures)
        return Stories(ids, found, [self.published[aid] for aid in ids])

    def remember(self, articles: list[Article], signatures: np.ndarray) -> None:
        for a in articles:
            self.sources[a.article_id], self.published[a.article_id] = a.source_uri, a.published_at
        self.index.add_many([a.article_id for a in articles], signatures)


_NO_STORIES = Stories([], np.empty((0, PERMUTATIONS), dtype=np.uint32), [])


@dataclass
class _Before:
    """What a chunk's items are sorted against: the ledger's answers, then its own new articles."""
    first: dict[str, str]                   # article_id -> source_uri read first
    signatures: dict[str, tuple[int, ...]]  # of the chunk's new texts
    index: NearDuplicateIndex
    published: dict


class Discoverer:
    """Sorts items a chunk at a time, as if one by one: what came before a chunk (the
    warehouse's articles, the run's earlier chunks) is looked up in the ledger in one go,
    so memory holds one chunk, not everything seen."""

    def __init__(self, ledger: Ledger):
        self.ledger = ledger

    def sort(self, items: list[Article | Rejection | Unchanged]) -> Discovery:
        found = Discovery()
        before = self._look_up([i for i in items if isinstance(i, Article)])
        for item in items:
            self._sort(item, before, found)
        self.ledger.remember(found.new, _matrix([found.signatures[a.article_id] for a in found.new]))
        return found

    def _look_up(self, articles: list[Article]) -> _Before:
        if not articles:
            return _Before({}, {}, NearDuplicateIndex(), {})
        with self.ledger.session():
            first = self.ledger.first_reads(list({a.article_id for a in articles}))
            fresh = {}
            for a in articles:
                if a.article_id not in first:
                    fresh.setdefault(a.article_id, a.text)
            signatures = {aid: signature(text) for aid, text in fresh.items()}
            stories = self.ledger.stories_like(_matrix(list(signatures.values()))) if signatures else _NO_STORIES
        index = NearDuplicateIndex()
        index.add_many(stories.ids, stories.signatures)
        return _Before(first, signatures, index, dict(zip(stories.ids, stories.published)))

    def _sort(self, item: Article | Rejection | Unchanged, before: _Before, into: Discovery) -> None:
        if isinstance(item, Rejection):
            into.outcomes.append(ItemOutcome(item.source_uri, "rejected", reason=item.reason))
            return
        if isinstance(item, Unchanged):
            into.outcomes.append(ItemOutcome(item.source_uri, "unchanged", reason=item.reason))
            return
        aid = item.article_id
        first = before.first.get(aid)
        if first == item.source_uri:
            into.outcomes.append(ItemOutcome(item.source_uri, "unchanged", aid))
        elif first is not None:
            into.copies.append((item, aid))
            into.outcomes.append(ItemOutcome(item.source_uri, "duplicate", aid, f"same text as {first}", aid))
        else:
            self._sort_new(item, aid, before, into)

    @staticmethod
    def _sort_new(item: Article, aid: str, before: _Before, into: Discovery) -> None:
        before.first[aid] = item.source_uri
        sig = before.signatures[aid]
        story = before.index.find(sig)
        before.index.add(aid, sig)
        into.new.append(item)
        into.signatures[aid] = sig
        if story is not None and item.published_at is None:
            item.published_at = before.published.get(story)
        before.published.setdefault(aid, item.published_at)
        if story is None:
            into.outcomes.append(ItemOutcome(item.source_uri, "loaded", aid))
        else:
            into.near[aid] = story
            into.outcomes.append(ItemOutcome(
                item.source_uri, "duplicate", aid,
                f"near-duplicate of {story} (a syndicated copy); loaded and linked, counted once", story))


def _matrix(signatures: list[tuple[int, ...]]) -> np.ndarray:
    return np.array(signatures, dtype=np.uint32).reshape(len(signatures), PERMUTATIONS)


def discover(items: Iterable[Article | Rejection | Unchanged], known: dict[str, str] | None = None) -> Discovery:
    """Every item sorted into one Discovery; known: article_id -> source_uri of stored articles."""
    return Discoverer(MemoryLedger(known)).sort(list(items))


def discover_in_batches(items: Iterable[Article | Rejection | Unchanged], sorter: Discoverer,
                        batch_size: int) -> Iterator[Discovery]:
    """The items sorted a chunk of at most `batch_size` articles at a time, so a run holds one
    batch of texts, however large. Outcomes without a text (unchanged, rejected) weigh little:
    a chunk holds up to OUTCOMES_PER_ARTICLE times as many of them."""
    chunk, articles = [], 0
    for item in items:
        chunk.append(item)
        articles += isinstance(item, Article)
        if articles >= batch_size or len(chunk) >= OUTCOMES_PER_ARTICLE * batch_size:
            yield sorter.sort(chunk)
            chunk, articles = [], 0
    if chunk:
        yield sorter.sort(chunk)
