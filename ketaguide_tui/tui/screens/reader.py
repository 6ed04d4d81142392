"""The main reading screen: sidebar of sections beside the open section.

It owns the reading keys (from `commands.READER_COMMANDS`), turns them into moves of the
viewer and the sidebar, finds in the open section (`find_in_section.py`), follows links
(asking before anything leaves the guide), and keeps the way back and forward. It is given
the guide, search and saved state (`Services`), reads them, and posts messages
(`tui.messages`) for the app to save what changes; it never touches the disk.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.command import Provider
from textual.containers import Horizontal

from ketaguide_tui.commands import COMMANDS
from ketaguide_tui.state import Place
from ketaguide_tui.state.history import History
from ketaguide_tui.tui.bindings import bindings_for
from ketaguide_tui.tui.find_in_section import FindInSection
from ketaguide_tui.tui.frame_timing import no_collection_until_painted
from ketaguide_tui.tui.messages import (
    BookmarkAdded,
    PlaceVisited,
    ReaderReady,
    ReadMarksCleared,
    SectionRead,
)
from ketaguide_tui.tui.screens.reader_panes import ReaderPanes
from ketaguide_tui.tui.services import Services
from ketaguide_tui.tui.widgets.find_bar import FindBar
from ketaguide_tui.tui.widgets.footer import KeyFooter
from ketaguide_tui.tui.widgets.match_status import MatchStatus
from ketaguide_tui.tui.widgets.sidebar import SectionTree
from ketaguide_tui.tui.widgets.viewer import SectionViewer


def section_commands() -> type[Provider]:
    """The palette's section finder, imported when the palette first opens."""
    from ketaguide_tui.tui.palette import SectionCommands

    return SectionCommands


