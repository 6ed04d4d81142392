"""Markdown to plain text for the index, by a small line-and-regex reader.

Not markdown-it-py: the guide model parses a section with markdown-it only when
something first asks for its headings, and that parse takes about 300 ms for the
bundled guide on the benchmark machine, three times the budget for the whole
index build; this reader takes about 10 ms. For an index the result is the same,
and tests/test_search.py holds it to that: on every bundled section, the headings
found here (levels, text, lines and de-duplicated anchors) equal
`Section.headings`, and the words equal those of a markdown-it token walk.
"""

from __future__ import annotations

import html
import re

from ketaguide_tui.guide.model import Heading
from ketaguide_tui.guide.slugs import SlugTracker

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?=[ \t]|$)(.*)$")
_ATX_CLOSING = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_NOT_PARAGRAPH = re.compile(r"^(?: {4}|\s*(?:[-*+>|#]|\d{1,9}[.)])(?:\s|$)|\s*$)")
"""Lines a setext underline cannot turn into a heading: code, lists, quotes, tables."""
_CONTAINER = re.compile(r"^(?: {0,3}> ?)*(?: {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+)?")
"""Block quote and list item markers in front of a heading ("> ## Title", "- ## Title")."""
_CONTAINER_CHARACTERS = " \t>-*+0123456789.)"
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S")
_RULE_LINE = re.compile(r"^[\s\-=*_|:+]*$")
"""Thematic breaks, setext underlines and table delimiter rows: no words."""
_BLOCK_MARKER = re.compile(r"^\s*(?:>\s?|[-*+]\s+|\d{1,9}[.)]\s+|#{1,6}(?:\s+|$))")
_CLOSING_HASHES = re.compile(r"\s+#+\s*$")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
_IMAGE = re.compile(r"!\[([^\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_REFERENCE_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<(?:[a-z][a-z0-9+.-]{1,31}:[^<>\s]*|[^<>\s@]+@[^<>\s]+)>", re.IGNORECASE)
_HTML = re.compile(r"<!--.*?-->|</?[a-z][a-z0-9-]*(?:\s[^<>]*)?/?>", re.IGNORECASE | re.DOTALL)
_URL = re.compile(r"(?:\b[a-z][a-z0-9+.-]*://|\bwww\.)[^\s<>()]*(?:\([^\s()]*\)[^\s<>()]*)*", re.I)
_WHOLE_URL = re.compile(r"\s*(?:[a-z][a-z0-9+.-]*://|www\.)\S*\s*", re.IGNORECASE)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_HELD = re.compile("\x00(\\d+)\x00")
_UNDERSCORES = re.compile(r"(?<![^\W_])_+|_+(?![^\W_])")
"""Underscores that open or close emphasis; inside a word (snake_case) they stay."""


def scan_headings(body: str, body_line: int) -> tuple[Heading, ...]:
    """The headings of a Markdown body, as `Section.headings` has them, without parsing.

    ATX headings (`## Text`, also in block quotes and list items) and setext headings
    (text underlined with `===` or `---`); nothing inside a fenced code block.
    Anchors come from the same `SlugTracker`, so they match the viewer's.
    """
    slugs = SlugTracker()
    found: list[Heading] = []
    fence = ""
    paragraph: list[str] = []
    for number, raw in enumerate(body.split("\n")):
        # Cheap character tests first: most lines are plain prose.
        if fence or "`" in raw or "~" in raw:
            fence, in_code = _fence_state(fence, raw)
            if in_code:
                paragraph = []
                continue
        marked = raw.lstrip(_CONTAINER_CHARACTERS)[:1] == "#"
        atx = _ATX_HEADING.match(_CONTAINER.sub("", raw, count=1)) if marked else None
        underline = paragraph and raw.lstrip()[:1] in ("=", "-")
        setext = _SETEXT_UNDERLINE.match(raw) if underline else None
        if atx or setext:
            level = len(atx.group(1)) if atx else 1 if raw.strip()[0] == "=" else 2
            source = _ATX_CLOSING.sub("", atx.group(2).strip()) if atx else " ".join(paragraph)
            text = " ".join(_inline_plain_text(source, drop_urls=False).split())
            start = number if atx else number - len(paragraph)
            found.append(Heading(level, text, slugs.slug(text), body_line + start))
            paragraph = []
        elif _NOT_PARAGRAPH.match(raw):
            paragraph = []
        else:
            paragraph.append(raw.strip())
    return tuple(found)


