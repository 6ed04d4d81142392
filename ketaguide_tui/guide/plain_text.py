"""Markdown to plain text, for pipes, screen readers and the search index.

Headings become their own lines, list items start with "- " (or their number),
table rows become cells joined by " | ", and a link to the web keeps its address
in brackets after its text so nothing is hidden from someone reading plain text.
"""

from __future__ import annotations

from markdown_it.token import Token

from ketaguide_tui.guide.model import markdown_parser


def _inline(token: Token, show_urls: bool) -> str:
    out: list[str] = []
    href_stack: list[str] = []
    for child in token.children or ():
        if child.type in ("text", "code_inline", "html_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" " if child.type == "softbreak" else "\n")
        elif child.type == "link_open":
            href_stack.append(str(child.attrs.get("href", "")))
        elif child.type == "link_close" and href_stack:
            href = href_stack.pop()
            if show_urls and href.startswith(("http://", "https://")) and out[-1:] != [href]:
                out.append(f" ({href})")
        elif child.type == "image":
            out.append(child.content)
    return "".join(out)


def markdown_to_plain(markdown: str, show_urls: bool = True) -> str:
    """Render Markdown as readable plain text."""
    lines: list[str] = []
    prefix_stack: list[str] = []
    ordinal_stack: list[int] = []
    row: list[str] = []
    pending_prefix: str | None = None
    in_cell = False
    for token in markdown_parser().parse(markdown):
        kind = token.type
        if kind == "heading_open":
            lines.append("")
        elif kind == "bullet_list_open":
            ordinal_stack.append(0)
        elif kind == "ordered_list_open":
            ordinal_stack.append(int(str(token.attrs.get("start", 1))))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            ordinal_stack.pop()
            if not ordinal_stack:
                lines.append("")
        elif kind == "list_item_open":
            number = ordinal_stack[-1] if ordinal_stack else 0
            marker = f"{number}." if number else "-"
            if number:
                ordinal_stack[-1] += 1
            pending_prefix = "  " * (len(ordinal_stack) - 1) + marker + " "
        elif kind == "blockquote_open":
            prefix_stack.append("> ")
        elif kind == "blockquote_close":
            prefix_stack.pop()
        elif kind in ("th_open", "td_open", "th_close", "td_close"):
            in_cell = kind.endswith("_open")
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close":
            lines.append("".join(prefix_stack) + " | ".join(row))
        elif kind == "table_close":
            lines.append("")
        elif kind == "inline":
            text = _inline(token, show_urls)
            if in_cell:
                row.append(text)
                continue
            indent = "".join(prefix_stack)
            if pending_prefix is not None:
                indent += pending_prefix
                pending_prefix = None
            elif ordinal_stack:
                indent += "  " * len(ordinal_stack)
            lines.append(indent + text)
        elif kind in ("fence", "code_block"):
            lines.extend("    " + line for line in token.content.rstrip("\n").split("\n"))
            lines.append("")
        elif kind == "paragraph_close" and not ordinal_stack or kind == "heading_close":
            lines.append("")
        elif kind == "hr":
            lines.extend(["-" * 20, ""])
    return _squeeze_blank_lines(lines)


def _squeeze_blank_lines(lines: list[str]) -> str:
    out: list[str] = []
    for line in lines:
        if not line.strip() and (not out or not out[-1].strip()):
            continue
        out.append(line.rstrip())
    while out and not out[-1].strip():
        out.pop()
    return "\n".join(out) + "\n"
