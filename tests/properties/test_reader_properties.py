"""Property-based tests of the readers: any bytes, any JSON line, any header block gives an
article or a rejection with a reason, never an exception."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows.ingest.article import Article, Rejection
from flows.ingest.decode import Undecodable, decode
from flows.ingest.header import split_header
from flows.ingest.jsonlines import line_article

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=20)


@SETTINGS
@given(data=st.binary(max_size=4000))
def test_any_bytes_decode_or_are_refused_with_a_reason(data):
    try:
        text = decode(data)
    except Undecodable as refusal:
        assert str(refusal)
    else:
        assert isinstance(text, str) and text.strip() and "\r" not in text


@SETTINGS
@given(text=st.text(max_size=2000))
def test_text_round_trips_through_utf8(text):
    try:
        assert decode(text.encode("utf-8")).strip() == text.replace("\r\n", "\n").replace("\r", "\n").strip()
    except Undecodable as refusal:
        assert str(refusal)


@SETTINGS
@given(record=JSON)
def test_any_json_line_is_an_article_or_a_reasoned_rejection(record):
    item = line_article("export.jsonl#line=1", json.dumps(record), {})
    assert isinstance(item, (Article, Rejection))
    if isinstance(item, Rejection):
        assert item.reason and item.source_uri == "export.jsonl#line=1"
    else:
        assert item.text.strip()


@SETTINGS
@given(line=st.text(max_size=300))
def test_any_raw_line_is_an_article_or_a_reasoned_rejection(line):
    item = line_article("export.jsonl#line=7", line, {})
    assert isinstance(item, (Article, Rejection))
    assert isinstance(item, Article) or item.reason


@SETTINGS
@given(head=st.dictionaries(st.sampled_from(["title", "outlet", "url", "published", "language", "note"]),
                            st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=40),
                            max_size=4),
       body=st.text(min_size=1, max_size=500))
def test_a_header_block_never_loses_the_body(head, body):
    text = "".join(f"{k}: {v}\n" for k, v in head.items()) + "\n" + body
    meta, rest = split_header(text)
    assert set(meta) <= {"title", "outlet", "url", "published_at", "language", "original_source"}
    assert body.strip() in rest          # only known keys make a header; the article is all kept
