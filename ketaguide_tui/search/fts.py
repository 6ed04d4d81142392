"""The FTS5 table: its schema, the ranking SQL, and thread-safe access to it.

The table is contentless (`content=''`): the passages' text lives in Python for
snippets, so SQLite keeps only the index. Each column's BM25 is computed on its
own and the results are added with `WEIGHTS`.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence

from ketaguide_tui.search.passages import COLUMNS, Passage

WEIGHTS = (10.0, 6.0, 4.0, 2.0, 1.0)
"""BM25 weight per column. A title or alias match outranks a heading match,
which outranks a passing mention in the body. `context` holds the section title
(and the parent H2 of an H3) on every passage that is not the section's lead,
so "spravato side effects" finds the Side effects part of the Spravato section."""

MAX_RANKED = 10_000
"""Above this many matching passages, only section leads are ranked (see `ranked_rows`)."""


class FtsTable:
    """An in-memory FTS5 table of passages, one row each, rowid = position + 1.

    The connection is opened with `check_same_thread=False` and every use of it
    holds a lock: the reader builds the index in a worker thread and searches
    from the UI thread.
    """

    def __init__(self, passages: Sequence[Passage]) -> None:
        """Create and fill the table; `passages` should hold section leads first."""
        self._connection = sqlite3.connect(":memory:", check_same_thread=False)
        self._lock = threading.Lock()
        _create_tables(self._connection, passages)
        self.lead_count = sum(1 for passage in passages if passage.heading is None)
        """Leads come first, so `rowid <= lead_count` selects them."""

    def vocabulary(self) -> dict[str, int]:
        """Every indexed word and the number of passages it is in."""
        with self._lock:
            return dict(self._connection.execute("SELECT term, doc FROM vocabulary"))

    def execute(self, sql: str, parameters: tuple[str | int, ...]) -> list[tuple[int, float]]:
        """(rowid, score) rows of one statement."""
        with self._lock:
            rows = self._connection.execute(sql, parameters).fetchall()
        return [(int(rowid), float(score)) for rowid, score in rows]

    def count(self, expression: str) -> int:
        """How many passages `expression` matches."""
        with self._lock:
            row = self._connection.execute(_COUNT_SQL, (expression,)).fetchone()
        return int(row[0])

    def raw_match(self, expression: str, limit: int) -> list[tuple[int, float]]:
        """Run an FTS5 expression as it is, ranked by FTS5's plain `rank`: (rowid, rank)."""
        return self.execute(_PLAIN_SQL, (expression, limit))

    def ranked_rows(self, expression: str, estimate: int, limit: int) -> list[tuple[int, float]]:
        """(rowid, score) of the best `limit` passages, best first.

        Ranking costs a BM25 evaluation per matching row. A query that matches
        more than MAX_RANKED passages ("ketamine" in a large guide, a two-letter
        prefix) ranks only the section lead passages, which hold titles, aliases
        and summaries, and fills up with the first other passages found.
        `estimate` is an upper bound on the matches; only a high one is counted.
        """
        try:
            if estimate > MAX_RANKED and self.count(expression) > MAX_RANKED:
                rows = self.execute(_LEADS_SQL, (expression, self.lead_count, limit))
                if len(rows) < limit:
                    more = self.execute(_REST_SQL, (expression, self.lead_count, limit))
                    floor = min((score for _, score in rows), default=1.0)
                    rows += sorted(((r, below(floor, s)) for r, s in more), key=lambda r: -r[1])
                return rows[:limit]
            return self.execute(_RANKED_SQL, (expression, limit))
        except sqlite3.Error:
            # Queries are built only from quoted words, so this is not expected;
            # if it ever happens, no results beat a crash while someone types.
            return []


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
_SELECT = f"SELECT rowid, -({_SCORE}) AS score FROM passages WHERE passages MATCH ?"
_RANKED_SQL = f"{_SELECT} ORDER BY score DESC LIMIT ?"
_LEADS_SQL = f"{_SELECT} AND rowid <= ? ORDER BY score DESC LIMIT ?"
_REST_SQL = f"{_SELECT} AND rowid > ? LIMIT ?"
_COUNT_SQL = "SELECT count(*) FROM passages WHERE passages MATCH ?"
_PLAIN_SQL = "SELECT rowid, rank FROM passages WHERE passages MATCH ? ORDER BY rank LIMIT ?"


def _create_tables(connection: sqlite3.Connection, passages: Sequence[Passage]) -> None:
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
