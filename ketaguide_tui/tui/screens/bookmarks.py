"""The bookmarks list: jump to a bookmark, rename it or delete it.

The list is read from the services; renaming and deleting are posted to the
app, which saves them and hands the new list back with `show_bookmarks`.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from ketaguide_tui.state import Bookmark, Place
from ketaguide_tui.tui.messages import BookmarkDeleted, BookmarkRenamed
from ketaguide_tui.tui.screens.dialogs import TitleScreen
from ketaguide_tui.tui.screens.modal import ReaderModal, close_keys
from ketaguide_tui.tui.services import Services


class BookmarksScreen(ReaderModal[Place | None]):
    """Every bookmark; Enter jumps, r renames, d deletes, Esc closes."""

    BINDINGS = [
        *close_keys(),
        Binding("r", "rename", "Rename"),
        Binding("d,delete", "delete", "Delete"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.bookmarks = list(services.state.bookmarks)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(Content("Bookmarks · Enter jumps · r renames · d deletes · Esc closes"))
            yield OptionList(id="bookmark-list")
            yield Label(Content(""), id="bookmarks-empty", classes="muted")

    def on_mount(self) -> None:
        self._refresh_list()

    def show_bookmarks(self, bookmarks: tuple[Bookmark, ...]) -> None:
        """Show this list (the app calls it once a change is saved)."""
        self.bookmarks = list(bookmarks)
        self._refresh_list()

    def _refresh_list(self) -> None:
        options = self.query_one("#bookmark-list", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options(
            Option(Content.assemble((b.title, "bold"), "  ", (self._where(b), "italic")))
            for b in self.bookmarks
        )
        if self.bookmarks:
            options.highlighted = min(highlighted or 0, len(self.bookmarks) - 1)
        empty = "" if self.bookmarks else "No bookmarks yet: press m while reading to add one."
        self.query_one("#bookmarks-empty", Label).update(Content(empty))

    def _where(self, bookmark: Bookmark) -> str:
        section = self.services.guide.get(bookmark.place.section_id)
        if section is None:
            return f"{bookmark.place.section_id} (no longer in the guide)"
        return section.title

    def _selected(self) -> Bookmark | None:
        index = self.query_one("#bookmark-list", OptionList).highlighted
        return self.bookmarks[index] if index is not None and self.bookmarks else None

    @on(OptionList.OptionSelected)
    def _jump(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.bookmarks[event.option_index].place)

    def action_rename(self) -> None:
        bookmark = self._selected()
        if bookmark is None:
            return

        def renamed(title: str | None) -> None:
            if title is not None:
                self.post_message(BookmarkRenamed(bookmark.id, title))

        self.app.push_screen(TitleScreen("New title:", bookmark.title), renamed)

    def action_delete(self) -> None:
        bookmark = self._selected()
        if bookmark is not None:
            self.post_message(BookmarkDeleted(bookmark.id, bookmark.title))
