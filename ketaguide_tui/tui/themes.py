"""The reader's own themes: calm colours that stay readable in every terminal.

Two themes are offered, `ketaguide-dark` (the default) and `ketaguide-light`.
Every text colour is at least 4.5:1 against the background it sits on in
truecolor and as 256- and 16-colour terminals show it (tests/test_contrast.py
checks the whole screen). Nothing ordinary is red: headings are teal or blue,
search marks are soft yellow and slate. Where a colour's 16-colour match would
be unreadable or alarming (dark blue text on white turns grey, for instance),
the theme gives a variant for 16-colour terminals, chosen from the 16 colours
themselves so the terminal shows exactly what was meant.

Besides Textual's own colours each theme defines the reader's text roles as
theme variables (`ketaguide-heading`, `ketaguide-link`, ...), read by the
section renderer, the search marks and the stylesheet.
"""

from __future__ import annotations

from textual.theme import Theme

DEFAULT_THEME = "ketaguide-dark"

# Variables every reader theme defines (the defaults apply to a foreign theme).
ROLE_DEFAULTS = {
    "ketaguide-heading": "#7fd7c4",
    "ketaguide-link": "#8cc4ff",
    "ketaguide-code": "#d7c4ff",
    "ketaguide-muted": "#a8adb5",
    "ketaguide-mark-background": "#9fd3e0",
    "ketaguide-mark-foreground": "#101214",
    "ketaguide-mark-current-background": "#f5d76e",
    "ketaguide-mark-current-foreground": "#101214",
}

_DARK = {
    "primary": "#5fa8e8",
    "secondary": "#8cc4ff",
    "accent": "#7fd7c4",
    "warning": "#f5d76e",
    "error": "#ff9e9e",
    "success": "#8fd19e",
    "foreground": "#e6e4df",
    "background": "#101214",
    "surface": "#181b1f",
    "panel": "#22262b",
}
_DARK_VARIABLES = {
    **ROLE_DEFAULTS,
    "block-cursor-foreground": "#101214",
    "block-cursor-background": "#8cc4ff",
    "block-cursor-blurred-foreground": "#e6e4df",
    "block-cursor-blurred-background": "#1f2a36",
    "footer-key-foreground": "#7fd7c4",
    "footer-background": "#22262b",
    "text-muted": "#a8adb5",
    "text-disabled": "#8a8f96",
    "input-selection-background": "#1f2a36",
    "border": "#8cc4ff",
}

_LIGHT = {
    "primary": "#1f5f9e",
    "secondary": "#0b4f94",
    "accent": "#1f5f7a",
    "warning": "#f0c94a",
    "error": "#9e1b1b",
    "success": "#1f6b35",
    "foreground": "#1d1f21",
    "background": "#fbfaf7",
    "surface": "#f2f0eb",
    "panel": "#e6e3dc",
}
_LIGHT_VARIABLES = {
    "ketaguide-heading": "#1f5f7a",
    "ketaguide-link": "#0b4f94",
    "ketaguide-code": "#5a2d82",
    "ketaguide-muted": "#55595e",
    "ketaguide-mark-background": "#cfe3f3",
    "ketaguide-mark-foreground": "#1d1f21",
    "ketaguide-mark-current-background": "#f0c94a",
    "ketaguide-mark-current-foreground": "#1d1f21",
    "block-cursor-foreground": "#fbfaf7",
    "block-cursor-background": "#1f5f9e",
    "block-cursor-blurred-foreground": "#1d1f21",
    "block-cursor-blurred-background": "#cfe3f3",
    "footer-key-foreground": "#1f5f7a",
    "footer-background": "#e6e3dc",
    "text-muted": "#55595e",
    "text-disabled": "#5f6368",
    "input-selection-background": "#cfe3f3",
    "border": "#1f5f9e",
}
# In 16 colours a dark slate turns into a grey block: the dark theme's
# quieter highlights become the standard blue.
_DARK_STANDARD = {
    "block-cursor-blurred-background": "#0000aa",
    "input-selection-background": "#0000aa",
}
# In 16 colours, coloured text on white can only be black or blue to stay
# readable (xterm's grey is 4:1 on white): blue for links and headings, black
# for the rest; marks on cyan and yellow backgrounds.
_LIGHT_STANDARD_COLOURS = {"primary": "#0000aa", "secondary": "#0000aa", "accent": "#0000aa"}
_LIGHT_STANDARD = {
    "ketaguide-heading": "#0000aa",
    "ketaguide-link": "#0000aa",
    "ketaguide-code": "#000000",
    "ketaguide-muted": "#000000",
    "ketaguide-mark-background": "#55ffff",
    "ketaguide-mark-current-background": "#ffff55",
    "footer-key-foreground": "#0000aa",
    "text-muted": "#000000",
    "text-disabled": "#000000",
    "block-cursor-background": "#0000aa",
    "block-cursor-foreground": "#ffffff",
    "block-cursor-blurred-background": "#55ffff",
    "input-selection-background": "#55ffff",
    "border": "#0000aa",
}


def reader_themes(colour_system: str | None = "truecolor") -> list[Theme]:
    """The reader's themes, with their 16-colour variants when `colour_system` is "standard"."""
    standard = colour_system == "standard"
    dark_variables = _DARK_VARIABLES | (_DARK_STANDARD if standard else {})
    light_colours = _LIGHT | (_LIGHT_STANDARD_COLOURS if standard else {})
    light_variables = _LIGHT_VARIABLES | (_LIGHT_STANDARD if standard else {})
    return [
        _theme("ketaguide-dark", True, _DARK, dark_variables),
        _theme("ketaguide-light", False, light_colours, light_variables),
    ]


def _theme(name: str, dark: bool, colours: dict[str, str], variables: dict[str, str]) -> Theme:
    return Theme(
        name=name,
        dark=dark,
        variables=variables,
        primary=colours["primary"],
        secondary=colours["secondary"],
        accent=colours["accent"],
        warning=colours["warning"],
        error=colours["error"],
        success=colours["success"],
        foreground=colours["foreground"],
        background=colours["background"],
        surface=colours["surface"],
        panel=colours["panel"],
    )
