"""The colours a section and its search marks are drawn in, taken from the app's theme.

The reader's own themes (`tui.themes`) name each text role as a theme variable;
a theme without them (one a user registered) falls back to the role defaults.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.theme import Theme

from ketaguide_tui.tui.rendering import Palette
from ketaguide_tui.tui.themes import ROLE_DEFAULTS


def _role(theme: Theme, name: str) -> str:
    return theme.variables.get(name) or ROLE_DEFAULTS[name]


def palette_for(theme: Theme) -> Palette:
    """The section palette for `theme`."""
    return Palette(
        accent=_role(theme, "ketaguide-heading"),
        primary=_role(theme, "ketaguide-link"),
        secondary=_role(theme, "ketaguide-code"),
        muted=_role(theme, "ketaguide-muted"),
    )


@dataclass(frozen=True)
class MarkColours:
    """Search marks: the other matches and the current one (text on background)."""

    foreground: str
    background: str
    current_foreground: str
    current_background: str


def mark_colours(theme: Theme) -> MarkColours:
    """The search-mark colours of `theme`."""
    return MarkColours(
        foreground=_role(theme, "ketaguide-mark-foreground"),
        background=_role(theme, "ketaguide-mark-background"),
        current_foreground=_role(theme, "ketaguide-mark-current-foreground"),
        current_background=_role(theme, "ketaguide-mark-current-background"),
    )
