"""Near-duplicates: one wire story carried by several outlets with small edits (a new
headline, a reworded first sentence, the outlet's own boilerplate).

signature(): MinHash over shingles of 4 words of the normalised text, computed with numpy
over the text's code points: each word is hashed once (a polynomial over its code points),
each shingle's hash combines its 4 word hashes, and each of the 128 permutations is a
multiplication of the (odd, 32-bit) shingle hashes modulo 2**32. All constants are fixed
(splitmix64 of a seed), so a signature is the same in every process and can be stored.
Signatures are only comparable with signatures made by the same code: the ones stored
before this version (crc32 of the joined shingle text) must be recomputed, not mixed with
these.

NearDuplicateIndex: LSH banding, so a lookup compares a handful of candidates, not every
article; a candidate is a duplicate when the estimated Jaccard similarity of the shingle
sets is at least the threshold. The bands live in two sorted numpy arrays, not in Python
dicts: 100,000 articles take ~80 MB (the signatures ~50 of them), not ~600 MB.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from collections.abc import Sequence

import numpy as np

SHINGLE_WORDS = 4
PERMUTATIONS = 128
BANDS = 32                      # of 4 rows: a pair at 0.8 shares a band with probability > 0.999
THRESHOLD = 0.7           # a wire copy with a new headline and lead scores ~0.7-0.85; a different story on the same topic ~0.01

# Chinese and Japanese are written without spaces: each ideograph or kana is a word
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_ALONE = rf"[{_CJK}]"                     # a word by itself
_IN_RUN = rf"[^\W{_CJK}]"                  # letters and digits: a word is a run of them
_WORD = re.compile(rf"{_ALONE}|{_IN_RUN}+")   # a word of article.normalise(text)


def _splitmix64(seed: int, count: int) -> list[int]:
    """count 64-bit constants. Not numpy's Generator: its stream may change between numpy
    versions, and these constants must never change while signatures are stored."""
    out, mask = [], (1 << 64) - 1
    for _ in range(count):
        seed = (seed + 0x9E3779B97F4A7C15) & mask
        z = ((seed ^ (seed >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        out.append(z ^ (z >> 31))
    return out


_constants = iter(_splitmix64(20_251_110, 1024))     # taken in order below; more than enough
_BASE = next(_constants) | 1                          # odd, so it has an inverse modulo 2**64
_SHINGLE_OFFSET = np.uint64(next(_constants))
_SHINGLE_FACTORS = np.array([next(_constants) for _ in range(SHINGLE_WORDS)], dtype=np.uint64)
_PERMUTE_FACTORS = np.array([(next(_constants) >> 32) | 1 for _ in range(PERMUTATIONS)], dtype=np.uint32)
_BAND_ROWS = PERMUTATIONS // BANDS
_BAND_OFFSET = np.uint64(next(_constants))
_BAND_FACTORS = np.array([next(_constants) for _ in range(_BAND_ROWS)], dtype=np.uint64)
_BAND_BITS = (BANDS - 1).bit_length()
_KEY_BITS = 32 - _BAND_BITS                           # a band key: the band's number, then a hash
_BAND_PREFIXES = np.arange(BANDS, dtype=np.uint32) << np.uint32(_KEY_BITS)
_CODE_POINTS = np.dtype("<u4")                       # utf-32-le: the same on every machine
_SEPARATOR, _RUN, _SINGLE = 0, 1, 2                  # a character's class: in no word, in a run, a word alone
_OUT_OF_RANGE = "signature values are below 2**32; make them with neardup.signature()"


def signature(text: str) -> tuple[int, ...]:
    """PERMUTATIONS minimum hashes below 2**32; two texts agree on a share of them that
    estimates the Jaccard similarity of their sets of SHINGLE_WORDS-word shingles."""
    # article.normalise() also collapses whitespace, which never changes the words (and is
    # the slowest step): NFC and casefold are what change them
    codes, starts, ends = _word_spans(unicodedata.normalize("NFC", text).casefold())
    shingles = _shingle_hashes(_word_hashes(codes, starts, ends))
    return tuple(_min_hashes(shingles).tolist())


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """The estimated Jaccard similarity of the two texts' shingle sets."""
    return float(np.mean(np.asarray(a) == np.asarray(b)))


@functools.cache
def _character_classes() -> np.ndarray:
    """The class of every code point, by the same character sets as _WORD (~0.1 s, once)."""
    every = np.arange(sys.maxunicode + 1, dtype=_CODE_POINTS).tobytes().decode("utf-32-le", "surrogatepass")
    classes = np.full(len(every), _SEPARATOR, dtype=np.uint8)
    for chars, cls in ((_IN_RUN, _RUN), (_ALONE, _SINGLE)):
        for match in re.finditer(f"{chars}+", every):         # code points come in long runs: ~700 matches
            classes[match.start():match.end()] = cls
    return classes


