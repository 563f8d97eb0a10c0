"""A folder of articles (.txt, .html, .htm, .jsonl) with an optional manifest.csv beside them.

Without a manifest entry, what the file says (a text header, the page's metadata, a JSON
line's fields), else what the text shows: title = first non-empty line, language detected,
published_at from a dated URL, else from the text, else null. A manifest entry overrides all.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from pathlib import Path

from flows.ingest.article import Article, Rejection, Unchanged
from flows.ingest.decode import Undecodable, decode
from flows.ingest.filestate import FileState
from flows.ingest.files import READABLE, read_file
from flows.ingest.metadata import ARTICLE_FIELDS as MANIFEST_FIELDS
from flows.ingest.metadata import complete  # noqa: F401  (kept importable from here)
from flows.ingest.textfile import MAX_BYTES, read_text_file  # noqa: F401

MANIFEST = "manifest.csv"


class SourceError(ValueError):
    """The source as a whole cannot be read (missing folder, unreadable manifest)."""


class Manifest:
    """A folder's manifest: each named file's row, turned into an entry only when the file
    is read (a run that finds nothing changed never builds the 100,000 entries it skips)."""

    def __init__(self, columns: list[str] = (), rows: dict[str, list[str]] | None = None):
        self._at = {field: columns.index(field) for field in MANIFEST_FIELDS if field in columns}
        self._rows = rows or {}

    def take(self, name: str) -> dict:
        """The file's entry, or {} when the manifest has none; taken once, then let go."""
        row = self._rows.pop(name, None)
        if row is None:
            return {}
        return {field: (row[i].strip() or None) if i < len(row) else None for field, i in self._at.items()}


def read_manifest(folder: Path, present: set[str] | None = None) -> tuple[Manifest, list[Rejection]]:
    """The manifest; rows that name no usable file become rejections. `present`: the names
    of the folder's files, when the caller has listed it already."""
    path = folder / MANIFEST
    if not path.exists():
        return Manifest(), []
    try:
        rows = list(csv.reader(io.StringIO(decode(path.read_bytes()))))
    except (Undecodable, csv.Error) as exc:
        raise SourceError(f"{path}: cannot read the manifest: {exc}") from exc
    columns = rows[0] if rows else []
    if len(rows) > 1 and "file" not in columns:
        raise SourceError(f"{path}: the manifest needs a 'file' column (has {', '.join(columns)})")
    at = columns.index("file") if "file" in columns else 0
    named, rejections = {}, []
    present = _listing(folder)[0] if present is None else present
    root = folder.resolve()
    for line, row in enumerate(rows[1:], start=2):
        if not row:
            continue                    # a blank line, as csv.DictReader skips it
        name = row[at].strip() if at < len(row) else ""
        uri = f"{path}#line={line}"
        if not name:
            rejections.append(Rejection(uri, "manifest row without a file name"))
            continue
        if _plain(name):                # the common case, answered from one listing of the folder
            key, inside, exists = name, True, name in present
        else:                           # a path: resolved, so "../" cannot leave the folder
            target = (folder / name).resolve()
            key, inside, exists = target.name, root in target.parents, target.is_file()
        if not inside:
            rejections.append(Rejection(uri, f"manifest names {name!r}, which is outside the source folder"))
        elif not exists:
            rejections.append(Rejection(uri, f"manifest names {name!r}, which does not exist"))
        else:
            named[key] = row
    return Manifest(columns, named), rejections


def _plain(name: str) -> bool:
    """A bare file name: no folder part, not "." or ".."."""
    return name not in (".", "..") and os.sep not in name and (os.altsep is None or os.altsep not in name)


def _listing(folder: Path) -> tuple[set[str], list[tuple[str, str]]]:
    """The names of the folder's files, and (name, path) of the readable ones, by name, from
    one listing. Names, not Path objects: a folder of 100,000 files is listed and sorted in a
    fraction of a second."""
    with os.scandir(folder) as entries:
        names = {e.name: e.path for e in entries if e.is_file()}
    readable = sorted((name, path) for name, path in names.items() if os.path.splitext(name)[1].lower() in READABLE)
    return set(names), readable


def read_folder(folder: Path, files: FileState | None = None) -> Iterator[Article | Rejection | Unchanged]:
    """Every readable file in the folder (sorted), then the manifest's unusable rows. With
    `files`, a file that has not changed since it was last read (nor has the manifest) is
    Unchanged and not read again."""
    if not folder.is_dir():
        raise SourceError(f"{folder}: no such folder; pass a folder of articles "
                          f"({', '.join(READABLE)}), a file, a glob or an http(s) URL")
    manifest_path = folder / MANIFEST
    manifest_same = files is not None and (not manifest_path.exists() or files.unchanged(manifest_path))
    present, readable = _listing(folder)
    manifest, bad_rows = read_manifest(folder, present)
    for _, path in readable:
        yield from read_file_once(path, manifest, files, manifest_same)
    yield from bad_rows


def read_file_once(path: Path | str, manifest: Manifest, files: FileState | None, manifest_same: bool = True):
    """The file's article, or Unchanged; its manifest entry is taken only when it is read."""
    # unchanged() first, whatever the manifest: it records the file's state for the next run
    if files is not None and files.unchanged(path) and manifest_same:
        yield Unchanged(str(path), "not modified since the last run")
    else:
        yield from read_file(Path(path), manifest.take(os.path.basename(path)))
