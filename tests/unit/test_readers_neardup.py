"""Near-duplicates: a syndicated copy of a wire story with small edits is found; another
story on the same topic, with other figures, is not."""

import subprocess
import sys
import time
import tracemalloc
import unicodedata

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows.ingest import neardup
from flows.ingest.article import normalise
from flows.ingest.neardup import PERMUTATIONS, NearDuplicateIndex, signature, similarity

WIRE = """Seoul says North Korean losses near Kursk have passed 4,000

SEOUL, Nov 10 (Wire Service) - North Korea has lost more than 4,000 soldiers killed or wounded
while fighting for Russia in the Kursk region, South Korea's National Intelligence Service told
a closed parliamentary committee on Monday, according to two lawmakers who attended.

The agency estimated that about 1,100 of those were killed, and said Pyongyang had sent roughly
3,000 additional troops since January to replace the losses, bringing its total deployment to
around 14,000. The lawmakers said the new arrivals had been trained on drone warfare before
they were moved to the front line.

The intelligence service said the North Korean units had suffered heavy casualties in part
because they were unfamiliar with drone attacks and were used in large infantry assaults
across open fields. It added that Pyongyang appeared to be preparing a further rotation of
forces, including engineers and artillery crews, though it gave no number for that group.

Russia and North Korea have not confirmed the casualty figures. Moscow acknowledged the
presence of North Korean troops only in April, when its chief of the general staff thanked
Pyongyang for helping to push Ukrainian forces out of the Kursk region. Ukrainian officials
have given higher estimates of the losses, and said captured soldiers described poor
preparation and little knowledge of where they had been sent.

The assessment was the agency's first public update since the summer, when it put the number
of North Korean dead at about 600. Lawmakers said the agency had based the new figures on
intercepted communications, satellite imagery and interviews with people who had left the
North in recent months, and that it considered them a conservative estimate.

According to the lawmakers, the agency also said that North Korea had received air defence
systems, electronic warfare equipment and help with its satellite programme in return for
the deployment, and that Russian instructors had been seen at training grounds near the
northern city of Chongjin. The agency did not say how it had learned of the instructors.

One of the lawmakers, a member of the ruling party, told reporters that the committee had
asked the agency to report again before the end of the year, and that the government was
considering how to respond if North Korean soldiers captured in Ukraine asked to be sent
to the South. Ukraine has said two captured soldiers have asked to go to South Korea.

Officials in Kyiv have said North Korean soldiers are now also serving as crews for Russian
artillery and rocket launchers on Ukrainian territory, and that the North has shipped large
amounts of ammunition, including shells and short-range ballistic missiles, over the past
year. The South Korean agency did not comment on those claims, the lawmakers said, but told
the committee it was watching for signs that Pyongyang would send workers to Russian
construction sites and factories, which would breach United Nations sanctions.

Analysts in Seoul said the deployment gave North Korea combat experience and access to
Russian military technology, in exchange for the soldiers it put at risk far from home.
"""

# the same story as another outlet ran it: new headline, reworded first sentence, own boilerplate
COPY = "\n\n".join([
    "North Korea's Kursk toll tops 4,000, spy agency tells lawmakers",
    "SEOUL - More than 4,000 North Korean soldiers have been killed or wounded fighting for Russia\n"
    "in the Kursk region, South Korea's spy agency told lawmakers in a closed session on Monday,\n"
    "two of them said afterwards.",
    *WIRE.split("\n\n")[2:],         # the rest of the story as the wire ran it
]).rstrip("\n") + "\n\nCopyright 2025 The Daily Example. Sign up for our morning newsletter.\n"

