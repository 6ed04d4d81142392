"""The main reading screen: sidebar of sections beside the open section.

It turns the app's commands into moves of the viewer and the sidebar, follows
links (asking before anything leaves the guide), and records where the reader
goes. The app owns the guide, the search index and the state store; this
screen asks the app for them and never touches the disk itself.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.events import Resize
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Static

from ketaguide_tui.guide.links import RefusedLink, SectionLink, WebLink, resolve_link
from ketaguide_tui.guide.model import Section
from ketaguide_tui.state.history import History
from ketaguide_tui.state.store import Place
from ketaguide_tui.tui.widgets.sidebar import SectionTree
from ketaguide_tui.tui.widgets.viewer import SectionViewer

if TYPE_CHECKING:
    from ketaguide_tui.tui.app import KetaguideApp

NARROW_WIDTH = 70
"""Below this many columns the sidebar hides until called back."""


class ReaderScreen(Screen[None]):
    """Sidebar + viewer + status line + footer."""

    show_sidebar: reactive[bool] = reactive(True)
    narrow: reactive[bool] = reactive(False)

    def __init__(self) -> None:
        super().__init__()
        self.history: History[Place] = History()
        self._sidebar_place: tuple[str, str | None] | None = None

    @property
    def ketaguide(self) -> KetaguideApp:
        from ketaguide_tui.tui.app import KetaguideApp

        assert isinstance(self.app, KetaguideApp)
        return self.app

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield SectionTree(self.ketaguide.guide, id="sidebar")
            yield SectionViewer(id="viewer")
        yield Static(id="status")
        yield Footer()

    @property
    def viewer(self) -> SectionViewer:
        return self.query_one(SectionViewer)

    @property
    def sidebar(self) -> SectionTree:
        return self.query_one(SectionTree)

    @property
    def section(self) -> Section | None:
        return self.viewer.section

    async def on_mount(self) -> None:
        self.sidebar.auto_expand = False
        self.sidebar.set_read(self.ketaguide.state.read_sections)
        self._fit_to_width(self.app.size.width)
        await self.ketaguide.begin_reading()

    # Layout -----------------------------------------------------------------

    @on(Resize)
    def _resized(self, event: Resize) -> None:
        self._fit_to_width(event.size.width)

    def _fit_to_width(self, width: int) -> None:
        narrow = width < NARROW_WIDTH
        if narrow != self.narrow:
            self.narrow = narrow
            self.show_sidebar = not narrow

    def watch_narrow(self, narrow: bool) -> None:
        self.set_class(narrow, "-narrow")
        self.set_class(narrow and self.show_sidebar, "-sidebar-over")

    def watch_show_sidebar(self, show: bool) -> None:
        self.set_class(not show, "-hide-sidebar")
        # On a narrow screen a shown sidebar covers the text instead of squeezing it.
        self.set_class(show and self.narrow, "-sidebar-over")
        if not show and self.sidebar.has_focus:
            self.viewer.focus()

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
        section = self.ketaguide.guide.get(section_id)
        if section is None:
            self.ketaguide.tell(f"There is no section '{section_id}'.", warning=True)
            return False
        here = self.current_place()
        if remember and here is not None:
            self.history.leave(here)
        # No garbage collection between the key and the new text on screen: a
        # full sweep can take longer than the whole page turn. It runs after.
        gc.disable()
        await self.viewer.show(section, anchor, scroll_y)
        self.viewer.after_paint(gc.enable)
        self._follow_in_sidebar(section.id, self.viewer.current_anchor, after_text=True)
        if self.narrow:
            self.show_sidebar = False
        self.ketaguide.remember_place(self.current_place())
        return True

    async def go_to(self, place: Place, remember: bool = True) -> None:
        """Open a remembered place, falling back to its section's top if the heading is gone."""
        section = self.ketaguide.guide.get(place.section_id)
        if section is None:
            self.ketaguide.tell(
                f"The section '{place.section_id}' is no longer in the guide.", warning=True
            )
            return
        anchor = place.anchor if place.anchor in section.anchors else None
        if place.anchor and anchor is None:
            self.ketaguide.tell(
                f"That heading is no longer in '{section.title}'; opened the section instead."
            )
            await self.open_place(section.id, None, 0, remember)
            return
        await self.open_place(
            section.id, None if place.scroll_y else anchor, place.scroll_y, remember
        )

    @on(SectionTree.PlaceChosen)
    async def _place_chosen(self, event: SectionTree.PlaceChosen) -> None:
        await self.open_place(event.section_id, event.anchor)
        if not self.narrow:
            self.sidebar.focus()

    @on(SectionViewer.HeadingReached)
    def _heading_reached(self, event: SectionViewer.HeadingReached) -> None:
        self._follow_in_sidebar(event.section_id, event.anchor)
        self.ketaguide.remember_place(self.current_place())

    def _follow_in_sidebar(
        self, section_id: str, anchor: str | None, after_text: bool = False
    ) -> None:
        # After a page turn the sidebar follows once the new text is drawn:
        # folding and unfolding the tree lays out the whole screen, which costs
        # more than drawing the text, and the text is what the reader asked for.
        # While scrolling only the tree's cursor moves (cheap), and the viewer's
        # frame may be drawn already: asking for another would redraw the text.
        pending = self._sidebar_place is not None
        self._sidebar_place = (section_id, anchor)
        if pending:
            return
        if after_text:
            self.viewer.after_paint(self._update_sidebar)
        else:
            self.call_after_refresh(self._update_sidebar)

    def _update_sidebar(self) -> None:
        if self._sidebar_place is not None:
            section_id, anchor = self._sidebar_place
            self._sidebar_place = None
            self.sidebar.show_place(section_id, anchor)

    @on(SectionViewer.EndReached)
    def _end_reached(self, event: SectionViewer.EndReached) -> None:
        self.ketaguide.mark_read(event.section_id)

    def show_read(self, read: frozenset[str]) -> None:
        """Show these sections as read in the sidebar."""
        self.sidebar.set_read(read)

    # Links ------------------------------------------------------------------

    @on(SectionViewer.LinkActivated)
    async def _link_activated(self, event: SectionViewer.LinkActivated) -> None:
        await self.follow_link(event.href, event.section_id)

    async def follow_link(self, href: str, from_section: str) -> None:
        """Open a section link; ask before a web link; refuse anything else."""
        target = resolve_link(href, from_section, self.ketaguide.guide)
        if isinstance(target, SectionLink):
            await self.open_place(target.section_id, target.anchor)
        elif isinstance(target, WebLink):
            from ketaguide_tui.tui.screens.dialogs import WebLinkScreen

            self.app.push_screen(WebLinkScreen(target.url), self._web_choice(target.url))
        elif isinstance(target, RefusedLink):
            self.ketaguide.tell(f"Link not followed: {target.reason}.", warning=True)

    def _web_choice(self, url: str):  # type: ignore[no-untyped-def]
        def chosen(choice: str | None) -> None:
            if choice == "open":
                self.app.open_url(url)
                self.ketaguide.tell(f"Opening {url} in your browser.")
            elif choice == "copy":
                self.app.copy_to_clipboard(url)
                self.ketaguide.tell(f"Copied {url}")

        return chosen

    # Commands (called by the app's actions) ----------------------------------

    async def step_section(self, step: int) -> None:
        if self.section is None:
            return
        target = self.ketaguide.guide.neighbour(self.section.id, step)
        if target is None:
            self.ketaguide.tell("This is the last section." if step > 0 else "This is the first.")
            return
        await self.open_place(target.id)

    async def go_back(self) -> None:
        here = self.current_place()
        place = self.history.back(here) if here else None
        if place is not None:
            await self.go_to(place, remember=False)

    async def go_forward(self) -> None:
        here = self.current_place()
        place = self.history.forward(here) if here else None
        if place is not None:
            await self.go_to(place, remember=False)

    def list_links(self) -> None:
        section = self.section
        if section is None or not section.links:
            self.ketaguide.tell("This section has no links.")
            return
        from ketaguide_tui.tui.screens.dialogs import LinkChoice, LinkListScreen

        choices = [LinkChoice(link.text, link.href) for link in section.links]

        async def chosen(href: str | None) -> None:
            if href is not None and self.section is not None:
                await self.follow_link(href, self.section.id)

        self.app.push_screen(LinkListScreen(choices), chosen)

    def switch_pane(self) -> None:
        if self.sidebar.has_focus:
            self.viewer.focus()
            if self.narrow:
                self.show_sidebar = False
        else:
            self.show_sidebar = True
            self.sidebar.focus()

    def toggle_sidebar(self) -> None:
        self.show_sidebar = not self.show_sidebar
        if self.show_sidebar and self.narrow:
            self.sidebar.focus()

    def back_out(self) -> None:
        """Esc: clear search marks, else close the sidebar on a narrow screen, else go to it."""
        if self.viewer.clear_marks():
            return
        if self.narrow and self.show_sidebar:
            self.show_sidebar = False
            self.viewer.focus()
        elif not self.sidebar.has_focus:
            self.show_sidebar = True
            self.sidebar.focus()

    def mark_matches(self, terms: tuple[str, ...]) -> None:
        index = self.ketaguide.search_index
        if index is None:
            return
        find_spans = index.match_spans

        def mark() -> None:
            if self.viewer.mark(terms, find_spans):
                self.viewer.step_match(1)

        self.viewer.when_settled(mark)

    def step_match(self, step: int) -> None:
        if not self.viewer.step_match(step):
            self.ketaguide.tell("No search matches here. Press / to search.")

    @on(SectionViewer.MatchesChanged)
    def _matches_changed(self, event: SectionViewer.MatchesChanged) -> None:
        status = self.query_one("#status", Static)
        if event.total:
            where = f"match {event.current} of {event.total}" if event.current else "matches"
            status.update(Content(f" {where} · n next · N previous · Esc clears marks"))
            status.display = True
        else:
            status.update(Content(""))
            status.display = False
