"""A passage of a cached search index: its text is fetched when first read.

Sixty thousand passages of a large guide hold tens of megabytes of text, and a
search reads the text of the few hundred it ranks and shows. So the cache's
passages (`stored_passages`) are made with their section, heading and kind,
and their `context` and `body` when the row at hand has them; otherwise those
are fetched from the cache file by rowid the first time they are read. Either
way they are checked to be clean, and kept. Everything else about them is a
`Passage`.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
from collections.abc import Sequence
from typing import Any

from ketaguide_tui.guide.text_safety import clean
from ketaguide_tui.search.passages import Passage

_TEXT_FIELDS = ("context", "body")
_FIELD_COUNT = len(dataclasses.fields(Passage))
_COMPARED = tuple(field.name for field in dataclasses.fields(Passage) if field.compare)


class PassageText:
    """Fetches passages' texts from an open cache file, from any thread."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self._lock = threading.Lock()

    def fetch(self, passage: Passage) -> None:
        """Fill in the passage's `context` and `body` ("" if the row cannot be read: the
        file was checked when it was opened, so that means it was damaged since)."""
        try:
            with self._lock:
                row = self._connection.execute(
                    "SELECT context, body FROM passage_texts WHERE rowid = ?",
                    (passage.__dict__["rowid"],),
                ).fetchone()
        except sqlite3.Error:
            row = None
        context, body = row if row is not None else ("", "")
        passage.__dict__["context"] = clean(context) if type(context) is str else ""
        passage.__dict__["body"] = clean(body) if type(body) is str else ""

    def fetch_all(self, passages: Sequence[Passage]) -> None:
        """Fill in the texts of every passage not filled yet, in one query (`passages` are
        this file's, in rowid order from 1)."""
        with self._lock:
            rows = self._connection.execute(
                "SELECT context, body FROM passage_texts ORDER BY rowid"
            ).fetchall()
        if len(rows) != len(passages):
            raise ValueError("passage rows missing")
        for passage, (context, body) in zip(passages, rows, strict=True):
            if "body" not in passage.__dict__:
                passage.__dict__["context"] = clean(context) if type(context) is str else ""
                passage.__dict__["body"] = clean(body) if type(body) is str else ""


class _FetchedText:
    """`context` or `body` of a `StoredPassage`: fetched on first read, then kept."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, passage: Passage | None, owner: type | None = None) -> Any:
        if passage is None:
            return self
        attributes = passage.__dict__
        if self.name not in attributes:
            attributes["fetch"].fetch(passage)
        return attributes[self.name]

    def __set__(self, passage: Passage, value: str) -> None:
        passage.__dict__[self.name] = value


class StoredPassage(Passage):
    """A `Passage` whose context and body are fetched from the cache when first read."""

    context = _FetchedText("context")
    body = _FetchedText("body")

    def __eq__(self, other: object) -> bool:
        # As `StoredSection`: the same passage whether it was made now or stored.
        if not isinstance(other, Passage):
            return NotImplemented
        return _compared(self) == _compared(other)

    __hash__ = Passage.__hash__


def _compared(passage: Passage) -> tuple[object, ...]:
    return tuple(getattr(passage, name) for name in _COMPARED)


def stored_passage(rowid: int, fetch: PassageText, **fields: Any) -> Passage:
    """The passage at `rowid` made of `fields` (all but `context` and `body`).

    The dataclass's own `__init__` is passed by, as in `stored_section`: it sets
    each field through the frozen class's guard, several times the cost of the
    rest for sixty thousand passages."""
    passage = object.__new__(StoredPassage)
    attributes = passage.__dict__
    attributes.update(fields)
    attributes["rowid"] = rowid
    attributes["fetch"] = fetch
    if len(attributes) != _FIELD_COUNT - len(_TEXT_FIELDS) + 2:
        raise TypeError("a stored passage must have every field")
    return passage
