"""The bad input users really send, through the whole flow: each item ends loaded,
duplicate or rejected with a reason, and the run goes on with the rest."""

import json
import zlib

import pytest

from flows.refresh import refresh

from helpers import query

pytestmark = pytest.mark.usefixtures("prefect_harness")

GOOD = "South Korea's Joint Chiefs of Staff said on Friday that about 3,000 North Korean soldiers were sent in March."
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + zlib.compress(b"\x00" * 200)
HOSTILE_TITLE = "Robert'); DROP TABLE raw.articles;-- \"quoted\" \\ back"


def _write(folder, name, data):
    path = folder / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


def test_hostile_folder(tmp_path):
    folder = tmp_path / "hostile"
    folder.mkdir()
    _write(folder, "good.txt", GOOD)
    _write(folder, "same_again.txt", GOOD)
    _write(folder, "empty.txt", b"")
    _write(folder, "binary.txt", PNG)
    _write(folder, "nul_bytes.txt", b"About 2,000 troops\x00\x00\x00 were sent.")
    _write(folder, "random_bytes.txt", bytes(range(256)) * 40)
    _write(folder, "cp1252.txt", "Volgens de Zuid-Koreaanse inlichtingendienst zijn 4.000 soldaten gedood – café".encode("cp1252"))
    _write(folder, "one_line_50mb.txt", b"troops " * (50 * 1024 * 1024 // 7))
    _write(folder, "hostile_title.txt", f"title: {HOSTILE_TITLE}\nlanguage: en\n\n"
                                        "US officials said 1,200 North Korean soldiers were wounded in May.")
    _write(folder, "scripts.html",
           "<html><head><title>Page</title><script>var claim = 'about 90,000 troops were sent';</script>"
           "<style>p { color: red }</style></head><body><!-- 70,000 troops hidden in a comment -->"
           "<article><p>Ukraine's military intelligence said 500 North Korean soldiers were captured, "
           "a figure that could not be verified independently by reporters on the ground in Kursk.</p>"
           "</article></body></html>")
    _write(folder, "cut_off.html", "<html><body><article><p>Seoul says 1,500 more troops were sent to Russia in the "
                                   "spring, according to the intelligence agency, which briefed lawmakers on")
    nested = {"a": None}
    for _ in range(5000):
        nested = {"a": nested}
    _write(folder, "export.jsonl", "\n".join([
        json.dumps({"text": "The Pentagon said 11,000 North Korean troops were in Russia in November.",
                    "published": "2025-11-20", "language": "en"}),
        "[" * 100_000,
        '{"text": 42}',
        json.dumps({"text": "\u0000\u0001 ", "language": "en"}),
    ]))
    _write(folder, "manifest.csv", "file,title,published_at,language\n"
                                   "../../etc/passwd,Escape,2025-01-01,en\n"
                                   "missing.txt,Missing,2025-01-01,en\n"
                                   "good.txt,\"A title, with \"\"quotes\"\"\",2025-11-10,en\n")

    warehouse = tmp_path / "w.duckdb"
    summary = refresh(sources=[str(folder)], warehouse=str(warehouse))

    items = {uri.rsplit("/", 1)[-1]: (outcome, reason) for uri, outcome, reason in
             query(warehouse, "select source_uri, outcome, reason from audit.items")}
    expected = {
        "good.txt": "loaded", "same_again.txt": "duplicate", "empty.txt": "rejected", "binary.txt": "rejected",
        "nul_bytes.txt": "rejected", "random_bytes.txt": "rejected", "cp1252.txt": "loaded",
        "one_line_50mb.txt": "rejected", "hostile_title.txt": "loaded", "scripts.html": "loaded",
        "export.jsonl#line=1": "loaded", "export.jsonl#line=2": "rejected", "export.jsonl#line=3": "rejected",
        "export.jsonl#line=4": "rejected",
    }
    for name, outcome in expected.items():
        assert items[name][0] == outcome, (name, items[name])
    assert items["cut_off.html"][0] in ("loaded", "rejected")
    manifest_rows = [r for n, r in items.items() if n.startswith("manifest.csv")]
    assert [o for o, _ in manifest_rows] == ["rejected", "rejected"]
    assert all(reason for outcome, reason in items.values() if outcome == "rejected")
    assert summary.items_read == len(items) == len(expected) + 3

    assert query(warehouse, "select title from raw.articles where source_uri like '%hostile_title.txt'") == [
        (HOSTILE_TITLE,)]
    assert query(warehouse, "select title from raw.articles where source_uri like '%good.txt'") == [
        ('A title, with "quotes"',)]
    texts = "".join(t for (t,) in query(warehouse, "select text from raw.articles"))
    assert "90,000" not in texts and "70,000" not in texts and "color: red" not in texts
    assert query(warehouse, "select count(*) from core.figures where value_low in (90000, 70000)") == [(0,)]
    assert query(warehouse, "select count(*) from core.figures where metric = 'captured' and value_low = 500") == [(1,)]
