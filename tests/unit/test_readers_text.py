"""Text articles as users have them: a header block on top or none, any common encoding,
and the bad files they send by mistake."""

import codecs
import time
from datetime import date

import pytest

from flows.ingest.article import Article, Rejection
from flows.ingest.decode import Undecodable, decode, decode_declared
from flows.ingest.folder import read_folder
from flows.ingest.header import split_header
from flows.ingest.metadata import date_from_url, language_code, parse_date
from flows.ingest.textfile import read_text_file

BODY = "North Korea has sent about 11,000 troops to Russia, South Korea's spy agency said.\n"


def read_one(tmp_path, content: bytes | str, name="a.txt", meta=None):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return read_text_file(path, meta or {})


def test_a_header_block_gives_the_metadata_and_leaves_the_article(tmp_path):
    article = read_one(tmp_path, (
        "URL: https://example.org/world/troops\n"
        "Outlet: The Daily Example\n"
        "title: Seoul counts the troops\n"
        "Published: 2025-11-10T07:30:00+09:00\n"
        "language: en-GB\n"
        "Original_Source: Yonhap\n"
        "\n" + BODY))
    assert article.text == BODY.strip()
    assert (article.url, article.outlet, article.title, article.original_source) == (
        "https://example.org/world/troops", "The Daily Example", "Seoul counts the troops", "Yonhap")
    assert (article.published_at, article.language) == (date(2025, 11, 10), "en")


def test_the_manifest_overrides_the_header_which_overrides_inference(tmp_path):
    text = "title: From the header\npublished: 10 Nov 2025\n\nA first line that is not the title\n" + BODY
    article = read_one(tmp_path, text, meta={"title": "From the manifest"})
    assert article.title == "From the manifest"
    assert article.published_at == date(2025, 11, 10)          # RFC 2822-style date in the header
    no_manifest = read_one(tmp_path, text, name="b.txt")
    assert no_manifest.title == "From the header"


@pytest.mark.parametrize("text", [
    "Note: the figures below are provisional\n\n" + BODY,                 # not a known key
    "Title: Seoul counts the troops\nEditor's note: updated\n\n" + BODY,   # one unknown key spoils it
    "Title: Seoul counts the troops\n" + BODY,                             # no blank line after it
])
def test_lines_that_only_look_like_a_header_keep_their_text(tmp_path, text):
    article = read_one(tmp_path, text)
    assert article.text == text
    assert split_header(text) == ({}, text)


def test_a_header_without_an_article_is_rejected(tmp_path):
    rejection = read_one(tmp_path, "title: Nothing follows\nurl: https://example.org/x\n\n\n")
    assert isinstance(rejection, Rejection)
    assert "only a header" in rejection.reason


def test_a_hostile_title_is_kept_as_written(tmp_path):
    title = "Robert'); DROP TABLE raw.articles;-- \"quoted\" `back` \\ %s {0}"
    article = read_one(tmp_path, f"title: {title}\n\n{BODY}")
    assert article.title == title


def test_the_date_comes_from_the_url_then_from_the_dateline(tmp_path):
    from_url = read_one(tmp_path, "url: https://example.org/2025/11/12/troops\n\n" + BODY)
    assert from_url.published_at == date(2025, 11, 12)
    dateline = "SEOUL, 14 November 2025 - " + BODY + "\nThe first troops arrived on 3 October 2024.\n"
    assert read_one(tmp_path, dateline, name="b.txt").published_at == date(2025, 11, 14)
    later_only = BODY + "x " * 300 + "\nThe first troops arrived on 3 October 2024.\n"
    assert read_one(tmp_path, later_only, name="c.txt").published_at is None


TEXT = "Les forces nord-coréennes déployées à Koursk comptent près de 11 000 soldats, selon Séoul."


@pytest.mark.parametrize("encoded", [
    TEXT.encode("utf-8"),
    codecs.BOM_UTF8 + TEXT.encode("utf-8"),
    TEXT.encode("utf-16"),                                  # with its BOM, in machine order
    codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
    TEXT.encode("latin-1"),
    (TEXT + " « Nous savons » – l’agence, 5 € par jour…").encode("cp1252"),
], ids=["utf8", "utf8-bom", "utf16", "utf16-be", "latin1", "cp1252"])
def test_common_encodings_are_decoded(tmp_path, encoded):
    article = read_one(tmp_path, encoded)
    assert isinstance(article, Article), article
    assert article.text.startswith(TEXT)
    assert article.language == "fr"