class ReaderScreen(ReaderPanes):
    """Sidebar + viewer + status line + footer."""

    # Every key, in the table's order for the footer; the app-wide ones run on the app.
    BINDINGS = bindings_for(COMMANDS, on_screen=True)
    COMMANDS = {section_commands}

    def __init__(self, services: Services, first_place: Place) -> None:
        super().__init__()
        self.services = services
        self.first_place = first_place
        self.history: History[Place] = History()
        self._sidebar_place: tuple[str, str | None] | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield SectionTree(self.services.guide, around=self.first_place.section_id, id="sidebar")
            yield SectionViewer(id="viewer")
        yield FindBar(id="find-bar")
        yield MatchStatus(id="status")
        yield KeyFooter()

    async def on_mount(self) -> None:
        bar, status = self.query_one(FindBar), self.query_one(MatchStatus)
        self.finder = FindInSection(self.viewer, bar, status)
        self.sidebar.auto_expand = False
        self.viewer.today = self.services.today
        self.viewer.sections.first_screens = self.services.first_screens
        self.show_read(*self.services.read_marks())
        self._fit_to_width(self.app.size.width)
        await self.go_to(self.first_place, remember=False)
        self.viewer.focus()
        # The sidebar's other rows are made after the first frame, while the reader pauses.
        self.call_after_refresh(self.sidebar.fill_in)
        self.post_message(ReaderReady())

    # Places -----------------------------------------------------------------

    def current_place(self) -> Place | None:
        """Where the reader is now (section, heading and scroll position)."""
        if self.section is None:
            return None
        return Place(self.section.id, self.viewer.current_anchor, round(self.viewer.scroll_y))

    async def open_place(
        self, section_id: str, anchor: str | None = None, scroll_y: int = 0, remember: bool = True
    ) -> bool:
        """Open a section (at a heading or scroll position). False if it does not exist."""
        section = self.services.guide.get(section_id)
        if section is None:
            self.tell(f"There is no section '{section_id}'.", warning=True)
            return False
        here = self.current_place()
        if remember and here is not None:
            self.history.leave(here)
        with no_collection_until_painted(self.viewer.frames):
            await self.viewer.show(section, anchor, scroll_y)
        self._follow_in_sidebar(section.id, self.viewer.current_anchor, after_text=True)
        if self.narrow:
            self.show_sidebar = False
        self._visited()
        return True

    async def go_to(self, place: Place, remember: bool = True) -> None:
        """Open a remembered place, falling back to its section's top if the heading is gone."""
        section = self.services.guide.get(place.section_id)
        if section is None:
            self.tell(f"The section '{place.section_id}' is no longer in the guide.", warning=True)
            return
        anchor = place.anchor if place.anchor in section.anchors else None
        if place.anchor and anchor is None:
            self.tell(
                f"That heading is no longer in '{section.title}'; opened the section instead."
            )
            await self.open_place(section.id, None, 0, remember)
            return
        await self.open_place(
            section.id, None if place.scroll_y else anchor, place.scroll_y, remember
        )

    def _visited(self) -> None:
        place = self.current_place()
        if place is not None:
            self.post_message(PlaceVisited(place))

    @on(SectionTree.PlaceChosen)
    async def _place_chosen(self, event: SectionTree.PlaceChosen) -> None:
        await self.open_place(event.section_id, event.anchor)
        if not self.narrow:
            self.sidebar.focus()

    @on(SectionViewer.HeadingReached)
    def _heading_reached(self, event: SectionViewer.HeadingReached) -> None:
        self._follow_in_sidebar(event.section_id, event.anchor)
        self._visited()

    def _follow_in_sidebar(
        self, section_id: str, anchor: str | None, after_text: bool = False
    ) -> None:
        # After a page turn the sidebar follows once the new text is drawn: folding and unfolding
        # the tree lays out the whole screen, which costs more than drawing the text the reader
        # asked for. While scrolling only the tree's cursor moves (cheap), and the viewer's frame
        # may be drawn already: asking for another would redraw the text.
        pending = self._sidebar_place is not None
        self._sidebar_place = (section_id, anchor)
        if pending:
            return
        if after_text:
            self.viewer.frames.add(self._update_sidebar)
        else:
            self.call_after_refresh(self._update_sidebar)

    def _update_sidebar(self) -> None:
        if self._sidebar_place is not None:
            section_id, anchor = self._sidebar_place
            self._sidebar_place = None
            self.sidebar.show_place(section_id, anchor)

    @on(SectionViewer.EndReached)
    def _end_reached(self, event: SectionViewer.EndReached) -> None:
        if event.section_id not in self.services.read_marks()[0]:
            self.post_message(SectionRead(event.section_id))

    def show_read(self, read: frozenset[str], updated: frozenset[str] = frozenset()) -> None:
        """Show these sections as read, and these as updated since they were read."""
        self.sidebar.set_read(read, updated)
        # The open section keeps its notice while it is read; the next visit drops it.
        self.viewer.updated = updated

    # Links ------------------------------------------------------------------

    @on(SectionViewer.LinkActivated)
    async def _link_activated(self, event: SectionViewer.LinkActivated) -> None:
        await self.follow_link(event.href, event.section_id)

    async def follow_link(self, href: str, from_section: str) -> None:
        """Open a section link; ask before a web link; refuse anything else."""
        # Imported here: following a link never happens before the first frame.
        from ketaguide_tui.guide.links import RefusedLink, SectionLink, WebLink, resolve_link

        target = resolve_link(href, from_section, self.services.guide)
        if isinstance(target, SectionLink):
            await self.open_place(target.section_id, target.anchor)
        elif isinstance(target, WebLink):
            from ketaguide_tui.tui.screens.dialogs import WebLinkScreen

            self.app.push_screen(WebLinkScreen(target.url))
        elif isinstance(target, RefusedLink):
            self.tell(f"Link not followed: {target.reason}.", warning=True)

    def action_open_link(self) -> None:
        section = self.section
        if section is None or not section.links:
            self.tell("This section has no links.")
            return
        from ketaguide_tui.tui.screens.link_list import link_list_screen

        async def chosen(href: str | None) -> None:
            if href is not None and self.section is not None:
                await self.follow_link(href, self.section.id)

        anchor = self.viewer.current_anchor
        self.app.push_screen(link_list_screen(section, self.services.guide, anchor), chosen)

    # Moving -------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # None greys a key out in the footer and the help screen: nowhere to go.
        if action == "back":
            return True if self.history.can_go_back else None
        if action == "forward":
            return True if self.history.can_go_forward else None
        return True

    async def _step_section(self, step: int) -> None:
        if self.section is None:
            return
        target = self.services.guide.neighbour(self.section.id, step)
        if target is None:
            self.tell("This is the last section." if step > 0 else "This is the first.")
            return
        await self.open_place(target.id)

    async def action_next_section(self) -> None:
        await self._step_section(1)

    async def action_previous_section(self) -> None:
        await self._step_section(-1)

    async def action_back(self) -> None:
        here = self.current_place()
        place = self.history.back(here) if here else None
        if place is not None:
            await self.go_to(place, remember=False)

    async def action_forward(self) -> None:
        here = self.current_place()
        place = self.history.forward(here) if here else None
        if place is not None:
            await self.go_to(place, remember=False)

    def action_scroll_down(self) -> None:
        self.viewer.scroll_down(animate=False)

    def action_scroll_up(self) -> None:
        self.viewer.scroll_up(animate=False)

    def action_page_down(self) -> None:
        self.viewer.scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        self.viewer.scroll_page_up(animate=False)

    def action_scroll_top(self) -> None:
        self.viewer.scroll_home(animate=False)

    def action_scroll_bottom(self) -> None:
        self.viewer.scroll_end(animate=False)

    # Bookmarks and read marks -------------------------------------------------

    def action_bookmark(self) -> None:
        place = self.current_place()
        section = self.section
        if place is None or section is None:
            return
        heading = section.heading_for(place.anchor) if place.anchor else None
        title = section.title + (f" › {heading.text}" if heading else "")

        def chosen(text: str | None) -> None:
            if text is not None:
                self.post_message(BookmarkAdded(text, place))

        from ketaguide_tui.tui.screens.dialogs import TitleScreen

        self.app.push_screen(TitleScreen("Bookmark title:", title), chosen)

    def action_bookmarks(self) -> None:
        async def chosen(place: Place | None) -> None:
            if place is not None:
                await self.go_to(place)

        from ketaguide_tui.tui.screens.bookmarks import BookmarksScreen

        self.app.push_screen(BookmarksScreen(self.services), chosen)

    def action_mark_all_unread(self) -> None:
        self.post_message(ReadMarksCleared())

    # Search and find marks ----------------------------------------------------

    def mark_matches(self, terms: tuple[str, ...]) -> None:
        """Mark a search's terms in the open section and go to the first match."""
        if (index := self.services.search_index) is None:
            return
        find_spans = index.match_spans

        def mark() -> None:
            self.finder.forget()
            if self.viewer.mark(terms, find_spans):
                self.viewer.step_match(1)

        self.viewer.when_settled(mark)

    def _step_match(self, step: int) -> None:
        if not self.viewer.step_match(step):
            self.tell("No search matches here. Press / to search.")

    def action_next_match(self) -> None:
        self._step_match(1)

    def action_previous_match(self) -> None:
        self._step_match(-1)

    @on(SectionViewer.MatchesChanged)
    def _matches_changed(self, event: SectionViewer.MatchesChanged) -> None:
        self.finder.matches_changed(event.current, event.total)

    async def action_find_in_section(self) -> None:
        if self.section is not None:
            await self.finder.open(self.section)

    @on(FindBar.Changed)
    def _find_changed(self, event: FindBar.Changed) -> None:
        self.finder.changed(event.term)

    @on(FindBar.Counted)
    def _find_counted(self, event: FindBar.Counted) -> None:
        self.finder.count_arrived(event.term, event.total)

    @on(FindBar.Closed)
    def _find_closed(self, event: FindBar.Closed) -> None:
        self.finder.closed(event.keep)
