"""A section as plain text, for pipes, screen readers and `show --plain`.

The text comes from the section's one Markdown reading (`markdown_reading`):
headings become their own lines, list items start with "- " (or their number),
table rows become cells joined by " | ", and a link to the web keeps its address
in brackets after its text so nothing is hidden from someone reading plain text.
"""

from __future__ import annotations

from datetime import date

from ketaguide_tui.guide.markdown_reading import read_markdown
from ketaguide_tui.guide.model import Section
from ketaguide_tui.guide.review_status import review_lines


def markdown_to_plain(markdown: str) -> str:
    """Render a piece of Markdown as readable plain text."""
    return read_markdown(markdown, 1).plain_text


def section_plain_text(section: Section, today: date | None = None) -> str:
    """A section as `show --plain` prints it: title, review dates (as of `today`), its text."""
    title = section.title
    review = "\n".join(review_lines(section, today or date.today()))
    return f"{title}\n{'=' * len(title)}\n{review}\n\n{section.reading.plain_text}"
