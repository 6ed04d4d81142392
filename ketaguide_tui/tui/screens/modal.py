"""The base of every dialog: crisis help stays one key away while a dialog is open.

Textual leaves the app's own bindings out while a modal screen is active, so the
"get help now" key is bound again here (same id, so a user's rebinding applies).
"""

from __future__ import annotations

from typing import TypeVar

from textual.binding import Binding
from textual.screen import ModalScreen

from ketaguide_tui.commands import COMMANDS

ResultT = TypeVar("ResultT")

_CRISIS = next(command for command in COMMANDS if command.id == "get_help_now")


class ReaderModal(ModalScreen[ResultT]):
    """A dialog that keeps the crisis key working."""

    BINDINGS = [
        Binding(
            _CRISIS.keys,
            "app.get_help_now",
            _CRISIS.label,
            id=_CRISIS.id,
            tooltip=_CRISIS.help,
        )
    ]
