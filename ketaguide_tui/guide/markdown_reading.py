"""One reading of a section's Markdown: everything else takes what it needs from it.

`read_markdown` parses a body once with markdown-it (CommonMark, tables and
strikethrough: the flavour Rich renders) and walks the tokens once, in linear
time, to give:

* `headings`, with unique anchors (`slugs`), for the sidebar, links and search;
* `links` and code `fences`, for the reader and `check`;
* `blocks`: the top-level blocks with their source lines (the viewer lays out one
  block at a time from its source) and their plain text (`show --plain`);
* `passages`: the text before the first H2/H3 heading and under each H2/H3,
  with the H2 above an H3, as the search index stores them;
* `removed`: characters that decoding produced and cleaning took out.

Raw HTML has one rule, which every consumer follows: an HTML block (a line that
starts with a tag or `<!--`, and what follows it up to the end of the block) is
dropped whole; inline tags and comments are dropped and the text between inline
tags is kept. The viewer draws blocks with Rich, which drops the same things.

Untrusted text: the body was cleaned when the file was loaded, but markdown-it
decodes entities (`&#x202e;`, `&#13;`) and percent-escapes in autolink text
(`%1b`), so every string handed out here is cleaned again after parsing
(`inline_text`), and what that removed is kept in `removed` for `check`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from ketaguide_tui.guide.inline_text import InlineText, Link, Removed, read_inline
from ketaguide_tui.guide.slugs import SlugTracker

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

__all__ = ["Block", "CodeFence", "Heading", "Link", "MarkdownReading", "Passage", "read_markdown"]

PASSAGE_LEVELS = (2, 3)
"""Headings that start a search passage (and are listed in the sidebar)."""


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

    @property
    def is_html(self) -> bool:
        """An HTML block: dropped whole by every reader of the guide."""
        return self.kind == "html_block"


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
class MarkdownReading:
    """Everything one parse of a section's body yields."""

    headings: tuple[Heading, ...]
    links: tuple[Link, ...]
    fences: tuple[CodeFence, ...]
    blocks: tuple[Block, ...]
    passages: tuple[Passage, ...]
    """The lead passage first (always present), then one per H2/H3."""
    removed: tuple[tuple[int, str], ...]
    """(file line, characters) that cleaning removed from decoded text."""

    @property
    def plain_text(self) -> str:
        """The whole body as plain text, blocks separated by a blank line."""
        parts = [block.plain for block in self.blocks if block.plain]
        return "\n\n".join(parts) + "\n" if parts else ""


@cache
def markdown_parser() -> MarkdownIt:
    """The parser for content: CommonMark with tables and strikethrough.

    This is the flavour the viewer renders (Rich's Markdown uses the same), so a
    link or heading found here is one the reader can show. Imported on first use
    to keep it off the start-up path; one parser serves every section.
    """
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def read_markdown(body: str, first_line: int) -> MarkdownReading:
    """Read a section body whose first line is `first_line` (1-based) in its file."""
    walk = _Walk(first_line)
    for token in markdown_parser().parse(body):
        walk.step(token)
    return walk.finish()


def is_address(word: str) -> bool:
    """A word that is a web address ("https://…", "www.…"): search leaves these out."""
    return "://" in word or word[:4].lower() == "www."


def passage_words(pieces: list[str]) -> str:
    """Text pieces as one line of words, web addresses left out."""
    return " ".join(word for word in " ".join(pieces).split() if not is_address(word))


@dataclass
class _OpenBlock:
    kind: str
    start: int
    end: int
    heading: Heading | None = None
    anchors: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


