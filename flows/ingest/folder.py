"""A folder of .txt articles with an optional manifest.csv beside them.

Without a manifest entry: title = first non-empty line, language detected, published_at
from a dated URL or image path in the text, else null. A manifest entry overrides both.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from flows.ingest.article import Article, Rejection
from flows.ingest.decode import Undecodable, decode
from flows.ingest.language import detect_language
from flows.ingest.metadata import date_from_paths, first_line

MANIFEST = "manifest.csv"
MANIFEST_FIELDS = ("title", "outlet", "url", "original_source", "published_at", "language")
MAX_BYTES = 20_000_000


class SourceError(ValueError):
    """The source as a whole cannot be read (missing folder, unreadable manifest)."""


def read_manifest(folder: Path) -> tuple[dict[str, dict], list[Rejection]]:
    """Manifest rows by file name; rows that name no usable file become rejections."""
    path = folder / MANIFEST
    if not path.exists():
        return {}, []
    try:
        rows = list(csv.DictReader(io.StringIO(decode(path.read_bytes()))))
    except (Undecodable, csv.Error) as exc:
        raise SourceError(f"{path}: cannot read the manifest: {exc}") from exc
    if rows and "file" not in rows[0]:
        raise SourceError(f"{path}: the manifest needs a 'file' column (has {', '.join(rows[0])})")
    entries, rejections = {}, []
    root = folder.resolve()
    for line, row in enumerate(rows, start=2):
        name = (row.get("file") or "").strip()
        target = (folder / name).resolve()
        uri = f"{path}#line={line}"
        if not name:
            rejections.append(Rejection(uri, "manifest row without a file name"))
        elif root not in target.parents:
            rejections.append(Rejection(uri, f"manifest names {name!r}, which is outside the source folder"))
        elif not target.is_file():
            rejections.append(Rejection(uri, f"manifest names {name!r}, which does not exist"))
        else:
            entries[target.name] = {k: (row.get(k) or "").strip() or None for k in MANIFEST_FIELDS}
    return entries, rejections


def read_folder(folder: Path) -> Iterator[Article | Rejection]:
    """Every .txt file in the folder (sorted), then the manifest's unusable rows."""
    if not folder.is_dir():
        raise SourceError(f"{folder}: no such folder; pass --source a folder of .txt articles")
    manifest, bad_rows = read_manifest(folder)
    for path in sorted(folder.glob("*.txt")):
        yield read_text_file(path, manifest.get(path.name, {}))
    yield from bad_rows


def read_text_file(path: Path, meta: dict) -> Article | Rejection:
    try:
        if path.stat().st_size > MAX_BYTES:
            return Rejection(str(path), f"larger than {MAX_BYTES // 1_000_000} MB; not an article")
        text = decode(path.read_bytes())
    except Undecodable as exc:
        return Rejection(str(path), str(exc))
    except OSError as exc:
        return Rejection(str(path), f"cannot be read: {exc.strerror}")
    return complete(Article(source_uri=str(path), text=text, **_typed(meta, str(path))))


def _typed(meta: dict, uri: str) -> dict:
    out = {k: v for k, v in meta.items() if v}
    if "published_at" in out:
        try:
            out["published_at"] = date.fromisoformat(out["published_at"][:10])
        except ValueError:
            out.pop("published_at")
    return out


def complete(article: Article) -> Article:
    """Fill what the metadata left out from the text itself."""
    article.title = article.title or first_line(article.text)
    article.published_at = article.published_at or date_from_paths(article.text)
    article.language = article.language or detect_language(article.text)
    return article
