"""The viewer's glossary layer: terms marked in place, a tooltip on hover, a click to explain.

`SectionViewer` builds on this class. Terms are found after the text is on
screen, never before it: once a section is placed, the scan waits for the
viewer's next frame (`AfterPaint`), and each background render step scans the
blocks it rendered. A scan reads only lines not read before and is kept with
the rendered lines (`glossary_scan`), so a page turn costs nothing extra and a
revisit costs nothing at all. Lines that get a mark are redrawn.

Hovering a marked term shows its definition as a tooltip; clicking it posts
`TermChosen`, and the screen shows the definition (Enter goes to the entry).
It also holds what the header's review lines depend on (`today`, `updated`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual.events import Leave, MouseMove
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ketaguide_tui.guide.model import GLOSSARY_SECTION_ID
from ketaguide_tui.tui.rendering import Line, RenderedSection

if TYPE_CHECKING:
    # The glossary comes from the index worker after the first frame, and so do
    # these modules: the first frame has no terms to mark.
    from ketaguide_tui.guide.glossary import Glossary, GlossaryEntry


class GlossaryTermsView(ScrollView):
    """A scroll view of rendered section lines whose glossary terms are marked."""

    @dataclass
    class TermChosen(Message):
        """A marked term was clicked: explain it."""

        anchor: str
        """The anchor of its entry in the glossary section."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.glossary: Glossary | None = None
        """The guide's glossary (the screen sets it; None or empty: nothing is marked)."""
        self._rendered: RenderedSection | None = None
        self._strips: dict[tuple[int, int, int], Strip] = {}
        """(line, scroll_x, width) -> the strip drawn for it, for the lines in `_rendered`."""
        self._hover_anchor: str | None = None
        # Set by the screen; they change how a section's header is rendered.
        self.today: Callable[[], date] | None = None
        """Today's date for the review lines (None: no such line)."""
        self.updated: frozenset[str] = frozenset()
        """Sections reviewed again since the reader read them."""

    def set_glossary(self, glossary: Glossary) -> None:
        """Use this glossary (built off the UI thread after the first frame); mark the text."""
        self.glossary = glossary
        if self._rendered is not None and self._rendered.glossary is None:
            self._glossary_scan_for(self._rendered)
            self.scan_glossary()

    def _glossary_scan_for(self, rendered: RenderedSection) -> None:
        """Give a newly rendered section its (empty) scan, unless it is the glossary itself."""
        if self.glossary and rendered.section.id != GLOSSARY_SECTION_ID:
            from ketaguide_tui.tui.glossary_scan import GlossaryScan

            rendered.glossary = GlossaryScan(self.glossary)

    def scan_glossary(self) -> None:
        """Find terms in the lines rendered since the last scan and redraw those marked."""
        rendered = self._rendered
        scan = rendered.glossary if rendered is not None else None
        if scan is None or rendered is None or scan.scanned >= len(rendered.lines):
            return
        changed = scan.scan(rendered)
        if not changed:
            return
        for key in [key for key in self._strips if key[0] in changed]:
            del self._strips[key]
        top = round(self.scroll_y)
        visible = [y for y in changed if top <= y < top + self.size.height]
        if visible:
            self.refresh_lines(min(visible), max(visible) - min(visible) + 1)

    def glossary_line(self, rendered: RenderedSection, index: int) -> Line:
        """Line `index` with its marked terms styled."""
        line = rendered.lines[index]
        scan = rendered.glossary
        spans = scan.by_line.get(index) if scan is not None else None
        if not spans:
            return line
        from ketaguide_tui.tui.glossary_scan import paint  # imported with the scan

        theme = self.app.current_theme
        return paint(spans, line, theme.secondary or theme.primary, self.app.no_color)

    def terms_in_view(self) -> list[GlossaryEntry]:
        """Every entry with a use on screen, top to bottom (marked or not)."""
        rendered = self._rendered
        if rendered is None or rendered.glossary is None:
            return []
        self.scan_glossary()
        top = round(self.scroll_y)
        return rendered.glossary.entries_between(top, top + self.size.height)

    def action_explain_term(self, anchor: str) -> None:
        self.post_message(self.TermChosen(anchor))

    def on_mouse_move(self, event: MouseMove) -> None:
        glossary = self.glossary
        if not glossary:
            return  # no marks yet (nor the module that makes them)
        from ketaguide_tui.tui.glossary_scan import GLOSSARY_META

        anchor = event.style.meta.get(GLOSSARY_META) if event.style else None
        if anchor == self._hover_anchor:
            return
        self._hover_anchor = anchor
        entry = glossary.entry(anchor) if isinstance(anchor, str) else None
        if entry is None:
            self.tooltip = None
        else:
            # Content text, never markup; the tooltip says how to read more.
            tip = Text.assemble((entry.heading, "bold"), "\n", entry.definition)
            tip.append("\nClick to read more.", style="dim")
            self.tooltip = tip

    def on_leave(self, event: Leave) -> None:
        self._hover_anchor = None
        self.tooltip = None
