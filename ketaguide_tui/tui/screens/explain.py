"""The explain dialog: what the glossary says about words on screen (or one clicked word).

Definitions come from content, so they are shown as `Content` (never markup).
Enter on an entry dismisses with its anchor; the reading screen then opens it in
the glossary.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from ketaguide_tui.guide.glossary import GlossaryEntry
from ketaguide_tui.tui.screens.modal import ReaderModal


class ExplainScreen(ReaderModal[str | None]):
    """Glossary entries with their definitions; Enter opens one in the glossary."""

    BINDINGS = [Binding("escape,e", "dismiss(None)", "Close")]

    def __init__(self, entries: list[GlossaryEntry], title: str) -> None:
        super().__init__()
        self.entries = entries
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(Content.styled(self.title_text, "bold"))
            yield Label(
                Content("Enter opens the entry in the glossary · Esc closes"), classes="muted"
            )
            options = [
                # A blank line after each: definitions run to several lines.
                Option(Content.assemble((entry.heading, "bold"), "\n", entry.definition, "\n"))
                for entry in self.entries
            ]
            yield OptionList(*options, id="explain-list")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.entries[event.option_index].anchor)
