"""The base of every dialog: crisis help stays one key away while a dialog is open.

Textual leaves the app's own bindings out while a modal screen is active, so the
"get help now" key is bound again here (same id, so a user's rebinding applies).
"""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

from ketaguide_tui.commands import COMMANDS
from ketaguide_tui.tui.bindings import bindings_for

ResultT = TypeVar("ResultT")


class ReaderModal(ModalScreen[ResultT]):
    """A dialog that keeps the crisis key working."""

    BINDINGS = bindings_for((c for c in COMMANDS if c.id == "get_help_now"), on_screen=True)
