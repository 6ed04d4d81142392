"""Render a section into styled terminal lines, a block at a time.

The viewer shows these lines through Textual's Line API instead of mounting one
widget per Markdown block: rendering with Rich is several times faster, and a
section's first screenful can be shown before the rest is rendered. Each block
is rendered on its own so that headings have known line numbers (for anchors
and the sidebar) and links carry a click action instead of a terminal
hyperlink (nothing opens without the reader seeing where it goes).

This module uses Rich but not Textual.
"""

from __future__ import annotations

import copy
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from rich.theme import Theme

from ketaguide_tui.guide.model import Section
from ketaguide_tui.guide.review_status import UPDATED_SINCE_READ, is_overdue, next_review_text
from ketaguide_tui.guide.text_safety import clean

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from rich.markdown import Markdown

    from ketaguide_tui.tui.glossary_scan import GlossaryScan

Line = tuple[Segment, ...]
"""One screen line. Tuples, with runs of one style merged and one shared margin
segment: every rendered section is kept for revisits, so lines are kept small."""

MAX_TEXT_WIDTH = 88
"""Long lines are hard to read; wider terminals get a margin instead."""
LEFT_MARGIN = 2
MARGIN = Segment(" " * LEFT_MARGIN)
"""The segment every line starts with (one object, shared by every line)."""
BLANK: Line = ()


@dataclass(frozen=True)
class Palette:
    """The colours a section is drawn with (taken from the app's theme)."""

    accent: str
    primary: str
    secondary: str
    muted: str

    def rich_theme(self) -> Theme:
        """Rich's Markdown styles in these colours."""
        return Theme(
            {
                "markdown.link_url": Style(color=self.primary, underline=True),
                "markdown.link": Style(color=self.primary, underline=True),
                "markdown.code": Style(bold=True, color=self.secondary),
                "markdown.code_block": Style(color=self.secondary),
                "markdown.block_quote": Style(italic=True, color=self.muted),
                "markdown.item.bullet": Style(bold=True, color=self.accent),
                "markdown.item.number": Style(color=self.accent),
                "markdown.table.border": Style(color=self.muted),
                "markdown.table.header": Style(bold=True),
                "markdown.h1": Style(bold=True, color=self.accent),
                "markdown.h2": Style(bold=True, color=self.accent),
                "markdown.h3": Style(bold=True),
                "markdown.hr": Style(color=self.muted),
            },
            inherit=True,
        )


@dataclass(frozen=True)
class RenderedStart:
    """A section's first lines as rendered: whole blocks, so rendering can go on after them."""

    blocks: int
    """How many of the section's blocks (`section_blocks`) the lines hold, after the title."""
    body_start: int
    lines: tuple[Line, ...]
    anchor_lines: dict[str, int]
    heading_lines: tuple[tuple[int, str], ...]


@dataclass
class Block:
    """One top-level Markdown block of a section."""

    source: str
    """Its Markdown source (for a heading: the heading's text)."""
    heading_level: int = 0
    """2 for `##` and so on; 0 when the block is not a heading."""
    anchors: tuple[str, ...] = ()
    """Anchors that land on this block (its own heading, or headings nested in it)."""


def section_blocks(section: Section) -> list[Block]:
    """Split a section's body into top-level blocks, in order (from the section's one reading)."""
    source_lines = section.body.split("\n")
    blocks: list[Block] = []
    for block in section.reading.blocks:
        if block.is_html:
            continue  # the guide's rule for raw HTML: an HTML block is not shown
        if block.heading is not None:
            blocks.append(Block(block.heading.text, block.heading.level, block.anchors))
        elif block.too_long:  # laid out whole, it would stop the reader: a note instead
            blocks.append(Block(block.too_long_note, 0, block.anchors))
        else:
            source = "\n".join(source_lines[block.start : block.end])
            blocks.append(Block(source, 0, block.anchors))
    return blocks


@lru_cache(maxsize=256)
def _link_action(style: Style) -> Style:
    """Turn a terminal hyperlink into a click action the viewer handles (one
    style object per link, shared by its segments)."""
    href = style.link or ""
    return style.clear_meta_and_links() + Style.from_meta({"@click": f"follow_link({href!r})"})