@pytest.mark.parametrize("text, encoding", [
    ("Korea Północna wysłała do Rosji około 11 tysięcy żołnierzy, podaje wywiad.", "cp1250"),
    ("Korea Północna wysłała do Rosji około 11 tysięcy żołnierzy, podaje wywiad.", "iso8859-2"),
    ("Северная Корея отправила в Россию около 11 000 военнослужащих, сообщила разведка.", "cp1251"),
    ("Розвідка повідомила про 11 тисяч північнокорейських військових у Курській області.", "cp1251"),
    ("北朝鮮はロシアに約1万1000人の兵士を派遣したと韓国の情報機関が明らかにした。", "shift_jis"),
    ("韩国情报机构称，朝鲜已向俄罗斯派遣约一万一千名士兵。", "gb18030"),
    ("국정원은 북한이 러시아에 약 1만1000명의 병력을 파병했다고 밝혔다.", "euc_kr"),
])
def test_other_legacy_encodings_are_not_mistaken_for_cp1252(text, encoding):
    assert decode(text.encode(encoding)) == text


def test_a_declared_charset_is_used_but_valid_utf8_wins():
    assert decode_declared(TEXT.encode("cp1252"), "windows-1252") == TEXT
    assert decode_declared(TEXT.encode("utf-8"), "iso-8859-1") == TEXT        # a common mislabel
    assert decode_declared(TEXT.encode("latin-1"), "no-such-charset") == TEXT


@pytest.mark.parametrize("content, reason", [
    (b"", "empty file"),
    (b" \r\n\t ", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary content"),
    (b"GIF89a\x01\x00\x01\x00\x80\x01\x02\x03\x04\x05\x06\x07\x08" * 40, "binary content"),
    (bytes(range(1, 256)) * 4, "no other text encoding fits"),
    (codecs.BOM_UTF16_LE + b"\x00\xd8", "not valid UTF-16"),
])
def test_what_is_no_text_is_rejected_with_a_reason(tmp_path, content, reason):
    rejection = read_one(tmp_path, content)
    assert isinstance(rejection, Rejection)
    assert reason in rejection.reason
    with pytest.raises(Undecodable, match=reason):
        decode(content)


def test_a_huge_file_is_rejected_without_reading_it(tmp_path):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:          # 50 MB, sparse: costs nothing to make
        f.truncate(50_000_000)
    (tmp_path / "good.txt").write_text(BODY, encoding="utf-8")
    started = time.perf_counter()
    items = {i.source_uri.rsplit("/", 1)[-1]: i for i in read_folder(tmp_path)}
    assert time.perf_counter() - started < 2
    assert "larger than 20 MB" in items["huge.txt"].reason
    assert isinstance(items["good.txt"], Article)


@pytest.mark.parametrize("value, expected", [
    ("2025-11-10", date(2025, 11, 10)),
    ("2025-11-10T23:30:00Z", date(2025, 11, 10)),
    ("2025-11-10 08:00", date(2025, 11, 10)),
    ("Mon, 10 Nov 2025 08:00:00 GMT", date(2025, 11, 10)),
    ("2025-11-10garbage", date(2025, 11, 10)),
    ("2025-13-45", None),
    ("yesterday", None),
    ("", None),
])
def test_metadata_dates_in_the_forms_sources_write(value, expected):
    assert parse_date(value) == expected


def test_dates_in_urls_and_language_tags():
    assert date_from_url("https://example.org/news/2025/11/10/troops") == date(2025, 11, 10)
    assert date_from_url("https://example.org/2025-11-09-troops-sent.html") == date(2025, 11, 9)
    assert date_from_url("https://example.org/news/troops-2025") is None
    assert date_from_url("https://example.org/?d=2025/11/10/") is None        # the path only
    assert [language_code(v) for v in ("en-GB", "NL", "pt_BR", "", "english", None)] == [
        "en", "nl", "pt", None, None, None]
