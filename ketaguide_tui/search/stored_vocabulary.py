"""The vocabulary of a cached search index, looked up in its file rather than read whole.

A large guide's index has a hundred thousand words or more; a search asks for
a handful of counts and the words after a prefix or two. So a cached index's
speller (`speller.Speller`) asks the cache file's `terms` table (a table
keyed by the word, written with the index: see `index_rows`) for just those,
and reads the whole table only when a word needs correcting. SQLite orders the
words by their UTF-8 bytes, which is their code point order, as Python's.
Every row read is checked to be a word and a count (the file is untrusted);
a row that is not reads as no word at all.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Mapping

BATCH = 64
"""Words fetched at a time after a prefix (most lookups stop within the first few)."""


class StoredVocabulary:
    """A `speller.Vocabulary` in an open cache file; usable from any thread."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self._lock = threading.Lock()
        self._all: dict[str, int] | None = None

    def documents(self, word: str) -> int:
        try:
            with self._lock:
                row = self._connection.execute(
                    "SELECT doc FROM terms WHERE term = ?", (word,)
                ).fetchone()
        except sqlite3.Error:
            return 0
        return row[0] if row is not None and type(row[0]) is int else 0

    def from_prefix(self, prefix: str) -> Iterator[tuple[str, int]]:
        after, inclusive = prefix, True
        while True:
            try:
                with self._lock:
                    rows = self._connection.execute(
                        f"SELECT term, doc FROM terms WHERE term {'>=' if inclusive else '>'} ? "
                        "ORDER BY term LIMIT ?",
                        (after, BATCH),
                    ).fetchall()
            except sqlite3.Error:
                return
            for term, documents in rows:
                if type(term) is not str or type(documents) is not int:
                    return
                yield term, documents
            if len(rows) < BATCH:
                return
            after, inclusive = rows[-1][0], False

    def counts(self) -> Mapping[str, int]:
        counts = self._all
        if counts is None:
            try:
                with self._lock:
                    rows = self._connection.execute(
                        "SELECT term, doc FROM terms ORDER BY term"
                    ).fetchall()
            except sqlite3.Error:
                rows = []
            counts = self._all = {
                term: documents
                for term, documents in rows
                if type(term) is str and type(documents) is int
            }
        return counts
