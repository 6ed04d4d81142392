"""The vocabulary of a cached search index, looked up in its file rather than read whole.

A large guide's index has a hundred thousand words or more; a search asks for
a handful of counts and the words after a prefix or two. So a cached index's
speller (`speller.Speller`) asks the cache file's `terms` table (a table
keyed by the word, written with the index: see `index_rows`) for just those,
and reads the whole table only when a word needs correcting. SQLite orders the
words by their UTF-8 bytes, which is their code point order, as Python's.
Every row read is checked to be a word and a count (the file is untrusted);
one that is not, or a file that cannot be read, raises `DamagedRow`, and the
index is made again in memory (see `index_cache`).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Mapping
from typing import Any

from ketaguide_tui.search.stored_passages import DamagedRow

BATCH = 64
"""Words fetched at a time after a prefix (most lookups stop within the first few)."""


class StoredVocabulary:
    """A `speller.Vocabulary` in an open cache file; usable from any thread."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self._lock = threading.Lock()
        self._all: dict[str, int] | None = None

    def documents(self, word: str) -> int:
        rows = self._rows("SELECT term, doc FROM terms WHERE term = ?", (word,))
        return rows[0][1] if rows else 0

    def from_prefix(self, prefix: str) -> Iterator[tuple[str, int]]:
        after, inclusive = prefix, True
        while True:
            rows = self._rows(
                f"SELECT term, doc FROM terms WHERE term {'>=' if inclusive else '>'} ? "
                "ORDER BY term LIMIT ?",
                (after, BATCH),
            )
            yield from rows
            if len(rows) < BATCH:
                return
            after, inclusive = rows[-1][0], False

    def counts(self) -> Mapping[str, int]:
        counts = self._all
        if counts is None:
            counts = self._all = dict(self._rows("SELECT term, doc FROM terms ORDER BY term", ()))
        return counts

    def _rows(self, sql: str, parameters: tuple[Any, ...]) -> list[tuple[str, int]]:
        try:
            with self._lock:
                rows = self._connection.execute(sql, parameters).fetchall()
        except sqlite3.Error as error:
            raise DamagedRow from error
        for term, documents in rows:
            if type(term) is not str or type(documents) is not int:
                raise DamagedRow("a vocabulary row of the wrong shape")
        return rows
