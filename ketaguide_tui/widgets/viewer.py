"""The viewer: the open section as rendered Markdown, with its title and review date.

It renders one section at a time (Textual's Markdown widget costs grow with the
text). It tells the screen, by messages, which heading the reader has scrolled
to and which link was clicked; it never opens anything itself. Search matches
are marked in the rendered blocks so `n`/`N` can step through them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Markdown, Static
from textual.widgets.markdown import MarkdownBlock

from ketaguide_tui.content import Section

SpanFinder = Callable[[str, Sequence[str]], list[tuple[int, int]]]
"""Finds (start, end) spans of search terms in a piece of plain text."""


@dataclass
class Match:
    """One search match inside a rendered block."""

    block: MarkdownBlock
    start: int
    end: int


class SectionViewer(VerticalScroll, can_focus=True):
    """Shows one section; reports headings reached and links clicked."""

    DEFAULT_CSS = """
    SectionViewer #section-header { padding: 1 2 0 2; }
    SectionViewer Markdown { padding: 0 1; }
    """

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
        self._headers: list[tuple[str, MarkdownBlock]] = []
        self._current_anchor: str | None = None
        self._matches: list[Match] = []
        self._originals: dict[MarkdownBlock, Content] = {}
        self._match_index = -1
        self._end_reported = False
        self._settled = True
        self._pending: tuple[str | None, int] = (None, 0)
        self._when_settled: list[Callable[[], object]] = []

    def compose(self) -> ComposeResult:
        yield Static(id="section-header")
        yield Markdown(id="section-body", open_links=False)

    @property
    def body(self) -> Markdown:
        return self.query_one("#section-body", Markdown)

    @property
    def current_anchor(self) -> str | None:
        """The heading the reader is at."""
        return self._current_anchor

    async def show(self, section: Section, anchor: str | None = None, scroll_y: int = 0) -> None:
        """Render `section`, then go to `anchor` (or to `scroll_y` lines down).

        A newly rendered section has no layout until the next refresh, so the
        move to the heading or scroll position (and anything queued with
        `when_settled`) happens then; before that, scrolling would be clamped to 0.
        """
        if self.section is None or self.section.id != section.id:
            self.clear_marks()
            self.section = section
            self._settled = False
            self._current_anchor = None
            self.query_one("#section-header", Static).update(self._header_content(section))
            await self.body.update(section.body)
            # Heading blocks are named after their token; the class itself is private.
            headers = [b for b in self.body.query(MarkdownBlock) if b.name == "heading_open"]
            anchors = [h.anchor for h in section.headings]
            self._headers = list(zip(anchors, headers, strict=False))
            self._end_reported = False
            self._pending = (anchor, scroll_y)
            self.call_after_refresh(self._settle)
        elif not self._settled:
            self._pending = (anchor, scroll_y)
        else:
            self._move_to(anchor, scroll_y)

    def _settle(self) -> None:
        self._settled = True
        self._move_to(*self._pending)
        waiting, self._when_settled = self._when_settled, []
        for callback in waiting:
            callback()

    def when_settled(self, callback: Callable[[], object]) -> None:
        """Run `callback` once the open section is laid out and positioned."""
        if self._settled:
            callback()
        else:
            self._when_settled.append(callback)

    def _move_to(self, anchor: str | None, scroll_y: int) -> None:
        if not (anchor and self.go_to_anchor(anchor)):
            self.scroll_to(y=scroll_y, animate=False, immediate=True)
            self._update_current_heading()
        self._check_end()

    @staticmethod
    def _header_content(section: Section) -> Content:
        reviewed = f"{section.reviewed.day} {section.reviewed:%B %Y}"
        sources = len(section.sources)
        sources_note = f" · {sources} sources listed at the end" if sources else ""
        return Content.assemble(
            (section.title, "bold $accent"),
            "\n",
            (f"Last reviewed {reviewed}{sources_note}", "$text-muted"),
        )

    def _header_y(self, header: MarkdownBlock) -> int:
        return self.body.virtual_region.y + header.virtual_region.y

    def go_to_anchor(self, anchor: str) -> bool:
        """Scroll so the heading with this anchor is at the top. False if absent."""
        for name, header in self._headers:
            if name == anchor:
                self.scroll_to(y=self._header_y(header), animate=False, immediate=True)
                self._set_current_anchor(anchor)
                return True
        return False

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._update_current_heading()
        self._check_end()

    def _check_end(self) -> None:
        if (
            self.section is not None
            and self._settled
            and not self._end_reported
            and self.scroll_y >= self.max_scroll_y - 1
        ):
            self._end_reported = True
            self.post_message(self.EndReached(self.section.id))

    def _update_current_heading(self) -> None:
        top = self.scroll_y + 1
        current: str | None = None
        for name, header in self._headers:
            if self._header_y(header) > top:
                break
            current = name
        self._set_current_anchor(current)

    def _set_current_anchor(self, anchor: str | None) -> None:
        if anchor != self._current_anchor and self.section is not None:
            self._current_anchor = anchor
            self.post_message(self.HeadingReached(self.section.id, anchor))

    @on(Markdown.LinkClicked)
    def _link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        event.prevent_default()
        if self.section is not None:
            self.post_message(self.LinkActivated(self.section.id, event.href))

    # Search marks -------------------------------------------------------

    def mark(self, terms: Sequence[str], find_spans: SpanFinder) -> int:
        """Highlight every occurrence of `terms`; returns how many were found."""
        self.clear_marks()
        if not terms:
            return 0
        for block in self.body.query(MarkdownBlock):
            content = block.content
            if block.children or not isinstance(content, Content) or not content.plain:
                continue
            spans = find_spans(content.plain, terms)
            if not spans:
                continue
            self._originals[block] = content
            for start, end in spans:
                self._matches.append(Match(block, start, end))
        self._paint_marks()
        self.post_message(self.MatchesChanged(0, len(self._matches)))
        return len(self._matches)

    def _paint_marks(self) -> None:
        current = self._matches[self._match_index] if self._match_index >= 0 else None
        for block, original in self._originals.items():
            content = original
            for match in self._matches:
                if match.block is block:
                    style = "reverse $warning" if match is current else "on $warning 40%"
                    content = content.stylize(style, match.start, match.end)
            block.update(content)

    def clear_marks(self) -> bool:
        """Remove search marks. True if there were any."""
        had_marks = bool(self._matches)
        for block, original in self._originals.items():
            block.update(original)
        self._originals.clear()
        self._matches.clear()
        self._match_index = -1
        if had_marks:
            self.post_message(self.MatchesChanged(0, 0))
        return had_marks

    @property
    def match_count(self) -> int:
        return len(self._matches)

    def step_match(self, step: int) -> bool:
        """Go to the next (1) or previous (-1) match, wrapping. False if none."""
        if not self._matches:
            return False
        if self._match_index < 0:
            self._match_index = self._first_match_in_view() if step > 0 else len(self._matches) - 1
            if step < 0:
                self._match_index = (self._first_match_in_view() - 1) % len(self._matches)
        else:
            self._match_index = (self._match_index + step) % len(self._matches)
        self._paint_marks()
        match = self._matches[self._match_index]
        self.scroll_to_widget(match.block, animate=False, immediate=True, center=True)
        self.post_message(self.MatchesChanged(self._match_index + 1, len(self._matches)))
        return True

    def _first_match_in_view(self) -> int:
        top = self.scroll_y
        for index, match in enumerate(self._matches):
            if self.body.virtual_region.y + self._block_y(match.block) >= top:
                return index
        return 0

    def _block_y(self, block: MarkdownBlock) -> int:
        y = block.virtual_region.y
        parent = block.parent
        while isinstance(parent, MarkdownBlock):
            y += parent.virtual_region.y
            parent = parent.parent
        return y