# same topic, same places and actors, different reporting and different figures
OTHER = """Kyiv says 600 North Korean soldiers were killed in a week near Kursk

KYIV, Nov 12 - Ukraine's military intelligence said on Wednesday that about 600 North Korean
soldiers had been killed and 900 wounded in a single week of fighting in the Kursk region,
a far higher rate of losses than earlier estimates from Seoul had suggested.

A spokesman for the agency said North Korean units were being sent into assaults in small
groups with little armour, and that Russian commanders were using them to hold ground that
Russian troops had failed to take. He said 12 soldiers had been captured since the summer.

The spokesman also said about 2,000 North Korean workers had arrived at Russian factories
making drones, a figure that could not be verified. South Korea's intelligence service, asked
about the Ukrainian estimate, said it was still assessing the reports.

North Korea has not commented on its losses. Russia has said the troops are in the country
under a mutual defence treaty signed last year, and has praised their role in the fighting.
"""


def test_a_syndicated_copy_is_a_near_duplicate():
    index = NearDuplicateIndex()
    index.add("wire", signature(WIRE))
    assert similarity(signature(WIRE), signature(COPY)) >= 0.8
    assert index.find(signature(COPY)) == "wire"


def test_another_story_on_the_same_topic_is_not():
    index = NearDuplicateIndex()
    index.add("wire", signature(WIRE))
    index.add("copy", signature(COPY))
    assert similarity(signature(WIRE), signature(OTHER)) < 0.2
    assert index.find(signature(OTHER)) is None


def test_whitespace_and_case_do_not_matter():
    assert signature(WIRE) == signature(WIRE.upper().replace("\n", "  \n "))


def test_signatures_are_the_same_in_another_process():
    # a signature is stored and compared across runs: it must not depend on hash() salting
    # (band keys too: an index is not stored today, but nothing in it should depend on the process)
    code = ("from flows.ingest.neardup import signature, band_keys; import sys, numpy\n"
            "for text in sys.stdin.read().split('\\x1e'):\n"
            "    sig = signature(text); print(list(sig), band_keys(numpy.array([sig], 'uint32')).tolist())")
    texts = [WIRE, COPY, CHINESE, "", "한국 국가정보원은 북한군 사상자가 4천 명을 넘었다고 밝혔다"]

    def in_a_process(seed: str) -> list[str]:
        env = {"PYTHONHASHSEED": seed, "PATH": ""}
        return subprocess.run([sys.executable, "-c", code], input="\x1e".join(texts), capture_output=True,
                              text=True, check=True, env=env, encoding="utf-8").stdout.splitlines()

    here = [f"{list(sig)} {neardup.band_keys(np.array([sig], 'uint32')).tolist()}"
            for sig in map(signature, texts)]
    assert in_a_process("12345") == here
    assert in_a_process("987") == here


def test_signatures_do_not_change_unnoticed():
    # stored signatures are only comparable with ones made the same way: a change of the
    # hashing must be deliberate (and the stored ones recomputed)
    pinned = (413135877, 283441343, 208957163, 333449677)
    assert signature("Seoul says North Korean losses near Kursk have passed 4,000")[:4] == pinned


CHINESE = "韩国国家情报院表示，朝鲜已向俄罗斯增派约三千名士兵，部署总数达到约一万四千人。" * 3


def test_chinese_text_is_shingled_by_character():
    story = CHINESE
    edited = "据报道，" + story
    other = "乌克兰军方称，一周内约有六百名朝鲜士兵在库尔斯克地区阵亡，另有九百人受伤。" * 3
    assert similarity(signature(story), signature(edited)) >= 0.8
    assert similarity(signature(story), signature(other)) < 0.2