def _fence_state(fence: str, line: str) -> tuple[str, bool]:
    """(the open fence after `line`, whether `line` is code or a fence line)."""
    if fence:
        closing = line.strip()
        if closing.startswith(fence) and not closing.strip(fence[0]):
            return "", True
        return fence, True
    opener = _FENCE.match(line)
    return (opener.group(1), True) if opener else ("", False)


def markdown_plain_text(markdown: str) -> str:
    """The visible text of Markdown, one line per source line, markup removed.

    Link and image text is kept, addresses are dropped, code keeps its text,
    HTML tags and link reference definitions disappear.
    """
    prose: list[str] = []
    out: list[str] = []
    fence = ""
    for line in markdown.split("\n"):
        was_open = bool(fence)
        in_code = False
        if fence or "`" in line or "~" in line:  # cheap test before the regex
            fence, in_code = _fence_state(fence, line)
        if in_code:
            if was_open and fence:  # a line of code, not a fence line
                out.append(_URL.sub(" ", line))
            elif not was_open:  # an opening fence ends the prose before it
                out.append(_inline_plain_text("\n".join(prose)))
                prose.clear()
        elif not _markup_only(line):
            prose.append(_strip_block_markers(line))
    out.append(_inline_plain_text("\n".join(prose)))
    return "\n".join(part for part in out if part)


def _markup_only(line: str) -> bool:
    """A blank line, a rule or table delimiter row, or a link reference definition."""
    first = line.lstrip()[:1]
    if first and first not in "-=*_|:+[":
        return False
    return bool(_RULE_LINE.match(line) or _REFERENCE_DEFINITION.match(line))


def _strip_block_markers(line: str) -> str:
    if line[:1].isalpha():
        return line  # prose, not a marker (the usual case)
    # "> - 1. text" has three markers; peel them one at a time.
    while True:
        marker = _BLOCK_MARKER.match(line)
        if not marker or not marker.group():
            break
        line = line[marker.end() :]
    return _CLOSING_HASHES.sub("", line) if line.rstrip().endswith("#") else line


def _inline_plain_text(text: str, drop_urls: bool = True) -> str:
    # Each pattern runs only when its telltale character is present: most
    # passages have no code, HTML or bare address, and the build stays fast.
    held: list[str] = []

    def hold(kept: str) -> str:
        # Set aside text that must come out as written (code, escaped characters).
        held.append(kept)
        return f"\x00{len(held) - 1}\x00"

    if "`" in text:  # code spans first: their text is literal, never links
        text = _CODE_SPAN.sub(lambda m: hold(m.group(2).strip()), text)
    if "\\" in text:
        text = _ESCAPE.sub(lambda m: hold(m.group(1)), text)
    if "](" in text:
        # Heading text keeps everything the reader shows; only the index drops
        # images and addresses.
        text = _IMAGE.sub(lambda m: m.group(1) if drop_urls else "", text)
        text = _LINK.sub(lambda m: _link_text(m.group(1)) if drop_urls else m.group(1), text)
    if "][" in text:
        text = _REFERENCE_LINK.sub(lambda m: m.group(1), text)
    if "<" in text:
        text = _HTML.sub(" ", _AUTOLINK.sub(" ", text))
    if drop_urls and ("://" in text or "www." in text.lower()):
        text = _URL.sub(" ", text)
    text = text.replace("*", "").replace("~~", "").replace("|", " ")
    if "_" in text:
        text = _UNDERSCORES.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    if held:
        text = _HELD.sub(lambda m: held[int(m.group(1))], text)
    return text


def _link_text(text: str) -> str:
    # A link whose text is its own address ([https://x](https://x)) says nothing.
    return "" if _WHOLE_URL.fullmatch(text) else text
