"""The reader's own questions for a clinician, as data, and the pure changes to them.

A question remembers where it came from (section, heading and the heading's
title as it read then), whether the reader has ticked it off, and when it was
added. Changes return a new tuple of questions; `state.model` keeps them in
`ReaderState.questions` and `state.store` saves them like bookmarks. No Textual.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from ketaguide_tui.guide.text_safety import sanitize

MAX_QUESTIONS = 500
MAX_QUESTION_LENGTH = 500


@dataclass(frozen=True)
class Question:
    """One question the reader wants to ask."""

    id: str
    """Stable unique id (uuid4 hex)."""
    text: str
    """The question, one line, at most 500 characters."""
    section_id: str
    """The section it came from."""
    anchor: str | None
    """The heading it came from, if any."""
    where: str
    """Where it came from as the reader saw it then ("Questions to ask › Medicines")."""
    created: str
    """ISO 8601 timestamp."""
    done: bool = False
    """Ticked off (asked, or no longer needed)."""


def clean_question(text: str) -> str:
    """A question safe for one terminal line: controls removed, spaces folded, capped."""
    return " ".join(sanitize(text).split())[:MAX_QUESTION_LENGTH].rstrip()


def new_question(text: str, section_id: str, anchor: str | None, where: str) -> Question | None:
    """A question to add; None when the text is empty once cleaned."""
    cleaned = clean_question(text)
    if not cleaned:
        return None
    return Question(
        id=uuid.uuid4().hex,
        text=cleaned,
        section_id=section_id,
        anchor=anchor,
        where=clean_question(where) or section_id,
        created=datetime.now(UTC).isoformat(timespec="seconds"),
    )


def add_question(questions: tuple[Question, ...], question: Question) -> tuple[Question, ...]:
    """Add at the end; the oldest go beyond 500 questions."""
    return (*questions, question)[-MAX_QUESTIONS:]


def edit_question(
    questions: tuple[Question, ...], question_id: str, text: str
) -> tuple[Question, ...]:
    """New text for a question; empty text or an unknown id changes nothing."""
    cleaned = clean_question(text)
    if not cleaned:
        return questions
    return tuple(replace(q, text=cleaned) if q.id == question_id else q for q in questions)


def tick_question(
    questions: tuple[Question, ...], question_id: str, done: bool
) -> tuple[Question, ...]:
    """Tick a question off (or back on)."""
    return tuple(replace(q, done=done) if q.id == question_id else q for q in questions)


def delete_question(questions: tuple[Question, ...], question_id: str) -> tuple[Question, ...]:
    """Remove a question; an unknown id changes nothing."""
    return tuple(q for q in questions if q.id != question_id)


def move_question(
    questions: tuple[Question, ...], question_id: str, step: int
) -> tuple[Question, ...]:
    """Move a question up (-1) or down (1) the list; at either end it stays."""
    index = next((i for i, q in enumerate(questions) if q.id == question_id), None)
    if index is None:
        return questions
    target = index + step
    if not 0 <= target < len(questions):
        return questions
    moved = list(questions)
    moved[index], moved[target] = moved[target], moved[index]
    return tuple(moved)
