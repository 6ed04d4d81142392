"""Find in this section, for the reading screen: what is being found, marked and counted.

The screen owns the find bar (`widgets/find_bar.py`), the viewer and the status
line, and hands their messages here. A find marks what the viewer has drawn at
once and the rest as it is drawn; the bar counts the whole section in the
background, so the status line can say "match 3 of 57 in this section" before
every match is marked.
"""

from __future__ import annotations

from ketaguide_tui.guide.model import Section
from ketaguide_tui.search.terms import match_spans
from ketaguide_tui.tui.widgets.find_bar import FindBar
from ketaguide_tui.tui.widgets.match_status import MatchStatus
from ketaguide_tui.tui.widgets.viewer import SectionViewer


def section_texts(section: Section) -> list[str]:
    """The section's text as the reader sees it, for counting: title, headings, paragraphs."""
    texts = [section.title]
    for passage in section.reading.passages:
        if passage.heading is not None:
            texts.append(passage.heading.text)
        texts.append(passage.text)
    return texts


class FindInSection:
    """The state of one reading screen's find."""

    def __init__(self, viewer: SectionViewer, bar: FindBar, status: MatchStatus) -> None:
        self.viewer = viewer
        self.bar = bar
        self.status = status
        self.term = ""
        """What is being found ("" when no find is active)."""
        self.counted: int | None = None
        """Matches in the whole section, once the background count is in."""
        self.current = 0
        """The number of the current match, as the viewer last said."""
        self.section_id = ""
        """The section the bar counts in."""

    async def open(self, section: Section) -> None:
        """Show the find bar for the open section."""
        self.section_id = section.id
        await self.bar.open(section_texts(section))

    def changed(self, term: str) -> None:
        """Mark `term` in the open section and go to its first match from the top of the view."""
        self.term = term
        self.counted = None
        if not term:
            self.viewer.clear_marks()
            self._show(0, 0)
            return
        section = self.viewer.section
        if section is not None and section.id != self.section_id:
            # Another section was opened while the bar was open: count in that one.
            self.section_id = section.id
            self.bar.texts = tuple(section_texts(section))
        self.bar.count(term)
        if self.viewer.mark((term,), match_spans, whole=False):
            self.viewer.step_match(1)

    def count_arrived(self, term: str, total: int) -> None:
        """The background count for `term` (ignored if the reader has typed on since)."""
        if term == self.term:
            self.counted = total
            self._show(self.current, self.viewer.match_count)

    def closed(self, keep: bool) -> None:
        """The bar closed: keep the marks (Enter) or clear them (Esc); back to the text."""
        if not keep or not self.viewer.match_count:
            self.forget()
            self.viewer.clear_marks()
            self.status.show_matches(0, 0)
        self.viewer.focus()

    def forget(self) -> None:
        """Another search marks the text now: this find is over."""
        self.term = ""
        self.counted = None

    def matches_changed(self, current: int, total: int) -> None:
        """The viewer's marks or current match changed."""
        self.current = current
        if not total and not self.bar.display:
            self.forget()
        self._show(current, total)

    def _show(self, current: int, total: int) -> None:
        if self.term:
            self.status.show_matches(current, total, self.counted, self.term)
        else:
            self.status.show_matches(current, total)
