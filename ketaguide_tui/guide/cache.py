"""Loading a content folder through the cache: only the files that changed are read again.

`load_guide_cached(root)` gives the same `Guide` as `model.load_guide(root)`,
but keeps each file's loaded section (its front matter and body, cleaned), its
problems and, once it has been made, its Markdown reading in a cache file
(`cache_file`) in the user's cache folder. A file is taken from the cache only
when its size, modification and change times and inode are those recorded; any
other file is read and checked as if there were no cache, and the cache file is
then rewritten (a copy with those rows replaced, and removed files' rows gone).

A file modified in the last two seconds is not recorded as known (a second
change within the file system's timestamp resolution would look the same), nor
is a symbolic link (its target may change without the link changing).

Readings are stored compressed and fetched one section at a time, when a
section's `reading` is first asked for (`Section.stored_reading`): `list` reads
none, the reader one per section it opens. They are added to the cache after
the search index has made them all (`store_readings`).
"""

from __future__ import annotations

import contextlib
import gc
import sqlite3
import time
import zlib
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from ketaguide_tui.guide.cache_codec import (
    encode_problems,
    encode_reading,
    encode_section,
)
from ketaguide_tui.guide.cache_entries import (
    EntryDigests,
    FileEntry,
    cached_entry,
    complete_entry,
    fresh_entry,
    reread_body,
    reread_fields,
)
from ketaguide_tui.guide.cache_file import CacheErrors, CacheWriter, open_cache
from ketaguide_tui.guide.cache_scan import FileKey, scan_folder
from ketaguide_tui.guide.cache_snapshot import read_snapshot, write_snapshot
from ketaguide_tui.guide.model import (
    Guide,
    assemble_guide,
    bundled_content_dir,
    load_guide,
)
from ketaguide_tui.guide.stored_section import StoredText

KIND = "guide"
SETTLING_NS = 2_000_000_000
"""A file changed this recently is read again next time (see the module's docstring)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS files(
    name TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER, inode INTEGER,
    section TEXT, problems TEXT NOT NULL, digest TEXT, body_digest TEXT, body TEXT, reading BLOB
)
"""


def load_guide_cached(
    root: Path | None = None, use_cache: bool = True, save_now: bool = True
) -> Guide:
    """The guide in `root` (the bundled one by default), through the cache unless told not.

    Raises ContentError as `load_guide` does; a cache that cannot be read or
    written is passed over without a word. With `save_now` false, what changed is
    written to the cache only when `save_pending(guide)` is called (the reader
    does it after its first frame, in a worker).
    """
    root = bundled_content_dir() if root is None else root
    if not use_cache:
        return load_guide(root)
    # Loading makes tens of thousands of objects and no reference cycles: the
    # collector's passes over a growing heap would cost more than the loading.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(root, save_now)
    finally:
        if enabled:
            gc.enable()


def save_pending(guide: Guide) -> None:
    """Write what `load_guide_cached(..., save_now=False)` left to write for `guide`."""
    save = _PENDING.pop(id(guide), None)
    if save is not None and save[0] is guide:
        save[1]()


_PENDING: dict[int, tuple[Guide, Callable[[], None]]] = {}
"""Saves put off until after the first frame, by the guide's id (the guide is kept with
its save, so the id cannot be reused meanwhile)."""


