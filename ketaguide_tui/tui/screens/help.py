"""The help screen: every command and the keys in force, from the one command list."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ketaguide_tui.commands import COMMANDS, describe_keys
from ketaguide_tui.tui.screens.modal import ReaderModal


def help_text(keymap: Mapping[str, str], unavailable: Collection[str] = ()) -> Content:
    """The help screen's text for the keys in force; `unavailable` commands are greyed."""
    parts: list[Content | str | tuple[str, str]] = [("Keys", "bold $accent"), "\n"]
    group = ""
    for command in COMMANDS:
        if command.group != group:
            group = command.group
            parts += ["\n", (group, "bold"), "\n"]
        keys = describe_keys(keymap.get(command.id, command.keys))
        if command.id in unavailable:
            parts += [(f"  {keys:<18} {command.help} (nothing to do now)\n", "$text-disabled")]
        else:
            parts += [(f"  {keys:<18}", "bold $secondary"), f" {command.help}\n"]
    parts += [
        "\n",
        ("Also", "bold"),
        "\n",
        ("  Ctrl+P            ", "bold $secondary"),
        " Command palette: jump to any section or heading, change theme.\n",
        ("  Enter             ", "bold $secondary"),
        " In the list of sections: open the section or heading.\n",
        "\nRebind keys in config.toml (see `ketaguide keys`). Esc or q closes this.",
    ]
    return Content.assemble(*parts)


class HelpScreen(ReaderModal[None]):
    """Lists every key, generated from the command list and the user's keymap."""

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close"),
        Binding("j,down", "scroll('down')", show=False),
        Binding("k,up", "scroll('up')", show=False),
    ]

    def __init__(self, keymap: Mapping[str, str], unavailable: Collection[str] = ()) -> None:
        super().__init__()
        self.keymap = keymap
        self.unavailable = unavailable

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog wide", id="help-body"):
            yield Static(help_text(self.keymap, self.unavailable))

    def action_scroll(self, direction: str) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        if direction == "down":
            body.scroll_down(animate=False)
        else:
            body.scroll_up(animate=False)
