"""The viewer: the open section, drawn line by line from pre-rendered text.

Sections are rendered by `rendering.RenderedSection` (Rich's Markdown, one block
at a time) and shown through Textual's Line API: the first screenful appears as
soon as its blocks are rendered, the rest follows in small batches between
frames, and rendered sections are kept so a revisit costs almost nothing.

The viewer tells the screen, by messages, which heading the reader has scrolled
to, which link was clicked and when the end was seen; it never opens anything
itself. Search matches are marked on the lines so `n`/`N` can step through them.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.events import Resize
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ketaguide_tui.guide.model import Section
from ketaguide_tui.tui.rendering import Palette, RenderedSection

SpanFinder = Callable[[str, Sequence[str]], list[tuple[int, int]]]
"""Finds (start, end) spans of search terms in a piece of plain text."""

CACHE_SIZE = 24
"""Rendered sections kept for quick revisits (a few hundred KB each at most)."""
BLOCKS_PER_TICK = 6
"""Blocks rendered per background step: small enough to keep a frame short."""


@dataclass(frozen=True)
class Match:
    """One search match: a line and the cells it covers."""

    y: int
    start: int
    end: int


class SectionViewer(ScrollView, can_focus=True):
    """Shows one section; reports headings reached, links clicked and the end seen."""

    BINDINGS = [
        Binding("end", "scroll_end", "Bottom", show=False),
    ]

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
        self._rendered: RenderedSection | None = None
        self._cache: OrderedDict[tuple[str, int, str], RenderedSection] = OrderedDict()
        self._current_anchor: str | None = None
        self._end_reported = False
        self._matches: list[Match] = []
        self._marks_by_line: dict[int, list[Match]] = {}
        self._match_index = -1
        self._pending: tuple[str | None, int] | None = None
        self._when_settled: list[Callable[[], object]] = []
        self._filling = False
        self._base_style = Style()
        self._after_paint: list[Callable[[], object]] = []

    # Rendering ------------------------------------------------------------

    def _palette(self) -> Palette:
        theme = self.app.current_theme
        muted = theme.foreground or ("#a0a0a0" if theme.dark else "#606060")
        return Palette(
            accent=theme.accent or theme.primary,
            primary=theme.primary,
            secondary=theme.secondary or theme.primary,
            muted=_dim(muted, theme.background, theme.dark),
        )

    def _rendered_for(self, section: Section) -> RenderedSection:
        width = max(self.size.width, 20)
        key = (section.id, width, self.app.theme)
        rendered = self._cache.get(key)
        if rendered is None:
            rendered = RenderedSection(section, width, self._palette())
            self._cache[key] = rendered
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        return rendered

    def _update_size(self) -> None:
        # Lines are wrapped to the width already: only vertical scrolling.
        rendered = self._rendered
        size = Size(0, len(rendered.lines) if rendered else 0)
        if size == self.virtual_size:
            return
        if not self.container_size:
            self.virtual_size = size
            return
        # `virtual_size` is a layout reactive: setting it lays out and repaints
        # the whole screen (sidebar and footer too), which costs more than
        # drawing the section. The viewer's own size does not depend on its
        # length: only the scrollbar needs to know. When the scrollbar appears
        # or goes, showing or hiding it lays out the screen by itself.
        self.set_reactive(SectionViewer.virtual_size, size)
        self._scroll_update(size)

    def _fill_in_background(self) -> None:
        # Render the rest of the section a few blocks per tick, between frames.
        if self._filling:
            return
        self._filling = True
        self.after_paint(self._fill_step)

    def _fill_step(self) -> None:
        rendered = self._rendered
        if rendered is None or rendered.complete:
            self._filling = False
            self._check_end()
            return
        rendered.render_blocks(BLOCKS_PER_TICK)
        self._update_size()
        self._update_current_heading()
        self.set_timer(0.001, self._fill_step)

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
        self._rendered = rendered
        target = rendered.render_to_anchor(anchor) if anchor else None
        top = target if target is not None else scroll_y
        rendered.render_lines(top + self.size.height + 1)
        self._update_size()
        self.scroll_to(y=top, animate=False, immediate=True, force=True)
        self._update_current_heading()
        if target is not None:
            self._set_current_anchor(anchor)
        self.refresh()
        self._fill_in_background()
        self._check_end()
        waiting, self._when_settled = self._when_settled, []
        for callback in waiting:
            callback()

    def when_settled(self, callback: Callable[[], object]) -> None:
        """Run `callback` once the open section is placed on screen."""
        if self._pending is None:
            callback()
        else:
            self._when_settled.append(callback)

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        resized = super()._size_updated(size, virtual_size, container_size, layout)
        if self._pending is not None and size.height:
            # The screen calls this while it lays out, before it draws the frame;
            # the Resize event comes after that frame. Placing the section now
            # puts its text in the first frame instead of the next one.
            self._settle()
        return resized

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
        self._cache.clear()
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

    def after_paint(self, callback: Callable[[], object]) -> None:
        """Run `callback` once the viewer's next frame has been drawn.

        `call_after_refresh` can run before a frame that is still on its way:
        the screen hears of a widget's repaint only when the widget's own queue
        is idle. Work queued here waits for the compositor to draw the viewer,
        so that the text a key asked for is on screen first.
        """
        if not self.display or not self.size or not self.screen.is_current:
            self.call_after_refresh(callback)
            return
        self._after_paint.append(callback)
        self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        # `rich_style` walks every ancestor's styles: work it out once a frame,
        # not once a line.
        self._base_style = self.rich_style
        # Called while the frame is composed: these run once it is written.
        self._release_after_paint()
        return super().render_lines(crop)

    def on_hide(self) -> None:
        # Hidden before the awaited frame (the sidebar called over the text on
        # a narrow screen): no frame of the viewer is coming to wait for.
        self._release_after_paint()

    def _release_after_paint(self) -> None:
        waiting, self._after_paint = self._after_paint, []
        for callback in waiting:
            self.call_later(callback)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.size.width
        base = self._base_style
        rendered = self._rendered
        if rendered is None or index >= len(rendered.lines):
            return Strip.blank(width, base)
        strip = Strip(rendered.lines[index])
        marks = self._marks_by_line.get(index)
        if marks:
            strip = self._paint_marks(strip, marks)
        return strip.crop_extend(scroll_x, scroll_x + width, base).apply_style(base)

    def _paint_marks(self, strip: Strip, marks: list[Match]) -> Strip:
        current = self._matches[self._match_index] if self._match_index >= 0 else None
        theme = self.app.current_theme
        cuts = sorted({cut for m in marks for cut in (m.start, m.end)} | {strip.cell_length})
        pieces = strip.divide(cuts)
        starts = [0, *cuts]
        styled: list[Strip] = []
        for start, piece in zip(starts, pieces, strict=False):
            mark = next((m for m in marks if m.start <= start < m.end), None)
            if mark is not None:
                is_current = mark == current
                if self.app.no_color:
                    # NO_COLOR strips every colour: mark with underline, reverse the current.
                    style = Style(underline=True, reverse=is_current, bold=is_current)
                else:
                    style = Style(
                        bgcolor=theme.warning if is_current else theme.secondary,
                        color=theme.background if is_current else theme.foreground,
                        bold=is_current,
                    )
                piece = piece.apply_style(Style()).simplify()
                piece = Strip([Segment(s.text, (s.style or Style()) + style) for s in piece])
            styled.append(piece)
        return Strip.join(styled)

    def line_texts(self) -> list[str]:
        """The plain text of every line rendered so far (the section as shown)."""
        rendered = self._rendered
        return [RenderedSection.line_text(line) for line in rendered.lines] if rendered else []

    # Links ----------------------------------------------------------------

    def action_follow_link(self, href: str) -> None:
        if self.section is not None:
            self.post_message(self.LinkActivated(self.section.id, href))

    # Search marks -------------------------------------------------------

    def mark(self, terms: Sequence[str], find_spans: SpanFinder) -> int:
        """Highlight every occurrence of `terms`; returns how many were found."""
        self.clear_marks()
        rendered = self._rendered
        if not terms or rendered is None:
            return 0
        rendered.render_all()
        self._update_size()
        for y, line in enumerate(rendered.lines):
            text = RenderedSection.line_text(line)
            for start, end in find_spans(text, terms):
                match = Match(y, start, end)
                self._matches.append(match)
                self._marks_by_line.setdefault(y, []).append(match)
        self.refresh()
        self.post_message(self.MatchesChanged(0, len(self._matches)))
        return len(self._matches)

    def clear_marks(self) -> bool:
        """Remove search marks. True if there were any."""
        had_marks = bool(self._matches)
        self._matches.clear()
        self._marks_by_line.clear()
        self._match_index = -1
        if had_marks:
            self.refresh()
            self.post_message(self.MatchesChanged(0, 0))
        return had_marks

    @property
    def match_count(self) -> int:
        return len(self._matches)

    @property
    def current_match_line(self) -> int | None:
        """The line of the current match, if one is current."""
        return self._matches[self._match_index].y if self._match_index >= 0 else None

    def step_match(self, step: int) -> bool:
        """Go to the next (1) or previous (-1) match, wrapping. False if none."""
        if not self._matches:
            return False
        if self._match_index < 0:
            first = self._first_match_in_view()
            self._match_index = first if step > 0 else (first - 1) % len(self._matches)
        else:
            self._match_index = (self._match_index + step) % len(self._matches)
        match = self._matches[self._match_index]
        if not self.scroll_y <= match.y < self.scroll_y + self.size.height - 1:
            self.scroll_to(y=max(0, match.y - self.size.height // 3), animate=False, force=True)
        self.refresh()
        self.post_message(self.MatchesChanged(self._match_index + 1, len(self._matches)))
        return True

    def _first_match_in_view(self) -> int:
        top = self.scroll_y
        return next((i for i, m in enumerate(self._matches) if m.y >= top), 0)


def _dim(color: str, background: str | None, dark: bool) -> str:
    """A muted version of `color`, blended towards the background."""
    from textual.color import Color

    try:
        fore = Color.parse(color)
        back = Color.parse(background or ("#000000" if dark else "#ffffff"))
    except Exception:  # a theme colour Textual can't parse: keep the original
        return color
    return fore.blend(back, 0.4).hex
