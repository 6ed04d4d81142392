"""The FTS5 table: its schema, the ranking SQL, and thread-safe access to it.

The table is contentless (`content=''`): the passages' text lives in Python for
snippets, so SQLite keeps only the index. Each column's BM25 is computed on its
own and the results are added with `WEIGHTS`.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from ketaguide_tui.search.passages import COLUMNS, Passage
from ketaguide_tui.search.speller import Vocabulary

WEIGHTS = (10.0, 6.0, 4.0, 2.0, 1.0)
"""BM25 weight per column. A title or alias match outranks a heading match,
which outranks a passing mention in the body. `context` holds the section title
(and the parent H2 of an H3) on every passage that is not the section's lead,
so "spravato side effects" finds the Side effects part of the Spravato section."""

DEFINITION_WEIGHT = 0.5
"""A glossary entry's score is multiplied by this: a definition that matches as well
as a paragraph of prose ranks after it ("ECT" finds the comparison with ECT first)."""

MAX_RANKED = 10_000
"""Above this many matching passages, only section leads are ranked (see `ranked_rows`)."""


Row = tuple[int, float]
"""(rowid, FTS5 rank) of `raw_match`."""


class Candidate(NamedTuple):
    """A passage a ranking found: a lower `group` first, then a higher score."""

    rowid: int
    score: float
    group: int
    """Rows come in groups, best first: prose before references (a group of 1000
    or more), then more parts of the query matched before fewer (the group goes
    down by one for each). BM25 orders the rows of a group."""


@dataclass(frozen=True)
class Ranking:
    """What to rank and how: an FTS5 expression and the order rules on top of BM25."""

    expression: str
    own: str = ""
    """A second expression the passages must also match (see `Plan.own`), for `count`
    and `rowids`. Ranked rows are not held to it: in the MATCH its phrases would count
    twice in BM25, and as a subquery it costs fifty times as much, so the index
    checks the few rows it ranks itself."""
    prose_first: bool = True
    """Reference passages (rowids after `FtsTable.prose_end`) rank after all others."""
    rowids: tuple[int, ...] = ()
    """When given, only these passages are ranked."""


class FtsTable:
    """An in-memory FTS5 table of passages, one row each, rowid = position + 1.

    Passages must come in four runs: section leads, other prose, definitions
    (glossary entries) and references. The connection is opened with
    `check_same_thread=False` and every use of it holds a lock: the reader
    builds the index in a worker thread and searches from the UI thread.
    """

    def __init__(
        self,
        passages: Sequence[Passage],
        connection: sqlite3.Connection | None = None,
        kinds: tuple[int, int, int] | None = None,
    ) -> None:
        """Create and fill the table in memory; or use `connection`'s, made by `create_tables`
        with these passages (a cached index, see `index_cache`). `kinds`, when given, says
        how many leads, prose passages and definitions there are (else they are counted)."""
        if connection is None:
            connection = sqlite3.connect(":memory:", check_same_thread=False)
            create_tables(connection, passages)
        self._connection = connection
        self._lock = threading.Lock()
        if kinds is None:
            kinds = (
                sum(1 for passage in passages if passage.heading is None),
                sum(1 for passage in passages if not passage.reference),
                sum(1 for passage in passages if passage.definition),
            )
        self.lead_count, self.prose_end, definitions = kinds
        """Leads come first, so `rowid <= lead_count` selects them; references come last,
        so `rowid > prose_end` selects them."""
        # Definitions, a range of rowids just before the references, count for
        # less. The numbers are this index's own, never the query's: safe inline.
        self._score = (
            f"-({_SCORE}) * (CASE WHEN rowid > {self.prose_end - definitions} "
            f"AND rowid <= {self.prose_end} THEN {DEFINITION_WEIGHT} ELSE 1.0 END)"
        )

    def vocabulary(self) -> Mapping[str, int] | Vocabulary:
        """Every indexed word and the number of passages it is in."""
        with self._lock:
            return dict(self._connection.execute("SELECT term, doc FROM vocabulary"))

    def count(self, ranking: Ranking) -> int:
        """How many passages the ranking matches (0 for a bad expression)."""
        sql, parameters = _matching("count(*)", ranking)
        try:
            with self._lock:
                row = self._connection.execute(sql, parameters).fetchone()
        except sqlite3.Error:  # see ranked_rows
            return 0
        return int(row[0])

    def rowids(self, ranking: Ranking) -> list[int]:
        """Every passage the ranking matches, in rowid order (none for a bad expression)."""
        sql, parameters = _matching("rowid", ranking)
        try:
            with self._lock:
                return [int(r) for (r,) in self._connection.execute(sql, parameters)]
        except sqlite3.Error:  # see ranked_rows
            return []

    def raw_match(self, expression: str, limit: int) -> list[Row]:
        """Run an FTS5 expression as it is, ranked by FTS5's plain `rank`. May raise."""
        with self._lock:
            rows = self._connection.execute(_PLAIN_SQL, (expression, limit)).fetchall()
        return [(int(rowid), float(rank)) for rowid, rank in rows]

    def ranked_rows(self, ranking: Ranking, estimate: int, limit: int) -> list[Candidate]:
        """The best `limit` passages, best first.

        Ranking costs a BM25 evaluation per matching row. A query that matches
        more than MAX_RANKED passages ("ketamine" in a large guide, a two-letter
        prefix) ranks only the section lead passages, which hold titles, aliases
        and summaries, and fills up with the first other passages found.
        `estimate` is an upper bound on the matches; only a high one is counted.
        """
        try:
            if estimate > MAX_RANKED and self.count(ranking) > MAX_RANKED:
                rows = self._select(ranking, limit, leads_only=True)
                if len(rows) < limit:
                    sql, parameters = _matching(f"rowid, {self._score}, 0", ranking, own=False)
                    more = self._execute(
                        f"{sql} AND rowid > ? LIMIT ?", [*parameters, self.lead_count, limit]
                    )
                    last = max((row.group for row in rows), default=0) + 1
                    rows += sorted((Candidate(r, s, last) for r, s, _ in more), key=_order)
                return rows[:limit]
            return self._select(ranking, limit, leads_only=False)
        except sqlite3.Error:
            # Queries are built only from quoted words, so this is not expected;
            # if it ever happens, no results beat a crash while someone types.
            return []

    def _execute(self, sql: str, parameters: Sequence[str | int]) -> list[tuple[int, float, int]]:
        with self._lock:
            rows = self._connection.execute(sql, tuple(parameters)).fetchall()
        return [(int(rowid), float(score), int(group)) for rowid, score, group in rows]

    def _select(self, ranking: Ranking, limit: int, leads_only: bool) -> list[Candidate]:
        # The group: 1000 for a reference when prose goes first, else 0.
        group = f"(rowid > {self.prose_end}) * {_TIER}" if ranking.prose_first else "0"
        sql, parameters = _matching(f"rowid, {self._score}, {group} AS grp", ranking, own=False)
        if leads_only:
            sql += " AND rowid <= ?"
            parameters.append(self.lead_count)
        parameters.append(limit)
        rows = self._execute(f"{sql} ORDER BY grp, 2 DESC LIMIT ?", parameters)
        return [Candidate(*row) for row in rows]


