"""The search index kept in the cache: opened as it is, or updated where sections changed.

`cached_index(guide)` gives the same `SearchIndex` as `SearchIndex.build(guide)`
(the same passages in the same rowids, so the same results in the same order),
but keeps the FTS5 table, and every passage's text, in a cache file
(`guide.cache_file`) beside the loaded guide's:

* when every section's digest (`Guide.digests`, the guide cache's record of
  each file) is the one the index was made from, the file is opened read-only
  and searched as it is: no Markdown is read, no section split into passages;
* otherwise a copy of the file is updated: passages of unchanged sections are
  taken from it, changed sections are split again, and only rows whose text
  changed are deleted from the FTS5 table and inserted again (a section whose
  passages keep their number changes its own rows alone). The copy then
  replaces the file. When most rows change, a new table is made instead;
* a guide loaded without the cache (`--no-cache`, or a cache that could not be
  read), or any failure of the cache, builds the index in memory, as with no cache.

What is read at start is kept small: each section's digest and the synonym
tables. Passages are made from their rows when a search first reads them
(`stored_passages`), their text later still (`stored_passage`), and the
speller looks words up in the file (`stored_vocabulary`). A damaged file fails
a check on open (its length, its meta table, the shape of its rows), and is
made again; a passage found damaged during a search (a string that is not
clean) has the index made again in memory.
"""

from __future__ import annotations

import gc
import sqlite3
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from ketaguide_tui.guide.cache import load_guide_cached, save_pending, store_readings
from ketaguide_tui.guide.cache_file import CacheErrors, CacheWriter, open_cache
from ketaguide_tui.guide.cache_listing import cached_guide_digest
from ketaguide_tui.guide.model import CRISIS_SECTION_ID, Guide, Section
from ketaguide_tui.search.crisis import CrisisDetector
from ketaguide_tui.search.fts import FtsTable, create_tables
from ketaguide_tui.search.index import SearchIndex
from ketaguide_tui.search.index_rows import (
    StoredIndex,
    Synonyms,
    read_pins,
    read_rows,
    read_synonyms,
    recorded_guide,
    write_rows,
    write_synonyms,
)
from ketaguide_tui.search.passages import COLUMNS, Passage, section_passages
from ketaguide_tui.search.places import PlaceNames
from ketaguide_tui.search.results import SearchResults
from ketaguide_tui.search.stored_passage import PassageText
from ketaguide_tui.search.stored_passages import DamagedRow, StoredPassages
from ketaguide_tui.search.stored_vocabulary import StoredVocabulary
from ketaguide_tui.search.synonym_file import SYNONYMS_FILE, SynonymFile, load_synonym_file
from ketaguide_tui.search.synonym_tables import SynonymTables
from ketaguide_tui.search.synonyms import build_synonyms

KIND = "index"
REBUILD_SHARE = 0.5
"""When more than this share of rows changed, a new table is made rather than updated."""

_INSERT = f"INSERT INTO passages(rowid, {', '.join(COLUMNS)}) VALUES (?{', ?' * len(COLUMNS)})"
_DELETE = (
    f"INSERT INTO passages(passages, rowid, {', '.join(COLUMNS)}) "
    f"VALUES ('delete', ?{', ?' * len(COLUMNS)})"
)


def cached_index(guide: Guide) -> SearchIndex:
    """The guide's search index, from the cache when it matches (see the module's docstring)."""
    if not guide.digests:
        return SearchIndex.build(guide)
    # Tens of thousands of passages and no reference cycles: see `guide.cache`.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _cached_index(guide)
    finally:
        if enabled:
            gc.enable()


def _cached_index(guide: Guide) -> SearchIndex:
    save_pending(guide)
    vocabulary = load_synonym_file(guide.root / SYNONYMS_FILE)
    groups = [list(group) for group in vocabulary.groups]
    connection = open_cache(guide.root, KIND)
    stored: StoredIndex | None = None
    if connection is not None:
        try:
            stored = read_rows(connection)
        except CacheErrors:
            stored = None
    if stored is not None and connection is not None and stored.digests == dict(guide.digests):
        synonyms = stored.synonyms[1] if stored.synonyms and stored.synonyms[0] == groups else None
        if synonyms is not None:
            try:
                return _opened(connection, stored.passages, synonyms, lambda: guide)
            except CacheErrors:
                stored = None  # damaged: made again from the start
    try:
        index = _updated(guide, stored, vocabulary, groups)
    except CacheErrors:
        try:  # the old rows could not be used: a new file, made from the start
            index = _updated(guide, None, vocabulary, groups)
        except CacheErrors:  # nor written: the index in memory, as with no cache
            index = SearchIndex.build(guide, vocabulary)
    store_readings(guide)
    return index


def open_cached_index(root: Path) -> SearchIndex | None:
    """The index of the guide in `root` opened from the cache without loading the guide,
    when the guide's cache matches the folder's files as they are now and the index was
    made from the sections it records (`cache_listing.cached_guide_digest`), with the
    content's synonyms file as it is now; else None (then load the guide and use
    `cached_index`). Raises ContentError when `root` is not a folder of sections."""
    digest = cached_guide_digest(root)
    if digest is None:
        return None
    vocabulary = load_synonym_file(root / SYNONYMS_FILE)
    connection = open_cache(root, KIND)
    if connection is None:
        return None
    try:
        synonyms = read_synonyms(connection)
        groups = [list(group) for group in vocabulary.groups]
        if recorded_guide(connection) == digest and synonyms and synonyms[0] == groups:
            passages = StoredPassages(connection, PassageText(connection))
            return _opened(connection, passages, synonyms[1], partial(load_guide_cached, root))
    except CacheErrors:
        pass
    connection.close()
    return None


