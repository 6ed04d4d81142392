"""The reading screen's two panes: the sidebar beside the text, or over it when narrow.

`ReaderScreen` builds on this class. Below `NARROW_WIDTH` columns the sidebar
hides until called back (`t`), and then covers the text instead of squeezing
it; Tab moves between the panes and Esc backs out of the sidebar. The text has
the keys from the start.
"""

from __future__ import annotations

from textual import on
from textual.events import Resize, ScreenResume
from textual.geometry import Size
from textual.reactive import reactive

from ketaguide_tui.tui.screens.reader_tools import ReaderTools
from ketaguide_tui.tui.widgets.footer import KeyFooter
from ketaguide_tui.tui.widgets.sidebar import SectionTree

NARROW_WIDTH = 70
"""Below this many columns the sidebar hides until called back."""


class ReaderPanes(ReaderTools):
    """Where the sidebar goes, and which pane has the keys."""

    AUTO_FOCUS = "#viewer"
    """The text has the keys from the start. (Textual's default, the first widget that takes
    the focus, is the sidebar: its rows were drawn focused in the first frame and all drawn
    again a moment later, while the first page turn waited.)"""

    show_sidebar: reactive[bool] = reactive(True)
    narrow: reactive[bool] = reactive(False)

    _laid_out_for: Size | None = None
    """The screen size the panes were last laid out for (as the screen resumed or resized)."""

    @property
    def sidebar(self) -> SectionTree:
        return self.query_one(SectionTree)

    @on(ScreenResume)
    def _resumed(self) -> None:
        self._laid_out_for = self.app.size  # what Textual lays the screen out for on resuming

    @on(Resize)
    def _resized(self, event: Resize) -> None:
        self._fit_to_width(event.size.width)
        if event.size == self._laid_out_for:
            # Textual sends the screen the size it already has, three times as the reader
            # starts, and laid the screen out and drew it again for each, while the first
            # page turn waited. (It sends one to a reader continued after being stopped
            # too, which drew only what had changed: the app draws that screen again.)
            event.prevent_default()
        self._laid_out_for = event.size

    def _fit_to_width(self, width: int) -> None:
        narrow = width < NARROW_WIDTH
        if narrow != self.narrow:
            self.narrow = narrow
            self.show_sidebar = not narrow

    def watch_narrow(self, narrow: bool) -> None:
        self.set_class(narrow, "-narrow")
        for footer in self.query(KeyFooter):
            # Narrow: the footer's room goes to the essential keys, not the palette's.
            footer.show_command_palette = not narrow
        self.set_class(narrow and self.show_sidebar, "-sidebar-over")

    def watch_show_sidebar(self, show: bool) -> None:
        self.set_class(not show, "-hide-sidebar")
        # On a narrow screen a shown sidebar covers the text instead of squeezing it.
        self.set_class(show and self.narrow, "-sidebar-over")
        if not show and self.sidebar.has_focus:
            self.viewer.focus()

    def action_switch_pane(self) -> None:
        if self.sidebar.has_focus:
            self.viewer.focus()
            if self.narrow:
                self.show_sidebar = False
        else:
            self.show_sidebar = True
            self.sidebar.focus()

    def action_toggle_sidebar(self) -> None:
        self.show_sidebar = not self.show_sidebar
        if self.show_sidebar and self.narrow:
            self.sidebar.focus()

    def action_back_out(self) -> None:
        """Esc: clear search marks, else close the sidebar on a narrow screen, else go to it."""
        if self.viewer.clear_marks():
            return
        if self.narrow and self.show_sidebar:
            self.show_sidebar = False
            self.viewer.focus()
        elif not self.sidebar.has_focus:
            self.show_sidebar = True
            self.sidebar.focus()
