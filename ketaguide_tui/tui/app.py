"""The Textual app: wires the guide, search, state and keys to the reading screen.

Every key comes from `commands.COMMANDS` (the one list that also feeds the
footer, the help screen and the command palette); users may rebind them in
config.toml. The search index is built in a thread worker that only posts a
message, so the first frame never waits for it.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

if TYPE_CHECKING:
    # Dialogs and the search engine are imported when first used: start-up
    # needs neither, and importing them costs time before the first frame.
    from ketaguide_tui.search import SearchHit, SearchIndex, SearchResults
    from ketaguide_tui.tui.screens.search import SearchScreen

from ketaguide_tui.commands import COMMAND_IDS, default_keymap
from ketaguide_tui.commands import COMMANDS as READER_COMMANDS
from ketaguide_tui.guide.model import CRISIS_SECTION_ID, Guide
from ketaguide_tui.settings import load_settings
from ketaguide_tui.state.store import (
    Place,
    ReaderState,
    StateStore,
    add_bookmark,
    delete_bookmark,
    mark_all_unread,
    mark_read,
    rename_bookmark,
    with_last_place,
    with_theme,
)
from ketaguide_tui.tui.palette import SectionCommands
from ketaguide_tui.tui.screens.reader import ReaderScreen

START_SECTION = "start-here"
SEARCH_RESULTS_SHOWN = 15
"""Results listed while typing: more than fit on a screen, few enough to redraw per key."""
CRISIS_FALLBACK = (
    "In immediate danger, call your local emergency number (911 US, 999 UK, 112 EU). "
    "US: call or text 988. UK and Ireland: Samaritans 116 123. Elsewhere: findahelpline.com"
)

# Actions that make sense only on the reading screen (greyed out elsewhere).
READER_ONLY = COMMAND_IDS - {"get_help_now", "help", "quit", "search"}


@dataclass
class SearchIndexReady(Message):
    """The search index finished building in its worker."""

    index: SearchIndex


class KetaguideApp(App[None]):
    """The ketaguide reader."""

    TITLE = "ketaguide"
    SUB_TITLE = "ketamine therapy: an evidence-based guide"
    CSS_PATH = Path(__file__).parent / "ketaguide.tcss"
    COMMANDS = App.COMMANDS | {SectionCommands}
    BINDINGS = [
        Binding(c.keys, c.id, c.label, show=c.footer, id=c.id, tooltip=c.help)
        for c in READER_COMMANDS
    ]

    def __init__(
        self,
        guide: Guide,
        *,
        section_id: str | None = None,
        anchor: str | None = None,
        search: str | None = None,
        store: StateStore | None = None,
        config_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self.guide = guide
        self.start_section = section_id
        self.start_anchor = anchor
        self.start_search = search
        self.search_index: SearchIndex | None = None
        self.search_screen: SearchScreen | None = None
        """The search screen while it is open."""
        self.reader = ReaderScreen()
        self.store = store or StateStore()
        self.state, self._state_warnings = self.store.load()
        self._save_warned = False
        settings, self._settings_warnings = load_settings(COMMAND_IDS, config_dir)
        self.keymap = default_keymap() | settings.keymap
        self.set_keymap(settings.keymap)
        self._last_search = search or ""
        if self.state.theme and self.state.theme in self.available_themes:
            self.theme = self.state.theme

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
        self.watch(self, "theme", self._theme_changed, init=False)

    async def begin_reading(self) -> None:
        """Called by the reading screen once it is mounted: open the first place."""
        await self._open_first_place()
        self.call_after_refresh(self._after_first_paint)
        self.reader.viewer.focus()
        if self.start_search is not None:
            self.action_search()

    async def _open_first_place(self) -> None:
        reader = self.reader
        if self.start_section is not None:
            await reader.open_place(self.start_section, self.start_anchor, remember=False)
            return
        last = self.state.last_place
        if last is not None and self.guide.get(last.section_id) is not None:
            await reader.go_to(last, remember=False)
            return
        if last is not None:
            self.tell(f"'{last.section_id}' is no longer in the guide; starting at the beginning.")
        first = self.guide.get(START_SECTION) or self.guide.sections[0]
        await reader.open_place(first.id, remember=False)

    def _after_first_paint(self) -> None:
        # Everything alive now lives as long as the app: move it out of the
        # garbage collector's sight, so the occasional full collection during a
        # page turn sweeps only what reading created (it made ~1 turn in 10 take
        # 100-150 ms longer when the start-up heap was swept too).
        gc.freeze()
        # The index is built only now: its thread would otherwise compete with
        # the first frame for the interpreter.
        self._build_index()

    @work(thread=True, exclusive=True, group="index")
    def _build_index(self) -> None:
        # Runs in a thread: build, then hand the index over by message only.
        from ketaguide_tui.search import SearchIndex

        index = SearchIndex.build(self.guide)
        self.post_message(SearchIndexReady(index))
        # Parse every section's headings here too, off the UI thread, so the
        # command palette and the sidebar never wait for it.
        for section in self.guide:
            _ = section.headings

    @on(SearchIndexReady)
    def _index_ready(self, event: SearchIndexReady) -> None:
        self.search_index = event.index
        if self.search_screen is not None and self.search_screen in self.screen_stack:
            self.search_screen.run_search(self.search_screen.query_text)

    def run_query(self, query: str) -> SearchResults | None:
        """Search the guide; None while the index is still being built."""
        if self.search_index is None:
            return None
        return self.search_index.search(query, limit=SEARCH_RESULTS_SHOWN)

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

    # Messages to the reader --------------------------------------------------

    def tell(self, message: str, warning: bool = False) -> None:
        """A notification; the text may come from content, so it is never markup."""
        self.notify(message, severity="warning" if warning else "information", markup=False)

    # State ------------------------------------------------------------------

    def change_state(self, change: Callable[[ReaderState], ReaderState]) -> None:
        """Apply a change to the saved state (merged with other open readers' changes)."""
        self.state, warning = self.store.update(change)
        if warning and not self._save_warned:
            # Said once: repeating it on every page turn would drown the reader.
            self._save_warned = True
            self.tell(warning, warning=True)

    def remember_place(self, place: Place | None) -> None:
        """Keep the reader's place in memory; it is written to disk on quit."""
        if place is not None:
            self.state = with_last_place(self.state, place)

    def mark_read(self, section_id: str) -> None:
        if section_id not in self.state.read_sections:
            self.change_state(lambda state: mark_read(state, section_id))
            self.reader.show_read(self.state.read_sections)

    def _theme_changed(self, theme: str) -> None:
        self.reader.viewer.refresh_theme()
        self.change_state(lambda state: with_theme(state, theme))

    async def action_quit(self) -> None:
        place = self.reader.current_place()
        if place is not None:
            self.change_state(lambda state: with_last_place(state, place))
        self.exit()

    # Commands ---------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in READER_ONLY and not isinstance(self.screen, ReaderScreen):
            return False
        if action == "back":
            return True if self.reader.history.can_go_back else None
        if action == "forward":
            return True if self.reader.history.can_go_forward else None
        return True

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for command in READER_COMMANDS:
            if command.id != "quit" and self.check_action(command.id, ()):
                yield SystemCommand(command.label, command.help, self._runner(command.id))

    def _runner(self, action: str):  # type: ignore[no-untyped-def]
        async def run() -> None:
            await self.run_action(action)

        return run

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
            unavailable = {c.id for c in READER_COMMANDS if self.check_action(c.id, ()) is None}
            self.push_screen(HelpScreen(self.keymap, unavailable))

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

    async def action_next_section(self) -> None:
        await self.reader.step_section(1)

    async def action_previous_section(self) -> None:
        await self.reader.step_section(-1)

    async def action_back(self) -> None:
        await self.reader.go_back()

    async def action_forward(self) -> None:
        await self.reader.go_forward()

    def action_next_match(self) -> None:
        self.reader.step_match(1)

    def action_previous_match(self) -> None:
        self.reader.step_match(-1)

    def action_open_link(self) -> None:
        self.reader.list_links()

    def action_scroll_down(self) -> None:
        self.reader.viewer.scroll_down(animate=False)

    def action_scroll_up(self) -> None:
        self.reader.viewer.scroll_up(animate=False)

    def action_page_down(self) -> None:
        self.reader.viewer.scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        self.reader.viewer.scroll_page_up(animate=False)

    def action_scroll_top(self) -> None:
        self.reader.viewer.scroll_home(animate=False)

    def action_scroll_bottom(self) -> None:
        self.reader.viewer.scroll_end(animate=False)

    def action_switch_pane(self) -> None:
        self.reader.switch_pane()

    def action_toggle_sidebar(self) -> None:
        self.reader.toggle_sidebar()

    def action_back_out(self) -> None:
        self.reader.back_out()

    def action_mark_all_unread(self) -> None:
        self.change_state(mark_all_unread)
        self.reader.show_read(self.state.read_sections)
        self.tell("All sections marked unread.")

    def action_bookmark(self) -> None:
        place = self.reader.current_place()
        section = self.reader.section
        if place is None or section is None:
            return
        heading = section.heading_for(place.anchor) if place.anchor else None
        title = section.title + (f" › {heading.text}" if heading else "")

        def chosen(text: str | None) -> None:
            if text is not None:
                self.change_state(lambda state: add_bookmark(state, text, place)[0])
                self.tell(f"Bookmarked: {text}")

        from ketaguide_tui.tui.screens.dialogs import TitleScreen

        self.push_screen(TitleScreen("Bookmark title:", title), chosen)

    def action_bookmarks(self) -> None:
        async def chosen(place: Place | None) -> None:
            if place is not None:
                await self.reader.go_to(place)

        from ketaguide_tui.tui.screens.bookmarks import BookmarksScreen

        self.push_screen(BookmarksScreen(self.state.bookmarks), chosen)

    def rename_bookmark(self, bookmark_id: str, title: str) -> None:
        self.change_state(lambda state: rename_bookmark(state, bookmark_id, title))

    def delete_bookmark(self, bookmark_id: str) -> None:
        self.change_state(lambda state: delete_bookmark(state, bookmark_id))
