"""A section's text as HTML, from its one Markdown reading (`reading_tree`).

Content is untrusted: every piece of text and every attribute value is escaped
here, and raw HTML from a content folder never reaches a page as markup (the
reading has already dropped it, and what is left is escaped like any text).
Links are resolved the way the reader resolves them (`guide.links`): a link to
another section becomes a link to its page and heading, a web link keeps its
address, and a link the reader would refuse becomes plain text.

Heading levels: the page title is the one `<h1>`; headings in the text start
at `<h2>` and never skip a level (a `####` after a `##` becomes `<h3>`), so the
outline a screen reader lists has no holes. Their ids are the same anchors the
reader and `--section ID#HEADING` use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from html import escape

from ketaguide_tui.guide.links import SectionLink, WebLink, resolve_link
from ketaguide_tui.guide.model import Guide, Section
from ketaguide_tui.guide.reading_tree import (
    CodeNode,
    HeadingNode,
    ListNode,
    Node,
    ParagraphNode,
    QuoteNode,
    RuleNode,
    Span,
    TableNode,
)

MARK_TAGS = {"em": "em", "strong": "strong", "del": "del", "code": "code"}


def text(value: str) -> str:
    """Escaped text for an element's content or an attribute value."""
    return escape(value, quote=True)


@dataclass
class PageLinks:
    """Where a section's links point on the pages written: decided once per link."""

    guide: Guide
    section: Section
    page_of: Callable[[str], str]
    """Section id -> its page's file name."""
    hrefs: list[str | None] = field(default_factory=list)
    """Per link of the section (by number), its href, or None when it is not followed."""

    def __post_init__(self) -> None:
        for link in self.section.links:
            target = resolve_link(link.href, self.section.id, self.guide)
            if isinstance(target, WebLink):
                self.hrefs.append(target.url)
            elif isinstance(target, SectionLink):
                self.hrefs.append(self.section_href(target.section_id, target.anchor))
            else:
                self.hrefs.append(None)

    def section_href(self, section_id: str, anchor: str | None) -> str:
        fragment = f"#{anchor}" if anchor else ""
        if section_id == self.section.id and fragment:
            return fragment
        return self.page_of(section_id) + fragment


class Renderer:
    """Renders one section's nodes; keeps the last heading level so levels never skip."""

    def __init__(self, links: PageLinks) -> None:
        self.links = links
        self.level = 1

    def nodes(self, nodes: Sequence[Node]) -> str:
        return "\n".join(self.node(node) for node in nodes)

    def node(self, node: Node) -> str:
        if isinstance(node, HeadingNode):
            level = min(max(node.heading.level, 2), self.level + 1, 6)
            self.level = level
            anchor = node.heading.anchor
            ident = f' id="{text(anchor)}"' if anchor else ""
            return f"<h{level}{ident}>{self.spans(node.spans)}</h{level}>"
        if isinstance(node, ParagraphNode):
            inner = self.spans(node.spans)
            return inner if node.tight else f"<p>{inner}</p>"
        if isinstance(node, ListNode):
            return self.list_block(node)
        if isinstance(node, QuoteNode):
            return f"<blockquote>\n{self.nodes(node.children)}\n</blockquote>"
        if isinstance(node, TableNode):
            return self.table_block(node)
        if isinstance(node, CodeNode):
            return f"<pre><code>{text(node.text)}</code></pre>"
        if isinstance(node, RuleNode):
            return "<hr>"
        raise TypeError(f"unknown node {type(node).__name__}")  # pragma: no cover

    def list_block(self, node: ListNode) -> str:
        items = "\n".join(f"<li>{self.nodes(item.children)}</li>" for item in node.items)
        if not node.ordered:
            return f"<ul>\n{items}\n</ul>"
        start = f' start="{node.start}"' if node.start != 1 else ""
        return f"<ol{start}>\n{items}\n</ol>"

    def table_block(self, node: TableNode) -> str:
        head = "".join(f'<th scope="col">{self.spans(cell)}</th>' for cell in node.header)
        body = "\n".join(
            "<tr>" + "".join(f"<td>{self.spans(cell)}</td>" for cell in row) + "</tr>"
            for row in node.rows
        )
        return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"

    def spans(self, spans: Sequence[Span]) -> str:
        """Inline spans, a link's spans inside one `<a>` (or plain text if not followed)."""
        return "".join(self._runs(spans))

    def _runs(self, spans: Sequence[Span]) -> Iterator[str]:
        index = 0
        while index < len(spans):
            link = spans[index].link
            end = index + 1
            while end < len(spans) and spans[end].link == link:
                end += 1
            inner = "".join(_span(span) for span in spans[index:end])
            yield self._linked(inner, link)
            index = end

    def _linked(self, inner: str, link: int | None) -> str:
        if link is None:
            return inner
        hrefs = self.links.hrefs
        href = hrefs[link] if link < len(hrefs) else None
        if href is None:
            return f'<span class="unfollowed-link">{inner}</span>'
        if href.startswith(("http://", "https://")):
            return f'<a class="web" href="{text(href)}">{inner}</a>'
        return f'<a href="{text(href)}">{inner}</a>'


def _span(span: Span) -> str:
    if span.text == "\n":
        return "<br>"
    if "image" in span.marks:
        return f'<span class="image-description">[Image: {text(span.text)}]</span>'
    inner = text(span.text)
    for mark in span.marks:
        tag = MARK_TAGS.get(mark)
        if tag:
            inner = f"<{tag}>{inner}</{tag}>"
    return inner