def _opened(
    connection: sqlite3.Connection,
    passages: StoredPassages,
    synonyms: SynonymTables,
    guide: Callable[[], Guide],
) -> SearchIndex:
    """The index as the cache file holds it: its passages, and each section's, are read
    when a search first needs them (`stored_passages`). `guide` gives the guide, should
    the file turn out damaged."""
    crisis_names, places = read_pins(connection)
    return _CachedIndex(
        guide,
        _StoredTable(passages, connection),
        passages,
        synonyms,
        CrisisDetector(crisis_names),
        PlaceNames(places),
        rowids=passages.sections,
    )


class _CachedIndex(SearchIndex):
    """A `SearchIndex` on a cache file. A row found damaged during a search (a passage, a
    synonym entry or a word: the file's shape was checked on opening, each row is checked
    as it is read) means the file cannot be trusted: the index is then made again in
    memory, as with no cache, and the search answered from it."""

    def __init__(self, guide: Callable[[], Guide], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._guide = guide

    def search(self, query: str, limit: int = 20) -> SearchResults:
        try:
            return super().search(query, limit)
        except DamagedRow:
            self._rebuild()
            return super().search(query, limit)

    def explain(self, query: str) -> str | None:
        try:
            return super().explain(query)
        except DamagedRow:
            self._rebuild()
            return super().explain(query)

    def _rebuild(self) -> None:
        """Become the index made in memory from the guide, as with no cache."""
        self.__dict__.update(SearchIndex.build(self._guide()).__dict__)


class _StoredTable(FtsTable):
    """An FTS5 table from the cache, with the vocabulary stored beside it: reading it
    from FTS5 walks the whole index (a fifth of a second at ten thousand sections), and
    it is looked up word by word (`stored_vocabulary`)."""

    def __init__(self, passages: StoredPassages, connection: sqlite3.Connection) -> None:
        super().__init__(passages, connection, passages.kinds)
        self.stored = connection

    def vocabulary(self) -> StoredVocabulary:
        return StoredVocabulary(self.stored)


def _updated(
    guide: Guide, stored: StoredIndex | None, vocabulary: SynonymFile, groups: list[list[str]]
) -> SearchIndex:
    """The index with changed sections' rows replaced, written to a new cache file."""
    digests = stored.digests if stored is not None else {}
    old_rows = stored.passages.all() if stored is not None else []
    if stored is not None:
        # Every old row's text is compared with the new one's: fetch them in one go.
        stored.text.fetch_all(old_rows)
    by_section: dict[str, list[Passage]] = {}
    for passage in old_rows:
        if digests.get(passage.section_id) == guide.digests.get(passage.section_id):
            by_section.setdefault(passage.section_id, []).append(passage)

    def split(section: Section) -> list[Passage]:
        kept = by_section.get(section.id)
        return kept if kept is not None else section_passages(section)

    writer: CacheWriter | None = None

    def table(passages: list[Passage]) -> FtsTable:
        nonlocal writer
        changed = _changed_rowids(old_rows, passages)
        update = bool(old_rows) and len(changed) <= REBUILD_SHARE * len(passages)
        writer = CacheWriter(guide.root, KIND, start_from_current=update)
        connection = writer.connection
        if update:
            _update_rows(connection, old_rows, passages, changed)
        else:
            create_tables(connection, passages)
            changed = list(range(1, len(passages) + 1))
        write_rows(connection, guide, passages, changed)
        return FtsTable(passages, connection)

    synonyms = build_synonyms(guide, vocabulary.groups)
    try:
        index = _assemble(guide, split, table, synonyms)
        if writer is not None:
            write_synonyms(writer.connection, groups, synonyms)
            writer.commit()
        return index
    finally:
        if writer is not None:
            writer.abandon()


def _assemble(
    guide: Guide,
    split: Callable[[Section], list[Passage]],
    table: Callable[[list[Passage]], FtsTable],
    synonyms: Synonyms,
) -> SearchIndex:
    """The index `SearchIndex.build` makes, from passages `split` gives (kept or made), in a
    table `table` gives, with these synonym tables.

    It is `build` step for step, and must stay so: the cache's rows are in the
    rowid order `build` gives. tests/test_cache.py compares the results of the
    two on the relevance benchmark's queries and on generated ones."""
    passages = [passage for section in guide for passage in split(section)]
    passages.sort(
        key=lambda passage: (passage.heading is not None, passage.reference, passage.definition)
    )
    crisis_section = guide.get(CRISIS_SECTION_ID)
    crisis_names = (crisis_section.title, *crisis_section.aliases) if crisis_section else ()
    places = ((section.id, section.places) for section in guide)
    return SearchIndex(
        table(passages),
        passages,
        synonyms,
        CrisisDetector(crisis_names),
        PlaceNames(places),
    )


def _changed_rowids(old: Sequence[Passage], new: Sequence[Passage]) -> list[int]:
    """Rowids whose row text differs (or that only one of the two lists has)."""
    changed = [
        rowid
        for rowid, passage in enumerate(new, 1)
        if rowid > len(old) or old[rowid - 1].searchable != passage.searchable
    ]
    return changed + list(range(len(new) + 1, len(old) + 1))


def _update_rows(
    connection: sqlite3.Connection,
    old: Sequence[Passage],
    new: Sequence[Passage],
    changed: list[int],
) -> None:
    """Delete the changed rows' old text from the FTS5 table and insert their new text.

    The table is contentless: a row is deleted by giving the text it was indexed
    with, which the cache's `passage_rows` holds."""
    connection.executemany(
        _DELETE, ((rowid, *old[rowid - 1].searchable) for rowid in changed if rowid <= len(old))
    )
    connection.executemany(
        _INSERT, ((rowid, *new[rowid - 1].searchable) for rowid in changed if rowid <= len(new))
    )
