"""The passages of a cached search index, made from the cache file when first asked for.

A search ranks and shows a few hundred of a large guide's sixty thousand
passages. So a cached index's passages are a sequence that makes passage i
from its row (`passage_rows`, see `index_rows`) the first time it is asked
for, and keeps it; its texts come later still (`stored_passage`). Which
passages a section has is read the same way, section by section.

The file is untrusted: opening checks that the runs of each kind of passage it
records (written with the rows: `write_runs`) cover the rowids 1 to n in the
order `fts.FtsTable` needs; each row is checked when it is made (its columns'
types, its strings clean, its section one the file records, its rowid in its
kind's run). A row that fails then,
or cannot be read, raises `DamagedRow`, and the index is made again in memory
(see `index_cache`).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, overload

from ketaguide_tui.guide.cache_codec import dumps, int_value, list_value, text_value
from ketaguide_tui.guide.model import GLOSSARY_SECTION_ID, Heading
from ketaguide_tui.guide.text_safety import clean
from ketaguide_tui.search.passages import Passage
from ketaguide_tui.search.stored_passage import PassageText, stored_passage

_KIND = (
    "(level IS NOT NULL) * 4 + (reference != 0) * 2 "
    f"+ (level IS NOT NULL AND section_id = '{GLOSSARY_SECTION_ID}')"
)
_RUNS = f"""
SELECT kind, count(*), min(rowid), max(rowid)
FROM (SELECT rowid, {_KIND} AS kind FROM passage_rows) GROUP BY kind ORDER BY kind
"""
"""Each kind of passage's rows (leads 0, prose 4, definitions 5, references 6: the order of
`SearchIndex.build`'s sort): each kind's rows must be one run, in that order. Read when
the file is written (`write_runs`), and each row is checked to be in its kind's run when
it is made."""


def write_runs(connection: sqlite3.Connection) -> None:
    """Record the runs of the file's passage rows, as `_RUNS` finds them."""
    runs = [list(run) for run in connection.execute(_RUNS)]
    connection.execute("INSERT OR REPLACE INTO extras VALUES ('runs', ?)", (dumps(runs),))


_ROW_ERRORS = (sqlite3.Error, ValueError, TypeError, KeyError, IndexError)


class DamagedRow(Exception):
    """A passage row read during a search was not whole or not clean."""


Names = tuple[str, tuple[str, ...], str]
"""A section's title, aliases and summary, as its passages carry them."""


