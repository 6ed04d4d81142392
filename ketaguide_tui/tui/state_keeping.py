"""The app's part in keeping the reading state: it saves what the screens report.

`QuestionKeeping`, and through it `KetaguideApp`, build on this class. Each
message (a section read, read marks cleared, a bookmark added, renamed or
deleted, the theme changed) becomes a pure change of `ReaderState`, applied
under the state file's lock by `change_state`; a failed write is said once,
and a bookmark's notice says whether it was saved.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import App

from ketaguide_tui.guide.model import Guide
from ketaguide_tui.state import (
    Bookmark,
    ReaderState,
    add_bookmark,
    bookmark_dropped_by_adding,
    delete_bookmark,
    mark_all_unread,
    mark_read,
    rename_bookmark,
    with_theme,
)
from ketaguide_tui.tui.messages import (
    BookmarkAdded,
    BookmarkDeleted,
    BookmarkRenamed,
    ReadMarksCleared,
    SectionRead,
)
from ketaguide_tui.tui.notices import bookmark_notice
from ketaguide_tui.tui.screens.reader import ReaderScreen
from ketaguide_tui.tui.services import Services


class StateKeeping(App[None]):
    """Saves the reading state as the screens report changes."""

    services: Services
    reader: ReaderScreen
    _save_warned = False

    @property
    def guide(self) -> Guide:
        return self.services.guide

    @property
    def state(self) -> ReaderState:
        return self.services.state

    def tell(self, message: str, warning: bool = False) -> None:
        """A notification; the text may come from content, so it is never markup."""
        self.notify(message, severity="warning" if warning else "information", markup=False)

    def change_state(
        self, change: Callable[[ReaderState], ReaderState], report: bool = True
    ) -> str | None:
        """Apply a change to the saved state (merged with other open readers' changes).

        Returns the warning when it could not be saved (the change is kept in
        memory); `report=False` leaves telling the reader to the caller.
        """
        self.services.state, warning = self.services.store.update(change)
        if warning and report and not self._save_warned:
            # Said once: repeating it on every page turn would drown the reader.
            self._save_warned = True
            self.tell(warning, warning=True)
        return warning

    @on(SectionRead)
    def _section_read(self, event: SectionRead) -> None:
        section = self.guide.get(event.section_id)
        if section is not None and section.id not in self.services.read_marks()[0]:
            reviewed = section.reviewed.isoformat()
            self.change_state(lambda state: mark_read(state, section.id, reviewed))
            self.reader.show_read(*self.services.read_marks())

    @on(ReadMarksCleared)
    def _read_marks_cleared(self) -> None:
        self.change_state(mark_all_unread)
        self.reader.show_read(*self.services.read_marks())
        self.tell("All sections marked unread.")

    @on(BookmarkAdded)
    def _bookmark_added(self, event: BookmarkAdded) -> None:
        dropped: list[Bookmark | None] = [None]

        def add(state: ReaderState) -> ReaderState:
            # Applied to the file as it is now: only then is it known what the cap drops.
            dropped[0] = bookmark_dropped_by_adding(state)
            return add_bookmark(state, event.title, event.place)[0]

        warning = self.change_state(add, report=False)
        self.tell(bookmark_notice(event.title, dropped[0], warning), bool(warning or dropped[0]))

    @on(BookmarkRenamed)
    def _bookmark_renamed(self, event: BookmarkRenamed) -> None:
        self.change_state(lambda state: rename_bookmark(state, event.bookmark_id, event.title))
        self._show_bookmarks()

    @on(BookmarkDeleted)
    def _bookmark_deleted(self, event: BookmarkDeleted) -> None:
        self.change_state(lambda state: delete_bookmark(state, event.bookmark_id))
        self._show_bookmarks()
        self.tell(f"Deleted bookmark: {event.title}")

    def _show_bookmarks(self) -> None:
        from ketaguide_tui.tui.screens.bookmarks import BookmarksScreen

        if isinstance(self.screen, BookmarksScreen):
            self.screen.show_bookmarks(self.state.bookmarks)

    def _theme_changed(self, theme: str) -> None:
        self.reader.viewer.refresh_theme()
        self.change_state(lambda state: with_theme(state, theme))
