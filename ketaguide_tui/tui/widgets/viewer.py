"""The viewer: the open section, drawn line by line from pre-rendered text.

Sections are rendered by `rendering.RenderedSection` (Rich's Markdown, one block
at a time) and shown through Textual's Line API: the first screenful appears as
soon as its blocks are rendered, the rest follows in small batches between
frames, and rendered sections are kept so a revisit costs almost nothing. Like
Textual's Log and RichLog, the viewer keeps the `Strip` of each line it drew
and hands the same one back while nothing changed (so Strip's own caches work).

The viewer tells the screen, by messages, which heading the reader has scrolled
to, which link was clicked and when the end was seen; it never opens anything
itself. Search matches are marked on the lines so `n`/`N` can step through them;
glossary terms are marked by the layer this class builds on (`glossary_view`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from rich.style import Style
from textual.binding import Binding
from textual.events import Resize
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip

from ketaguide_tui.guide.model import Section
from ketaguide_tui.tui.frame_timing import FILL_STEP_DELAY, AfterPaint, freeze_after_first_fill
from ketaguide_tui.tui.rendered_sections import RenderedSections
from ketaguide_tui.tui.rendering import RenderedSection
from ketaguide_tui.tui.theme_colors import palette_for
from ketaguide_tui.tui.widgets.glossary_view import GlossaryTermsView
from ketaguide_tui.tui.widgets.marks import SearchMarks, SpanFinder

STRIP_CACHE_SIZE = 1024
"""Drawn lines kept (as Textual's Log keeps them): a few screens of scrolling."""
BLOCKS_PER_TICK = 3
"""Blocks rendered per background step: small enough that a key pressed meanwhile waits
little (a step of 6 took up to 12 ms; with 3, page turns pressed straight after the first
frame took 26 ms at the median instead of 34, docs/speed.md)."""


class SectionViewer(GlossaryTermsView, can_focus=True):
    """Shows one section; reports headings reached, links clicked and the end seen."""

    BINDINGS = [Binding("end", "scroll_end", "Bottom", show=False)]

    @dataclass
    class HeadingReached(Message):
        """The reader scrolled to a different heading."""

        section_id: str
        """The open section."""
        anchor: str | None
        """The heading at the top of the view, or None above the first heading."""

    @dataclass
    class LinkActivated(Message):
        """A link in the text was clicked; the screen decides what to do."""

        section_id: str
        """The section the link is in (relative links resolve against it)."""
        href: str
        """The link target as written."""

    @dataclass
    class EndReached(Message):
        """The reader has seen the end of the section."""

        section_id: str
        """The open section."""

    @dataclass
    class MatchesChanged(Message):
        """The search marks or the current match changed."""

        current: int
        """1-based number of the current match (0 when none is current)."""
        total: int
        """How many matches are marked in the section."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.section: Section | None = None
        self.frames = AfterPaint(self)
        """Work that waits for the viewer's next frame (see `tui.frame_timing`)."""
        self.sections = RenderedSections()
        """Rendered sections kept for revisits (the screen gives it the kept first screens)."""
        self._current_anchor: str | None = None
        self._end_reported = False
        self._marks = SearchMarks()
        self._marking: tuple[tuple[str, ...], SpanFinder] | None = None
        """A find's terms while the section is still being drawn (see `mark`)."""
        self._pending: tuple[str | None, int] | None = None
        self._when_settled: list[Callable[[], object]] = []
        self._filling = False
        self._base_style = Style()

    # Rendering ------------------------------------------------------------

    def _rendered_for(self, section: Section) -> RenderedSection:
        width = max(self.size.width, 20)
        today, updated = self.today() if self.today else None, section.id in self.updated
        theme = self.app.current_theme
        rendered, new = self.sections.get(
            section, width, self.app.theme, lambda: palette_for(theme), today, updated
        )
        if new or rendered.glossary is None:  # the glossary may come after it was rendered
            self._glossary_scan_for(rendered)
        return rendered

    def _update_size(self) -> None:
        # Lines are wrapped to the width already: only vertical scrolling.
        rendered = self._rendered
        size = Size(0, len(rendered.lines) if rendered else 0)
        if size == self.virtual_size:
            return
        height = self.container_size.height
        if not height or (size.height > height) != self.show_vertical_scrollbar:
            # No size yet, or the scrollbar appears or goes: lay the screen out.
            self.virtual_size = size
            return
        # `virtual_size` is a layout reactive: setting it lays out and repaints
        # the whole screen (sidebar and footer too), which costs more than
        # drawing the section. The viewer's own size does not depend on its
        # length (it is 1fr high): only its scrollbar needs to know.
        self.set_reactive(SectionViewer.virtual_size, size)
        scrollbar = self.vertical_scrollbar
        scrollbar.window_virtual_size = size.height
        scrollbar.window_size = height - self.scrollbar_size_horizontal

    def _fill_in_background(self) -> None:
        # Render the rest of the section a few blocks per tick, between frames.
        if self._filling:
            return
        self._filling = True
        self.frames.add(self._fill_step)

    def _fill_step(self) -> None:
        rendered = self._rendered
        if rendered is None or rendered.complete:
            self._filling = False
            self._check_end()
            self._mark_the_rest()
            self.frames.collect_when_quiet()
            return
        rendered.render_blocks(BLOCKS_PER_TICK)
        freeze_after_first_fill()
        self.scan_glossary()
        self._update_size()
        self._update_current_heading()
        self.set_timer(FILL_STEP_DELAY, self._fill_step)

    # Showing a section ------------------------------------------------------

    @property
    def current_anchor(self) -> str | None:
        """The heading the reader is at."""
        return self._current_anchor

    async def show(self, section: Section, anchor: str | None = None, scroll_y: int = 0) -> None:
        """Show `section` at `anchor` (or `scroll_y` lines down).

        Until the viewer has a size (before the first layout, or while hidden on a
        narrow screen) the place is kept and taken up when the size is known.
        """
        if self.section is None or self.section.id != section.id:
            self.clear_marks()
            self.section = section
            self._current_anchor = None
            self._end_reported = False
        self._pending = (anchor, scroll_y)
        self._settle()

    def _settle(self) -> None:
        if self._pending is None or self.section is None or not self.size.height:
            return
        anchor, scroll_y = self._pending
        self._pending = None
        self._place(self.section, anchor, scroll_y)

    def _place(self, section: Section, anchor: str | None, scroll_y: int) -> None:
        rendered = self._rendered_for(section)
        if rendered is not self._rendered:
            self._rendered = rendered
            self._strips.clear()
        target = rendered.render_to_anchor(anchor) if anchor else None
        top = target if target is not None else scroll_y
        rendered.render_lines(top + self.size.height + 1)
        self._update_size()
        self.scroll_to(y=top, animate=False, immediate=True, force=True)
        self._update_current_heading()
        if target is not None:
            self._set_current_anchor(anchor)
        self.refresh()
        self.frames.add(self.scan_glossary)  # marks may come a frame after the text
        self.frames.add(partial(self._keep_first_screen, rendered))
        self._fill_in_background()
        self._check_end()
        waiting, self._when_settled = self._when_settled, []
        for callback in waiting:
            callback()

    def _keep_first_screen(self, rendered: RenderedSection) -> None:
        # After the frame: the next start shows these lines without rendering them.
        save = self.sections.keep_first_screen(rendered, self.size.height + 1)
        if save is not None and rendered is self._rendered:
            self.run_worker(save, thread=True, group="first-screens")

    def when_settled(self, callback: Callable[[], object]) -> None:
        """Run `callback` once the open section is placed on screen."""
        if self._pending is None:
            callback()
        else:
            self._when_settled.append(callback)

    def on_resize(self, event: Resize) -> None:
        if self._pending is not None:
            self._settle()
        elif self.section is None or self._rendered is None or not event.size.height:
            return
        elif self._rendered.width != max(event.size.width, 20):
            # Re-render at the new width, keeping the reader at the same heading.
            self._place(self.section, self._current_anchor, 0)

    def refresh_theme(self) -> None:
        """Redraw in the app's current theme colours."""
        self.sections.clear()
        self._strips.clear()
        if self.section is not None:
            anchor = self._current_anchor
            self._place(self.section, anchor, 0 if anchor else round(self.scroll_y))

    # Scrolling ------------------------------------------------------------

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        rendered = self._rendered
        if rendered is not None and not rendered.complete:
            rendered.render_lines(round(new) + self.size.height + 1)
            self._update_size()
        self._update_current_heading()
        self._check_end()

    def action_scroll_end(self) -> None:
        if self._rendered is not None:
            self._rendered.render_all()
            self._update_size()
        self.scroll_end(animate=False, immediate=True, force=True)

    def _update_current_heading(self) -> None:
        if self._rendered is None:
            return
        top = self.scroll_y + 1
        current: str | None = None
        for line, anchor in self._rendered.heading_lines:
            if line > top:
                break
            current = anchor
        self._set_current_anchor(current)

    def _set_current_anchor(self, anchor: str | None) -> None:
        if anchor != self._current_anchor and self.section is not None:
            self._current_anchor = anchor
            self.post_message(self.HeadingReached(self.section.id, anchor))

    def _check_end(self) -> None:
        rendered = self._rendered
        if (
            self.section is not None
            and rendered is not None
            and rendered.complete
            and not self._end_reported
            and self._pending is None
            and self.size.height
            and self.scroll_y >= self.max_scroll_y - 1
        ):
            self._end_reported = True
            self.post_message(self.EndReached(self.section.id))

    # Drawing --------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        if self._pending is not None and self.size.height:
            # The first frame after the viewer learns its size is being drawn:
            # placing the section now puts its text in this frame, not the
            # next one (the Resize event comes only after this frame).
            self._settle()
        # `rich_style` walks every ancestor's styles: work it out once a frame,
        # not once a line. Focus and theme change it; the drawn lines then go.
        base = self.rich_style
        if base != self._base_style:
            self._base_style = base
            self._strips.clear()
        # Called while the frame is composed: waiting work runs once it is written.
        self.frames.release()
        return super().render_lines(crop)

    def on_hide(self) -> None:
        # Hidden before the awaited frame (the sidebar called over the text on
        # a narrow screen): no frame of the viewer is coming to wait for.
        self.frames.release()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.size.width
        rendered = self._rendered
        if rendered is None or index >= len(rendered.lines):
            return Strip.blank(width, self._base_style)
        key = (index, scroll_x, width)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._draw_line(rendered, index, scroll_x, width)
            if len(self._strips) >= STRIP_CACHE_SIZE:
                del self._strips[next(iter(self._strips))]
            self._strips[key] = strip
        return strip

    def _draw_line(self, rendered: RenderedSection, index: int, scroll_x: int, width: int) -> Strip:
        base = self._base_style
        line = Strip(self.glossary_line(rendered, index))
        strip = self._marks.paint(line, index, self.app.current_theme, self.app.no_color)
        return strip.crop_extend(scroll_x, scroll_x + width, base).apply_style(base)

    def line_texts(self) -> list[str]:
        """The plain text of every line rendered so far (the section as shown)."""
        rendered = self._rendered
        return [RenderedSection.line_text(line) for line in rendered.lines] if rendered else []

    # Links ----------------------------------------------------------------

    def action_follow_link(self, href: str) -> None:
        if self.section is not None:
            self.post_message(self.LinkActivated(self.section.id, href))

    # Search marks -------------------------------------------------------

    def mark(self, terms: Sequence[str], find_spans: SpanFinder, whole: bool = True) -> int:
        """Highlight every occurrence of `terms`; returns how many were found. With `whole`
        false, the lines drawn so far are marked now and the rest once they are drawn."""
        self.clear_marks()
        rendered = self._rendered
        if not terms or rendered is None:
            return 0
        if whole:
            rendered.render_all()
            self._update_size()
        elif not rendered.complete:
            self._marking = (tuple(terms), find_spans)
        found = self._marks.find(self.line_texts(), terms, find_spans)
        self._marks_changed()
        return found

    def _mark_the_rest(self) -> None:
        # The whole section is drawn now: mark it all, keeping the current match.
        if self._marking is None:
            return
        (terms, find_spans), self._marking = self._marking, None
        current = self._marks.current
        self._marks.find(self.line_texts(), terms, find_spans)
        if current is not None and current in self._marks.matches:
            self._marks.index = self._marks.matches.index(current)
        self._marks_changed()

    def clear_marks(self) -> bool:
        """Remove search marks. True if there were any."""
        self._marking = None
        had_marks = self._marks.clear()
        if had_marks:
            self._marks_changed()
        return had_marks

    def _marks_changed(self) -> None:
        self._strips.clear()
        self.refresh()
        current = self._marks.index + 1 if self._marks.current else 0
        self.post_message(self.MatchesChanged(current, len(self._marks.matches)))

    @property
    def match_count(self) -> int:
        return len(self._marks.matches)

    @property
    def current_match_line(self) -> int | None:
        """The line of the current match, if one is current."""
        current = self._marks.current
        return current.y if current else None

    def step_match(self, step: int) -> bool:
        """Go to the next (1) or previous (-1) match, wrapping. False if none."""
        match = self._marks.step(step, self.scroll_y)
        if match is None:
            return False
        if not self.scroll_y <= match.y < self.scroll_y + self.size.height - 1:
            self.scroll_to(y=max(0, match.y - self.size.height // 3), animate=False, force=True)
        self._marks_changed()
        return True
