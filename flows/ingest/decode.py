"""Bytes to text, or a reason why not."""

from __future__ import annotations

import codecs
import re
import unicodedata
from email.message import Message

from charset_normalizer import from_bytes

# When several legacy encodings read the bytes equally well, the Western European ones win,
# as browsers default to windows-1252: short French or Spanish text otherwise comes out
# as cp1250 or hp_roman8 ("déployées ŕ Koursk"), whose letters look as plausible.
_PREFERRED_LEGACY = ("cp1252", "latin_1", "iso8859_15")
_SAMPLE_BYTES = 65_536        # enough text to judge an encoding by
_CONTROL_OK = {"\n", "\r", "\t", "\f", "\v"}
_CONTROLS = re.compile("[" + "".join(re.escape(chr(c)) for c in range(32) if chr(c) not in _CONTROL_OK) + "]")


class Undecodable(ValueError):
    pass


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, or a legacy single-byte encoding
    (cp1252, latin-1, ...) recognised from the bytes; anything else is refused with a reason."""
    return decode_declared(data, None)


def decode_declared(data: bytes, declared: str | None) -> str:
    """As decode(), trying first the charset the source declares (HTTP header, HTML meta)."""
    if not data.strip():
        raise Undecodable("empty file")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _clean(data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            raise Undecodable(f"starts with a UTF-16 byte-order mark but is not valid UTF-16 ({exc.reason})") from exc
    if b"\x00" in data:
        raise Undecodable("binary content (NUL bytes), not a text article")
    # valid UTF-8 wins over a declaration: servers often label UTF-8 pages iso-8859-1
    text = _utf8(data, strict=True)
    if text is None and declared:
        text = _declared(data, declared)
    if text is None:
        text = _utf8(data, strict=False)
    if text is None:
        text = _legacy(data)
    return _clean(text)


def content_type_charset(content_type: str | None) -> str | None:
    """"text/html; charset=ISO-8859-1" (an HTTP header or a meta tag) -> "iso-8859-1"."""
    if not content_type:
        return None
    message = Message()
    message["content-type"] = content_type
    return message.get_content_charset()


def _declared(data: bytes, charset: str) -> str | None:
    try:
        codec = codecs.lookup(charset.strip().strip("\"'")).name
    except LookupError:
        return None             # an unknown label: detect instead, as browsers do
    if codec in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):
        return None             # a page saying utf-16 without a BOM is almost always wrong
    # as in browsers, a latin-1 label means windows-1252 (its superset for printable text)
    for candidate in ("cp1252", codec) if codec == "iso8859-1" else (codec,):
        try:
            return data.decode(candidate)
        except UnicodeDecodeError:
            continue
    return None


def _utf8(data: bytes, strict: bool) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if not strict and exc.reason == "unexpected end of data" and exc.end == len(data):
            # cut off inside the last character (an interrupted download or copy):
            # everything before it is valid, so keep it
            return data[:exc.start].decode("utf-8-sig")
        return None


def _legacy(data: bytes) -> str:
    """The most plausible single-byte reading: fewest symbols stuck inside words (mojibake
    such as "Pó³nocna" for Polish read as cp1252), then charset-normalizer's own measure of
    chaos, then the Western European encodings."""
    matches = list(from_bytes(data))
    if not matches:
        raise Undecodable("not valid UTF-8, and no other text encoding fits; save the file as UTF-8")

    sample = data[:_SAMPLE_BYTES]

    def rank(item: tuple[int, object]) -> tuple:
        order, match = item
        western = any(e in match.could_be_from_charset for e in _PREFERRED_LEGACY)
        return _symbols_in_words(sample.decode(match.encoding, "replace")), match.chaos, not western, order

    best = min(enumerate(matches), key=rank)[1]
    for encoding in _PREFERRED_LEGACY:
        if encoding in best.could_be_from_charset:
            return data.decode(encoding)
    return str(best)


def _symbols_in_words(text: str) -> int:
    return sum(1 for before, char, after in zip(text, text[1:], text[2:])
               if before.isalpha() and after.isalpha() and unicodedata.category(char)[0] in "SNC"
               and unicodedata.category(char) != "Nd")


def _clean(text: str) -> str:
    """One newline convention; refuse text that is mostly control characters (a binary file)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise Undecodable("empty file")
    sample = text[:4000]
    controls = len(_CONTROLS.findall(sample))
    if controls > len(sample) * 0.05:
        raise Undecodable("binary content (control characters), not a text article")
    return text