def _word_spans(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The text's code points, and the start and end of each word: _WORD.findall(text) is
    [text[s:e] for s, e in zip(starts, ends)]."""
    padded = np.frombuffer(f"\0{text}\0".encode("utf-32-le", "surrogatepass"), dtype=_CODE_POINTS)
    classes = _character_classes()[padded]
    in_run = classes == _RUN
    breaks = ~(in_run[:-1] & in_run[1:])              # breaks[i]: no word goes on from text[i-1] to text[i]
    in_word = classes[1:-1] != _SEPARATOR
    starts = np.flatnonzero(in_word & breaks[:-1])
    ends = np.flatnonzero(in_word & breaks[1:]) + 1
    return padded[1:-1], starts, ends


def _word_hashes(codes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """sum(code[i] * BASE**(i - start + 1)) mod 2**64 over each word, from one prefix sum of
    the whole text: the same word has the same hash wherever it is."""
    powers, inverses = _powers(len(codes) + 1)
    prefix = np.zeros(len(codes) + 1, dtype=np.uint64)
    np.cumsum(codes * powers[1:], out=prefix[1:])      # uint64 arithmetic wraps: modulo 2**64
    return (prefix[ends] - prefix[starts]) * inverses[starts]


def _shingle_hashes(words: np.ndarray) -> np.ndarray:
    """An odd 32-bit hash of each window of SHINGLE_WORDS word hashes: the top bits of a
    random linear combination (vector multiply-shift hashing), the last one set so that no
    permutation maps a shingle to 0. A text with fewer words is one shingle; a text without
    words one empty shingle, as for the crc32 signatures."""
    span = min(SHINGLE_WORDS, len(words))
    count = len(words) - span + 1
    combined = np.full(count, _SHINGLE_OFFSET, dtype=np.uint64)
    for k in range(span):
        combined += words[k:k + count] * _SHINGLE_FACTORS[k]
    return (combined >> np.uint64(32)).astype(np.uint32) | np.uint32(1)


def _min_hashes(shingles: np.ndarray) -> np.ndarray:
    """For each permutation a*x mod 2**32 (a odd: a bijection of the odd 32-bit values), the
    least value over the shingles. The shingle hashes are already random-looking, so this
    cheap family estimates Jaccard as well as a*x+b mod p (checked on random sets: bias
    < 0.003, spread as a binomial's)."""
    permuted = np.multiply.outer(_PERMUTE_FACTORS, shingles)      # uint32: wraps modulo 2**32
    return permuted.min(axis=1)                                   # along rows: the faster way


_power_tables = (np.ones(1, dtype=np.uint64), np.ones(1, dtype=np.uint64))


def _powers(count: int) -> tuple[np.ndarray, np.ndarray]:
    """BASE**i and BASE**-i mod 2**64 for i < count, from tables grown by doubling (replaced
    whole, so a thread still reading the old ones is not disturbed)."""
    global _power_tables
    if len(_power_tables[0]) < count:
        size = max(count, 4096, 2 * len(_power_tables[0]))
        powers = np.full(size, _BASE, dtype=np.uint64)
        inverses = np.full(size, pow(_BASE, -1, 1 << 64), dtype=np.uint64)
        powers[0] = inverses[0] = 1
        _power_tables = (np.cumprod(powers), np.cumprod(inverses))
    powers, inverses = _power_tables
    return powers[:count], inverses[:count]


class NearDuplicateIndex:
    """Signatures in one uint32 array; the LSH bands as one sorted array of (band, key)
    values with the row of each, searched with np.searchsorted. Rows added since the last
    merge are scanned directly, and merged when they reach _RECENT_ROWS."""

    _RECENT_ROWS = 1024          # a scan of this many rows costs about a merge's share per add
    _LOAD_ROWS = 4096            # add_many converts and merges this many at a time: bounded memory

    def __init__(self, threshold: float = THRESHOLD):
        self.threshold = threshold
        self._ids: list[str] = []
        self._signatures = np.empty((0, PERMUTATIONS), dtype=np.uint32)     # rows beyond len(self): spare
        self._sorted_keys = np.empty(0, dtype=np.uint32)     # band keys of merged rows, ascending
        self._sorted_rows = np.empty(0, dtype=np.uint32)     # the row of each key
        self._recent_keys = np.empty((0, BANDS), dtype=np.uint32)   # band keys of the rows not merged

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, article_id: str, signature: Sequence[int] | np.ndarray) -> None:
        self.add_many([article_id], _checked_one(signature))

    def add_many(self, article_ids: Sequence[str], signatures: Sequence[Sequence[int]] | np.ndarray) -> None:
        """Add many at once, as if one by one in order; signatures: a (n, PERMUTATIONS)
        array, or a sequence of signatures."""
        article_ids = list(article_ids)
        if not article_ids and not len(signatures):
            return
        if len(article_ids) != len(signatures):
            raise ValueError(f"{len(article_ids)} ids but {len(signatures)} signatures")
        self._reserve(len(self) + len(article_ids))
        for start in range(0, len(article_ids), self._LOAD_ROWS):
            block = _checked(signatures[start:start + self._LOAD_ROWS])
            row = len(self)
            self._signatures[row:row + len(block)] = block
            self._ids.extend(article_ids[start:start + len(block)])
            self._recent_keys = np.concatenate([self._recent_keys, band_keys(block)])
            if len(self._recent_keys) >= self._RECENT_ROWS:
                self._merge()

    def find(self, signature: Sequence[int] | np.ndarray) -> str | None:
        """The id of the most similar article added, if it is a near-duplicate; else None."""
        probe = _checked_one(signature)
        rows = self._candidates(band_keys(probe)[0])
        if not len(rows):
            return None
        agreements = (self._signatures[rows] == probe).sum(axis=1)
        best = agreements.max()
        if best / PERMUTATIONS < self.threshold:
            return None
        return self._ids[rows[agreements == best].min()]        # the first added wins a tie

    def sharing_a_band(self, signatures: Sequence[Sequence[int]] | np.ndarray) -> tuple[list[str], np.ndarray]:
        """The ids and signatures of the articles sharing a band with any of `signatures`, in
        the order they were added: all that a find() of any of those could compare."""
        if not len(signatures):
            return [], self._signatures[:0]
        rows = np.unique(np.concatenate([self._candidates(keys) for keys in band_keys(_checked(signatures))]))
        return [self._ids[r] for r in rows], self._signatures[rows]

    def _candidates(self, keys: np.ndarray) -> np.ndarray:
        """The rows sharing at least one band with keys (unordered, maybe repeated)."""
        rows = self._merged_candidates(keys)
        if len(self._recent_keys):
            merged = len(self) - len(self._recent_keys)
            recent = np.flatnonzero(self._recent_keys == keys) // BANDS + merged    # faster than .any(axis=1)
            rows = np.concatenate([rows, recent])
        return rows

    def _merged_candidates(self, keys: np.ndarray) -> np.ndarray:
        sorted_keys, count = self._sorted_keys, len(self._sorted_keys)
        if not count:
            return np.empty(0, dtype=np.int64)
        positions = np.searchsorted(sorted_keys, keys)
        present = sorted_keys[np.minimum(positions, count - 1)] == keys
        positions, keys = positions[present], keys[present]
        # a band key is nearly always one row's; only when one is not, search for the ends
        # (a search costs cache misses) and take every position of each key's run
        if (sorted_keys[np.minimum(positions + 1, count - 1)] == keys).any():
            lengths = np.searchsorted(sorted_keys, keys, side="right") - positions
            run_offsets = np.cumsum(lengths) - lengths
            positions = np.repeat(positions - run_offsets, lengths) + np.arange(lengths.sum())
        return self._sorted_rows[positions]

    def _merge(self) -> None:
        """Move the recent rows' band keys into the sorted arrays."""
        first = len(self) - len(self._recent_keys)
        keys = self._recent_keys.ravel()
        rows = np.repeat(np.arange(first, len(self), dtype=np.uint32), BANDS)
        order = np.argsort(keys, kind="stable")
        keys, rows = keys[order], rows[order]
        at = np.searchsorted(self._sorted_keys, keys, side="right")    # after older rows with that key
        self._sorted_keys = np.insert(self._sorted_keys, at, keys)
        self._sorted_rows = np.insert(self._sorted_rows, at, rows)
        self._recent_keys = self._recent_keys[:0]

    def _reserve(self, rows: int) -> None:
        """Room for rows signatures; grows by an eighth (not doubling) to keep the slack small."""
        capacity = len(self._signatures)
        if rows > capacity:
            grown = np.empty((max(rows, capacity + capacity // 8 + 1024), PERMUTATIONS), dtype=np.uint32)
            grown[:len(self)] = self._signatures[:len(self)]
            self._signatures = grown


def band_keys(signatures: np.ndarray) -> np.ndarray:
    """(n, BANDS) uint32: the band number in the top bits, then the top bits of a random
    linear combination of the band's rows (vector multiply-shift hashing). Keys that collide
    only add a candidate, which is then scored and dropped."""
    bands = signatures.reshape(len(signatures), BANDS, _BAND_ROWS).astype(np.uint64)
    combined = bands @ _BAND_FACTORS + _BAND_OFFSET                # uint64: wraps modulo 2**64
    return (combined >> np.uint64(64 - _KEY_BITS)).astype(np.uint32) | _BAND_PREFIXES


def _checked(signatures: Sequence[Sequence[int]] | np.ndarray) -> np.ndarray:
    """(n, PERMUTATIONS) uint32, or ValueError."""
    if isinstance(signatures, np.ndarray) and signatures.dtype != np.uint32:
        if signatures.size and (signatures.min() < 0 or signatures.max() >= 2**32):
            raise ValueError(_OUT_OF_RANGE)
        array = signatures.astype(np.uint32)
    else:
        try:
            array = np.array(signatures, dtype=np.uint32)       # a Python int out of range raises
        except OverflowError:
            raise ValueError(_OUT_OF_RANGE) from None
    if array.ndim != 2 or array.shape[1] != PERMUTATIONS:
        raise ValueError(f"a signature has {PERMUTATIONS} values, this one {array.shape[-1] if array.ndim else 0}; "
                         "make it with neardup.signature()")
    return array


def _checked_one(signature: Sequence[int] | np.ndarray) -> np.ndarray:
    return _checked(signature[None] if isinstance(signature, np.ndarray) else [signature])
