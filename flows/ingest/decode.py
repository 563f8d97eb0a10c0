"""Bytes to text, or a reason why not."""

from __future__ import annotations

import codecs


class Undecodable(ValueError):
    pass


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is refused with a reason."""
    if not data.strip():
        raise Undecodable("empty file")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise Undecodable(f"starts with a UTF-16 byte-order mark but is not valid UTF-16 ({exc.reason})") from exc
    if b"\x00" in data:
        raise Undecodable("binary content (NUL bytes), not a text article")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Undecodable(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); save the file as UTF-8"
        ) from exc
    if not text.strip():
        raise Undecodable("empty file")
    return text.replace("\r\n", "\n").replace("\r", "\n")
