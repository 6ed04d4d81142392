"""The reader's questions in the state file: changes, damage, two processes at once,
and read marks that remember which review they were made against."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path
from typing import Protocol

from hypothesis import given
from hypothesis import strategies as st

from ketaguide_tui.state import (
    MAX_QUESTIONS,
    Place,
    Question,
    ReaderState,
    StateStore,
    add_bookmark,
    add_question,
    decode_state,
    delete_question,
    edit_question,
    encode_state,
    mark_all_unread,
    mark_read,
    move_question,
    new_question,
    read_status,
    tick_question,
    with_questions,
)


class EventLike(Protocol):
    def wait(self, timeout: float | None = None) -> bool: ...


def ask(text: str, section: str = "questions-to-ask") -> Question:
    question = new_question(text, section, "medicines", "Questions to ask › Medicines")
    assert question is not None
    return question


def test_questions_are_added_edited_ticked_moved_and_deleted() -> None:
    first, second = ask("Which medicines matter?"), ask("How long is a session?")
    questions = add_question(add_question((), first), second)
    assert [q.text for q in questions] == ["Which medicines matter?", "How long is a session?"]
    questions = edit_question(questions, first.id, "  Which of my\nmedicines matter? ")
    assert questions[0].text == "Which of my medicines matter?"
    assert edit_question(questions, first.id, "   ") == questions  # empty text is no edit
    questions = tick_question(questions, second.id, True)
    assert questions[1].done and not questions[0].done
    questions = move_question(questions, second.id, -1)
    assert [q.id for q in questions] == [second.id, first.id]
    assert move_question(questions, second.id, -1) == questions  # already first
    questions = delete_question(questions, second.id)
    assert [q.id for q in questions] == [first.id]


def test_a_question_is_one_clean_line_and_empty_ones_are_refused() -> None:
    question = ask("Is it \x1b]0;owned\x07safe\tfor me?\n")
    assert question.text == "Is it safe for me?"
    assert new_question(" \x1b[2J \n", "x", None, "X") is None


def test_the_oldest_questions_go_beyond_the_limit() -> None:
    questions: tuple[Question, ...] = ()
    for number in range(MAX_QUESTIONS + 3):
        questions = add_question(questions, ask(f"q{number}"))
    assert len(questions) == MAX_QUESTIONS
    assert questions[0].text == "q3"


def test_questions_round_trip_through_the_file(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    question = tick_question((ask("Can I drive home?"),), "nope", True)[0]
    state = with_questions(ReaderState(), (question,))
    assert store.save(state) is None
    assert store.load() == (state, [])
    saved = json.loads(store.path.read_text())
    assert saved["questions"][0]["text"] == "Can I drive home?"
    assert saved["questions"][0]["where"] == "Questions to ask › Medicines"


def test_a_damaged_question_is_dropped_with_a_notice_and_the_rest_kept(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    good = ask("What does it cost?")
    state = with_questions(ReaderState(), (good,))
    state, _ = add_bookmark(state, "Costs", Place("cost-and-access"))
    document = json.loads(encode_state(state))
    document["questions"] = [
        {"id": "x", "section_id": "a", "created": good.created},  # no text
        document["questions"][0],
        "not a question",
        {**document["questions"][0], "id": "y", "done": "yes"},
        {**document["questions"][0]},  # the same id again
    ]
    store.path.write_text(json.dumps(document))
    loaded, warnings = store.load()
    assert loaded.questions == (good,)
    assert len(loaded.bookmarks) == 1
    assert len(warnings) == 1
    assert "question 1 has no 'text'" in warnings[0]
    assert "question 3 is not an object" in warnings[0]
    # The damaged file is kept before the first save overwrites it.
    assert store.update(lambda s: s)[1] is None
    assert store.backup_path.exists()


def test_questions_not_a_list_keep_everything_else(tmp_path: Path) -> None:
    state, _ = add_bookmark(ReaderState(), "Keep me", Place("history"))
    document = json.loads(encode_state(state))
    document["questions"] = {"oops": 1}
    decoded, problems = decode_state(json.dumps(document).encode())
    assert decoded.bookmarks == state.bookmarks
    assert problems == ["'questions' is not a list"]


def test_a_file_without_questions_is_fine() -> None:
    raw = b'{"version": 1, "read_sections": ["history"], "bookmarks": []}'
    assert decode_state(raw) == (ReaderState(read_sections=frozenset({"history"})), [])


def _ask_many(directory: str, tag: str, count: int, start: EventLike) -> None:
    """Child process: wait for the start signal, then add questions as fast as possible."""
    start.wait()
    store = StateStore(Path(directory))
    for number in range(count):
        question = new_question(f"{tag}-{number}", tag, None, tag)
        assert question is not None

        def change(state: ReaderState, question: Question = question) -> ReaderState:
            return with_questions(state, add_question(state.questions, question))

        _, warning = store.update(change)
        assert warning is None, warning


def test_two_processes_adding_questions_at_once_keep_both(tmp_path: Path) -> None:
    count = 40
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    workers = [
        context.Process(target=_ask_many, args=(str(tmp_path), tag, count, start))
        for tag in ("a", "b")
    ]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    state, warnings = StateStore(tmp_path).load()
    assert warnings == []
    assert {q.text for q in state.questions} == {
        f"{tag}-{n}" for tag in ("a", "b") for n in range(count)
    }
    # Each process's questions stay in the order it added them.
    for tag in ("a", "b"):
        mine = [q.text for q in state.questions if q.section_id == tag]
        assert mine == [f"{tag}-{n}" for n in range(count)]


def test_a_read_mark_made_before_a_new_review_no_longer_counts() -> None:
    state = mark_read(ReaderState(), "side-effects", "2026-01-01")
    state = mark_read(state, "history")  # an old read mark, no date: still read
    read, updated = read_status(state, {"side-effects": "2026-06-01", "history": "2026-02-02"})
    assert read == {"history"} and updated == {"side-effects"}
    state = mark_read(state, "side-effects", "2026-06-01")  # read again
    assert read_status(state, {"side-effects": "2026-06-01"}) == (
        {"side-effects", "history"},
        set(),
    )
    assert mark_all_unread(state).read_reviewed == ()


def test_review_dates_of_read_marks_survive_the_file_and_damage(tmp_path: Path) -> None:
    state = mark_read(ReaderState(), "side-effects", "2026-01-01")
    assert decode_state(encode_state(state)) == (state, [])
    document = json.loads(encode_state(state))
    document["read_reviewed"]["history"] = "last Tuesday"
    decoded, problems = decode_state(json.dumps(document).encode())
    assert decoded.read_reviewed == (("side-effects", "2026-01-01"),)
    assert problems == ["1 review date(s) of read marks are not dates"]


@given(texts=st.lists(st.text(max_size=80), max_size=6), done=st.booleans())
def test_any_questions_round_trip(texts: list[str], done: bool) -> None:
    questions: tuple[Question, ...] = ()
    for text in texts:
        question = new_question(text, "s", None, "S")
        if question is not None:
            questions = tick_question(add_question(questions, question), question.id, done)
    state = with_questions(ReaderState(), questions)
    assert decode_state(encode_state(state)) == (state, [])
