"""Small modal dialogs: confirm a web link, edit a title (the link list is in link_list.py).

All text shown here may come from content, so it is passed as `Content`
(never parsed as markup).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label

from ketaguide_tui.tui.screens.modal import ReaderModal


class WebLinkScreen(ReaderModal[None]):
    """Shows a web address in full and lets the reader open it, copy it or cancel."""

    BINDINGS = [
        Binding("escape", "choose('cancel')", "Cancel"),
        Binding("o", "choose('open')", "Open in browser"),
        Binding("c", "choose('copy')", "Copy address"),
    ]

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content("This link leads out of the guide to:"))
            yield Label(Content.styled(self.url, "bold"), id="web-address")
            yield Label(Content("Check the address before you open it."), classes="muted")
            with Horizontal(classes="buttons"):
                yield Button(Content("Open in browser (o)"), id="open", variant="primary")
                yield Button(Content("Copy address (c)"), id="copy")
                yield Button(Content("Cancel (Esc)"), id="cancel")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.action_choose(event.button.id or "cancel")

    def action_choose(self, choice: str) -> None:
        """Open the address in the browser, copy it, or do nothing ("cancel")."""
        self.dismiss()
        url = self.url
        if choice == "open":
            self.app.open_url(url)
            self.notify(f"Opening {url} in your browser.", markup=False)
        elif choice == "copy":
            self.app.copy_to_clipboard(url)
            self.notify(f"Copied {url}", markup=False)


class TitleScreen(ReaderModal[str | None]):
    """Ask for a title (for a bookmark); Enter saves, Esc cancels."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, prompt: str, value: str) -> None:
        super().__init__()
        self.prompt = prompt
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content(self.prompt))
            yield Input(value=self.value, id="title-input", max_length=200)
            yield Label(Content("Enter saves · Esc cancels"), classes="muted")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        title = event.value.strip()
        self.dismiss(title or None)
