"""The Textual app: loads the state and keys, builds the services, and keeps the state.

The app binds only the keys that work everywhere (crisis help, help, search,
quit); the reading keys belong to the reading screen. Every key comes from
`commands.COMMANDS` (the one list that also feeds the footer, the help screen
and the command palette); users may rebind them in config.toml. Screens post
messages (`tui.messages`) and the app saves what they report. The search index
is built in a thread worker that only posts a message, so the first frame
never waits for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import SystemCommand
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer

if TYPE_CHECKING:
    # Dialogs and the search engine are imported when first used: start-up
    # needs neither, and importing them costs time before the first frame.
    from ketaguide_tui.guide.glossary import Glossary
    from ketaguide_tui.search import SearchHit, SearchIndex, SearchResults
    from ketaguide_tui.tui.screens.search import SearchScreen

from ketaguide_tui.commands import APP_COMMANDS, COMMAND_IDS, COMMANDS, default_keymap
from ketaguide_tui.crisis_fallback import CRISIS_FALLBACK
from ketaguide_tui.guide.model import CRISIS_SECTION_ID, Guide
from ketaguide_tui.settings import load_settings
from ketaguide_tui.state import (
    Bookmark,
    Place,
    ReaderState,
    StateStore,
    add_bookmark,
    bookmark_dropped_by_adding,
    delete_bookmark,
    folder_key,
    mark_all_unread,
    mark_read,
    rename_bookmark,
    with_last_place,
    with_theme,
)
from ketaguide_tui.tui.bindings import bindings_for
from ketaguide_tui.tui.exit_signals import ExitSignals, exit_code
from ketaguide_tui.tui.frame_timing import freeze_startup_heap
from ketaguide_tui.tui.messages import (
    BookmarkAdded,
    BookmarkDeleted,
    BookmarkRenamed,
    OpenPlace,
    PlaceVisited,
    ReaderReady,
    ReadMarksCleared,
    SectionRead,
)
from ketaguide_tui.tui.notices import bookmark_notice
from ketaguide_tui.tui.question_keeping import QuestionKeeping
from ketaguide_tui.tui.screens.reader import ReaderScreen
from ketaguide_tui.tui.services import Services
from ketaguide_tui.tui.widgets.viewer import SectionViewer

START_SECTION = "start-here"
PLACE_SAVE_DELAY = 1.0
"""Seconds the reader stays at a place before it is saved: often enough to lose
nothing, seldom enough that scrolling through headings does not write each one."""


@dataclass
class SearchIndexReady(Message):
    """The search index finished building in its worker."""

    index: SearchIndex


@dataclass
class GlossaryReady(Message):
    """The glossary's entries and names were read in the index worker."""

    glossary: Glossary


