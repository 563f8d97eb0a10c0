"""Near-duplicates: a syndicated copy of a wire story with small edits is found; another
story on the same topic, with other figures, is not."""

import subprocess
import sys
import time

import numpy as np

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
    code = "from flows.ingest.neardup import signature; import sys; print(signature(sys.stdin.read())[:8])"
    out = subprocess.run([sys.executable, "-c", code], input=WIRE, capture_output=True, text=True,
                         check=True, env={"PYTHONHASHSEED": "12345", "PATH": ""}).stdout
    assert out.strip() == str(signature(WIRE)[:8])


def test_chinese_text_is_shingled_by_character():
    story = "韩国国家情报院表示，朝鲜已向俄罗斯增派约三千名士兵，部署总数达到约一万四千人。" * 3
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
