"""JSON Lines exports: every good line an article at <path>#line=<n>, every bad line a
rejection saying what was wrong, and the other lines still load."""

import codecs
import json
import time
import tracemalloc
from datetime import date

from flows.ingest.article import Article, Rejection
from flows.ingest.jsonlines import MAX_LINE_BYTES, read_jsonl

TEXT = "North Korea has sent about 11,000 troops to Russia, South Korea's spy agency said on Monday."


def read(tmp_path, lines: list[str] | bytes, name="export.jsonl", meta=None):
    path = tmp_path / name
    path.write_bytes(lines if isinstance(lines, bytes) else "\n".join(lines).encode("utf-8") + b"\n")
    items = list(read_jsonl(path, meta or {}))
    return path, items


def by_line(items):
    return {int(i.source_uri.rsplit("#line=", 1)[1]): i for i in items}


def test_fields_and_their_other_names(tmp_path):
    path, items = read(tmp_path, [
        json.dumps({"text": TEXT, "title": "Troops", "url": "https://example.org/a", "outlet": "Example Daily",
                    "published": "2025-11-10", "language": "en", "original_source": "Yonhap"}),
        json.dumps({"content": TEXT + " Second story.", "source": {"id": "x", "name": "Wire One"},
                    "published_at": "2025-11-09T22:00:00Z", "lang": "EN-us"}),
        json.dumps({"content": TEXT + " Third.", "source": "Wire Two", "publishedAt": "Sun, 09 Nov 2025 10:00:00 GMT"}),
    ])
    first, second, third = items
    assert first.source_uri == f"{path}#line=1"
    assert first.url == "https://example.org/a"          # the url goes to url, not source_uri
    assert (first.title, first.outlet, first.published_at, first.language, first.original_source) == (
        "Troops", "Example Daily", date(2025, 11, 10), "en", "Yonhap")
    assert (second.outlet, second.published_at, second.language) == ("Wire One", date(2025, 11, 9), "en")
    assert second.title == second.text.splitlines()[0]                     # inferred
    assert (third.outlet, third.published_at) == ("Wire Two", date(2025, 11, 9))


def test_bad_lines_are_rejected_and_the_others_load(tmp_path):
    nested = "[" * 100_000 + "]" * 100_000
    _, items = read(tmp_path, [
        json.dumps({"text": TEXT}),                                   # 1
        '{"text": "unterminated',                                     # 2
        json.dumps([TEXT]),                                           # 3
        json.dumps(TEXT),                                             # 4
        json.dumps({"title": "No text here"}),                        # 5
        json.dumps({"text": "   "}),                                  # 6
        json.dumps({"text": {"en": TEXT}}),                           # 7
        nested,                                                       # 8
        '{"text": ' + nested + "}",                                   # 9
        '{"text": "x", "n": ' + "9" * 5000 + "}",                     # 10
        "",                                                           # 11: blank, skipped
        json.dumps({"text": TEXT + " Last."}),                        # 12
    ])
    lines = by_line(items)
    assert sorted(lines) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12]
    assert isinstance(lines[1], Article) and isinstance(lines[12], Article)
    reasons = {n: i.reason for n, i in lines.items() if isinstance(i, Rejection)}
    assert "not valid JSON" in reasons[2] and "column" in reasons[2]
    assert "JSON array, not an object" in reasons[3]
    assert "JSON string, not an object" in reasons[4]
    assert "no article text" in reasons[5] and "no article text" in reasons[6]
    assert "'text' is a JSON object" in reasons[7]
    assert "nested too deeply" in reasons[8] and "nested too deeply" in reasons[9]
    assert "not readable JSON" in reasons[10]


def test_a_truncated_export_loses_only_its_last_line(tmp_path):
    whole = "\n".join(json.dumps({"text": f"{TEXT} Story {n}."}) for n in range(3)).encode()
    _, items = read(tmp_path, whole[:-15])
    assert [type(i) for i in items] == [Article, Article, Rejection]
    assert "not valid JSON" in items[2].reason


def test_a_50_mb_line_is_skipped_without_holding_it(tmp_path):
    path = tmp_path / "huge.jsonl"
    with path.open("wb") as f:
        f.write(json.dumps({"text": TEXT}).encode() + b"\n")
        f.write(b'{"text": "')
        block = b"x" * 1_000_000
        for _ in range(50):
            f.write(block)
        f.write(b'"}\n')
        f.write(json.dumps({"text": TEXT + " After."}).encode() + b"\n")
    tracemalloc.start()
    started = time.perf_counter()
    items = list(read_jsonl(path, {}))
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [type(i) for i in items] == [Article, Rejection, Article]
    assert items[1].source_uri.endswith("#line=2") and "longer than 2 MB" in items[1].reason
    assert items[2].source_uri.endswith("#line=3")
    assert elapsed < 3
    assert peak < 4 * MAX_LINE_BYTES          # never the whole line in memory


def test_encodings(tmp_path):
    line = json.dumps({"text": "Les forces nord-coréennes comptent près de 11 000 soldats."}, ensure_ascii=False)
    for name, data in {
        "bom.jsonl": codecs.BOM_UTF8 + line.encode("utf-8") + b"\n",
        "cp1252.jsonl": line.encode("cp1252") + b"\n",
        "utf16.jsonl": (line + "\n" + line.replace("soldats", "militaires") + "\n").encode("utf-16"),
    }.items():
        _, items = read(tmp_path, data, name=name)
        assert items and all(isinstance(i, Article) for i in items), (name, items)
        assert "nord-coréennes" in items[0].text
        assert items[0].source_uri.endswith("#line=1")
    assert by_line(items)[2].text.endswith("militaires.")


def test_empty_and_binary_files_are_one_rejection(tmp_path):
    _, empty = read(tmp_path, b"\n\n", name="empty.jsonl")
    _, binary = read(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 100, name="image.jsonl")
    assert [r.reason for r in empty] == ["empty file"]
    assert len(binary) == 1 and "binary content" in binary[0].reason


def test_markup_in_the_text_becomes_plain_text_and_hostile_titles_stay(tmp_path):
    hostile = "'; DROP TABLE raw.articles; -- \"quoted\" \\ \u202e"
    _, [article] = read(tmp_path, [json.dumps({
        "content": "<p>About <b>11,000</b> troops.</p><script>SCRIPT_WORD</script><p>Second paragraph.</p>",
        "title": hostile})])
    assert article.text == "About 11,000 troops.\nSecond paragraph."
    assert article.title == hostile


def test_the_manifest_entry_overrides_every_line(tmp_path):
    _, items = read(tmp_path, [json.dumps({"text": TEXT, "outlet": "Line Outlet", "title": "Own title"})],
                    meta={"outlet": "Manifest Outlet"})
    assert (items[0].outlet, items[0].title) == ("Manifest Outlet", "Own title")
