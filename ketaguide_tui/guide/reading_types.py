"""What one reading of a section's Markdown holds (`markdown_reading` makes it).

Headings with anchors, code fences, top-level blocks with their source lines
and plain text, search passages and text units, and the characters cleaning
removed. Everything here is already cleaned of control characters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ketaguide_tui.guide.inline_text import Link

if TYPE_CHECKING:
    from ketaguide_tui.guide.reading_tree import Node

PASSAGE_LEVELS = (2, 3)
"""Headings that start a search passage (and are listed in the sidebar)."""
MAX_BLOCK_CHARS = 16 * 1024
"""The longest block the reader lays out. A block is laid out whole, and Rich takes
up to about 20 ms a kilobyte (tables); the bundled guide's longest block is about 4 KB."""


@dataclass(frozen=True)
class Heading:
    """A heading inside a section."""

    level: int
    """1 to 6, as in Markdown."""
    text: str
    """The heading's plain text on one line (image descriptions and link text kept)."""
    anchor: str
    """Its unique slug within the section (what `#anchor` links use)."""
    line: int
    """1-based line in the file."""


@dataclass(frozen=True)
class CodeFence:
    """A fenced code block (kept so `check` can flag ones without a language)."""

    info: str
    line: int


@dataclass(frozen=True)
class Block:
    """One top-level Markdown block: a paragraph, heading, list, quote, table, code, rule, HTML."""

    kind: str
    """markdown-it's name for it without `_open`: "paragraph", "heading", "bullet_list"..."""
    start: int
    """0-based first line in the body."""
    end: int
    """0-based line after its last one (end-exclusive)."""
    heading: Heading | None
    """The heading, when the block is one."""
    anchors: tuple[str, ...]
    """Anchors of the headings in the block (its own, or ones nested in a quote or list)."""
    plain: str
    """Its plain text as `show --plain` prints it ("" for an HTML block)."""
    chars: int
    """The length of its Markdown source."""

    @property
    def is_html(self) -> bool:
        """An HTML block: dropped whole by every reader of the guide."""
        return self.kind == "html_block"

    @property
    def too_long(self) -> bool:
        """Over MAX_BLOCK_CHARS: the reader shows a note instead (`show --plain` prints it)."""
        return self.chars > MAX_BLOCK_CHARS

    @property
    def too_long_note(self) -> str:
        """What the reader shows instead of a block that is too long, as Markdown."""
        return (
            f"*This part is too long for the reader to show ({self.chars // 1024} KB; the limit"
            f" is {MAX_BLOCK_CHARS // 1024} KB). `ketaguide show --plain` prints it.*"
        )


@dataclass(frozen=True)
class Passage:
    """The searchable text of one part of a section: before any H2/H3, or under one."""

    heading: Heading | None
    """The H2 or H3 the passage sits under; None for the text before the first one."""
    parent: Heading | None
    """For an H3, the H2 above it (None when there is none)."""
    text: str
    """Plain text on one line: link and image text kept, web addresses dropped."""

    @property
    def context(self) -> str:
        """The parent heading's text ("" for an H2 and for the lead passage)."""
        return self.parent.text if self.parent is not None else ""


@dataclass(frozen=True)
class TextUnit:
    """A paragraph, a list item (its own paragraphs, not its sub-items) or a whole table."""

    kind: str
    """"paragraph", "item" or "table"."""
    line: int
    """1-based file line where it starts."""
    text: str
    """Its visible text on one line."""
    links: tuple[Link, ...]
    end: int
    """1-based file line after its last one (with sub-items, for a list item)."""


@dataclass(frozen=True)
class MarkdownReading:
    """Everything one parse of a section's body yields."""

    headings: tuple[Heading, ...]
    links: tuple[Link, ...]
    fences: tuple[CodeFence, ...]
    blocks: tuple[Block, ...]
    passages: tuple[Passage, ...]
    """The lead passage first (always present), then one per H2/H3."""
    units: tuple[TextUnit, ...]
    """Paragraphs, list items and tables, in the order they end."""
    removed: tuple[tuple[int, str], ...]
    """(file line, characters) that cleaning removed from decoded text."""
    tree: tuple[Node, ...] = ()
    """The blocks as a tree with their inline spans (`reading_tree`), for the linear
    reader and the HTML edition; empty unless asked for (`Section.tree`)."""

    @property
    def plain_text(self) -> str:
        """The whole body as plain text, blocks separated by a blank line."""
        parts = [block.plain for block in self.blocks if block.plain]
        return "\n\n".join(parts) + "\n" if parts else ""
