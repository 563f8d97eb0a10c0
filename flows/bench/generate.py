"""A realistic synthetic corpus with known figures, in every language that has a test corpus.

Templates come from the hand-written corpora (tests/corpus/<language>/): each gold figure
whose quote holds one plain number becomes a sentence template (the number swapped for a
fresh value written in the language's own style); sentences without digits become noise.
Articles are seeded by their index, so the same N always gives the same corpus. The
hand-written corpora are small (8 to 40 noise sentences a language), so articles built only
from their sentences would be near-duplicates of each other: most of an article's noise is
instead sentences of words drawn from the language's noise vocabulary, different in every
article (the near-duplicate test in tests/bench checks it).
"""

from __future__ import annotations

import csv
import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from flows.extract.lexicon import load_lexicons
from flows.extract.numbers import find_numbers
from flows.extract.text import split_sentences
from flows.paths import ROOT

CORPUS = ROOT / "tests" / "corpus"
POINT = {"exact", "approx", "at_least", "more_than", "at_most", "less_than"}
CJK_SCALE = {"ko": "만", "ja": "万", "zh": "万"}
PLACES = ["Kursk", "Belgorod", "Donetsk", "Vladivostok", "Rason", "Khabarovsk", "Pyongyang", "Seoul", "Kyiv", "Moscow",
          "Sumy", "Bryansk", "Primorsky", "Wonsan", "Chongjin", "Nampo", "Sinuiju", "Kharkiv", "Zaporizhzhia", "Rostov"]


@dataclass
class Template:
    before: str          # the sentence up to the number
    after: str           # the sentence after the number
    metric: str
    qualifier: str


@dataclass
class LanguageTemplates:
    language: str
    figures: list[Template] = field(default_factory=list)
    noise: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)      # of the noise sentences: never numbers
    spaced: bool = True


def written(n: int, language: str) -> str:
    """n as a journalist in that language writes it: 11,000 / 11.000 / 11 000 / 1만1000."""
    if language in CJK_SCALE and n >= 10000:
        high, low = divmod(n, 10000)
        return f"{high}{CJK_SCALE[language]}{low if low else ''}"
    return f"{n:,}".replace(",", _group_separator(language))


@cache
def _group_separator(language: str) -> str:
    """Once per language: load_lexicons() checks every lexicon file's time on each call."""
    lex = load_lexicons()[language]
    return lex.group_separators[0] if lex.group_separators else ""


