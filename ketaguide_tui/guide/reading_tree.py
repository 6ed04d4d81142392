"""A section's blocks as a tree (headings, paragraphs, lists, quotes, tables, code), for
readers that need the structure: the linear reader speaks it, the HTML edition marks it up.

The tree is made during the one reading of a section when asked for
(`read_markdown(..., with_tree=True)`, as `Section.tree` does: `markdown_reading`
then hands every token to `TreeBuilder`), so it follows the guide's rules exactly: raw HTML
is dropped (an HTML block whole, an inline tag without the text around it), and
every piece of text is cleaned after markdown-it decoded it. Links are numbered
by their place in `MarkdownReading.links`, so "link 3" is the third link of the
section wherever it is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from ketaguide_tui.guide.inline_text import alt_text
from ketaguide_tui.guide.text_safety import clean

if TYPE_CHECKING:
    # For annotations only: importing markdown-it costs tens of milliseconds, which the
    # commands that read no Markdown (`list`, `search` from the cache) need not pay.
    from markdown_it.token import Token

    from ketaguide_tui.guide.reading_types import Heading

MARKS = {"em_open": "em", "strong_open": "strong", "s_open": "del"}
"""Inline emphasis markdown-it opens, and the mark a span carries while it is open."""


class Span(NamedTuple):
    """A run of inline text with the same marks, inside at most one link.

    A named tuple rather than a dataclass: there is one per run of text in the
    guide, and it is made during every reading (a tuple is quick to make)."""

    text: str
    """Cleaned text; "\\n" for a hard line break."""
    marks: tuple[str, ...] = ()
    """Any of "em", "strong", "del", "code", "image" (an image's description)."""
    link: int | None = None
    """Index into the section's links (`MarkdownReading.links`) when inside a link."""


Spans = tuple[Span, ...]


@dataclass(frozen=True)
class HeadingNode:
    heading: Heading
    spans: Spans


@dataclass(frozen=True)
class ParagraphNode:
    spans: Spans
    tight: bool = False
    """A paragraph of a tight list item (HTML shows it without <p>)."""


@dataclass(frozen=True)
class ItemNode:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class ListNode:
    ordered: bool
    start: int
    items: tuple[ItemNode, ...]


@dataclass(frozen=True)
class QuoteNode:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class TableNode:
    header: tuple[Spans, ...]
    """The header row's cells (a Markdown table always has one)."""
    rows: tuple[tuple[Spans, ...], ...]


@dataclass(frozen=True)
class CodeNode:
    text: str
    info: str


@dataclass(frozen=True)
class RuleNode:
    pass


Node = HeadingNode | ParagraphNode | ListNode | QuoteNode | TableNode | CodeNode | RuleNode


def spans_text(spans: Sequence[Span]) -> str:
    """The spans' text on one line."""
    return " ".join("".join(span.text for span in spans).split())


@dataclass
class _Frame:
    """A container being filled: the root, a list item, a quote, a list or a table."""

    kind: str
    children: list[Node] = field(default_factory=list)
    items: list[ItemNode] = field(default_factory=list)
    ordered: bool = False
    start: int = 1
    header: list[Spans] = field(default_factory=list)
    rows: list[tuple[Spans, ...]] = field(default_factory=list)
    row: list[Spans] = field(default_factory=list)
    in_head: bool = False


class TreeBuilder:
    """Builds the tree from markdown-it's tokens, one `step` per token (linear time)."""

    def __init__(self) -> None:
        self.frames: list[_Frame] = [_Frame("root")]
        self.spans: Spans = ()
        self.heading: Heading | None = None
        self.tight = False
        self.link_count = 0

    def note_heading(self, heading: Heading) -> None:
        """The heading (with its anchor) the reading made of the heading being read."""
        self.heading = heading

    def step(self, token: Token) -> None:
        kind = token.type
        top = self.frames[-1]
        if kind == "inline":
            self.spans = self._inline(token.children or ())
        elif kind == "heading_close":
            if self.heading is not None:
                self._add(HeadingNode(self.heading, self.spans))
            self.heading = None
        elif kind == "paragraph_open":
            self.tight = token.hidden
        elif kind == "paragraph_close":
            self._add(ParagraphNode(self.spans, self.tight))
        elif kind in ("bullet_list_open", "ordered_list_open"):
            start = int(str(token.attrs.get("start", 1)))
            self.frames.append(_Frame("list", ordered=kind == "ordered_list_open", start=start))
        elif kind in ("list_item_open", "blockquote_open", "table_open"):
            self.frames.append(_Frame(kind.removesuffix("_open")))
        elif kind in ("bullet_list_close", "ordered_list_close") and top.kind == "list":
            self.frames.pop()
            self._add(ListNode(top.ordered, top.start, tuple(top.items)))
        elif kind == "list_item_close" and top.kind == "list_item":
            self.frames.pop()
            if self.frames[-1].kind == "list":
                self.frames[-1].items.append(ItemNode(tuple(top.children)))
        elif kind == "blockquote_close" and top.kind == "blockquote":
            self.frames.pop()
            self._add(QuoteNode(tuple(top.children)))
        else:
            self._table_or_leaf(token, top)

    def _table_or_leaf(self, token: Token, top: _Frame) -> None:
        kind = token.type
        if kind == "thead_open":
            top.in_head = True
        elif kind == "thead_close":
            top.in_head = False
        elif kind == "tr_open":
            top.row = []
        elif kind in ("th_close", "td_close"):
            top.row.append(self.spans)
            self.spans = ()
        elif kind == "tr_close":
            if top.in_head:
                top.header = list(top.row)
            else:
                top.rows.append(tuple(top.row))
        elif kind == "table_close" and top.kind == "table":
            self.frames.pop()
            self._add(TableNode(tuple(top.header), tuple(top.rows)))
        elif kind in ("fence", "code_block"):
            info = " ".join(clean(token.info).split()) if kind == "fence" else ""
            self._add(CodeNode(clean(token.content.rstrip("\n")), info))
        elif kind == "hr":
            self._add(RuleNode())

    def _add(self, node: Node) -> None:
        self.frames[-1].children.append(node)

    def _inline(self, children: Sequence[Token]) -> Spans:
        spans: list[Span] = []
        opened: list[str] = []
        marks: tuple[str, ...] = ()
        link: int | None = None
        for child in children:
            kind = child.type
            if kind == "text":  # most children: the quick way
                content = child.content
                if content:
                    spans.append(Span(_cleaned(content), marks, link))
            elif kind in MARKS:
                opened.append(MARKS[kind])
                marks = tuple(opened)
            elif kind.endswith("_close") and kind != "link_close" and opened:
                opened.pop()
                marks = tuple(opened)
            elif kind == "link_open":
                link = self.link_count
                self.link_count += 1
            elif kind == "link_close":
                link = None
            elif kind in ("code_inline", "image", "softbreak", "hardbreak"):
                span = _leaf_span(child, marks, link)
                if span.text:
                    spans.append(span)
        return tuple(spans)

    def finish(self) -> tuple[Node, ...]:
        """The top-level nodes (markdown-it closes every container it opens)."""
        return tuple(self.frames[0].children)


def _leaf_span(token: Token, marks: tuple[str, ...], link: int | None) -> Span:
    kind = token.type
    if kind == "softbreak":
        return Span(" ", marks, link)
    if kind == "hardbreak":
        return Span("\n", marks, link)
    if kind == "image":
        return Span(_cleaned(alt_text(token.children or ())), (*marks, "image"), link)
    extra = ("code",) if kind == "code_inline" else ()
    return Span(_cleaned(token.content), (*marks, *extra), link)


def _cleaned(text: str) -> str:
    # Almost all text is printable: the cheap test first, as `inline_text` does.
    return text if text.isprintable() else clean(text)
