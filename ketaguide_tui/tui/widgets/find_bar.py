"""Find in this section: a bar under the text that finds words in the open section as you type.

Like `/` in less or Ctrl+F in a browser, and unlike the whole-guide search: the
screen marks every match in the open section while the reader types, and `n`/`N`
step through them. Enter keeps the marks and returns to the text; Esc clears
them and closes the bar.

A very long section is drawn a little at a time, so the marks cover what is
drawn so far (and grow as the rest is drawn) while this bar counts every match
in the section's plain text in a worker thread, never holding up the reader.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Label

from ketaguide_tui.search.terms import match_spans, words

MAX_FIND_LENGTH = 200
"""Characters a find may have: longer text is no phrase anyone reads for."""


def find_term(typed: str) -> str:
    """What to look for: the typed words, folded, as one run ("Blood  Pres" -> "blood pres");
    empty when nothing searchable was typed."""
    return " ".join(words(typed[:MAX_FIND_LENGTH]))


def count_matches(texts: Sequence[str], term: str) -> int:
    """How often `term` occurs in `texts` (the same matching as the marks)."""
    if not term:
        return 0
    return sum(len(match_spans(text, (term,))) for text in texts)


class FindBar(Horizontal):
    """The find box; hidden, and empty, until the reader first asks for it."""

    BINDINGS = [Binding("escape", "close(False)", "Close find", show=False)]

    @dataclass
    class Changed(Message):
        """The text to find changed (empty: nothing to find)."""

        term: str

    @dataclass
    class Closed(Message):
        """The reader left the bar: with Enter (`keep` the marks) or Esc."""

        keep: bool

    @dataclass
    class Counted(Message):
        """The matches of `term` in the whole section, counted in the background."""

        term: str
        total: int

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.texts: tuple[str, ...] = ()
        """The open section's plain text, to count in (set by the screen on opening)."""
        self.display = False

    def _parts(self) -> ComposeResult:
        yield Label(Content("Find in this section:"), id="find-label")
        yield Input(
            placeholder="type to mark matches · Enter keeps them · Esc clears",
            max_length=MAX_FIND_LENGTH,
            id="find-input",
        )

    @property
    def input(self) -> Input:
        return self.query_one("#find-input", Input)

    async def open(self, texts: Sequence[str]) -> None:
        """Show the bar for a section with this plain text, and put the cursor in it."""
        self.texts = tuple(texts)
        if not self.children:
            # Made when first asked for: a text box made with the screen held up the
            # reader's first frame for a bar that most readings never open.
            await self.mount_all(self._parts())
        self.display = True
        # At once, not after the keys already waiting (`focus()` waits for them): letters
        # typed right after `f` arrive with it and belong in the box.
        self.screen.set_focus(self.input)
        self.input.select_all()
        term = find_term(self.input.value)
        if term:
            self.post_message(self.Changed(term))

    @on(Input.Changed, "#find-input")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(find_term(event.value)))

    @on(Input.Submitted, "#find-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_close(True)

    def action_close(self, keep: bool) -> None:
        """Hide the bar; the screen keeps or clears the marks."""
        self.display = False
        self.post_message(self.Closed(keep))

    @work(thread=True, exclusive=True, group="find-count")
    def count(self, term: str) -> None:
        """Count every match of `term` in `texts` away from the screen's thread; the
        total comes back as a `Counted` message."""
        total = count_matches(self.texts, term)
        self.post_message(self.Counted(term, total))  # post_message is thread-safe
