"""What a cached search index keeps beside its FTS5 table, and reading it back checked.

* `sections`: each section's digest (`Guide.digests`) and the names its passages
  carry (title, aliases, summary);
* `passage_rows`: every passage, rowid for rowid as the FTS5 table has it (the
  table is contentless, so this is also the text a row is deleted with);
* `extras`: the synonym tables made from the guide's names and the content's
  `synonyms.toml`, with the file's groups they were made from.

The file is untrusted (see `guide.cache_file`): column types are checked by
SQLite in one query, every string is checked to be clean in one pass over all
of them, and section names must be those of the guide being loaded.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

from ketaguide_tui.guide.cache_codec import dumps, list_value, text_value
from ketaguide_tui.guide.model import Guide, Heading
from ketaguide_tui.guide.text_safety import clean
from ketaguide_tui.search.passages import Passage
from ketaguide_tui.search.synonyms import SynonymTable

SCHEMA = """
CREATE TABLE IF NOT EXISTS sections(
    section_id TEXT PRIMARY KEY, digest TEXT NOT NULL, title TEXT, aliases TEXT, summary TEXT
);
CREATE TABLE IF NOT EXISTS passage_rows(
    rowid INTEGER PRIMARY KEY, section_id TEXT, level INTEGER, heading TEXT, anchor TEXT,
    line INTEGER, context TEXT, body TEXT, reference INTEGER
);
CREATE TABLE IF NOT EXISTS extras(name TEXT PRIMARY KEY, value TEXT);
"""
_BAD_TYPES = """
SELECT count(*) FROM passage_rows WHERE typeof(section_id) != 'text'
    OR typeof(context) != 'text' OR typeof(body) != 'text' OR typeof(reference) != 'integer'
    OR (level IS NULL) != (heading IS NULL) OR (level IS NULL) != (anchor IS NULL)
    OR (level IS NULL) != (line IS NULL)
    OR (level IS NOT NULL AND (typeof(level) != 'integer' OR typeof(heading) != 'text'
        OR typeof(anchor) != 'text' OR typeof(line) != 'integer'))
"""
_PASSAGE_FIELDS = len(dataclasses.fields(Passage))

Synonyms = tuple[SynonymTable, SynonymTable]


@dataclass(frozen=True)
class StoredIndex:
    """What the rows hold: the index was made from sections with these digests."""

    digests: dict[str, str]
    passages: list[Passage]
    """In rowid order (rowid = position + 1)."""
    synonyms: tuple[list[list[str]], Synonyms] | None
    """(the synonyms file's groups, the tables made with them), if stored."""


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
    rows = connection.execute("SELECT * FROM passage_rows ORDER BY rowid").fetchall()
    texts = chain.from_iterable(
        (row[1], row[3] or "", row[4] or "", row[6], row[7]) for row in rows
    )
    joined = "\n".join(texts)
    if clean(joined) is not joined:
        raise ValueError("a passage row that is not clean")
    passages = [_passage(row, names) for row in rows]
    if passages and len(passages[0].__dict__) != _PASSAGE_FIELDS:
        raise TypeError("a passage must have every field")
    if [row[0] for row in rows] != list(range(1, len(rows) + 1)):
        raise ValueError("passage rows missing")
    return StoredIndex(digests, passages, _synonyms(connection))


def _passage(row: Sequence[Any], names: dict[str, tuple[str, tuple[str, ...], str]]) -> Passage:
    _, section_id, level, heading, anchor, line, context, body, reference = row
    title, aliases, summary = names[section_id]
    passage = object.__new__(Passage)
    # The frozen dataclass's __init__ sets each field through its guard; ten times the
    # cost for sixty thousand passages. The fields are set here as it would set them.
    passage.__dict__.update(
        section_id=section_id,
        section_title=title,
        section_aliases=aliases,
        heading=None if level is None else Heading(level, heading, anchor, line),
        context=context,
        body=body,
        reference=bool(reference),
        section_summary=summary,
    )
    return passage


def _synonyms(connection: sqlite3.Connection) -> tuple[list[list[str]], Synonyms] | None:
    row = connection.execute("SELECT value FROM extras WHERE name = 'synonyms'").fetchone()
    if row is None:
        return None
    groups, strong, loose = list_value(json.loads(text_value(row[0])), 3)
    return groups, (_table(strong), _table(loose))


def _table(value: object) -> SynonymTable:
    table: SynonymTable = {}
    for item in list_value(value):
        key, others = list_value(item, 2)
        table[_phrase(key)] = tuple(_phrase(other) for other in list_value(others))
    return table


def _phrase(value: object) -> tuple[str, ...]:
    return tuple(text_value(word) for word in list_value(value))


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
    connection.executemany("DELETE FROM passage_rows WHERE rowid = ?", ((r,) for r in changed))
    connection.executemany(
        "INSERT INTO passage_rows VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                rowid,
                p.section_id,
                *(
                    (p.heading.level, p.heading.text, p.heading.anchor, p.heading.line)
                    if p.heading
                    else (None, None, None, None)
                ),
                p.context,
                p.body,
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
    """Record the synonym tables made with the synonyms file's `groups`."""
    tables = (
        [[list(key), [list(other) for other in others]] for key, others in table.items()]
        for table in synonyms
    )
    value = [groups, *tables]
    connection.execute("INSERT OR REPLACE INTO extras VALUES ('synonyms', ?)", (dumps(value),))
