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
from textual.binding import Binding
from textual.driver import Driver
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input

if TYPE_CHECKING:
    # Dialogs and the search engine are imported when first used: start-up
    # needs neither, and importing them costs time before the first frame.
    from ketaguide_tui.guide.glossary import Glossary
    from ketaguide_tui.search import SearchHit, SearchIndex, SearchResults
    from ketaguide_tui.tui.screens.search import SearchScreen

from ketaguide_tui.commands import (
    APP_COMMANDS,
    COMMAND_IDS,
    COMMANDS,
    default_keymap,
    describe_keys,
)
from ketaguide_tui.crisis_fallback import CRISIS_FALLBACK
from ketaguide_tui.guide.model import CRISIS_SECTION_ID, START_SECTION_ID, Guide
from ketaguide_tui.settings import load_settings
from ketaguide_tui.state import (
    Place,
    StateStore,
    folder_key,
    with_last_place,
)
from ketaguide_tui.tui.bindings import bindings_for
from ketaguide_tui.tui.crisis_reach import TextBoxWatch, keys_that_work_in_text_boxes
from ketaguide_tui.tui.exit_signals import ExitSignals, exit_code
from ketaguide_tui.tui.first_screens import FirstScreens
from ketaguide_tui.tui.frame_timing import freeze_loaded_guide, freeze_startup_heap
from ketaguide_tui.tui.looks import LooksApp
from ketaguide_tui.tui.messages import (
    OpenPlace,
    PlaceVisited,
    ReaderReady,
)
from ketaguide_tui.tui.question_keeping import QuestionKeeping
from ketaguide_tui.tui.screens.reader import ReaderScreen
from ketaguide_tui.tui.services import Services
from ketaguide_tui.tui.widgets.viewer import SectionViewer

PLACE_SAVE_DELAY = 1.0
"""Seconds the reader stays at a place before it is saved: often enough to lose
nothing, seldom enough that scrolling through headings does not write each one."""
INDEX_QUIET = 0.4
"""Seconds after the first frame, with no page turned, before the search index is opened or
built: its worker shares the interpreter with the interface (a second or more for a large
guide), and a reader turning pages at once should not wait for it. Searching starts it."""


@dataclass
class SearchIndexReady(Message):
    """The search index finished building in its worker."""

    index: SearchIndex


@dataclass
class GlossaryReady(Message):
    """The glossary's entries and names were read in the index worker."""

    glossary: Glossary


class KetaguideApp(QuestionKeeping, LooksApp):
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
        freeze_loaded_guide()
        # Each content folder has its own bookmarks, read marks and place.
        store = store or StateStore(folder=folder_key(guide.root))
        state, self._state_warnings = store.load()
        settings, self._settings_warnings = load_settings(COMMAND_IDS, config_dir)
        keymap = default_keymap() | settings.keymap
        self.services = Services(guide, store, state, keymap, today=today)
        if guide.digests:  # loaded through the cache: its folder keeps first screens too
            self.services.first_screens = FirstScreens(guide)
        self.set_keymap(settings.keymap)
        self._crisis_keys_anywhere = keys_that_work_in_text_boxes(
            self.services.keymap["get_help_now"]
        )
        self._text_box_watch = TextBoxWatch(guide)
        self.start_search = search
        self._save_warned = False
        self._last_search = search or ""
        self.search_screen: SearchScreen | None = None
        """The search screen while it is open."""
        self._notices: list[str] = []
        self._place_timer: Timer | None = None
        self.exit_signals = ExitSignals(self._end_on_signal)
        self._index_timer: Timer | None = None
        self._index_started = False
        self.reader = ReaderScreen(self.services, self._first_place(section_id, anchor))
        if state.theme and state.theme in self.available_themes:
            self.theme = state.theme

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
        first = self.guide.get(START_SECTION_ID) or self.guide.sections[0]
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

    @on(Driver.SignalResume)
    def _redraw_after_suspend(self) -> None:
        # Stopped (SIGTSTP) and continued: the terminal showed the shell meanwhile, but
        # Textual draws only what changed in the app (nothing), which left a blank screen.
        # Upstream: https://github.com/Textualize/textual/issues/6298 (the blank display on
        # resuming is in its comments) and https://github.com/Textualize/textual/pull/6369.
        self.refresh(repaint=True, layout=True)

    @on(ReaderReady)
    def _reader_ready(self) -> None:
        self.call_after_refresh(self._after_first_paint)
        if self.start_search is not None:
            self.action_search()

    def _after_first_paint(self) -> None:
        freeze_startup_heap()
        # The index is built only now: its thread would otherwise compete with
        # the first frame (and, for a moment more, the first page turns).
        if not self._index_started:
            self._index_timer = self.set_timer(INDEX_QUIET, self._start_index)

    def _start_index(self) -> None:
        if self._index_timer is not None:
            self._index_timer.stop()
            self._index_timer = None
        if not self._index_started:
            self._index_started = True
            self._build_index()

    @work(thread=True, exclusive=True, group="index")
    def _build_index(self) -> None:
        # Runs in a thread: read the glossary, build (or open the cached) index, and hand
        # each over by message only.
        from ketaguide_tui.guide.glossary import glossary_of
        from ketaguide_tui.search.index_cache import cached_index

        self.post_message(GlossaryReady(glossary_of(self.guide)))
        index = cached_index(self.guide)
        self.post_message(SearchIndexReady(index))
        # Parse every section's headings here too, off the UI thread, so the
        # command palette and the sidebar never wait for it.
        # A reading the cache holds is quick to read when first needed: decoding ten
        # thousand of them here would hold the interpreter through the first page turns.
        for section in self.guide:
            if section.stored_reading is None:
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
        if isinstance(event, events.Key) and event.key in self._crisis_keys_anywhere:
            # Works in text boxes, dialogs and the palette too (see crisis_reach).
            await self.run_action("get_help_now")
            return
        if isinstance(event, (events.Key, events.Paste)):
            self.call_after_refresh(self._check_text_box)
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
        if (
            isinstance(event, events.Key)
            and event.is_forwarded
            and event.is_printable
            and event.character
            and isinstance(focused := self.focused, Input)
        ):
            # The same for a box opened on the reading screen (`f` and a word typed in
            # one burst): the word reached the text before the box had the focus, and
            # comes back here unused. A text box stops every character typed into it.
            focused.post_message(events.Key(event.key, event.character))
            return
        await super().on_event(event)

    def _check_text_box(self) -> None:
        if self._text_box_watch.needs_offer(self.focused):
            keys = self._crisis_keys_anywhere
            press = f"Press {describe_keys(keys[0])} " if keys else "Use the command palette "
            self.notify(
                f"{press}to see crisis lines and urgent help now.",
                title="Get help now",
                timeout=15,
                markup=False,
            )

    def get_key_display(self, binding: Binding) -> str:
        # In a text box the printable crisis key types itself: show one that works there.
        keys = self._crisis_keys_anywhere
        if binding.id == "get_help_now" and isinstance(self.focused, Input) and keys:
            return describe_keys(keys[0])
        return super().get_key_display(binding)

    @on(PlaceVisited)
    def _place_visited(self, event: PlaceVisited) -> None:
        # Kept in memory at once, saved once the reader settles (and on quit
        # or an exit signal), so a closed terminal loses nothing.
        self.services.state = with_last_place(self.state, event.place)
        if self._index_timer is not None:
            self._index_timer.reset()  # still turning pages: the index waits
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

        self._start_index()
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