@cache
def load_templates(corpus: Path = CORPUS) -> dict[str, LanguageTemplates]:
    lexicons = load_lexicons()
    found: dict[str, LanguageTemplates] = {}
    for folder in sorted(p for p in corpus.iterdir() if (p / "gold.csv").is_file() and p.name in lexicons):
        lang = LanguageTemplates(folder.name)
        with (folder / "gold.csv").open(encoding="utf-8", newline="") as f:
            gold = list(csv.DictReader(f))
        for path in sorted(folder.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            rows = [g for g in gold if g["article"] == path.name]
            lex = lexicons[folder.name]
            for s in split_sentences(text, lex.abbreviations, lex.months):
                sentence = text[s.start:s.end].strip()
                numbers = [m for m in find_numbers(sentence, lex) if m.trap is None]
                if not numbers:   # noise: no number of any kind, so the gold stays complete
                    if len(sentence) > (40 if lex.spaced else 15) and not any(g["quote"] in sentence for g in rows):
                        lang.noise.append(sentence)
                    continue
                for g in rows:
                    template = _template(sentence, g, numbers)
                    if template:
                        lang.figures.append(template)
        if lang.figures and len(lang.noise) >= 5:
            lang.spaced = lexicons[folder.name].spaced
            lang.words = sorted({w for n in lang.noise for w in (n.split() if lang.spaced else n)
                                 if w.strip(".,;:!?\"'()。、，「」") == w and w.strip()})
            found[folder.name] = lang
    return found


def _template(sentence: str, gold: dict, numbers: list) -> Template | None:
    """The sentence as a template, when its only number is the gold figure written in plain
    digits (no scale word, no number word), so a new value can stand in its place."""
    if gold["qualifier"] not in POINT or gold["quote"] not in sentence or len(numbers) != 1:
        return None
    (m,) = numbers
    raw = sentence[m.start:m.end]
    value = gold["low"] or gold["high"]
    if not re.fullmatch(r"\d[\d.,\u00a0\u202f ]*", raw) or not value or m.low not in (int(value), None) \
            and m.high not in (int(value), None):
        return None
    return Template(sentence[:m.start], sentence[m.end:], gold["metric"], gold["qualifier"])


def _value(rng: random.Random, metric: str) -> int:
    top = {"killed": 3000, "wounded": 8000, "captured": 50, "casualties": 10000}.get(metric, 30000)
    return rng.randrange(10, top) * (10 if metric in ("troops_deployed", "equipment_supplied") else 1)


def generate_article(index: int, templates: dict[str, LanguageTemplates]) -> tuple[str, dict, list[dict]]:
    """Article `index`: its text, manifest row and gold rows."""
    rng = random.Random(index)
    language = sorted(templates)[index % len(templates)]
    lang = templates[language]
    published = date(2024, 1, 1) + timedelta(days=rng.randrange(700))
    name = f"bench_{index:07d}_{language}.txt"
    sentences, gold = [], []
    for template in rng.sample(lang.figures, k=min(len(lang.figures), rng.randint(2, 5))):
        value = _value(rng, template.metric)
        sentence = f"{template.before}{written(value, language)}{template.after}"
        sentences.append(sentence)
        low = None if template.qualifier in ("at_most", "less_than") else value
        high = None if template.qualifier in ("at_least", "more_than") else value
        gold.append({"article": name, "metric": template.metric, "low": low, "high": high,
                     "qualifier": template.qualifier, "quote": sentence})
    noise = rng.sample(lang.noise, k=rng.randint(1, 3))
    body = sentences + noise + [_word_salad(rng, lang) for _ in range(rng.randint(5, 9))]
    rng.shuffle(body)
    place = rng.choice(PLACES)
    # as on a real story about the subject, the headline names North Korea (extraction
    # counts no figure in an article that never does)
    headline = f"{place} {rng.randrange(100000, 999999)}: {_north_korea(language)} {noise[0][:60]}"
    paragraphs = [headline] + [" ".join(body[i:i + 3]) for i in range(0, len(body), 3)]
    manifest = {"file": name, "title": headline, "outlet": f"bench-{rng.randrange(40)}", "url": "",
                "original_source": "", "published_at": published.isoformat(), "date_basis": "synthetic",
                "language": language}
    return "\n".join(paragraphs) + "\n", manifest, gold


@cache
def _north_korea(language: str) -> str:
    """The language's first name for North Korea in its lexicon: "north korea", "북한"."""
    return next(iter(load_lexicons()[language].own_subjects.values))


def _word_salad(rng: random.Random, lang: LanguageTemplates) -> str:
    """A sentence of the language's noise words in random order: text between the figures
    that no other article shares, and that holds no number (checked: the gold stays whole)."""
    lexicon = load_lexicons()[lang.language]
    while True:
        words = rng.choices(lang.words, k=rng.randint(8, 16) if lang.spaced else rng.randint(14, 30))
        sentence = (" ".join(words) + "." if lang.spaced else "".join(words) + "。")
        if not find_numbers(sentence, lexicon):
            return sentence[0].upper() + sentence[1:]


def generate_corpus(n: int, out: Path) -> dict:
    """Write n articles, manifest.csv and gold.csv to `out`; returns a summary."""
    templates = load_templates()
    out.mkdir(parents=True, exist_ok=True)
    manifest_rows, gold_rows = [], []
    for i in range(n):
        text, manifest, gold = generate_article(i, templates)
        (out / manifest["file"]).write_text(text, encoding="utf-8")
        manifest_rows.append(manifest)
        gold_rows += gold
    for name, rows, columns in (
            ("manifest.csv", manifest_rows, ["file", "title", "outlet", "url", "original_source", "published_at",
                                             "date_basis", "language"]),
            ("gold.csv", gold_rows, ["article", "metric", "low", "high", "qualifier", "quote"])):
        with (out / name).open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
    return {"articles": n, "figures": len(gold_rows), "languages": sorted(templates)}