def _finish(line: Iterable[Segment]) -> Line:
    out = [MARGIN]
    for segment in line:
        style = segment.style
        text = clean(segment.text)  # Rich decodes entities and escapes again: clean after it
        if style is not None and style.link:
            style = _link_action(style)
            segment = Segment(text, style)
        elif text is not segment.text:
            segment = Segment(text, style)
        last = out[-1]
        if last is not MARGIN and last.style == style and not (last.control or segment.control):
            out[-1] = Segment(last.text + segment.text, style)
        else:
            out.append(segment)
    return tuple(out)


@lru_cache(maxsize=4)
def _console_for(palette: Palette, width: int) -> Console:
    """A console for rendering at this width in these colours (shared: building
    one copies Rich's whole default theme)."""
    return Console(
        width=width,
        theme=palette.rich_theme(),
        color_system="truecolor",
        force_terminal=True,
        legacy_windows=False,
        highlight=False,
        emoji=False,
    )


def block_markdown(source: str) -> Markdown:
    """Rich's Markdown for one block, read by a parser made once for all blocks.

    Rich's `Markdown` makes a new markdown-it parser for each text it is given: 0.15 ms,
    half the cost of a short paragraph, for each of a section's dozens of blocks. This one
    is a copy of a Markdown Rich made (so it has Rich's own settings) with the block read by
    the shared parser; a test holds its output to Rich's for every block of the guide.
    """
    markdown = copy.copy(_empty_markdown())
    markdown.markup = source
    markdown.parsed = _markdown_parser().parse(source)
    return markdown


@cache
def _empty_markdown() -> Markdown:
    from rich.markdown import Markdown

    return Markdown("", hyperlinks=True)


@cache
def _markdown_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt().enable("strikethrough").enable("table")  # as rich.markdown makes it


