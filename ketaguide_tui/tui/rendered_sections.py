"""The rendered sections the viewer keeps for quick revisits, and where a new one starts.

A section rendered at one width, in one theme, on one date is kept (the last
KEPT of them), so going back to it costs nothing. A section not kept is rendered
afresh, starting from its kept first screen when the last run left one
(`first_screens`).

This module uses Rich but not Textual.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from functools import partial

from ketaguide_tui.guide.model import Section
from ketaguide_tui.tui.first_screens import FirstScreens
from ketaguide_tui.tui.rendering import Palette, RenderedSection

KEPT = 24
"""Rendered sections kept for quick revisits (a few hundred KB each at most)."""


class RenderedSections:
    """The last KEPT rendered sections, by section, width, theme, date and "updated" flag."""

    def __init__(self) -> None:
        self._kept: OrderedDict[tuple[object, ...], RenderedSection] = OrderedDict()
        self.first_screens: FirstScreens | None = None
        """First screens kept from the last run (None: every section is rendered afresh)."""

    def get(
        self,
        section: Section,
        width: int,
        theme: str,
        palette: Callable[[], Palette],
        today: date | None,
        updated: bool,
    ) -> tuple[RenderedSection, bool]:
        """The kept rendering of `section` in these conditions, or a new one (its blocks
        rendered on demand): (the rendering, True when it is new)."""
        key = (section.id, width, theme, today, updated)
        rendered = self._kept.get(key)
        if rendered is not None:
            self._kept.move_to_end(key)
            return rendered, False
        rendered = RenderedSection(section, width, palette(), today, updated)
        if self.first_screens is not None:
            self.first_screens.take_up(rendered)
        self._kept[key] = rendered
        while len(self._kept) > KEPT:
            self._kept.popitem(last=False)
        return rendered, True

    def keep_first_screen(self, rendered: RenderedSection, count: int) -> Callable[[], None] | None:
        """Keep the first `count` lines of `rendered` for the next run: the work that
        writes them (for a worker thread; it touches no widget), or None if none is due."""
        screens = self.first_screens
        data = screens.keep(rendered, count) if screens is not None else None
        if screens is None or data is None:
            return None
        return partial(screens.save, data)

    def clear(self) -> None:
        """Forget every rendering (the theme's colours changed)."""
        self._kept.clear()
