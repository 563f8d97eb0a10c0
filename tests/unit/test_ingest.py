"""Reading a folder of articles: metadata from the manifest or the text, and every bad
item rejected with a reason while the rest load."""

import codecs
from datetime import date

import pytest

from flows.ingest.article import Article, Rejection, article_id
from flows.ingest.discover import discover
from flows.ingest.folder import SourceError, read_folder


def read(folder):
    items = list(read_folder(folder))
    return ({a.name: a for a in items if isinstance(a, Article)},
            {r.source_uri.rsplit("/", 1)[-1]: r.reason for r in items if isinstance(r, Rejection)})


def test_seed_manifest_supplies_metadata(seed_folder):
    articles, rejected = read(seed_folder)
    assert len(articles) == 5 and not rejected
    nl = articles["001_6c35228996a404c9.txt"]
    assert (nl.language, nl.published_at, nl.original_source) == ("nl", date(2025, 3, 27), "CNN")


def test_without_manifest_metadata_is_inferred(seed_folder):
    (seed_folder / "manifest.csv").unlink()
    articles, _ = read(seed_folder)
    tl = articles["000_fc14d1783e04a5e3.txt"]
    assert tl.title == "Mga Kalakaran sa Usaping Pandepensa"
    assert tl.published_at == date(2025, 11, 10)          # from /images/2025/11/10/ in the text
    assert tl.language == "tl"
    assert articles["002_624c66a038de60f1.txt"].language == "en"
    assert articles["001_6c35228996a404c9.txt"].language == "nl"
    assert articles["002_624c66a038de60f1.txt"].published_at is None


@pytest.mark.parametrize("name, content, reason", [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"  \n\t\n", "empty file"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary content"),
    ("noise.txt", bytes(range(1, 256)) * 3, "no other text encoding fits"),
])
def test_bad_files_are_rejected_with_a_reason(tmp_path, name, content, reason):
    (tmp_path / "good.txt").write_text("North Korea sent about 11,000 troops.", encoding="utf-8")
    (tmp_path / name).write_bytes(content)
    articles, rejected = read(tmp_path)
    assert "good.txt" in articles
    assert reason in rejected[name]


def test_utf16_and_bom_are_decoded(tmp_path):
    (tmp_path / "u16.txt").write_bytes("About 11,000 troops.".encode("utf-16"))
    (tmp_path / "bom.txt").write_bytes(codecs.BOM_UTF8 + "About 12,000 troops.".encode())
    articles, rejected = read(tmp_path)
    assert articles["u16.txt"].text == "About 11,000 troops."
    assert articles["bom.txt"].text == "About 12,000 troops."
    assert not rejected


def test_legacy_encodings_and_a_cut_off_character_are_decoded(tmp_path):
    (tmp_path / "cp1252.txt").write_bytes("Noord-Korea stuurt 3.000 soldaten naar Rusland, zegt Seoel — café".encode("cp1252"))
    (tmp_path / "truncated.txt").write_bytes("About 11,000 troops — ".encode("utf-8")[:-2])
    articles, rejected = read(tmp_path)
    assert articles["cp1252.txt"].text == "Noord-Korea stuurt 3.000 soldaten naar Rusland, zegt Seoel — café"
    assert articles["truncated.txt"].text == "About 11,000 troops "       # the cut "—" dropped
    assert not rejected


def test_manifest_rows_naming_missing_or_outside_files_are_rejected(tmp_path):
    (tmp_path / "a.txt").write_text("About 11,000 troops.", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "file,title,language\na.txt,\"A title, with \"\"quotes\"\"; DROP TABLE raw.articles;--\",en\n"
        "missing.txt,Gone,en\n../../etc/passwd,Escape,en\n", encoding="utf-8")
    items = list(read_folder(tmp_path))
    articles = [i for i in items if isinstance(i, Article)]
    reasons = sorted(i.reason for i in items if isinstance(i, Rejection))
    assert articles[0].title == 'A title, with "quotes"; DROP TABLE raw.articles;--'
    assert any("does not exist" in r for r in reasons)
    assert any("outside the source folder" in r for r in reasons)


def test_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(SourceError, match="no such folder"):
        list(read_folder(tmp_path / "nope"))


def test_copies_are_duplicates_of_the_first(tmp_path):
    text = "North Korea sent about 11,000 troops."
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text("  " + text.replace(" ", "  ") + "\n", encoding="utf-8")
    found = discover(read_folder(tmp_path), known={})
    assert [o.outcome for o in found.outcomes] == ["loaded", "duplicate"]
    assert found.outcomes[1].duplicate_of == article_id(text)
    again = discover(read_folder(tmp_path), known={article_id(text): str(tmp_path / "a.txt")})
    assert [o.outcome for o in again.outcomes] == ["unchanged", "duplicate"]
