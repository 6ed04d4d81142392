"""The app's looks in every terminal: its own themes, NO_COLOR, and ASCII-only locales.

* Only the reader's own themes (`tui.themes`) are offered: they are the ones
  checked for contrast, in 256 and 16 colours too (a 16-colour terminal gets
  their 16-colour variants).
* NO_COLOR sends no colour at all (`tui.without_colour`).
* Under a locale whose encoding lacks Unicode, every cell drawn is fitted to it
  (`tui.ascii_drawing`). Textual draws on stderr, so that stream's encoding and
  the locale variables decide (`terminal_text.output_encoding`).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from textual.app import App
from textual.filter import LineFilter, Monochrome

from ketaguide_tui.terminal_text import output_encoding
from ketaguide_tui.tui.ascii_drawing import FitToEncoding
from ketaguide_tui.tui.themes import DEFAULT_THEME, ROLE_DEFAULTS, reader_themes
from ketaguide_tui.tui.without_colour import WithoutColour

_WITHOUT_COLOUR = WithoutColour()


class LooksApp(App[None]):
    """An app with the reader's themes and fallbacks for limited terminals."""

    def __init__(self) -> None:
        super().__init__()
        for name in list(self.available_themes):
            self.unregister_theme(name)
        for theme in reader_themes(self.console.color_system):
            self.register_theme(theme)
        self.theme = DEFAULT_THEME
        encoding = output_encoding(sys.__stderr__ or sys.stderr)
        self.drawing_encoding = encoding
        """The encoding every cell is fitted to ("utf-8": no fitting)."""
        self._fit_to_encoding = None if encoding == "utf-8" else FitToEncoding(encoding)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(ROLE_DEFAULTS)

    def get_line_filters(self) -> Sequence[LineFilter]:
        filters = list(super().get_line_filters())
        if self.no_color:
            # Textual's NO_COLOR filter turns colours grey and still sends them
            # (as 256-colour codes on many terminals); send no colour at all.
            filters = [_WITHOUT_COLOUR if isinstance(f, Monochrome) else f for f in filters]
        if self._fit_to_encoding is not None:
            filters.append(self._fit_to_encoding)
        return filters