class _Walk:
    """One pass over the token stream; each `step` does a constant amount of work per token
    plus the length of its text (no list copies: the reading stays linear)."""

    def __init__(self, first_line: int) -> None:
        self.first_line = first_line
        self.slugs = SlugTracker()
        self.removed = Removed()
        self.headings: list[Heading] = []
        self.links: list[Link] = []
        self.fences: list[CodeFence] = []
        self.blocks: list[Block] = []
        self.block: _OpenBlock | None = None
        self.passages: list[Passage] = []
        self.passage_heading: Heading | None = None
        self.passage_parent: Heading | None = None
        self.last_h2: Heading | None = None
        self.pieces: list[str] = []
        self.heading_level = 0  # set between heading_open and its inline token
        self.quotes: list[str] = []
        self.ordinals: list[int] = []
        self.pending_marker: str | None = None
        self.row: list[str] | None = None

    def step(self, token: Token) -> None:
        kind = token.type
        if token.level == 0 and token.nesting != -1 and token.map is not None:
            self._start_block(token)
        if kind == "inline":
            self._inline(token)
        elif kind == "heading_open":
            self.heading_level = int(token.tag[1])
            self._line("")
        elif kind == "hr":
            self._line(self._indent() + "-" * 20)
            self._line("")
        elif (
            kind in ("heading_close", "table_close")
            or kind == "paragraph_close"
            and not self.ordinals
        ):
            self._line("")
        elif kind in ("bullet_list_open", "ordered_list_open"):
            start = token.attrs.get("start", 1) if kind == "ordered_list_open" else 0
            self.ordinals.append(int(str(start)))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.ordinals.pop()
            if not self.ordinals:
                self._line("")
        elif kind == "list_item_open":
            number = self.ordinals[-1] if self.ordinals else 0
            if number:
                self.ordinals[-1] += 1
            marker = f"{number}." if number else "-"
            self.pending_marker = "  " * (len(self.ordinals) - 1) + marker + " "
        elif kind in ("blockquote_open", "blockquote_close"):
            self._quote(kind == "blockquote_open")
        elif kind == "tr_open":
            self.row = []
        elif kind == "tr_close" and self.row is not None:
            self._line(self._indent() + " | ".join(self.row))
            self.row = None
        elif kind in ("fence", "code_block"):
            self._code(token)

    def _quote(self, opening: bool) -> None:
        if opening:
            self.quotes.append("> ")
        elif self.quotes:
            self.quotes.pop()

    def _line_number(self, token: Token) -> int:
        return self.first_line + (token.map[0] if token.map else 0)

    def _start_block(self, token: Token) -> None:
        self._end_block()
        assert token.map is not None
        kind = token.type.removesuffix("_open")
        self.block = _OpenBlock(kind, token.map[0], token.map[1])

    def _end_block(self) -> None:
        block = self.block
        if block is None:
            return
        plain = "\n".join(_squeezed(block.lines))
        self.blocks.append(
            Block(block.kind, block.start, block.end, block.heading, tuple(block.anchors), plain)
        )
        self.block = None

    def _indent(self) -> str:
        indent = "".join(self.quotes)
        if self.pending_marker is not None:
            indent, self.pending_marker = indent + self.pending_marker, None
        elif self.ordinals:
            indent += "  " * len(self.ordinals)
        return indent

    def _line(self, text: str) -> None:
        if self.block is not None:
            self.block.lines.append(text)

    def _inline(self, token: Token) -> None:
        line = self._line_number(token)
        inline = read_inline(token, line, self.removed)
        self.links.extend(inline.links)
        if self.heading_level:
            self._heading(inline, line)
        elif self.row is not None:
            self.row.append(inline.shown)
            self.pieces.append(inline.text)
        else:
            self._line(self._indent() + inline.shown)
            self.pieces.append(inline.text)

    def _heading(self, inline: InlineText, line: int) -> None:
        level, self.heading_level = self.heading_level, 0
        text = " ".join(inline.text.split())
        heading = Heading(level, text, self.slugs.slug(text), line)
        self.headings.append(heading)
        block = self.block
        if block is not None:
            block.anchors.append(heading.anchor)
            if block.kind == "heading" and block.heading is None:
                block.heading = heading
        self._line(self._indent() + text)
        if level not in PASSAGE_LEVELS:
            self.pieces.append(text)
            return
        self._finish_passage()
        self.last_h2 = heading if level == 2 else self.last_h2
        self.passage_heading = heading
        self.passage_parent = self.last_h2 if level == 3 else None

    def _code(self, token: Token) -> None:
        if token.type == "fence":
            info = self.removed.cleaned(token.info, self._line_number(token))
            self.fences.append(CodeFence(info.strip(), self._line_number(token)))
        code = token.content.rstrip("\n")
        indent = "".join(self.quotes) + "  " * len(self.ordinals) + "    "
        for line in code.split("\n"):
            self._line(indent + line)
        self._line("")
        self.pieces.append(code)

    def _finish_passage(self) -> None:
        text = passage_words(self.pieces)
        self.passages.append(Passage(self.passage_heading, self.passage_parent, text))
        self.pieces = []

    def finish(self) -> MarkdownReading:
        self._end_block()
        self._finish_passage()
        return MarkdownReading(
            headings=tuple(self.headings),
            links=tuple(self.links),
            fences=tuple(self.fences),
            blocks=tuple(self.blocks),
            passages=tuple(self.passages),
            removed=tuple(self.removed.found),
        )


def _squeezed(lines: list[str]) -> list[str]:
    """Lines without trailing spaces, runs of blank lines as one, none at either end."""
    out: list[str] = []
    for line in lines:
        line = line.rstrip()
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return out
