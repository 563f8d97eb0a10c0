"""Who a figure is attributed to: "according to South Korea's spy agency", "CNN meldde",
"ayon sa ...", normalised to claimant ids, with the raw words kept."""

from __future__ import annotations

from dataclasses import dataclass

from flows.extract.lexicon import Lexicon, load_vocabulary

SEGMENT = 60      # characters an attribution phrase reaches from its cue ("according to" ...)
CLUSTER_GAP = 40  # aliases this close form one claim: "the United States, South Korea and Ukraine"


@dataclass(frozen=True)
class Attribution:
    start: int
    end: int
    claimant: str        # ids joined with |
    claimant_text: str   # the words of the text that named them


def find_attributions(text: str, lex: Lexicon, start: int, end: int) -> list[Attribution]:
    """Attributions inside text[start:end], one per cluster of claimant names."""
    strong = [(m.start(), m.end(), lex.claimants.lookup(m.group()), m.group()) for m in lex.claimants.finditer(text, start, end)]
    # a country name is a claimant only inside an attribution, and only when no agency,
    # official or outlet is named: "a lawmaker who went to Ukraine said" is the lawmaker
    names = sorted(strong or _weak_claimants(text, lex, start, end))
    clusters: list[list[tuple]] = []
    for name in names:
        # names join one claim when close and no figure stands between them: "the United
        # States, South Korea and Ukraine", not "미국은 1만2천 명, 우크라이나는 1만5천 명"
        gap = text[clusters[-1][-1][1]:name[0]] if clusters else ""
        if clusters and len(gap) <= CLUSTER_GAP and not any(ch.isdigit() for ch in gap):
            clusters[-1].append(name)
        else:
            clusters.append([name])
    return [_attribution(cluster) for cluster in clusters]


def _weak_claimants(text: str, lex: Lexicon, start: int, end: int) -> list[tuple]:
    """Country names within reach of an attribution cue ("said", "according to"); looked
    for only where no strong claimant is named."""
    segments = [(m.end(), min(end, m.end() + SEGMENT)) for m in lex.attribution_before.finditer(text, start, end)]
    segments += [(max(start, m.start() - SEGMENT), m.start()) for m in lex.attribution_after.finditer(text, start, end)]
    return [
        (m.start(), m.end(), lex.weak_claimants.lookup(m.group()), m.group())
        for m in lex.weak_claimants.finditer(text, start, end)
        if any(s <= m.start() and m.end() <= e for s, e in segments)
    ]


def _attribution(cluster: list[tuple]) -> Attribution:
    subsumes = load_vocabulary().claimant_subsumes
    ids = list(dict.fromkeys(name[2] for name in cluster))
    redundant = {vague for specific in ids for vague in subsumes.get(specific, [])}
    ids = [i for i in ids if i not in redundant]
    words = list(dict.fromkeys(name[3] for name in cluster))
    return Attribution(cluster[0][0], cluster[-1][1], "|".join(ids), " | ".join(words))


def nearest(attributions: list[Attribution], start: int, end: int) -> Attribution | None:
    if not attributions:
        return None
    return min(attributions, key=lambda a: max(a.start - end, start - a.end, 0))
