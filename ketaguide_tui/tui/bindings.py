"""Textual bindings made from the one command table in `commands.py`.

Each binding carries its command's id, so a user's rebinding (App.set_keymap)
reaches it on whichever screen it is declared. A screen that lists app-wide
commands too runs them on the app ("app.search"): Textual's footer lists the
focused screen's keys before the app's, and crisis help must come first.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding, BindingType

from ketaguide_tui.commands import FOOTER_FIRST, Command


def footer_order(command: Command) -> int:
    """Where a command's key sits in the footer: the essentials first, then table order."""
    if command.id in FOOTER_FIRST:
        return FOOTER_FIRST.index(command.id)
    return len(FOOTER_FIRST)


def bindings_for(commands: Iterable[Command], *, on_screen: bool = False) -> list[BindingType]:
    """One binding per command, footer essentials first; on a screen, app-wide ones
    run on the app."""
    return [
        Binding(
            c.keys,
            f"app.{c.id}" if on_screen and c.app_wide else c.id,
            c.label,
            show=c.footer,
            id=c.id,
            tooltip=c.help,
        )
        for c in sorted(commands, key=footer_order)
    ]
