"""NO_COLOR done fully: a line filter that removes every colour and keeps the attributes.

Textual's own NO_COLOR filter makes colours grey, and greys are still colour
codes (256-colour codes on many terminals). This one drops foreground and
background colours so the terminal's own colours show; bold, reverse and
underline stay, and the stylesheet uses them (the `:nocolor` rules) where
colour alone would mark something.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter


class WithoutColour(LineFilter):
    """Remove all colour from segments, keep their other attributes."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            Segment(text, None if style is None else style.without_color, control)
            for text, style, control in segments
        ]
