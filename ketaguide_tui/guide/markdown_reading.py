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
* `units`: paragraphs, list items and tables with their text and links (what
  `check` asks "is this figure cited here?" of);
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
from ketaguide_tui.guide.reading_tree import TreeBuilder
from ketaguide_tui.guide.reading_types import (
    MAX_BLOCK_CHARS,
    PASSAGE_LEVELS,
    Block,
    CodeFence,
    Heading,
    MarkdownReading,
    Passage,
    TextUnit,
)
from ketaguide_tui.guide.slugs import SlugTracker

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

__all__ = [
    "MAX_BLOCK_CHARS",
    "Block",
    "CodeFence",
    "Heading",
    "Link",
    "MarkdownReading",
    "Passage",
    "TextUnit",
    "is_address",
    "markdown_parser",
    "passage_words",
    "read_markdown",
]


@cache
def markdown_parser() -> MarkdownIt:
    """The parser for content: CommonMark with tables and strikethrough.

    This is the flavour the viewer renders (Rich's Markdown uses the same), so a
    link or heading found here is one the reader can show. Imported on first use
    to keep it off the start-up path; one parser serves every section.
    """
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def read_markdown(body: str, first_line: int, with_tree: bool = False) -> MarkdownReading:
    """Read a section body whose first line is `first_line` (1-based) in its file.

    `with_tree` adds the blocks as a tree (`reading_tree`): about a sixth more
    work, so it is made only for the readers that need it (`Section.tree`).
    """
    walk = _Walk(first_line, _line_offsets(body), TreeBuilder() if with_tree else None)
    for token in markdown_parser().parse(body):
        walk.step(token)
    return walk.finish()


def _line_offsets(text: str) -> list[int]:
    """Where each line starts, and one more entry for the end of the text."""
    offsets = [0]
    for line in text.split("\n"):
        offsets.append(offsets[-1] + len(line) + 1)
    return offsets


def is_address(word: str) -> bool:
    """A word that is a web address ("https://…", "www.…"): search leaves these out."""
    return "://" in word or word[:4].lower() == "www."


def passage_words(pieces: list[str]) -> str:
    """Text pieces as one line of words, web addresses left out."""
    return " ".join(word for word in " ".join(pieces).split() if not is_address(word))


@dataclass
class _OpenUnit:
    kind: str
    line: int
    end: int
    texts: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)


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

    def __init__(self, first_line: int, offsets: list[int], tree: TreeBuilder | None) -> None:
        self.first_line = first_line
        self.offsets = offsets
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
        self.units: list[TextUnit] = []
        self.open_units: list[_OpenUnit] = []
        self.tree = tree

    def step(self, token: Token) -> None:
        kind = token.type
        if self.tree is not None:
            self.tree.step(token)
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
        if kind in _UNIT_EVENTS:
            self._unit(token)
        elif kind == "tr_open":
            self.row = []
        elif kind == "tr_close" and self.row is not None:
            self._line(self._indent() + " | ".join(self.row))
            self.row = None
        elif kind in ("fence", "code_block"):
            self._code(token)

    def _unit(self, token: Token) -> None:
        """Open or close a paragraph, list item or table unit."""
        kind = _UNIT_EVENTS[token.type]
        top = self.open_units[-1].kind if self.open_units else ""
        if token.nesting == 1:
            # A paragraph inside a list item or a table cell belongs to it.
            if kind != "paragraph" or top not in ("item", "table"):
                end = self.first_line + (token.map[1] if token.map else 0)
                self.open_units.append(_OpenUnit(kind, self._line_number(token), end))
        elif top == kind:
            unit = self.open_units.pop()
            text = " ".join(" ".join(unit.texts).split())
            self.units.append(TextUnit(kind, unit.line, text, tuple(unit.links), unit.end))

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
        end = min(block.end, len(self.offsets) - 1)
        chars = self.offsets[end] - self.offsets[min(block.start, end)]
        anchors = tuple(block.anchors)
        self.blocks.append(
            Block(block.kind, block.start, block.end, block.heading, anchors, plain, chars)
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
        if self.open_units and not self.heading_level:
            self.open_units[-1].texts.append(inline.text)
            self.open_units[-1].links.extend(inline.links)
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
        if self.tree is not None:
            self.tree.note_heading(heading)
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
            units=tuple(self.units),
            removed=tuple(self.removed.found),
            tree=self.tree.finish() if self.tree is not None else (),
        )


_UNIT_EVENTS = {
    "paragraph_open": "paragraph",
    "paragraph_close": "paragraph",
    "list_item_open": "item",
    "list_item_close": "item",
    "table_open": "table",
    "table_close": "table",
}


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
