"""Messages the screens and the palette post up to the app, which keeps the state.

Screens never call the app: they say what happened (a place visited, a section
read, a bookmark to add) and the app saves it and tells the screens what changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from ketaguide_tui.state import Place, Question


@dataclass
class ReaderReady(Message):
    """The reading screen has opened its first place."""


@dataclass
class OpenPlace(Message):
    """Open this section (at this heading), e.g. chosen in the command palette."""

    section_id: str
    anchor: str | None = None


@dataclass
class PlaceVisited(Message):
    """The reader is now here (a new section, heading or scroll position)."""

    place: Place


@dataclass
class SectionRead(Message):
    """The reader has seen the end of this section."""

    section_id: str


@dataclass
class ReadMarksCleared(Message):
    """The reader asked to mark every section unread."""


@dataclass
class BookmarkAdded(Message):
    """The reader bookmarked a place under this title."""

    title: str
    place: Place


@dataclass
class BookmarkRenamed(Message):
    """The reader gave a bookmark a new title."""

    bookmark_id: str
    title: str


@dataclass
class BookmarkDeleted(Message):
    """The reader deleted a bookmark."""

    bookmark_id: str
    title: str


@dataclass
class QuestionAdded(Message):
    """The reader added a question for a clinician."""

    question: Question


@dataclass
class QuestionEdited(Message):
    """The reader changed a question's text."""

    question_id: str
    text: str


@dataclass
class QuestionTicked(Message):
    """The reader ticked a question off (or back on)."""

    question_id: str
    done: bool


@dataclass
class QuestionMoved(Message):
    """The reader moved a question up (-1) or down (1) the list."""

    question_id: str
    step: int


@dataclass
class QuestionDeleted(Message):
    """The reader deleted a question."""

    question_id: str
    text: str
