"""The help screen: every command and the keys in force, from the one command list."""

from __future__ import annotations

import textwrap
from collections.abc import Collection, Mapping

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ketaguide_tui.commands import COMMANDS, describe_keys
from ketaguide_tui.tui.screens.modal import ReaderModal

KEY_COLUMN = 21
"""Cells before a description: two of indent, the keys, a space."""


def _entry(keys: str, description: str, width: int) -> list[tuple[str, str] | str]:
    """One key line: descriptions wrap under their own column, never under the keys."""
    lines = textwrap.wrap(description, max(12, width - KEY_COLUMN)) or [""]
    out: list[tuple[str, str] | str] = [(f"  {keys:<{KEY_COLUMN - 3}} ", "bold $secondary")]
    out.append(lines[0] + "\n")
    out += [" " * KEY_COLUMN + line + "\n" for line in lines[1:]]
    return out


def help_text(
    keymap: Mapping[str, str], unavailable: Collection[str] = (), width: int = 80
) -> Content:
    """The help screen's text for the keys in force, `width` cells wide; `unavailable`
    commands are greyed."""
    parts: list[Content | str | tuple[str, str]] = [("Keys", "bold $accent"), "\n"]
    group = ""
    for command in COMMANDS:
        if command.group != group:
            group = command.group
            parts += ["\n", (group, "bold"), "\n"]
        keys = describe_keys(keymap.get(command.id, command.keys))
        if command.id in unavailable:
            entry = _entry(keys, f"{command.help} (nothing to do now)", width)
            parts += [
                (piece if isinstance(piece, str) else piece[0], "$text-disabled") for piece in entry
            ]
        else:
            parts += _entry(keys, command.help, width)
    parts += ["\n", ("Also", "bold"), "\n"]
    parts += _entry(
        "Ctrl+P", "Command palette: jump to any section or heading, change theme.", width
    )
    parts += _entry("Enter", "In the list of sections: open the section or heading.", width)
    parts += [
        "\n",
        *textwrap.wrap(
            "Rebind keys in config.toml (see `ketaguide keys`). Esc or q closes this.", width
        ),
    ]
    return Content.assemble(*parts)


class HelpScreen(ReaderModal[None]):
    """Lists every key, generated from the command list and the user's keymap."""

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", "Close", key_display="Esc/q"),
        Binding("j,down", "scroll('down')", show=False),
        Binding("k,up", "scroll('up')", show=False),
    ]

    def __init__(self, keymap: Mapping[str, str], unavailable: Collection[str] = ()) -> None:
        super().__init__()
        self.keymap = keymap
        self.unavailable = unavailable

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog wide", id="help-body"):
            yield Static(id="help-text")

    def on_resize(self) -> None:
        # After layout: wrapped to the space there is, so descriptions keep their column.
        self.call_after_refresh(self._fit_text)

    def _fit_text(self) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        width = body.scrollable_content_region.width - 2
        self.query_one("#help-text", Static).update(help_text(self.keymap, self.unavailable, width))

    def action_scroll(self, direction: str) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        if direction == "down":
            body.scroll_down(animate=False)
        else:
            body.scroll_up(animate=False)
