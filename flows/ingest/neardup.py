"""Near-duplicates: one wire story carried by several outlets with small edits (a new
headline, a reworded first sentence, the outlet's own boilerplate).

signature(): MinHash over shingles of 4 words of the normalised text. Hashes are crc32
and permutations come from a fixed seed, so a signature is the same in every process and
can be stored. NearDuplicateIndex: LSH banding, so a lookup compares a handful of
candidates, not every article; a candidate is a duplicate when the estimated Jaccard
similarity of the shingle sets is at least the threshold.
"""

from __future__ import annotations

import re
import zlib

import numpy as np

from flows.ingest.article import normalise

SHINGLE_WORDS = 4
PERMUTATIONS = 128
BANDS = 32                      # of 4 rows: a pair at 0.8 shares a band with probability > 0.999
THRESHOLD = 0.7           # a wire copy with a new headline and lead scores ~0.7-0.85; a different story on the same topic ~0.01

_PRIME = np.uint64(4_294_967_291)       # the largest prime below 2**32: a*x+b stays below 2**64
_rng = np.random.default_rng(20_251_110)
_A = _rng.integers(1, int(_PRIME), PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, int(_PRIME), PERMUTATIONS, dtype=np.uint64)
# Chinese and Japanese are written without spaces: each ideograph or kana is a word
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")


def signature(text: str) -> tuple[int, ...]:
    """PERMUTATIONS minimum hashes; two texts agree on a share of them that estimates the
    Jaccard similarity of their shingle sets."""
    words = _WORD.findall(normalise(text))
    span = min(SHINGLE_WORDS, len(words))
    shingles = {" ".join(words[i:i + span]) for i in range(len(words) - span + 1)} if words else {""}
    # crc32: deterministic in every process (unlike hash()) and fast for short strings
    hashes = np.fromiter((zlib.crc32(s.encode()) for s in shingles), dtype=np.uint64, count=len(shingles))
    permuted = (hashes[:, None] * _A[None, :] + _B[None, :]) % _PRIME
    return tuple(int(v) for v in permuted.min(axis=0))


def similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """The estimated Jaccard similarity of the two texts' shingle sets."""
    return float(np.mean(np.asarray(a) == np.asarray(b)))


class NearDuplicateIndex:
    def __init__(self, threshold: float = THRESHOLD):
        self.threshold = threshold
        self._rows = PERMUTATIONS // BANDS
        self._buckets: list[dict[int, list[int]]] = [{} for _ in range(BANDS)]
        self._ids: list[str] = []
        self._signatures = np.empty((0, PERMUTATIONS), dtype=np.uint32)
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def add(self, article_id: str, signature: tuple[int, ...]) -> None:
        row = self._count
        if row == len(self._signatures):            # grow by doubling: adds stay cheap
            grown = np.empty((max(1024, 2 * row), PERMUTATIONS), dtype=np.uint32)
            grown[:row] = self._signatures[:row]
            self._signatures = grown
        self._signatures[row] = self._check(signature)
        self._ids.append(article_id)
        self._count += 1
        for band, key in enumerate(self._band_keys(signature)):
            self._buckets[band].setdefault(key, []).append(row)

    def find(self, signature: tuple[int, ...]) -> str | None:
        """The id of the most similar article added, if it is a near-duplicate; else None."""
        candidates = {row for band, key in enumerate(self._band_keys(signature))
                      for row in self._buckets[band].get(key, ())}
        if not candidates:
            return None
        rows = np.fromiter(sorted(candidates), dtype=np.int64, count=len(candidates))
        scores = (self._signatures[rows] == self._check(signature)).mean(axis=1)
        best = int(np.argmax(scores))                 # the first added wins a tie
        return self._ids[rows[best]] if scores[best] >= self.threshold else None

    def _band_keys(self, signature: tuple[int, ...]) -> list[int]:
        r = self._rows
        return [hash(signature[i:i + r]) for i in range(0, PERMUTATIONS, r)]

    @staticmethod
    def _check(signature: tuple[int, ...]) -> np.ndarray:
        if len(signature) != PERMUTATIONS:
            raise ValueError(f"a signature has {PERMUTATIONS} values, this one {len(signature)}; "
                             "make it with neardup.signature()")
        return np.asarray(signature, dtype=np.uint32)
