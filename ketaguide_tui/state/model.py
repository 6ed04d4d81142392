"""The reader's state as data: places, bookmarks, read marks, theme, questions, and changes.

Every change is a pure function that returns a new `ReaderState` and never
touches the disk; `state.store` saves what they return. No Textual import.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from ketaguide_tui.guide.text_safety import sanitize
from ketaguide_tui.state.questions import Question

MAX_BOOKMARKS = 500
MAX_TITLE_LENGTH = 200


@dataclass(frozen=True)
class Place:
    """A position in the guide."""

    section_id: str
    anchor: str | None = None  # heading anchor, if the place is at a heading
    scroll_y: int = 0  # lines scrolled in the viewer


@dataclass(frozen=True)
class Bookmark:
    """A named place the reader chose to keep."""

    id: str  # stable unique id (uuid4 hex)
    title: str  # user-editable
    place: Place
    created: str  # ISO 8601 timestamp


@dataclass(frozen=True)
class ReaderState:
    """Everything the reader remembers between sessions."""

    last_place: Place | None = None
    bookmarks: tuple[Bookmark, ...] = ()
    read_sections: frozenset[str] = frozenset()
    theme: str | None = None
    questions: tuple[Question, ...] = ()
    """The reader's questions for a clinician, in the reader's order."""
    read_reviewed: tuple[tuple[str, str], ...] = ()
    """(section id, its `reviewed` date as ISO text) when it was marked read, sorted:
    a section reviewed again since then is no longer read."""
    extra: tuple[tuple[str, str], ...] = ()
    """Fields this version does not know (a newer one wrote them), as (key, JSON text).

    Kept as found and written back, so an older ketaguide never drops what a
    newer one saved.
    """


def clean_title(title: str, fallback: str = "Bookmark") -> str:
    """A bookmark title safe for one terminal line and at most 200 characters.

    Control characters and escape sequences are removed (a title is echoed to
    the terminal), runs of whitespace become one space, and an empty result
    falls back to `fallback`.
    """
    cleaned = " ".join(sanitize(title).split())[:MAX_TITLE_LENGTH].rstrip()
    if cleaned:
        return cleaned
    fallback = " ".join(sanitize(fallback).split())[:MAX_TITLE_LENGTH].rstrip()
    return fallback or "Bookmark"


def add_bookmark(state: ReaderState, title: str, place: Place) -> tuple[ReaderState, Bookmark]:
    """Add a bookmark at `place`; the oldest ones go beyond 500 bookmarks."""
    bookmark = Bookmark(
        id=uuid.uuid4().hex,
        title=clean_title(title, fallback=place.section_id),
        place=place,
        created=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    bookmarks = (*state.bookmarks, bookmark)[-MAX_BOOKMARKS:]
    return replace(state, bookmarks=bookmarks), bookmark


def bookmark_dropped_by_adding(state: ReaderState) -> Bookmark | None:
    """The bookmark `add_bookmark` would drop to stay within 500: the oldest, when full."""
    if len(state.bookmarks) >= MAX_BOOKMARKS:
        return state.bookmarks[0]
    return None


def find_bookmark(state: ReaderState, bookmark_id: str) -> Bookmark | None:
    """The bookmark with this id, if it still exists."""
    return next((b for b in state.bookmarks if b.id == bookmark_id), None)


def rename_bookmark(state: ReaderState, bookmark_id: str, title: str) -> ReaderState:
    """Retitle a bookmark; an unknown id (deleted elsewhere) changes nothing."""
    bookmarks = tuple(
        replace(b, title=clean_title(title, fallback=b.title)) if b.id == bookmark_id else b
        for b in state.bookmarks
    )
    return replace(state, bookmarks=bookmarks)


def delete_bookmark(state: ReaderState, bookmark_id: str) -> ReaderState:
    """Remove a bookmark; an unknown id changes nothing."""
    bookmarks = tuple(b for b in state.bookmarks if b.id != bookmark_id)
    return replace(state, bookmarks=bookmarks)


def mark_read(state: ReaderState, section_id: str, reviewed: str | None = None) -> ReaderState:
    """Record that a section has been read (as last reviewed on `reviewed`, if given)."""
    read = replace(state, read_sections=state.read_sections | {section_id})
    if reviewed is None:
        return read
    dates = dict(state.read_reviewed) | {section_id: reviewed}
    return replace(read, read_reviewed=tuple(sorted(dates.items())))


def mark_unread(state: ReaderState, section_id: str) -> ReaderState:
    """Forget that one section has been read."""
    dates = tuple(pair for pair in state.read_reviewed if pair[0] != section_id)
    return replace(state, read_sections=state.read_sections - {section_id}, read_reviewed=dates)


def mark_all_unread(state: ReaderState) -> ReaderState:
    """Forget every read mark (bookmarks and place are kept)."""
    return replace(state, read_sections=frozenset(), read_reviewed=())


def read_status(
    state: ReaderState, reviewed: Mapping[str, str]
) -> tuple[frozenset[str], frozenset[str]]:
    """(sections read, sections updated since they were read), given each section's
    `reviewed` date now. A read mark made before a later review no longer counts."""
    updated = frozenset(
        section_id
        for section_id, when in state.read_reviewed
        if section_id in state.read_sections and reviewed.get(section_id, when) != when
    )
    return state.read_sections - updated, updated


def with_questions(state: ReaderState, questions: tuple[Question, ...]) -> ReaderState:
    """The reader's questions, changed (see `state.questions` for the changes)."""
    return replace(state, questions=questions)


def with_last_place(state: ReaderState, place: Place | None) -> ReaderState:
    """Remember where the reader is."""
    return replace(state, last_place=place)


def with_theme(state: ReaderState, theme: str | None) -> ReaderState:
    """Remember the chosen theme (None: the default)."""
    return replace(state, theme=theme)
