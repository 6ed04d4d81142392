"""The colours a section is drawn in, taken from the app's Textual theme."""

from __future__ import annotations

from textual.color import Color, ColorParseError
from textual.theme import Theme

from ketaguide_tui.tui.rendering import Palette


def palette_for(theme: Theme) -> Palette:
    """The section palette for `theme` (muted text is blended towards the background)."""
    muted = theme.foreground or ("#a0a0a0" if theme.dark else "#606060")
    return Palette(
        accent=theme.accent or theme.primary,
        primary=theme.primary,
        secondary=theme.secondary or theme.primary,
        muted=_dim(muted, theme.background, theme.dark),
    )


def _dim(color: str, background: str | None, dark: bool) -> str:
    """A muted version of `color`, blended towards the background."""
    try:
        fore = Color.parse(color)
        back = Color.parse(background or ("#000000" if dark else "#ffffff"))
    except ColorParseError:  # a theme colour Textual can't parse: keep the original
        return color
    return fore.blend(back, 0.4).hex