class KetaguideApp(QuestionKeeping):
    """The ketaguide reader."""

    TITLE = "ketaguide"
    SUB_TITLE = "ketamine therapy: an evidence-based guide"
    CSS_PATH = Path(__file__).parent / "ketaguide.tcss"
    BINDINGS = bindings_for(APP_COMMANDS)

    def __init__(
        self,
        guide: Guide,
        *,
        section_id: str | None = None,
        anchor: str | None = None,
        search: str | None = None,
        store: StateStore | None = None,
        config_dir: Path | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__()
        # Each content folder has its own bookmarks, read marks and place.
        store = store or StateStore(folder=folder_key(guide.root))
        state, self._state_warnings = store.load()
        settings, self._settings_warnings = load_settings(COMMAND_IDS, config_dir)
        keymap = default_keymap() | settings.keymap
        self.services = Services(guide, store, state, keymap, today=today)
        self.set_keymap(settings.keymap)
        self.start_search = search
        self._save_warned = False
        self._last_search = search or ""
        self.search_screen: SearchScreen | None = None
        """The search screen while it is open."""
        self._notices: list[str] = []
        self._place_timer: Timer | None = None
        self.exit_signals = ExitSignals(self._end_on_signal)
        self.reader = ReaderScreen(self.services, self._first_place(section_id, anchor))
        if state.theme and state.theme in self.available_themes:
            self.theme = state.theme

    @property
    def guide(self) -> Guide:
        return self.services.guide

    @property
    def state(self) -> ReaderState:
        return self.services.state

    @property
    def search_index(self) -> SearchIndex | None:
        return self.services.search_index

    def _first_place(self, section_id: str | None, anchor: str | None) -> Place:
        """Where reading starts: the place asked for, else where the reader left off."""
        if section_id is not None:
            return Place(section_id, anchor)
        last = self.state.last_place
        if last is not None and self.guide.get(last.section_id) is not None:
            return last
        if last is not None:
            self._notices.append(
                f"'{last.section_id}' is no longer in the guide; starting at the beginning."
            )
        first = self.guide.get(START_SECTION) or self.guide.sections[0]
        return Place(first.id)

    # Start-up ---------------------------------------------------------------

    def get_default_screen(self) -> Screen[None]:
        return self.reader

    def on_mount(self) -> None:
        for warning in [*self._state_warnings, *self._settings_warnings]:
            self.tell(warning, warning=True)
        for problem in self.guide.problems[:5]:
            self.tell(f"Skipped or repaired: {problem}", warning=True)
        if len(self.guide.problems) > 5:
            self.tell(f"…and {len(self.guide.problems) - 5} more content problems.", warning=True)
        for notice in self._notices:
            self.tell(notice)
        self.watch(self, "theme", self._theme_changed, init=False)
        if not self.is_headless:
            self.exit_signals.install()

    def on_unmount(self) -> None:
        self.exit_signals.uninstall()
        if self._place_timer is not None:
            self._place_timer.stop()

    def _end_on_signal(self, signum: int) -> None:
        """SIGTERM, SIGHUP or SIGINT: save the place and end as `q` does."""
        self.save_place()
        self.exit(return_code=exit_code(signum))

    @on(ReaderReady)
    def _reader_ready(self) -> None:
        self.call_after_refresh(self._after_first_paint)
        if self.start_search is not None:
            self.action_search()

    def _after_first_paint(self) -> None:
        freeze_startup_heap()
        # The index is built only now: its thread would otherwise compete with
        # the first frame for the interpreter.
        self._build_index()

    @work(thread=True, exclusive=True, group="index")
    def _build_index(self) -> None:
        # Runs in a thread: build, then hand the index over by message only.
        from ketaguide_tui.guide.glossary import glossary_of
        from ketaguide_tui.search import SearchIndex

        self.post_message(GlossaryReady(glossary_of(self.guide)))

        index = SearchIndex.build(self.guide)
        self.post_message(SearchIndexReady(index))
        # Parse every section's headings here too, off the UI thread, so the
        # command palette and the sidebar never wait for it.
        for section in self.guide:
            _ = section.headings

    @on(SearchIndexReady)
    def _index_ready(self, event: SearchIndexReady) -> None:
        self.services.search_index = event.index
        if self.search_screen is not None and self.search_screen in self.screen_stack:
            self.search_screen.run_search(self.search_screen.query_text)

    @on(GlossaryReady)
    def _glossary_ready(self, event: GlossaryReady) -> None:
        # A query, not `reader.viewer`: the reader may be closing by the time it comes.
        for viewer in self.reader.query(SectionViewer):
            viewer.set_glossary(event.glossary)

    def run_query(self, query: str, limit: int) -> SearchResults | None:
        """Search the guide for the first `limit` results; None while the index is built."""
        if self.search_index is None:
            return None
        return self.search_index.search(query, limit=limit)

    async def on_event(self, event: events.Event) -> None:
        # Keys typed in one burst with `/` ("/spravato" pasted or typed fast) reach
        # the reading screen before the search screen exists and bubble back here
        # unused; they belong in the search box. The box's own keys never bubble.
        screen = self.search_screen
        if (
            isinstance(event, events.Key)
            and screen is not None
            and screen is self.screen
            and (event.is_forwarded or not screen.ready)
            and event.is_printable
            and event.character
        ):
            screen.type_ahead(event.character)
            return
        await super().on_event(event)

    def tell(self, message: str, warning: bool = False) -> None:
        """A notification; the text may come from content, so it is never markup."""
        self.notify(message, severity="warning" if warning else "information", markup=False)

    # State: what the screens report ------------------------------------------

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

    @on(PlaceVisited)
    def _place_visited(self, event: PlaceVisited) -> None:
        # Kept in memory at once, saved once the reader settles (and on quit
        # or an exit signal), so a closed terminal loses nothing.
        self.services.state = with_last_place(self.state, event.place)
        if self._place_timer is not None:
            self._place_timer.stop()
        self._place_timer = self.set_timer(PLACE_SAVE_DELAY, self.save_place)

    def save_place(self) -> None:
        """Save where the reader is now (section, heading and scroll position)."""
        if self._place_timer is not None:
            self._place_timer.stop()
            self._place_timer = None
        if not self.reader.is_attached:
            # The app is closing (after `q`, which saved the place already).
            return
        place = self.reader.current_place()
        if place is not None:
            self.change_state(lambda state: with_last_place(state, place))

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

    # Commands ---------------------------------------------------------------

    @on(OpenPlace)
    async def _open_place(self, event: OpenPlace) -> None:
        await self.reader.open_place(event.section_id, event.anchor)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for command in COMMANDS:
            if command.id == "quit":
                continue
            if command.app_wide:
                run = partial(self.run_action, command.id)
            elif screen.check_action(command.id, ()) and isinstance(screen, ReaderScreen):
                run = partial(self.run_action, command.id, screen)
            else:
                continue
            yield SystemCommand(command.label, command.help, run)

    async def action_quit(self) -> None:
        self.save_place()
        self.exit()

    async def action_get_help_now(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        if self.guide.get(CRISIS_SECTION_ID) is None:
            self.notify(CRISIS_FALLBACK, title="Get help now", timeout=30, markup=False)
            return
        await self.reader.open_place(CRISIS_SECTION_ID)

    def action_help(self) -> None:
        from ketaguide_tui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            unavailable = {c.id for c in COMMANDS if self.reader.check_action(c.id, ()) is None}
            self.push_screen(HelpScreen(self.services.keymap, unavailable))

    def action_search(self) -> None:
        from ketaguide_tui.tui.screens.search import SearchScreen

        if self.search_screen is not None and self.search_screen in self.screen_stack:
            return
        screen = SearchScreen(self.run_query, self._last_search)
        self.search_screen = screen

        async def chosen(hit: SearchHit | None) -> None:
            self.search_screen = None
            self._last_search = screen.query_text
            if hit is not None:
                await self.reader.open_place(hit.section_id, hit.anchor)
                self.reader.mark_matches(hit.terms)

        self.push_screen(screen, chosen)