@dataclass
class RenderedSection:
    """A section's lines at one width, rendered on demand, block by block."""

    section: Section
    width: int
    palette: Palette
    today: date | None = None
    """The date review status is shown for (None: no "Next review due" line)."""
    updated: bool = False
    """The section was reviewed again after the reader read it: the header says so."""
    lines: list[Line] = field(default_factory=list)
    anchor_lines: dict[str, int] = field(default_factory=dict)
    """Anchor -> line where its heading starts, for the blocks rendered so far."""
    heading_lines: list[tuple[int, str]] = field(default_factory=list)
    """(line, anchor) of every rendered H2/H3 heading, top to bottom."""
    _blocks: deque[Block] = field(default_factory=deque)
    """Blocks not rendered yet; each is let go once rendered (rendered sections
    are kept for revisits)."""
    body_start: int = 0
    """The first line after the title and review lines."""
    glossary: GlossaryScan | None = None
    """Glossary terms found in these lines so far (kept with the lines for revisits)."""
    _console: Console | None = None
    _block_ends: list[int] = field(default_factory=list)
    """The number of lines after each block rendered so far (see `start`)."""

    def __post_init__(self) -> None:
        self._blocks = deque(section_blocks(self.section))
        self._console = _console_for(self.palette, self.text_width)
        self._add_title()

    @property
    def text_width(self) -> int:
        return max(10, min(MAX_TEXT_WIDTH, self.width - LEFT_MARGIN - 1))

    @property
    def complete(self) -> bool:
        """True once every block is rendered."""
        return not self._blocks

    def start(self, count: int) -> RenderedStart | None:
        """The fewest whole blocks rendered so far that fill `count` lines (all of them
        when the section is shorter), or None when they do not yet."""
        ends = self._block_ends
        size = next((end for end in ends if end >= count), None)
        if size is None and self.complete:
            size = len(self.lines)
        if size is None:
            return None
        # Taken-up blocks all end on the same line (see `resume`): count every one.
        blocks = sum(1 for end in ends if end <= size)
        return RenderedStart(
            blocks=blocks,
            body_start=self.body_start,
            lines=tuple(self.lines[:size]),
            anchor_lines={a: line for a, line in self.anchor_lines.items() if line < size},
            heading_lines=tuple((line, a) for line, a in self.heading_lines if line < size),
        )

    def resume(self, start: RenderedStart) -> bool:
        """Take up `start` (the same section's first blocks, rendered before) instead of
        rendering them again; False, changing nothing, when it cannot fit this section."""
        if self._block_ends or start.blocks > len(self._blocks):
            return False
        if start.body_start > len(start.lines):
            return False
        for _ in range(start.blocks):
            self._blocks.popleft()
        self.lines[:] = start.lines
        self.anchor_lines = dict(start.anchor_lines)
        self.heading_lines = list(start.heading_lines)
        self.body_start = start.body_start
        # Later blocks only need to know where the restored ones end.
        self._block_ends = [len(self.lines)] * start.blocks
        return True

    def _render(self, renderable: Text | Markdown) -> list[Line]:
        console = self._console
        assert console is not None
        options = console.options.update(width=self.text_width)
        return [_finish(line) for line in console.render_lines(renderable, options, pad=False)]

    def _add_title(self) -> None:
        section = self.section
        title = Text(section.title, style=Style(bold=True, color=self.palette.accent))
        sources = len(section.sources)
        note = f" · {sources} sources listed at the end" if sources else ""
        meta = Text(f"{section.reviewed_text}{note}", style=Style(color=self.palette.muted))
        self.lines.append(BLANK)
        self.lines.extend(self._render(title))
        self.lines.extend(self._render(meta))
        due = next_review_text(section, self.today) if self.today else None
        if due is not None and self.today is not None:
            overdue = is_overdue(section, self.today)
            style = Style(bold=True) if overdue else Style(color=self.palette.muted)
            self.lines.extend(self._render(Text(("⚠ " if overdue else "") + due, style=style)))
        if self.updated:
            notice = f"↻ This section was {UPDATED_SINCE_READ}"
            self.lines.extend(self._render(Text(notice, style=Style(bold=True))))
        self.lines.append(BLANK)
        self.body_start = len(self.lines)

    def _render_block(self, block: Block) -> None:
        start = len(self.lines)
        if block.heading_level:
            style = Style(
                bold=True, color=self.palette.accent if block.heading_level <= 2 else None
            )
            rendered = self._render(Text(block.source, style=style))
            if block.heading_level <= 2:
                rule = "─" * min(self.text_width, max(len(block.source), 8))
                rendered.append(_finish([Segment(rule, Style(color=self.palette.muted))]))
        else:
            rendered = self._render(block_markdown(block.source))
        # Rich pads some blocks with empty lines; the spacing between blocks is ours.
        while rendered and not self.line_text(rendered[0]).strip():
            rendered.pop(0)
        while rendered and not self.line_text(rendered[-1]).strip():
            rendered.pop()
        self.lines.extend(rendered)
        self.lines.append(BLANK)
        self._block_ends.append(len(self.lines))
        for anchor in block.anchors:
            self.anchor_lines.setdefault(anchor, start)
        if block.heading_level in (2, 3) and block.anchors:
            self.heading_lines.append((start, block.anchors[0]))

    def render_lines(self, count: int) -> None:
        """Render whole blocks until at least `count` lines exist (or all are done)."""
        while not self.complete and len(self.lines) < count:
            self.render_blocks(1)

    def render_blocks(self, count: int) -> None:
        """Render the next `count` blocks."""
        for _ in range(min(count, len(self._blocks))):
            self._render_block(self._blocks.popleft())

    def render_to_anchor(self, anchor: str) -> int | None:
        """Render until the heading with `anchor` is rendered; its line, or None."""
        while anchor not in self.anchor_lines and not self.complete:
            self.render_blocks(1)
        return self.anchor_lines.get(anchor)

    def render_all(self) -> None:
        while not self.complete:
            self.render_blocks(8)

    @staticmethod
    def line_text(line: Line) -> str:
        return "".join(segment.text for segment in line)
