"""Search marks in the viewer: where a search's terms are, which one is current, how they look.

The viewer finds the matches once per search (on the plain text of each
rendered line) and asks this module to paint them on the lines it draws.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.theme import Theme

from ketaguide_tui.tui.theme_colors import mark_colours

SpanFinder = Callable[[str, Sequence[str]], list[tuple[int, int]]]
"""Finds (start, end) spans of search terms in a piece of plain text."""


@dataclass(frozen=True)
class Match:
    """One search match: a line and the cells it covers."""

    y: int
    start: int
    end: int


class SearchMarks:
    """The matches of one search in the open section, and the current one."""

    def __init__(self) -> None:
        self.matches: list[Match] = []
        self.by_line: dict[int, list[Match]] = {}
        self.index = -1
        """Index of the current match in `matches`; -1 before the first step."""

    def find(self, lines: Sequence[str], terms: Sequence[str], find_spans: SpanFinder) -> int:
        """Mark every occurrence of `terms` in `lines`; returns how many were found."""
        self.clear()
        for y, text in enumerate(lines):
            for start, end in find_spans(text, terms):
                match = Match(y, start, end)
                self.matches.append(match)
                self.by_line.setdefault(y, []).append(match)
        return len(self.matches)

    def clear(self) -> bool:
        """Forget every mark. True if there were any."""
        had_marks = bool(self.matches)
        self.matches.clear()
        self.by_line.clear()
        self.index = -1
        return had_marks

    @property
    def current(self) -> Match | None:
        return self.matches[self.index] if self.index >= 0 else None

    def step(self, step: int, top: float) -> Match | None:
        """The next (1) or previous (-1) match, wrapping; the first step starts at `top`."""
        if not self.matches:
            return None
        if self.index < 0:
            first = next((i for i, m in enumerate(self.matches) if m.y >= top), 0)
            self.index = first if step > 0 else (first - 1) % len(self.matches)
        else:
            self.index = (self.index + step) % len(self.matches)
        return self.matches[self.index]

    def paint(self, strip: Strip, y: int, theme: Theme, no_color: bool) -> Strip:
        """Line `y` with its marks painted on (the current one stands out)."""
        marks = self.by_line.get(y)
        if not marks:
            return strip
        current = self.current
        cuts = sorted({cut for m in marks for cut in (m.start, m.end)} | {strip.cell_length})
        pieces = strip.divide(cuts)
        starts = [0, *cuts]
        styled: list[Strip] = []
        for start, piece in zip(starts, pieces, strict=False):
            mark = next((m for m in marks if m.start <= start < m.end), None)
            if mark is not None:
                style = _mark_style(mark == current, theme, no_color)
                piece = piece.apply_style(Style()).simplify()
                piece = Strip([Segment(s.text, (s.style or Style()) + style) for s in piece])
            styled.append(piece)
        return Strip.join(styled)


def _mark_style(is_current: bool, theme: Theme, no_color: bool) -> Style:
    if no_color:
        # Without colour, marks are reversed (links are underlined, so a mark
        # never looks like one); the current match is also bold and underlined.
        return Style(reverse=True, bold=is_current, underline=is_current)
    colours = mark_colours(theme)
    # Both colours are set: a mark keeps its contrast on a coloured title,
    # heading, link or code span.
    if is_current:
        return Style(
            color=colours.current_foreground, bgcolor=colours.current_background, bold=True
        )
    return Style(color=colours.foreground, bgcolor=colours.background)
