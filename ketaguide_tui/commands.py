"""The reader's commands: one list that drives keys, footer, help screen and palette.

Each command has a stable id (what users rebind in their config file), default
keys, a short label for the footer and a sentence for the help screen. The list
is plain data with no Textual import, so the command line can print it too.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    """One thing the reader can do, and the keys that do it."""

    id: str
    """Stable id: the action name and the key users rebind in config.toml."""
    keys: str
    """Default keys, comma-separated Textual key names."""
    label: str
    """Short label for the footer and the palette."""
    help: str
    """One sentence for the help screen."""
    group: str
    """Heading the command is listed under on the help screen."""
    footer: bool = False
    """Shown in the footer (space is short: only the essentials)."""
    app_wide: bool = False
    """Bound by the app, so it works on every screen; the others belong to the reading screen."""


COMMANDS: tuple[Command, ...] = (
    Command(
        "get_help_now",
        "exclamation_mark,f2",
        "Get help now",
        "Open crisis lines and urgent help, from anywhere.",
        "Help",
        footer=True,
        app_wide=True,
    ),
    Command(
        "help",
        "question_mark,f1",
        "Keys",
        "Show this list of keys.",
        "Help",
        footer=True,
        app_wide=True,
    ),
    Command(
        "search",
        "slash,s",
        "Search",
        "Search the whole guide; results update as you type.",
        "Find",
        footer=True,
        app_wide=True,
    ),
    Command(
        "next_match",
        "n",
        "Next match",
        "Go to the next match (of a search or a find) in this section.",
        "Find",
    ),
    Command(
        "previous_match",
        "N",
        "Previous match",
        "Go to the previous match (of a search or a find) in this section.",
        "Find",
    ),
    Command(
        "find_in_section",
        "f,ctrl+f",
        "Find",
        "Find in this section as you type; n and N step through matches.",
        "Find",
    ),
    Command(
        "open_link",
        "o",
        "Links",
        "List where this section links to; type to filter, Enter follows.",
        "Find",
    ),
    Command(
        "next_section",
        "right_square_bracket",
        "Next",
        "Open the next section.",
        "Move",
        footer=True,
    ),
    Command(
        "previous_section",
        "left_square_bracket",
        "Previous",
        "Open the previous section.",
        "Move",
        footer=True,
    ),
    Command("back", "H,ctrl+left", "Back", "Go back to the place you were before.", "Move"),
    Command("forward", "L,ctrl+right", "Forward", "Go forward again after going back.", "Move"),
    Command("scroll_down", "j,down", "Scroll down", "Scroll down one line.", "Scroll"),
    Command("scroll_up", "k,up", "Scroll up", "Scroll up one line.", "Scroll"),
    Command("page_down", "space,pagedown", "Page down", "Scroll down one page.", "Scroll"),
    Command("page_up", "b,pageup", "Page up", "Scroll up one page.", "Scroll"),
    Command("scroll_top", "g,home", "Top", "Go to the top of the section.", "Scroll"),
    Command("scroll_bottom", "G,end", "Bottom", "Go to the end of the section.", "Scroll"),
    Command(
        "switch_pane",
        "tab",
        "Switch pane",
        "Move between the list of sections and the text.",
        "View",
    ),
    Command(
        "toggle_sidebar", "t", "Sections", "Show or hide the list of sections.", "View", footer=True
    ),
    Command(
        "bookmark", "m", "Bookmark", "Bookmark this place (you can edit its title).", "Bookmarks"
    ),
    Command(
        "bookmarks", "M", "Bookmarks", "List bookmarks to jump to, rename or delete.", "Bookmarks"
    ),
    Command(
        "explain",
        "e",
        "Explain",
        "Explain the marked words on screen, from the glossary.",
        "Understand",
    ),
    Command(
        "ask",
        "a",
        "Ask",
        "Add a question for your clinician: the one here, or your own.",
        "Understand",
    ),
    Command(
        "questions",
        "A",
        "My questions",
        "List your questions to reorder, edit, tick off or delete them.",
        "Understand",
    ),
    Command(
        "mark_all_unread",
        "U",
        "Mark all unread",
        "Clear the marks on sections you have read.",
        "View",
    ),
    Command(
        "back_out",
        "escape",
        "Back out",
        "Close, clear search marks, or return to the list of sections.",
        "View",
    ),
    Command(
        "quit",
        "q",
        "Quit",
        "Leave the reader (it remembers where you were).",
        "View",
        footer=True,
        app_wide=True,
    ),
)

FOOTER_FIRST = ("get_help_now", "help", "toggle_sidebar", "quit")
"""Footer keys that come first, so they stay in sight down to 60 columns (the
rest of the footer is cut off on the right when space runs out)."""

COMMAND_IDS = frozenset(command.id for command in COMMANDS)
APP_COMMANDS = tuple(command for command in COMMANDS if command.app_wide)
"""Crisis help, help, search and quit: bound by the app, on every screen."""
READER_COMMANDS = tuple(command for command in COMMANDS if not command.app_wide)
"""Everything else: bound by the reading screen."""


def default_keymap() -> dict[str, str]:
    """Command id -> default keys."""
    return {command.id: command.keys for command in COMMANDS}


def describe_keys(keys: str) -> str:
    """Keys as a person reads them: `question_mark,f1` -> `? / F1`."""
    names = {
        "question_mark": "?",
        "exclamation_mark": "!",
        "slash": "/",
        "left_square_bracket": "[",
        "right_square_bracket": "]",
        "escape": "Esc",
        "space": "Space",
        "pagedown": "PgDn",
        "pageup": "PgUp",
        "home": "Home",
        "end": "End",
        "tab": "Tab",
        "down": "↓",
        "up": "↑",
        "enter": "Enter",
    }
    shown = []
    for key in keys.split(","):
        key = key.strip()
        if not key:
            continue
        parts = key.split("+")
        last = names.get(parts[-1], parts[-1])
        if len(last) > 1 and last[0] == "f" and last[1:].isdigit():
            last = last.upper()
        mods = [part.capitalize() for part in parts[:-1]]
        shown.append("+".join([*mods, last]))
    return " / ".join(shown)
