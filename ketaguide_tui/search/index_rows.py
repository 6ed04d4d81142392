"""What a cached search index keeps beside its FTS5 table, and reading it back checked.

* `sections`: each section's digest (`Guide.digests`) and the names its passages
  carry (title, aliases, summary);
* `passage_rows` and `passage_texts`: every passage, rowid for rowid as the FTS5
  table has it (the table is contentless, so this is also the text a row is
  deleted with); the texts apart, as they are read only when needed;
* `extras`: the synonym tables made from the guide's names and the content's
  `synonyms.toml`, with the file's groups they were made from;
* `terms`: the FTS5 table's vocabulary (the speller's), read from it once, and looked
  up word by word (`stored_vocabulary`).

The file is untrusted (see `guide.cache_file`): column types are checked by
SQLite in one query, every string is checked to be clean in one pass over all
of them, and section names must be those of the guide being loaded.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

from ketaguide_tui.guide.cache_codec import (
    dumps,
    int_value,
    is_clean_json,
    list_value,
    text_value,
)
from ketaguide_tui.guide.model import Guide, Heading
from ketaguide_tui.guide.text_safety import clean
from ketaguide_tui.search.passages import Passage
from ketaguide_tui.search.stored_passage import PassageText, stored_passage
from ketaguide_tui.search.synonyms import SynonymTable

SCHEMA = """
CREATE TABLE IF NOT EXISTS sections(
    section_id TEXT PRIMARY KEY, digest TEXT NOT NULL, title TEXT, aliases TEXT, summary TEXT
);
CREATE TABLE IF NOT EXISTS passage_rows(
    rowid INTEGER PRIMARY KEY, section_id TEXT, level INTEGER, heading TEXT, anchor TEXT,
    line INTEGER, reference INTEGER
);
CREATE TABLE IF NOT EXISTS passage_texts(rowid INTEGER PRIMARY KEY, context TEXT, body TEXT);
CREATE TABLE IF NOT EXISTS extras(name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS terms(term TEXT PRIMARY KEY, doc INTEGER) WITHOUT ROWID;
"""
_BAD_TYPES = """
SELECT count(*) FROM passage_rows WHERE typeof(section_id) != 'text'
    OR typeof(reference) != 'integer'
    OR (level IS NULL) != (heading IS NULL) OR (level IS NULL) != (anchor IS NULL)
    OR (level IS NULL) != (line IS NULL)
    OR (level IS NOT NULL AND (typeof(level) != 'integer' OR typeof(heading) != 'text'
        OR typeof(anchor) != 'text' OR typeof(line) != 'integer'))
"""

Synonyms = tuple[SynonymTable, SynonymTable]


@dataclass(frozen=True)
class StoredIndex:
    """What the rows hold: the index was made from sections with these digests."""

    digests: dict[str, str]
    passages: list[Passage]
    """In rowid order (rowid = position + 1)."""
    synonyms: tuple[list[list[str]], Synonyms] | None
    """(the synonyms file's groups, the tables made with them), if stored."""
    text: PassageText
    """Where the passages' texts are fetched from."""


def read_rows(connection: sqlite3.Connection, guide: Guide) -> StoredIndex:
    """The stored rows, checked. Raises sqlite3.Error, ValueError, TypeError or KeyError
    when they are damaged."""
    names: dict[str, tuple[str, tuple[str, ...], str]] = {}
    digests: dict[str, str] = {}
    for section_id, digest, title, aliases, summary in connection.execute(
        "SELECT section_id, digest, title, aliases, summary FROM sections"
    ):
        key = text_value(section_id)
        digests[key] = text_value(digest)
        names[key] = (
            text_value(title),
            tuple(text_value(alias) for alias in list_value(json.loads(aliases))),
            text_value(summary),
        )
    if connection.execute(_BAD_TYPES).fetchone()[0]:
        raise TypeError("a passage row of the wrong shape")
    rows = connection.execute(
        "SELECT rowid, section_id, level, heading, anchor, line, reference "
        "FROM passage_rows ORDER BY rowid"
    ).fetchall()
    # The texts (context and body, nine tenths of the rows) are fetched when first read.
    texts = chain.from_iterable((row[1], row[3] or "", row[4] or "") for row in rows)
    joined = "\n".join(texts)
    if clean(joined) is not joined:
        raise ValueError("a passage row that is not clean")
    fetch = PassageText(connection)
    passages = [_passage(row, names, fetch) for row in rows]
    if [row[0] for row in rows] != list(range(1, len(rows) + 1)):
        raise ValueError("passage rows missing")
    return StoredIndex(digests, passages, _synonyms(connection), fetch)


def _passage(
    row: Sequence[Any], names: dict[str, tuple[str, tuple[str, ...], str]], fetch: PassageText
) -> Passage:
    rowid, section_id, level, heading, anchor, line, reference = row
    title, aliases, summary = names[section_id]
    return stored_passage(
        rowid,
        fetch,
        section_id=section_id,
        section_title=title,
        section_aliases=aliases,
        heading=None if level is None else Heading(level, heading, anchor, line),
        reference=bool(reference),
        section_summary=summary,
    )


def _synonyms(connection: sqlite3.Connection) -> tuple[list[list[str]], Synonyms] | None:
    row = connection.execute("SELECT value FROM extras WHERE name = 'synonyms'").fetchone()
    if row is None:
        return None
    text = text_value(row[0])
    if not is_clean_json(text):
        raise ValueError("synonyms that are not clean")
    groups, strong, loose = list_value(json.loads(text), 3)
    checked = [list(map(_string, list_value(group))) for group in list_value(groups)]
    return checked, (_table(strong), _table(loose))


def _table(value: object) -> SynonymTable:
    """A table from its flat list: a key, the number of its phrases, then the phrases; each
    phrase its words joined by spaces (words never hold one)."""
    flat = list_value(value)
    table: SynonymTable = {}
    position = 0
    while position < len(flat):
        key, count = flat[position : position + 2]
        phrases = flat[position + 2 : position + 2 + int_value(count)]
        if len(phrases) != count:
            raise ValueError("a synonym table cut short")
        table[tuple(_string(key).split(" "))] = tuple(
            tuple(_string(phrase).split(" ")) for phrase in phrases
        )
        position += 2 + count
    return table


def _flat(table: SynonymTable) -> list[object]:
    flat: list[object] = []
    for key, phrases in table.items():
        flat += [" ".join(key), len(phrases), *(" ".join(phrase) for phrase in phrases)]
    return flat


def _string(value: object) -> str:
    if type(value) is not str:
        raise TypeError("not a string")
    return value


def write_rows(
    connection: sqlite3.Connection,
    guide: Guide,
    passages: Sequence[Passage],
    changed: Iterable[int],
) -> None:
    """Record the guide's sections and the passages at the `changed` rowids."""
    connection.executescript(SCHEMA)
    connection.execute("DELETE FROM sections")
    connection.executemany(
        "INSERT INTO sections VALUES (?, ?, ?, ?, ?)",
        (
            (s.id, guide.digests[s.id], s.title, dumps(list(s.aliases)), s.summary)
            for s in guide
            if s.id in guide.digests
        ),
    )
    changed = list(changed)
    for table in ("passage_rows", "passage_texts"):
        connection.executemany(f"DELETE FROM {table} WHERE rowid = ?", ((r,) for r in changed))
    connection.executemany(
        "INSERT INTO passage_texts VALUES (?, ?, ?)",
        (
            (rowid, passages[rowid - 1].context, passages[rowid - 1].body)
            for rowid in changed
            if rowid <= len(passages)
        ),
    )
    connection.executemany(
        "INSERT INTO passage_rows VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            (
                rowid,
                p.section_id,
                *(
                    (p.heading.level, p.heading.text, p.heading.anchor, p.heading.line)
                    if p.heading
                    else (None, None, None, None)
                ),
                int(p.reference),
            )
            for rowid in changed
            if rowid <= len(passages)
            for p in (passages[rowid - 1],)
        ),
    )


def write_synonyms(
    connection: sqlite3.Connection, groups: list[list[str]], synonyms: Synonyms
) -> None:
    """Record the synonym tables made with the synonyms file's `groups`, and the FTS5
    table's vocabulary (read here, from the finished table)."""
    strong, loose = synonyms
    value = dumps([groups, _flat(strong), _flat(loose)])
    connection.execute("INSERT OR REPLACE INTO extras VALUES ('synonyms', ?)", (value,))
    connection.execute("DELETE FROM terms")
    connection.execute("INSERT INTO terms SELECT term, doc FROM vocabulary")
