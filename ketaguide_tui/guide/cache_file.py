"""One cache file: a SQLite database in the cache folder, replaced whole, never edited in place.

The cache keeps work done on a content folder (`guide.cache` for the loaded
sections, `search.index_cache` for the search index) between runs. It is
untrusted input like the content itself, and it may be missing, damaged, from
another version, or being written by a second process at the same moment:

* A file is named after the content folder's resolved path (hashed), and its
  `meta` table must name the same folder, this cache format and this package
  version; anything else is ignored and rebuilt.
* It is opened read-only (`immutable`: no process ever writes to a file in
  place), and checked to be as long as SQLite says it is (a cut-off copy).
* A new version is written to a temporary file in the same folder (a copy of
  the old one when only some rows change) and moved over the old one with
  `os.replace`, which is atomic: a reader sees the old file or the new one,
  never half of one. Two processes writing at once each write their own
  temporary file; the last to finish wins, and both files are whole.
* Every failure to read or write (a read-only folder, a full disk) means "no
  cache": the caller works from the content folder, as `--no-cache` does.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

from ketaguide_tui import __version__
from ketaguide_tui.guide.cache_folder import cache_path, remove_stale

FORMAT = "3"
"""Bumped whenever what a cache file holds changes shape: older files are then ignored."""
CacheErrors = (OSError, sqlite3.Error, ValueError, TypeError, KeyError, IndexError)
"""What reading or writing a cache may raise; every one of them means "no cache"."""


def expected_meta(root: Path, kind: str) -> dict[str, str]:
    """What a cache file's `meta` table must hold to be used for `root`."""
    return {
        "kind": kind,
        "format": FORMAT,
        "version": __version__,
        "root": str(root.resolve()),
    }


def open_cache(root: Path, kind: str) -> sqlite3.Connection | None:
    """The cache file for `root`, open read-only, or None when it is missing or unusable."""
    path = cache_path(root, kind)
    connection: sqlite3.Connection | None = None
    try:
        size = path.stat().st_size
        connection = sqlite3.connect(
            path.as_uri() + "?mode=ro&immutable=1", uri=True, check_same_thread=False
        )
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        meta = dict(connection.execute("SELECT key, value FROM meta"))
        if size != pages * page_size or meta != expected_meta(root, kind):
            connection.close()
            return None
        return connection
    except CacheErrors:
        if connection is not None:
            connection.close()
        return None


class CacheWriter:
    """A new version of a cache file, written aside and moved into place by `commit`."""

    def __init__(self, root: Path, kind: str, start_from_current: bool) -> None:
        """Open a temporary file beside the cache file (a copy of it when asked).

        Raises OSError or sqlite3.Error when the cache folder cannot be written.
        """
        self.path = cache_path(root, kind)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(self.path.parent)
        descriptor, temporary = tempfile.mkstemp(
            prefix=f".{self.path.stem}-", suffix=".tmp", dir=self.path.parent
        )
        os.close(descriptor)
        self._temporary = Path(temporary)
        self._committed = False
        try:
            current = open_cache(root, kind) if start_from_current else None
            if current is not None:
                current.close()
                shutil.copyfile(self.path, self._temporary)
            self.connection = sqlite3.connect(self._temporary, check_same_thread=False)
            # A temporary file that a crash leaves behind is never used, so neither
            # a journal nor waiting for the disk buys anything here.
            self.connection.execute("PRAGMA journal_mode = OFF")
            self.connection.execute("PRAGMA synchronous = OFF")
            self.connection.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value)")
            self.connection.execute("DELETE FROM meta")
            self.connection.executemany(
                "INSERT INTO meta VALUES (?, ?)", expected_meta(root, kind).items()
            )
        except BaseException:
            self.abandon()
            raise

    def commit(self) -> None:
        """Save and move the new version over the old one (the connection stays usable)."""
        self.connection.commit()
        os.replace(self._temporary, self.path)
        self._committed = True

    def abandon(self) -> None:
        """Unless committed, close and delete the temporary file (the old version stays)."""
        if self._committed:
            return
        with contextlib.suppress(AttributeError, sqlite3.Error):
            self.connection.close()
        with contextlib.suppress(OSError):
            self._temporary.unlink()
