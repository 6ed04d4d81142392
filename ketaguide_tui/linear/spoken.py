"""A section as lines a screen reader speaks well: structure said in words, short lines.

Made from the section's one Markdown reading (`reading_tree`): headings say
their level ("Heading level 2: Blood pressure"), lists say how many items they
have and number them, a table row is read as "Effect: Nausea. Esketamine: 28%.
Placebo: 9%." (each cell after its column's header), and a link is its text
followed by "(link 3)", the number the links list uses. No line is longer than
`WIDTH` characters, and nothing depends on colour, position or redrawing.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Sequence
from datetime import date

from ketaguide_tui.guide.model import Section
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
    spans_text,
)
from ketaguide_tui.guide.review_status import review_lines

WIDTH = 72
"""The longest line printed: short lines are easier to follow by ear and on a braille display."""


def spoken_text(spans: Sequence[Span]) -> str:
    """Inline text on one line, each link's text followed by its number: "label (link 3)"."""
    out: list[str] = []
    link: int | None = None
    for span in spans:
        if span.link != link and link is not None:
            out.append(f" (link {link + 1})")
        link = span.link
        text = span.text.replace("\n", " ")
        out.append(f"Image: {text}" if "image" in span.marks else text)
    if link is not None:
        out.append(f" (link {link + 1})")
    return " ".join("".join(out).split())


def wrapped(text: str, indent: str = "") -> list[str]:
    """`text` in lines of at most WIDTH characters (a word longer than that stays whole)."""
    return textwrap.wrap(
        text,
        width=WIDTH,
        initial_indent=indent,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [indent.rstrip()]


def section_lines(
    section: Section, position: tuple[int, int], from_anchor: str | None = None
) -> list[str]:
    """The section as spoken lines: where it is in the guide, its title, review date, text.

    With `from_anchor`, the text starts at that heading (the place a search result
    or a link points at), and says so.
    """
    number, total = position
    lines = [
        f"Section {number} of {total}.",
        f"Heading level 1: {section.title}",
        # "Last reviewed …" and, when known, "Next review due …" or "Review overdue since …".
        *(f"{line}." for line in review_lines(section, date.today())),
    ]
    nodes = section.tree
    if from_anchor is not None:
        start = next(
            (
                index
                for index, node in enumerate(nodes)
                if isinstance(node, HeadingNode) and node.heading.anchor == from_anchor
            ),
            0,
        )
        if start:
            heading = nodes[start]
            assert isinstance(heading, HeadingNode)
            lines.append(f"Starting at the heading {spans_text(heading.spans)}.")
            lines.append("Type 'again' to read the section from its top.")
            nodes = nodes[start:]
    for node in nodes:
        lines.extend(node_lines(node, ""))
    lines.append(f"End of section: {section.title}.")
    return lines


def node_lines(node: Node, indent: str) -> Iterator[str]:
    """One block as spoken lines, `indent` before each."""
    if isinstance(node, HeadingNode):
        yield ""
        yield from wrapped(f"Heading level {node.heading.level}: {spoken_text(node.spans)}", indent)
    elif isinstance(node, ParagraphNode):
        yield ""
        yield from wrapped(spoken_text(node.spans), indent)
    elif isinstance(node, ListNode):
        yield from _list_lines(node, indent)
    elif isinstance(node, QuoteNode):
        yield ""
        yield f"{indent}Quote:"
        for child in node.children:
            yield from node_lines(child, indent + "  ")
        yield f"{indent}End of quote."
    elif isinstance(node, TableNode):
        yield from _table_lines(node, indent)
    elif isinstance(node, CodeNode):
        yield ""
        yield f"{indent}Code:"
        for line in node.text.split("\n"):
            yield f"{indent}    {line.rstrip()}".rstrip()
        yield f"{indent}End of code."
    elif isinstance(node, RuleNode):
        yield ""


def _list_lines(node: ListNode, indent: str) -> Iterator[str]:
    count = len(node.items)
    yield ""
    yield f"{indent}List of {count} item{'' if count == 1 else 's'}:"
    for offset, item in enumerate(node.items):
        label = f"{node.start + offset}." if node.ordered else f"Item {offset + 1}:"
        children = item.children
        first = ""
        head = children[0] if children else None
        if isinstance(head, ParagraphNode):
            first, children = spoken_text(head.spans), children[1:]
        lines = wrapped(f"{label} {first}".rstrip(), indent + "  ")
        yield from lines
        for child in children:
            yield from (line for line in node_lines(child, indent + "    ") if line)
    yield f"{indent}End of list."


def _table_lines(node: TableNode, indent: str) -> Iterator[str]:
    headers = [spoken_text(cell) for cell in node.header]
    rows = len(node.rows)
    yield ""
    yield from wrapped(
        f"Table with {len(headers)} columns and {rows} row{'' if rows == 1 else 's'}."
        f" Columns: {', '.join(h for h in headers if h)}.",
        indent,
    )
    for number, row in enumerate(node.rows, 1):
        yield from wrapped(f"Row {number}. {table_row_text(headers, row)}", indent + "  ")
    yield f"{indent}End of table."


def table_row_text(headers: Sequence[str], row: Sequence[Sequence[Span]]) -> str:
    """A row as "Effect: Nausea. Esketamine: 28%. Placebo: 9%." (empty cells left out)."""
    parts = []
    for column, cell in enumerate(row):
        text = spoken_text(cell)
        if not text:
            continue
        header = headers[column] if column < len(headers) else ""
        ending = "" if text.endswith((".", "!", "?")) else "."
        parts.append(f"{header}: {text}{ending}" if header else f"{text}{ending}")
    return " ".join(parts)
