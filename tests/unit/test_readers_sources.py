"""read_sources: folders, files and globs of every readable kind; a spec that names
nothing is an error naming it, before anything is read."""

import json
from datetime import date

import pytest

from flows.ingest.article import Article, Rejection
from flows.ingest.folder import SourceError
from flows.ingest.sources import read_sources

TEXT = "North Korea has sent about 11,000 troops to Russia, South Korea's spy agency said."
HTML = ("<html lang='en'><head><title>Troops</title></head><body><article>"
        f"<p>{TEXT}</p><p>Officials said more could follow before the winter.</p></article></body></html>")


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "articles"
    root.mkdir()
    (root / "a.txt").write_text("outlet: Header Outlet\n\n" + TEXT, encoding="utf-8")
    (root / "b.html").write_text(HTML, encoding="utf-8")
    (root / "c.HTM").write_text(HTML.replace("11,000", "12,000"), encoding="utf-8")
    (root / "d.jsonl").write_text(json.dumps({"text": TEXT.replace("11,000", "13,000")}) + "\n"
                                  + json.dumps({"text": TEXT.replace("11,000", "14,000")}) + "\n", encoding="utf-8")
    (root / "notes.pdf").write_bytes(b"%PDF-1.7 not read from a folder")
    (root / "manifest.csv").write_text(
        "file,outlet,published_at\na.txt,Manifest Outlet,2025-11-10\nd.jsonl,Export Outlet,\n"
        "gone.txt,Nobody,\n", encoding="utf-8")
    return root


def names(items):
    return [i.source_uri.rsplit("/", 1)[-1] for i in items]


def test_a_folder_yields_every_readable_file_sorted_then_bad_manifest_rows(folder):
    items = list(read_sources([str(folder)]))
    assert names(items) == ["a.txt", "b.html", "c.HTM", "d.jsonl#line=1", "d.jsonl#line=2", "manifest.csv#line=4"]
    a, b, c, d1, d2, bad = items
    assert (a.outlet, a.published_at) == ("Manifest Outlet", date(2025, 11, 10))     # manifest over header
    assert "11,000" in b.text and "12,000" in c.text
    assert (d1.outlet, d2.outlet) == ("Export Outlet", "Export Outlet")
    assert isinstance(bad, Rejection) and "does not exist" in bad.reason


def test_files_and_globs_get_the_manifest_beside_them(folder):
    [article] = read_sources([str(folder / "a.txt")])
    assert article.outlet == "Manifest Outlet"
    items = list(read_sources([str(folder / "*.jsonl"), str(folder / "*.htm*")]))
    assert names(items) == ["d.jsonl#line=1", "d.jsonl#line=2", "b.html"]     # c.HTM: the pattern is case-sensitive
    assert items[0].outlet == "Export Outlet"


def test_an_explicit_file_of_another_kind_is_rejected_with_what_to_do(folder):
    [rejection] = read_sources([str(folder / "notes.pdf")])
    assert isinstance(rejection, Rejection)
    assert "cannot read .pdf files" in rejection.reason and ".jsonl" in rejection.reason


def test_a_file_named_twice_is_read_once(folder):
    items = list(read_sources([str(folder), str(folder / "a.txt"), str(folder / "*.txt")]))
    assert names(items).count("a.txt") == 1


@pytest.mark.parametrize("spec, message", [
    ("{tmp}/missing", "no such file or folder"),
    ("{tmp}/*.jsonl", "matches no file"),
    ("file:///etc/passwd", "file:// sources are not read"),
    ("ftp://example.org/feed.xml", "ftp:// sources are not read"),
])
def test_a_spec_that_names_nothing_is_an_error_naming_it(tmp_path, folder, spec, message):
    spec = spec.format(tmp=tmp_path / "elsewhere")
    items = read_sources([str(folder), spec])
    with pytest.raises(SourceError, match=message) as error:
        next(items)                               # raised before the good folder is read
    assert spec in str(error.value)


def test_articles_from_every_kind_load(folder):
    items = list(read_sources([str(folder)]))
    assert sum(isinstance(i, Article) for i in items) == 5
    assert all(i.language == "en" for i in items if isinstance(i, Article))
