"""A section loaded from the cache: its body and reading are fetched when first read.

`ketaguide list` needs ten thousand titles, not ten thousand bodies; the reader
needs the body of the section on screen. So a section the cache knows is made
with its body not yet loaded, and `StoredSection.body` fetches it (through
`StoredText`, from the open cache file) the first time it is read. Everything
else about it is a `Section`: equality, `dataclasses.replace` and every
property read the body through the same attribute.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ketaguide_tui.guide.cache_file import CacheErrors
from ketaguide_tui.guide.model import Section
from ketaguide_tui.guide.text_safety import clean


class _NotLoaded(str):
    """The body of a stored section before it is fetched (told apart by identity)."""

    __slots__ = ()


NOT_LOADED = _NotLoaded()


class _FetchedBody:
    """The `body` attribute of a `StoredSection`: fetched on first read, then kept."""

    def __get__(self, section: Section | None, owner: type | None = None) -> Any:
        if section is None:
            return self
        body: str = section.__dict__["body"]
        if body is NOT_LOADED:
            body = section.__dict__["fetch_body"]()
            section.__dict__["body"] = body
        return body

    def __set__(self, section: Section, value: str) -> None:
        section.__dict__["body"] = value


class _JoinedPath:
    """The `path` attribute of a `StoredSection`: the folder joined with the file name when
    first read (ten thousand paths made at start-up cost more than the rest of a section)."""

    def __get__(self, section: Section | None, owner: type | None = None) -> Any:
        if section is None:
            return self
        attributes = section.__dict__
        path = attributes.get("path")
        if path is None:
            path = attributes["path"] = attributes["root"] / attributes["file_name"]
        return path

    def __set__(self, section: Section, value: Path) -> None:
        section.__dict__["path"] = value


class StoredSection(Section):
    """A `Section` whose body is fetched from the cache when first read."""

    body = _FetchedBody()  # a str, read through the descriptor
    path = _JoinedPath()  # a Path, read through the descriptor

    def __getattr__(self, name: str) -> Any:
        # Python asks here only for an attribute not set: a section made by
        # `encoded_section` has its fields decoded when the first of them is read.
        attributes = self.__dict__
        decode = attributes.get("decode_fields")
        if decode is None or name not in _DECODED:
            raise AttributeError(name)
        attributes.update(decode())
        attributes["decode_fields"] = None
        return attributes[name]

    def __eq__(self, other: object) -> bool:
        # The dataclass's own equality holds only between objects of one class; a
        # section is the same section whether it was read from its file or the cache.
        if not isinstance(other, Section):
            return NotImplemented
        return _compared(self) == _compared(other)

    __hash__ = Section.__hash__


def _compared(section: Section) -> tuple[object, ...]:
    return tuple(getattr(section, name) for name in _COMPARED)


def stored_section(
    root: Path,
    file_name: str,
    fetch_body: Callable[[], str],
    fetch_reading: Callable[[], str | None],
    fields: dict[str, Any],
) -> Section:
    """The section of `root / file_name` made of `fields` (every field but `body`, `path`
    and `stored_reading`), fetching its body and reading when first asked for.

    The dataclass's own `__init__` is passed by: it sets each field through the
    frozen class's guard, which is most of the cost of loading ten thousand
    sections; the fields are set here as it would set them."""
    section = object.__new__(StoredSection)
    attributes = section.__dict__
    attributes.update(fields)
    attributes["body"] = NOT_LOADED
    attributes["stored_reading"] = fetch_reading
    attributes["fetch_body"] = fetch_body
    attributes["root"] = root
    attributes["file_name"] = file_name
    if len(attributes) != _FIELD_COUNT + 2:  # every field but `path`, and three of its own
        raise TypeError("a stored section must have every field")
    return section


def encoded_section(
    root: Path,
    file_name: str,
    fetch_body: Callable[[], str],
    fetch_reading: Callable[[], str | None],
    section_id: str,
    decode_fields: Callable[[], dict[str, Any]],
) -> Section:
    """The section of `root / file_name` with only its id known: `decode_fields()` gives
    every other field (but `body`, `path` and `stored_reading`) when one is first read.

    The reader's first frame needs the titles of the sidebar's first rows and one
    section; decoding the fields of ten thousand sections before it took about a
    quarter of loading the guide from the cache (docs/speed.md)."""
    section = object.__new__(StoredSection)
    attributes = section.__dict__
    attributes["id"] = section_id
    attributes["body"] = NOT_LOADED
    attributes["stored_reading"] = fetch_reading
    attributes["fetch_body"] = fetch_body
    attributes["root"] = root
    attributes["file_name"] = file_name
    attributes["decode_fields"] = decode_fields
    return section


_FIELD_COUNT = len(dataclasses.fields(Section))
_DECODED = frozenset(field.name for field in dataclasses.fields(Section)) - {
    "id",
    "body",
    "path",
    "stored_reading",
}
"""The fields `encoded_section` leaves to be decoded."""
_COMPARED = tuple(field.name for field in dataclasses.fields(Section) if field.compare)


class StoredText:
    """Bodies and readings fetched from an open cache file, one at a time, from any thread."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self._lock = threading.Lock()

    def _value(self, column: str, name: str) -> object:
        with self._lock:
            row = self._connection.execute(
                f"SELECT {column} FROM files WHERE name = ?", (name,)
            ).fetchone()
        return None if row is None else row[0]

    def body(self, name: str, reread: Callable[[], str]) -> str:
        """The stored body of the file `name`, checked; `reread()` if it cannot be had."""
        try:
            body = self._value("body", name)
        except CacheErrors:
            body = None
        if type(body) is not str:
            return reread()
        return clean(body)  # the same string when it is clean, as a stored body is

    def reading(self, name: str) -> str | None:
        """The stored reading of the file `name` (JSON), or None."""
        try:
            value = self._value("reading", name)
            if not isinstance(value, bytes):
                return None
            return zlib.decompress(value).decode("utf-8")
        except (*CacheErrors, zlib.error, UnicodeDecodeError):
            return None