def _matching(columns: str, ranking: Ranking, own: bool = True) -> tuple[str, list[str | int]]:
    """A SELECT of `columns` from the passages the ranking matches (held to `own` when
    asked), and its parameters."""
    sql = f"SELECT {columns} FROM passages WHERE passages MATCH ?"
    expression = ranking.expression
    if own and ranking.own:
        expression = f"({expression}) AND {ranking.own}"
    if ranking.rowids:
        # Integers from this index, never from the query: safe to write inline.
        sql += f" AND rowid IN ({', '.join(str(int(r)) for r in ranking.rowids)})"
    return sql, [expression]


def _order(candidate: Candidate) -> tuple[int, float]:
    return candidate.group, -candidate.score


def below(floor: float, score: float) -> float:
    """A score under `floor` that keeps the order of `score`s (all positive)."""
    return floor * score / (score + 1.0)


# Each column's BM25 is computed on its own and the results are added with
# WEIGHTS. FTS5's single bm25(t, w...) adds weighted counts first and saturates
# after, so one title word counted for little more than a body word; summed per
# column, a title match is worth ten body mentions, as the ranking rules ask.
# (bm25 is negative: lower is better, so the score is its negation.)
_SCORE = " + ".join(
    f"bm25(passages, {', '.join(str(w if i == c else 0.0) for i in range(len(WEIGHTS)))})"
    for c, w in enumerate(WEIGHTS)
)
_TIER = 1000
"""More than any number of query parts: references stay after prose however much they match."""
_ROWIDS_SQL = "SELECT rowid FROM passages WHERE passages MATCH ?"
_PLAIN_SQL = "SELECT rowid, rank FROM passages WHERE passages MATCH ? ORDER BY rank LIMIT ?"


def create_tables(connection: sqlite3.Connection, passages: Sequence[Passage]) -> None:
    # Contentless (content=''): the passages' text lives in Python for snippets,
    # so SQLite keeps only the index. unicode61 with remove_diacritics 2 folds
    # case and accents; prefix='2 3' makes 2- and 3-letter prefix queries cheap.
    connection.executescript(
        f"""
        CREATE VIRTUAL TABLE passages USING fts5(
            {", ".join(COLUMNS)},
            content = '',
            tokenize = 'unicode61 remove_diacritics 2',
            prefix = '2 3'
        );
        CREATE VIRTUAL TABLE vocabulary USING fts5vocab(passages, 'row');
        """
    )
    connection.executemany(
        f"INSERT INTO passages(rowid, {', '.join(COLUMNS)}) VALUES (?{', ?' * len(COLUMNS)})",
        ((index, *passage.searchable) for index, passage in enumerate(passages, 1)),
    )
    connection.execute("INSERT INTO passages(passages) VALUES ('optimize')")