def _load(root: Path, save_now: bool) -> Guide:
    files = scan_folder(root)
    connection = open_cache(root, KIND)
    text = StoredText(connection) if connection is not None else None
    if connection is not None and text is not None:
        with contextlib.suppress(*CacheErrors):
            guide = read_snapshot(
                connection, root, files, text, partial(reread_body), partial(reread_fields)
            )
            if guide is not None:
                return guide
    stored = _stored_rows(connection)
    now = time.time_ns()
    by_body: dict[str, str] | None = None
    entries: list[FileEntry] = []
    for name, key in files:
        path = root / name
        row = stored.get(name)
        entry = None
        if key is not None and row is not None and row[:4] == key and text is not None:
            with contextlib.suppress(ValueError, TypeError):
                entry = cached_entry(path, key, row, text)
        if entry is None:
            if by_body is None:
                by_body = {str(row[7]): name for name, row in stored.items()}
            entry = fresh_entry(path, root, key if _settled(key, now) else None, by_body, text)
        entries.append(entry)
    digests = EntryDigests(entries)
    guide = assemble_guide(root, ((e.path, e.section, e.problems) for e in entries), digests)
    gone = set(stored) - {name for name, _ in files}
    # Worth writing: a file read now that can be known next time, one gone, or a snapshot
    # to make (possible only when every file has a key). A folder with a symbolic link
    # or a file still being written is not written again at every start for nothing.
    keyed = [entry.key is not None for entry in entries]
    if not (gone or all(keyed) or any(e.fresh and e.key for e in entries)):
        return guide
    if save_now:
        _save(root, entries, gone, guide)
    else:
        _PENDING[id(guide)] = (guide, partial(_save, root, entries, gone, guide))
    return guide


def store_readings(guide: Guide) -> None:
    """Add to the cache the readings made since the guide was loaded (by the search
    index, for one), so that the next start need not make them again."""
    if not guide.digests:
        return  # loaded without the cache
    connection = open_cache(guide.root, KIND)
    if connection is None:
        return
    try:
        missing = {
            name for (name,) in connection.execute("SELECT name FROM files WHERE reading IS NULL")
        }
    except CacheErrors:
        return
    finally:
        connection.close()
    made = [
        section
        for section in guide
        if section.path.name in missing and "reading" in section.__dict__
    ]
    if not made:
        return
    with contextlib.suppress(*CacheErrors):
        writer = CacheWriter(guide.root, KIND, start_from_current=True)
        try:
            writer.connection.executemany(
                "UPDATE files SET reading = ? WHERE name = ? AND digest = ?",
                (
                    (_compressed(encode_reading(section.reading)), section.path.name, digest)
                    for section in made
                    if (digest := guide.digests.get(section.id))
                ),
            )
            writer.commit()
            writer.connection.close()
        finally:
            writer.abandon()


def _settled(key: FileKey | None, now: int) -> bool:
    """True unless the file changed too recently for its key to be trusted next time."""
    return key is not None and now - key[1] >= SETTLING_NS and now - key[2] >= SETTLING_NS


def _stored_rows(connection: sqlite3.Connection | None) -> dict[str, tuple[Any, ...]]:
    if connection is None:
        return {}
    try:
        rows = connection.execute(
            "SELECT name, size, mtime_ns, ctime_ns, inode, section, problems, digest, "
            "body_digest FROM files"
        )
        return {row[0]: row[1:] for row in rows if type(row[0]) is str}
    except CacheErrors:
        return {}


def _compressed(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), 1)


def _save(root: Path, entries: list[FileEntry], gone: set[str], guide: Guide) -> None:
    """Rewrite the cache file with the fresh entries' rows and without the gone ones, and
    the snapshot of `guide`."""
    with contextlib.suppress(*CacheErrors):
        writer = CacheWriter(root, KIND, start_from_current=True)
        try:
            connection = writer.connection
            connection.execute(_SCHEMA)
            rows = []
            for entry in entries:
                if not entry.fresh:
                    continue
                complete_entry(entry)
                reading = None
                if entry.section is not None and entry.section.stored_reading is not None:
                    text = entry.section.stored_reading()
                    reading = _compressed(text) if text is not None else None
                size, mtime, ctime, inode = entry.key or (None, None, None, None)
                rows.append(
                    (
                        entry.path.name,
                        size,
                        mtime,
                        ctime,
                        inode,
                        encode_section(entry.fields) if entry.fields is not None else None,
                        encode_problems(entry.problems),
                        entry.digest,
                        entry.body_digest,
                        entry.section.body if entry.section is not None else None,
                        reading,
                    )
                )
            connection.executemany("DELETE FROM files WHERE name = ?", ((n,) for n in gone))
            connection.executemany(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
            )
            fields = {e.section.id: e.fields for e in entries if e.section and e.fields}
            write_snapshot(connection, [(e.path.name, e.key) for e in entries], guide, fields)
            writer.commit()
            writer.connection.close()
        finally:
            writer.abandon()
