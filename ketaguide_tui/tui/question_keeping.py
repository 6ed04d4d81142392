"""The app's part in My questions: it saves what the questions screens report.

`KetaguideApp` builds on this class. Each message from the ask dialog or the My
questions list becomes a pure change of the saved questions (`state.questions`),
applied under the state file's lock, and an open My questions list is handed the
new list.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on

from ketaguide_tui.state import questions as asked
from ketaguide_tui.state.model import with_questions
from ketaguide_tui.tui.messages import (
    QuestionAdded,
    QuestionDeleted,
    QuestionEdited,
    QuestionMoved,
    QuestionTicked,
)
from ketaguide_tui.tui.state_keeping import StateKeeping


class QuestionKeeping(StateKeeping):
    """Saves the reader's questions as the screens report changes."""

    def _change_questions(
        self, change: Callable[[tuple[asked.Question, ...]], tuple[asked.Question, ...]]
    ) -> None:
        self.change_state(lambda state: with_questions(state, change(state.questions)))

    def _show_questions(self, keep: str | None = None) -> None:
        from ketaguide_tui.tui.screens.questions import QuestionsScreen

        if isinstance(self.screen, QuestionsScreen):
            self.screen.show_questions(self.state.questions, keep)

    @on(QuestionAdded)
    def _question_added(self, event: QuestionAdded) -> None:
        self._change_questions(lambda qs: asked.add_question(qs, event.question))
        self.tell(f"Added to My questions: {event.question.text}")

    @on(QuestionEdited)
    def _question_edited(self, event: QuestionEdited) -> None:
        self._change_questions(lambda qs: asked.edit_question(qs, event.question_id, event.text))
        self._show_questions(event.question_id)

    @on(QuestionTicked)
    def _question_ticked(self, event: QuestionTicked) -> None:
        self._change_questions(lambda qs: asked.tick_question(qs, event.question_id, event.done))
        self._show_questions(event.question_id)

    @on(QuestionMoved)
    def _question_moved(self, event: QuestionMoved) -> None:
        self._change_questions(lambda qs: asked.move_question(qs, event.question_id, event.step))
        self._show_questions(event.question_id)

    @on(QuestionDeleted)
    def _question_deleted(self, event: QuestionDeleted) -> None:
        self._change_questions(lambda qs: asked.delete_question(qs, event.question_id))
        self._show_questions()
        self.tell(f"Deleted question: {event.text}")