def test_lookup_stays_fast_with_many_articles():
    rng = np.random.default_rng(7)
    index = NearDuplicateIndex()
    stored = rng.integers(0, 2**32 - 5, size=(20_000, PERMUTATIONS), dtype=np.uint64)
    for i, sig in enumerate(stored):
        index.add(f"a{i}", tuple(int(v) for v in sig))
    probes = []
    for i in range(0, 20_000, 100):          # copies that differ in 10% of their values
        near = stored[i].copy()
        near[rng.choice(PERMUTATIONS, PERMUTATIONS // 10, replace=False)] += 1
        probes.append((f"a{i}", tuple(int(v) for v in near)))
    fresh = [tuple(int(v) for v in s) for s in rng.integers(0, 2**32 - 5, size=(200, PERMUTATIONS), dtype=np.uint64)]
    started = time.perf_counter()
    assert all(index.find(sig) == expected for expected, sig in probes)
    assert all(index.find(sig) is None for sig in fresh)
    assert (time.perf_counter() - started) / 400 < 0.002      # seconds per lookup
    assert len(index) == 20_000


def _shingles(text: str) -> set[tuple[str, ...]]:
    """The shingle set a signature stands for, computed the slow, obvious way."""
    words = neardup._WORD.findall(normalise(text))
    span = min(neardup.SHINGLE_WORDS, len(words))
    return {tuple(words[i:i + span]) for i in range(len(words) - span + 1)} if words else {()}


def _jaccard(a: str, b: str) -> float:
    sa, sb = _shingles(a), _shingles(b)
    return len(sa & sb) / len(sa | sb)


def _every_nth_word_replaced(text: str, n: int) -> str:
    words = text.split(" ")
    return " ".join("zzz" if i % n == 0 else w for i, w in enumerate(words))


PARAGRAPHS = WIRE.split("\n\n")
PAIRS = {
    "syndicated copy": (WIRE, COPY),
    "other story": (WIRE, OTHER),
    "first half": (WIRE, "\n\n".join(PARAGRAPHS[:5])),
    "overlapping thirds": ("\n\n".join(PARAGRAPHS[:7]), "\n\n".join(PARAGRAPHS[4:])),
    "every 15th word changed": (WIRE, _every_nth_word_replaced(WIRE, 15)),
    "every 6th word changed": (WIRE, _every_nth_word_replaced(WIRE, 6)),
    "chinese, one clause added": (CHINESE, "据报道，" + CHINESE[:40] + "但俄方否认。" + CHINESE[40:]),
}


@pytest.mark.parametrize("pair", PAIRS)
def test_the_estimate_is_close_to_the_exact_jaccard_similarity(pair):
    a, b = PAIRS[pair]
    assert abs(similarity(signature(a), signature(b)) - _jaccard(a, b)) <= 0.1


def test_the_pairs_cover_low_middle_and_high_similarity():
    exact = sorted(_jaccard(a, b) for a, b in PAIRS.values())
    assert exact[0] < 0.05 and any(0.25 < j < 0.6 for j in exact) and exact[-1] > 0.75


# letters that casefold or compose, spaces that are and are not \s, CJK and not, astral, a lone surrogate
TRICKY = "aZ09_ßİΣσς\u0301é\u00a0 \t\n\u3000,.-!'日本語カナ한국ＡⅣ²\U0001d400\U00020000\ud800"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(st.sampled_from(TRICKY), max_size=60) | st.text(max_size=60))
def test_words_are_those_of_the_word_pattern_on_the_normalised_text(text):
    folded = unicodedata.normalize("NFC", text).casefold()
    codes, starts, ends = neardup._word_spans(folded)
    words = [codes[s:e].tobytes().decode("utf-32-le") for s, e in zip(starts, ends)]
    assert words == neardup._WORD.findall(normalise(text))


def _random_signatures(count: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 2**32, size=(count, PERMUTATIONS), dtype=np.uint64)


def _near(signature_row: np.ndarray, changed: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    near = signature_row.copy()
    near[rng.choice(PERMUTATIONS, changed, replace=False)] ^= 1
    return near


def test_add_many_is_the_same_as_adding_one_by_one(monkeypatch):
    # small merge and load sizes, so both paths go through several merges
    monkeypatch.setattr(NearDuplicateIndex, "_RECENT_ROWS", 64)
    monkeypatch.setattr(NearDuplicateIndex, "_LOAD_ROWS", 100)
    stored = _random_signatures(1000, 1)
    stored[500:510] = stored[10]                       # identical signatures: the first added is found
    ids = [f"a{i}" for i in range(1000)]
    one_by_one, at_once, mixed = NearDuplicateIndex(), NearDuplicateIndex(), NearDuplicateIndex()
    for article_id, sig in zip(ids, stored):
        one_by_one.add(article_id, tuple(int(v) for v in sig))
    at_once.add_many(ids, stored)
    mixed.add_many(ids[:333], [tuple(int(v) for v in sig) for sig in stored[:333]])
    mixed.add(ids[333], stored[333])
    mixed.add_many(ids[334:], stored[334:].astype(np.uint32))
    probes = [_near(stored[i], changed, i) for i in range(0, 1000, 7) for changed in (0, 20, 60)]
    probes += list(_random_signatures(50, 2))
    expected = [one_by_one.find(p) for p in probes]
    assert [at_once.find(p) for p in probes] == expected == [mixed.find(p) for p in probes]
    assert expected[:3] == ["a0", "a0", None]           # the same, near (~0.84), not near (~0.53)
    assert len(one_by_one) == len(at_once) == len(mixed) == 1000


def test_the_first_added_wins_a_tie_and_the_most_similar_wins(monkeypatch):
    monkeypatch.setattr(NearDuplicateIndex, "_RECENT_ROWS", 16)
    story = _random_signatures(1, 3)[0]
    index = NearDuplicateIndex()
    index.add("first", story)
    index.add_many([f"other{i}" for i in range(40)], _random_signatures(40, 4))    # first is merged now
    index.add("second", story)                                                      # second is not
    assert index.find(story) == "first"
    closer = _near(story, 5, 5)
    index.add("closer", closer)
    probe = closer.copy()
    probe[0] ^= 2                  # 1 value off "closer", 5 or 6 off "first": the later but closer one
    assert index.find(probe) == "closer"


def test_every_article_sharing_a_band_is_a_candidate(monkeypatch):
    # "copy" shares only band 0 with the probe, and so does "earlier", added first: a
    # lookup must still reach "copy" (0.75 similar) through the band key they share
    monkeypatch.setattr(NearDuplicateIndex, "_RECENT_ROWS", 16)
    probe = _random_signatures(1, 9)[0]
    copy = probe.copy()
    copy[neardup._BAND_ROWS::neardup._BAND_ROWS] ^= 1      # one value in each band but the first
    earlier = _random_signatures(1, 10)[0]
    earlier[:neardup._BAND_ROWS] = probe[:neardup._BAND_ROWS]
    index = NearDuplicateIndex()
    index.add_many(["earlier", "copy"], [earlier, copy])
    assert index.find(probe) == "copy"                      # while they are recent
    index.add_many([f"other{i}" for i in range(20)], _random_signatures(20, 11))
    assert len(index._recent_keys) < len(index)             # merged now
    assert index.find(probe) == "copy"


def test_an_article_added_is_found_before_and_after_a_merge(monkeypatch):
    monkeypatch.setattr(NearDuplicateIndex, "_RECENT_ROWS", 8)
    stored = _random_signatures(30, 6)
    index = NearDuplicateIndex()
    for i, sig in enumerate(stored):
        index.add(f"a{i}", sig)
        assert [index.find(s) for s in stored[:i + 1]] == [f"a{j}" for j in range(i + 1)]


def test_signatures_that_cannot_be_ours_are_refused():
    index = NearDuplicateIndex()
    with pytest.raises(ValueError, match="128 values"):
        index.add("short", tuple(range(127)))
    with pytest.raises(ValueError, match="below 2"):
        index.add("large", (2**32,) * PERMUTATIONS)
    with pytest.raises(ValueError, match="below 2"):
        index.add_many(["large"], np.full((1, PERMUTATIONS), 2**32, dtype=np.uint64))
    with pytest.raises(ValueError, match="2 ids but 1 signatures"):
        index.add_many(["a", "b"], _random_signatures(1, 7))
    assert len(index) == 0 and index.find(signature(WIRE)) is None


def test_the_index_stays_small():
    # ~770 bytes an article (signature 512, band keys and rows 256); dicts of lists took ~6 KB
    stored = _random_signatures(20_000, 8)
    ids = [f"{i:020x}" for i in range(20_000)]
    tracemalloc.start()
    try:
        index = NearDuplicateIndex()
        index.add_many(ids, stored)
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(index) == 20_000 and held < 20_000 * 1_000
