"""My questions: the dialog that adds or edits one, and the list to reorder, tick and delete.

The list is read from the services; every change is posted to the app, which
saves it and hands the new list back with `show_questions`. Question text and
where it came from may hold anything a reader typed or content said, so they
are shown as `Content` (never markup).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from ketaguide_tui.state import Place, Question
from ketaguide_tui.state.questions import MAX_QUESTION_LENGTH
from ketaguide_tui.tui.messages import (
    QuestionDeleted,
    QuestionEdited,
    QuestionMoved,
    QuestionTicked,
)
from ketaguide_tui.tui.screens.modal import ReaderModal
from ketaguide_tui.tui.services import Services


class QuestionScreen(ReaderModal[str | None]):
    """Type or change a question; Enter saves, Esc cancels."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, prompt: str, value: str, where: str) -> None:
        super().__init__()
        self.prompt = prompt
        self.value = value
        self.where = where

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(Content.styled(self.prompt, "bold"))
            yield Input(
                value=self.value,
                placeholder="Type your question",
                id="question-input",
                max_length=MAX_QUESTION_LENGTH,
            )
            yield Label(Content(f"From: {self.where}"), classes="muted")
            yield Label(Content("Enter saves · Esc cancels"), classes="muted")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)


class QuestionsScreen(ReaderModal[Place | None]):
    """Every question; Enter goes to where it came from."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("x,space", "tick", "Tick off"),
        Binding("e", "edit", "Edit"),
        Binding("d,delete", "delete", "Delete"),
        Binding("K,shift+up", "move(-1)", "Move up"),
        Binding("J,shift+down", "move(1)", "Move down"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.questions = list(services.state.questions)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(Content.styled("My questions", "bold"))
            yield Label(
                Content(
                    "Enter goes to the place · x ticks off · e edits · d deletes · "
                    "K/J move up/down · Esc closes"
                ),
                classes="muted",
            )
            yield OptionList(id="question-list")
            yield Label(Content(""), id="questions-empty", classes="muted")
            yield Label(
                Content("Print them: ketaguide questions --export questions.html"),
                classes="muted",
            )

    def on_mount(self) -> None:
        self._refresh_list()

    def show_questions(self, questions: tuple[Question, ...], keep: str | None = None) -> None:
        """Show this list (the app calls it once a change is saved); `keep` stays highlighted."""
        self.questions = list(questions)
        self._refresh_list(keep)

    def _refresh_list(self, keep: str | None = None) -> None:
        options = self.query_one("#question-list", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options(
            Option(
                Content.assemble(
                    ("☑ " if q.done else "☐ ", "bold"),
                    (q.text, "dim strike" if q.done else "bold"),
                    "\n  ",
                    (q.where, "dim"),
                    "\n",
                )
            )
            for q in self.questions
        )
        if self.questions:
            index = next((i for i, q in enumerate(self.questions) if q.id == keep), None)
            options.highlighted = (
                index if index is not None else min(highlighted or 0, len(self.questions) - 1)
            )
        empty = "" if self.questions else "No questions yet: press a while reading to add one."
        self.query_one("#questions-empty", Label).update(Content(empty))

    def _selected(self) -> Question | None:
        index = self.query_one("#question-list", OptionList).highlighted
        return self.questions[index] if index is not None and self.questions else None

    @on(OptionList.OptionSelected)
    def _go(self, event: OptionList.OptionSelected) -> None:
        question = self.questions[event.option_index]
        self.dismiss(Place(question.section_id, question.anchor))

    def action_tick(self) -> None:
        question = self._selected()
        if question is not None:
            self.post_message(QuestionTicked(question.id, not question.done))

    def action_move(self, step: int) -> None:
        question = self._selected()
        if question is not None:
            self.post_message(QuestionMoved(question.id, step))

    def action_edit(self) -> None:
        question = self._selected()
        if question is None:
            return

        def edited(text: str | None) -> None:
            if text is not None:
                self.post_message(QuestionEdited(question.id, text))

        self.app.push_screen(
            QuestionScreen("Edit question:", question.text, question.where), edited
        )

    def action_delete(self) -> None:
        question = self._selected()
        if question is not None:
            self.post_message(QuestionDeleted(question.id, question.text))
