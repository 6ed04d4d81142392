"""The text of one run of inline Markdown (a paragraph, a heading, a table cell).

`read_inline` walks the children of one markdown-it `inline` token once and gives
its visible text (what a heading shows, what search indexes), the same text
with web addresses after their links (what `show --plain` prints), and its
links. markdown-it has already decoded entities (`&#x202e;`) and, in autolinks,
percent-escapes (`%1b`), so every piece is cleaned here, after decoding, and
what was removed is recorded for `check`.

Raw HTML follows the guide's one rule (see `markdown_reading`): an inline tag or
comment is dropped, the text between tags is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ketaguide_tui.guide.text_safety import clean, unsafe_characters

if TYPE_CHECKING:
    # Annotations only: markdown-it is imported when a section is first parsed, and a
    # section whose reading is in the cache never is.
    from markdown_it.token import Token

WEB_PREFIXES = ("http://", "https://")


@dataclass(frozen=True)
class Link:
    """A link found in a section's body."""

    href: str
    """The target as markdown-it normalised it (percent-escaped), cleaned."""
    text: str
    """The link's visible text."""
    line: int
    """1-based line in the file."""


@dataclass
class Removed:
    """Characters removed from decoded text, by file line (for `check`)."""

    found: list[tuple[int, str]] = field(default_factory=list)

    def cleaned(self, text: str, line: int) -> str:
        """`text` cleaned; a carriage return decoded from `&#13;` is removed and reported too."""
        if not text.isprintable():  # cheap test first: almost all text is printable
            unsafe = [char for _, char in unsafe_characters(text, keep_cr=False)]
            if unsafe:
                self.found.append((line, "".join(unsafe)))
                text = clean(text.replace("\r", ""))
        return text


@dataclass(frozen=True)
class InlineText:
    """What one inline token reads as."""

    text: str
    """Visible text: link and image text kept, code kept, HTML tags dropped."""
    shown: str
    """`text` with a web link's address in brackets after it, for plain-text output."""
    links: tuple[Link, ...]


def read_inline(token: Token, line: int, removed: Removed) -> InlineText:
    """Read one `inline` token whose first line is `line` (1-based, in the file)."""
    text: list[str] = []
    shown: list[str] = []
    links: list[Link] = []
    open_link: tuple[str, list[str], int] | None = None  # links never nest in CommonMark
    for child in token.children or ():
        kind = child.type
        piece = ""
        if kind in ("text", "code_inline"):
            piece = removed.cleaned(child.content, line)
        elif kind == "image":
            piece = removed.cleaned(alt_text(child.children or ()), line)
        elif kind in ("softbreak", "hardbreak"):
            piece = " " if kind == "softbreak" else "\n"
            line += 1
        elif kind == "link_open":
            href = removed.cleaned(str(child.attrs.get("href", "")), line)
            open_link = (href, [], line)
        elif kind == "link_close" and open_link is not None:
            href, label, start = open_link
            label_text = "".join(label)
            links.append(Link(href, label_text, start))
            if href.startswith(WEB_PREFIXES) and label_text != href:
                shown.append(f" ({href})")
            open_link = None
        if piece:
            text.append(piece)
            shown.append(piece)
            if open_link is not None:
                open_link[1].append(piece)
    return InlineText("".join(text), "".join(shown), tuple(links))


def alt_text(children: Sequence[Token]) -> str:
    """An image's description as plain text (markdown-it leaves `content` as raw source)."""
    out: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type == "image":
            out.append(alt_text(child.children or ()))
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
    return "".join(out)
