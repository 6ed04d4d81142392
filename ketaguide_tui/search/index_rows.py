"""What a cached search index keeps beside its FTS5 table, and reading it back checked.

* `sections`: each section's digest (`Guide.digests`) and the names its passages
  carry (title, aliases, summary);
* `passage_rows` and `passage_texts`: every passage, rowid for rowid as the FTS5
  table has it (the table is contentless, so this is also the text a row is
  deleted with); the texts apart, as they are read only when needed;
* `extras`: the content's `synonyms.toml` groups the synonym tables were made
  from (with the guide's names), and the most words a key has; the tables
  themselves key by key (`stored_synonyms`); the names a query can pin a
  section by (the crisis section's, places: see `pins`), and one digest of all
  the sections' (`cache_codec.guide_digest`);
* `terms`: the FTS5 table's vocabulary (the speller's), read from it once, and looked
  up word by word (`stored_vocabulary`).

The file is untrusted (see `guide.cache_file`): the rows' shape is checked by
SQLite in a few queries when the file is opened, and each passage's strings
when it is first made (`stored_passages`); the synonym tables are checked as
they are read.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ketaguide_tui.guide.cache_codec import (
    dumps,
    guide_digest,
    int_value,
    list_value,
    text_value,
)
from ketaguide_tui.guide.model import CRISIS_SECTION_ID, Guide
from ketaguide_tui.search.passages import Passage
from ketaguide_tui.search.stored_passage import PassageText
from ketaguide_tui.search.stored_passages import StoredPassages, write_runs
from ketaguide_tui.search.stored_synonyms import stored_tables, write_synonym_rows
from ketaguide_tui.search.synonym_tables import SynonymTables
from ketaguide_tui.search.synonyms import SynonymTable

SCHEMA = """
CREATE TABLE IF NOT EXISTS sections(
    section_id TEXT PRIMARY KEY, digest TEXT NOT NULL, title TEXT, aliases TEXT, summary TEXT
);
CREATE TABLE IF NOT EXISTS passage_rows(
    rowid INTEGER PRIMARY KEY, section_id TEXT, level INTEGER, heading TEXT, anchor TEXT,
    line INTEGER, reference INTEGER
);
CREATE INDEX IF NOT EXISTS passage_sections ON passage_rows(section_id, rowid);
CREATE TABLE IF NOT EXISTS passage_texts(rowid INTEGER PRIMARY KEY, context TEXT, body TEXT);
CREATE TABLE IF NOT EXISTS extras(name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS terms(term TEXT PRIMARY KEY, doc INTEGER) WITHOUT ROWID;
"""

Synonyms = tuple[SynonymTable, SynonymTable]


@dataclass(frozen=True)
class StoredIndex:
    """What the rows hold: the index was made from sections with these digests."""

    digests: dict[str, str]
    passages: StoredPassages
    """In rowid order (rowid = position + 1)."""
    synonyms: tuple[list[list[str]], SynonymTables] | None
    """(the synonyms file's groups, the tables made with them), if stored."""
    text: PassageText
    """Where the passages' texts are fetched from."""


def read_rows(connection: sqlite3.Connection) -> StoredIndex:
    """The stored rows, their shape checked (each passage is made, and its strings checked,
    when first asked for: `stored_passages`). Raises sqlite3.Error, ValueError, TypeError
    or KeyError when they are damaged."""
    digests: dict[str, str] = {}
    for section_id, digest in connection.execute("SELECT section_id, digest FROM sections"):
        if type(section_id) is not str or type(digest) is not str:
            raise TypeError("a section row of the wrong shape")
        digests[section_id] = digest
    text = PassageText(connection)
    return StoredIndex(digests, StoredPassages(connection, text), read_synonyms(connection), text)


def read_synonyms(connection: sqlite3.Connection) -> tuple[list[list[str]], SynonymTables] | None:
    """(the synonyms file's groups, the tables made with them), if stored. The tables are
    read key by key as queries ask (`stored_synonyms`)."""
    row = connection.execute("SELECT value FROM extras WHERE name = 'synonyms'").fetchone()
    if row is None:
        return None
    groups, longest = list_value(json.loads(text_value(row[0])), 2)
    checked = [[text_value(word) for word in list_value(group)] for group in list_value(groups)]
    return checked, stored_tables(connection, int_value(longest))


def read_pins(connection: sqlite3.Connection) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """The crisis section's names, and each section's place names (see `pins`), as the guide
    had them when the file was written."""
    row = connection.execute("SELECT value FROM extras WHERE name = 'pins'").fetchone()
    crisis, places = list_value(json.loads(text_value(row[0])), 2)
    return [text_value(name) for name in list_value(crisis)], [
        (text_value(section), [text_value(name) for name in list_value(names)])
        for section, names in (list_value(item, 2) for item in list_value(places))
    ]


def recorded_guide(connection: sqlite3.Connection) -> str | None:
    """The guide digest (`cache_codec.guide_digest`) of the sections the file was made from."""
    row = connection.execute("SELECT value FROM extras WHERE name = 'guide'").fetchone()
    return row[0] if row is not None and type(row[0]) is str else None


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
    crisis = guide.get(CRISIS_SECTION_ID)
    pins = [
        [crisis.title, *crisis.aliases] if crisis else [],
        [[section.id, list(section.places)] for section in guide if section.places],
    ]
    connection.executemany(
        "INSERT OR REPLACE INTO extras VALUES (?, ?)",
        [("guide", guide_digest(guide.digests)), ("pins", dumps(pins))],
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
    write_runs(connection)


def write_synonyms(
    connection: sqlite3.Connection, groups: list[list[str]], synonyms: Synonyms
) -> None:
    """Record the synonym tables made with the synonyms file's `groups`, and the FTS5
    table's vocabulary (read here, from the finished table)."""
    strong, loose = synonyms
    longest = max((len(key) for key in (*strong, *loose)), default=1)
    value = dumps([groups, longest])
    connection.execute("INSERT OR REPLACE INTO extras VALUES ('synonyms', ?)", (value,))
    write_synonym_rows(connection, strong, loose)
    connection.execute("DELETE FROM terms")
    connection.execute("INSERT INTO terms SELECT term, doc FROM vocabulary")
