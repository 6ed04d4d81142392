"""The reader's questions and review-dated read marks in the state file's JSON.

Like bookmarks, each question is checked on its own: a damaged one becomes a
short problem phrase ("question 2 has no 'text'") and the others are kept.
`state.codec` calls these for the file's `questions` and `read_reviewed` keys.
"""

from __future__ import annotations

from datetime import date, datetime

from ketaguide_tui.state.item_lists import valid_items
from ketaguide_tui.state.questions import MAX_QUESTIONS, Question, clean_question


class InvalidQuestion(ValueError):
    """One question record is unusable; the message says why."""


def questions_to_json(questions: tuple[Question, ...]) -> list[dict[str, object]]:
    return [
        {
            "id": q.id,
            "text": q.text,
            "section_id": q.section_id,
            "anchor": q.anchor,
            "where": q.where,
            "created": q.created,
            "done": q.done,
        }
        for q in questions
    ]


def questions_from(value: object, problems: list[str]) -> tuple[Question, ...]:
    """The valid questions in `value`; each bad one is a problem and is left out."""
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.append("'questions' is not a list")
        return ()
    return valid_items(value, _question_from, InvalidQuestion, "question", MAX_QUESTIONS, problems)


def _question_from(value: object) -> Question:
    if not isinstance(value, dict):
        raise InvalidQuestion("is not an object")
    question_id = _text(value, "id")
    text = clean_question(_text(value, "text"))
    if not text:
        raise InvalidQuestion("has an empty 'text'")
    section_id = _text(value, "section_id")
    anchor = value.get("anchor")
    if anchor is not None and not isinstance(anchor, str):
        raise InvalidQuestion("has an 'anchor' that is not text")
    where = value.get("where", section_id)
    if not isinstance(where, str):
        raise InvalidQuestion("has a 'where' that is not text")
    created = _text(value, "created")
    try:
        datetime.fromisoformat(created)
    except ValueError:
        raise InvalidQuestion("has a 'created' time that is not an ISO 8601 timestamp") from None
    done = value.get("done", False)
    if not isinstance(done, bool):
        raise InvalidQuestion("has a 'done' that is not true or false")
    return Question(
        id=question_id,
        text=text,
        section_id=section_id,
        anchor=anchor,
        where=clean_question(where) or section_id,
        created=created,
        done=done,
    )


def _text(fields: dict[object, object], key: str) -> str:
    if key not in fields:
        raise InvalidQuestion(f"has no '{key}'")
    value = fields[key]
    if not isinstance(value, str) or not value:
        raise InvalidQuestion(f"has no text for '{key}'")
    return value


def read_reviewed_to_json(pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return dict(pairs)


def read_reviewed_from(value: object, problems: list[str]) -> tuple[tuple[str, str], ...]:
    """Section id -> ISO date pairs; entries that are not both are left out."""
    if value is None:
        return ()
    if not isinstance(value, dict):
        problems.append("'read_reviewed' is not an object")
        return ()
    kept: dict[str, str] = {}
    for section_id, when in value.items():
        if isinstance(section_id, str) and section_id and isinstance(when, str) and _is_date(when):
            kept[section_id] = when
    if len(kept) < len(value):
        problems.append(f"{len(value) - len(kept)} review date(s) of read marks are not dates")
    return tuple(sorted(kept.items()))


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