class StoredPassages(Sequence[Passage]):
    """The passages of an open cache file, in rowid order (rowid = position + 1)."""

    def __init__(self, connection: sqlite3.Connection, text: PassageText) -> None:
        """Check the rows' shape; raises sqlite3.Error, ValueError or TypeError if damaged."""
        self._connection = connection
        self._text = text
        self._lock = threading.RLock()
        row = connection.execute("SELECT value FROM extras WHERE name = 'runs'").fetchone()
        self._runs: dict[int, tuple[int, int]] = {}
        count = leads = prose = definitions = 0
        for item in list_value(json.loads(text_value(row[0]))):
            kind, rows, first, last = (int_value(value) for value in list_value(item, 4))
            if first != count + 1 or last != count + rows or rows < 1 or kind in self._runs:
                raise ValueError("passage rows missing, or out of order")
            if self._runs and kind < max(self._runs):
                raise ValueError("passage rows out of order")
            self._runs[kind] = (first, last)
            count += rows
            leads += rows if kind < 4 else 0
            prose += rows if not kind & 2 else 0
            definitions += rows if kind & 1 else 0
        self._count = count
        self.kinds: tuple[int, int, int] = (leads, prose, definitions)
        """How many leads, prose passages (not references) and definitions there are."""
        self._made: dict[int, Passage] = {}
        self._names: dict[str, Names] = {}
        self.sections = SectionRowids(self)

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Passage: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Passage]: ...

    def __getitem__(self, index: int | slice) -> Passage | Sequence[Passage]:
        if isinstance(index, slice):
            return [self[position] for position in range(*index.indices(self._count))]
        position = index + self._count if index < 0 else index
        if not 0 <= position < self._count:
            raise IndexError("no such passage")
        passage = self._made.get(position + 1)
        if passage is None:
            passage = self._made[position + 1] = self._make(position + 1)
        return passage

    def all(self) -> list[Passage]:
        """Every passage, made in one pass (to update the file, which compares them all)."""
        with self._lock:
            rows = self._connection.execute(
                "SELECT rowid, section_id, level, heading, anchor, line, reference "
                "FROM passage_rows ORDER BY rowid"
            ).fetchall()
        for row in rows:
            if row[0] not in self._made:
                self._made[row[0]] = self._passage(row)
        return [self._made[rowid] for rowid in range(1, self._count + 1)]

    def rowids_of(self, section_id: str) -> list[int]:
        """The rowids of a section's passages, in order (none for a section not indexed)."""
        try:
            with self._lock:
                return [
                    rowid
                    for (rowid,) in self._connection.execute(
                        "SELECT rowid FROM passage_rows WHERE section_id = ? ORDER BY rowid",
                        (section_id,),
                    )
                ]
        except _ROW_ERRORS as error:
            raise DamagedRow from error

    def section_ids(self) -> list[str]:
        try:
            with self._lock:
                return [text_value(s) for (s,) in self._connection.execute(_SECTION_IDS)]
        except _ROW_ERRORS as error:
            raise DamagedRow from error

    def _make(self, rowid: int) -> Passage:
        """The passage at `rowid`, with its texts (a search that makes a passage reads them)
        and its section's names, all in one query."""
        try:
            with self._lock:
                row = self._connection.execute(_ONE_ROW, (rowid,)).fetchone()
            if row is None:
                raise ValueError("a passage row missing")
            if row[1] not in self._names and row[9] is not None:
                self._names[row[1]] = _names(*row[9:])
            passage = self._passage(row[:7])
            context, body = row[7:9]
            if type(context) is str and type(body) is str:
                passage.__dict__["context"] = clean(context)
                passage.__dict__["body"] = clean(body)
            return passage
        except _ROW_ERRORS as error:
            raise DamagedRow from error

    def _passage(self, row: Sequence[Any]) -> Passage:
        rowid, section_id, level, heading, anchor, line, reference = row
        section = text_value(section_id)
        if type(reference) is not int or (
            (level, heading, anchor, line) != (None,) * 4
            and (type(level) is not int or type(line) is not int)
        ):
            raise TypeError("a passage row of the wrong shape")
        headed = level is not None
        kind = headed * 4 + bool(reference) * 2 + (headed and section == GLOSSARY_SECTION_ID)
        first, last = self._runs.get(kind, (0, -1))
        if not first <= rowid <= last:
            raise ValueError("a passage row out of its run")
        title, aliases, summary = self._section_names(section)
        return stored_passage(
            rowid,
            self._text,
            section_id=section,
            section_title=title,
            section_aliases=aliases,
            heading=None
            if level is None
            else Heading(level, text_value(heading), text_value(anchor), line),
            reference=bool(reference),
            section_summary=summary,
        )

    def _section_names(self, section_id: str) -> Names:
        names = self._names.get(section_id)
        if names is None:
            with self._lock:
                row = self._connection.execute(
                    "SELECT title, aliases, summary FROM sections WHERE section_id = ?",
                    (section_id,),
                ).fetchone()
            if row is None:
                raise ValueError("a passage of no section")
            names = self._names[section_id] = _names(*row)
        return names


def _names(title: object, aliases: object, summary: object) -> Names:
    """A section's names from its row, checked."""
    return (
        text_value(title),
        tuple(text_value(alias) for alias in list_value(json.loads(text_value(aliases)))),
        text_value(summary),
    )


_ONE_ROW = """
SELECT p.rowid, p.section_id, p.level, p.heading, p.anchor, p.line, p.reference,
    t.context, t.body, s.title, s.aliases, s.summary
FROM passage_rows AS p
    LEFT JOIN passage_texts AS t ON t.rowid = p.rowid
    LEFT JOIN sections AS s ON s.section_id = p.section_id
WHERE p.rowid = ?
"""


_SECTION_IDS = "SELECT DISTINCT section_id FROM passage_rows ORDER BY section_id"


class SectionRowids(Mapping[str, list[int]]):
    """Each section's passages' rowids, its lead first, read section by section."""

    def __init__(self, passages: StoredPassages) -> None:
        self._passages = passages
        self._read: dict[str, list[int]] = {}

    def __getitem__(self, section_id: str) -> list[int]:
        rowids = self._read.get(section_id)
        if rowids is None:
            rowids = self._read[section_id] = self._passages.rowids_of(section_id)
        if not rowids:
            raise KeyError(section_id)
        return rowids

    def __contains__(self, section_id: object) -> bool:
        return isinstance(section_id, str) and bool(self.get(section_id))

    def __iter__(self) -> Iterator[str]:
        return iter(self._passages.section_ids())

    def __len__(self) -> int:
        return len(self._passages.section_ids())
