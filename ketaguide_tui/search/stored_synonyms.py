"""The synonym tables of a cached search index, looked up key by key in its file.

A large guide has tens of thousands of synonym keys (every section's title
and aliases: see `synonyms.build_synonyms`), and a query looks up a few dozen
runs of its words. So the cache file keeps one row per key (`synonym_keys`:
its strong and loose entries) and one per word of a key (`synonym_words`),
and a cached index's tables (`synonym_tables.SynonymTables`) ask for a key the
first time a query does, then keep the answer.

Each entry is checked as it is read (JSON lists of clean strings); a damaged
one raises `DamagedRow`, and the index is made again in memory (see
`index_cache`).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Sequence

from ketaguide_tui.guide.cache_codec import dumps, list_value, text_value
from ketaguide_tui.search.stored_passages import DamagedRow
from ketaguide_tui.search.synonym_tables import SynonymTables, wide_entry
from ketaguide_tui.search.synonyms import Phrase, SynonymTable, synonym_words

SCHEMA = """
CREATE TABLE IF NOT EXISTS synonym_keys(key TEXT PRIMARY KEY, strong TEXT, loose TEXT)
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS synonym_words(word TEXT PRIMARY KEY) WITHOUT ROWID;
"""
_ERRORS = (sqlite3.Error, ValueError, TypeError, KeyError, IndexError)

Entry = tuple[Phrase, ...]


class LookupTable(dict[Phrase, Entry]):
    """A synonym table whose entries are read when a key is first asked for.

    It answers `in`, `[]` and `get` as the full table would; it holds (and
    iterates over) only the keys asked for so far."""

    def __init__(self, lookup: Callable[[Phrase], Entry]) -> None:
        super().__init__()
        self._lookup = lookup
        self._lock = threading.Lock()

    def _entry(self, key: Phrase) -> Entry:
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        entry = self._lookup(key)
        with self._lock:
            dict.__setitem__(self, key, entry)
        return entry

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and bool(self._entry(key))

    def __getitem__(self, key: Phrase) -> Entry:
        entry = self._entry(key)
        if not entry:
            raise KeyError(key)
        return entry

    def get(self, key: Phrase, default: Entry | None = None) -> Entry | None:  # type: ignore[override]
        entry = self._entry(key)
        return entry if entry else default


class LookupWords(frozenset[str]):
    """The words of the synonym keys, looked up in the file one word at a time."""

    _lookup: Callable[[str], bool]

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._lookup(word)


def write_synonym_rows(
    connection: sqlite3.Connection, strong: SynonymTable, loose: SynonymTable
) -> None:
    """Record the tables key by key, and the words of their keys."""
    connection.executescript(SCHEMA)
    connection.execute("DELETE FROM synonym_keys")
    connection.execute("DELETE FROM synonym_words")
    connection.executemany(
        "INSERT INTO synonym_keys VALUES (?, ?, ?)",
        (
            (" ".join(key), _encoded(strong.get(key)), _encoded(loose.get(key)))
            for key in {*strong, *loose}
        ),
    )
    connection.executemany(
        "INSERT INTO synonym_words VALUES (?)", ((word,) for word in synonym_words(strong, loose))
    )


def stored_tables(connection: sqlite3.Connection, longest: int) -> SynonymTables:
    """The tables in the file, read as queries ask (`longest`: the most words of a key)."""
    lock = threading.Lock()

    def entries(key: Phrase) -> tuple[Entry, Entry]:
        try:
            with lock:
                row = connection.execute(
                    "SELECT strong, loose FROM synonym_keys WHERE key = ?", (" ".join(key),)
                ).fetchone()
            return (_decoded(row[0]), _decoded(row[1])) if row is not None else ((), ())
        except _ERRORS as error:
            raise DamagedRow from error

    def has_word(word: str) -> bool:
        try:
            with lock:
                row = connection.execute(
                    "SELECT 1 FROM synonym_words WHERE word = ?", (word,)
                ).fetchone()
        except sqlite3.Error as error:
            raise DamagedRow from error
        return row is not None

    known = LookupWords()
    known._lookup = has_word
    return SynonymTables(
        strong=LookupTable(lambda key: entries(key)[0]),
        wide=LookupTable(lambda key: wide_entry(*entries(key))),
        known=known,
        longest=longest,
    )


def _encoded(entry: Sequence[Phrase] | None) -> str | None:
    return dumps([" ".join(phrase) for phrase in entry]) if entry else None


def _decoded(text: object) -> Entry:
    """An entry as `_encoded` wrote it: each phrase its words joined by spaces."""
    if text is None:
        return ()
    phrases = list_value(json.loads(text_value(text)))
    return tuple(tuple(text_value(phrase).split(" ")) for phrase in phrases)
