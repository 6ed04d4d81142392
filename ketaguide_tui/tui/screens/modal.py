"""The base of every dialog: crisis help one key away, a footer, and the same ways out.

Textual leaves the app's own bindings out while a modal screen is active, so the
"get help now" key is bound again here (same id, so a user's rebinding applies).
Every dialog has its own footer saying what its keys do; `Esc` closes every
dialog, and `q` too where no text box would take the letter. Inside a text box
the printable crisis key types itself, so the footer shows the one that still
works there (F2 by default; see `KetaguideApp.get_key_display`).
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen

from ketaguide_tui.commands import COMMANDS
from ketaguide_tui.tui.bindings import bindings_for
from ketaguide_tui.tui.widgets.footer import KeyFooter

ResultT = TypeVar("ResultT")

CRISIS_BINDINGS = bindings_for((c for c in COMMANDS if c.id == "get_help_now"), on_screen=True)


def close_keys(label: str = "Close", *, text_box: bool = False) -> list[BindingType]:
    """`Esc` (and `q` when the dialog has no text box) dismisses the dialog with None."""
    if text_box:
        return [Binding("escape", "close", label, key_display="Esc")]
    return [Binding("escape,q", "close", label, key_display="Esc/q")]


class ReaderModal(ModalScreen[ResultT]):
    """A dialog with its own footer that keeps the crisis key working."""

    BINDINGS: ClassVar[list[BindingType]] = [*CRISIS_BINDINGS]

    def on_mount(self) -> None:
        self.mount(KeyFooter(show_command_palette=False))

    def action_close(self) -> None:
        """Close the dialog without choosing anything."""
        self.dismiss(None)
