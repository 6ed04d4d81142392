"""Glossary terms in the viewer's lines: where each stands, which are marked, how they look.

The viewer renders a section top down, a block at a time, so the terms are found
in the same order: each scan reads the lines rendered since the last one, block
by block (a name may wrap onto the next line), and is kept with the rendered
lines, so a revisit finds them again at no cost. The first use of each term in
a section is marked; every use counts for "explain the terms in view".

Text in a link is left alone (a click there follows the link), as are the title,
the review lines and the headings. A mark is italic (and in the theme's
secondary colour when there is colour): links are underlined, search marks have
a background or, under NO_COLOR, an underline and reverse video. Each mark
carries a click action and the entry's anchor, for the tooltip and the click.

Rich only, no Textual: the viewer paints the marks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rich.segment import Segment
from rich.style import Style

from ketaguide_tui.guide.glossary import Glossary, GlossaryEntry
from ketaguide_tui.tui.rendering import BLANK, Line, RenderedSection

GLOSSARY_META = "glossary"
"""Style meta key holding the anchor of the glossary entry a mark stands for."""


@dataclass(frozen=True, slots=True)
class TermSpan:
    """Part of a glossary term on one line (a wrapped term has one span per line)."""

    y: int
    start: int
    end: int
    entry: GlossaryEntry
    marked: bool
    """The term's first use in the section: shown marked."""


@dataclass
class GlossaryScan:
    """The glossary terms found in a rendered section's lines so far."""

    glossary: Glossary
    scanned: int = 0
    """Lines before this one have been read."""
    seen: set[str] = field(default_factory=set)
    """Anchors of the entries already marked once."""
    by_line: dict[int, list[TermSpan]] = field(default_factory=dict)

    def scan(self, rendered: RenderedSection) -> set[int]:
        """Read the lines rendered since the last scan; returns the lines that got marks."""
        lines = rendered.lines
        start = max(self.scanned, rendered.body_start)
        headings = {y for y, _ in rendered.heading_lines}
        changed: set[int] = set()
        block: list[int] = []
        for y in range(start, len(lines)):
            if lines[y] is BLANK or not lines[y]:
                changed |= self._scan_block(lines, block)
                block = []
            elif y not in headings:
                block.append(y)
        changed |= self._scan_block(lines, block)
        self.scanned = len(lines)
        return changed

    def _scan_block(self, lines: list[Line], ys: list[int]) -> set[int]:
        if not ys:
            return set()
        texts = [RenderedSection.line_text(lines[y]) for y in ys]
        starts = [0]
        for text in texts:
            starts.append(starts[-1] + len(text) + 1)
        changed: set[int] = set()
        for match in self.glossary.find("\n".join(texts)):
            pieces = list(_pieces(match.start, match.end, starts))
            if any(_in_link(lines[ys[row]], a, b) for row, a, b in pieces):
                continue
            marked = match.entry.anchor not in self.seen
            self.seen.add(match.entry.anchor)
            for row, a, b in pieces:
                span = TermSpan(ys[row], a, b, match.entry, marked)
                self.by_line.setdefault(span.y, []).append(span)
                if marked:
                    changed.add(span.y)
        return changed

    def entries_between(self, top: int, bottom: int) -> list[GlossaryEntry]:
        """Each entry with a use on lines top..bottom-1, in order of first appearance."""
        found: dict[str, GlossaryEntry] = {}
        for y in range(top, bottom):
            for span in self.by_line.get(y, ()):
                found.setdefault(span.entry.anchor, span.entry)
        return list(found.values())


def _pieces(start: int, end: int, starts: list[int]) -> Iterable[tuple[int, int, int]]:
    """(row, start, end) per line for a span of the joined text."""
    for row in range(len(starts) - 1):
        line_start, line_end = starts[row], starts[row + 1] - 1
        if start < line_end and end > line_start:
            yield row, max(start, line_start) - line_start, min(end, line_end) - line_start


def _in_link(line: Line, start: int, end: int) -> bool:
    position = 0
    for segment in line:
        length = len(segment.text)
        style = segment.style
        overlaps = position < end and position + length > start
        if overlaps and style is not None and style.meta.get("@click"):
            return True
        position += length
        if position >= end:
            break
    return False


@lru_cache(maxsize=512)
def mark_style(anchor: str, color: str | None, no_color: bool) -> Style:
    """How a marked term looks, with its click action and anchor."""
    look = Style(italic=True) if no_color or not color else Style(italic=True, color=color)
    meta = {"@click": f"explain_term({anchor!r})", GLOSSARY_META: anchor}
    return look + Style.from_meta(meta)


def paint(spans: list[TermSpan], line: Line, color: str | None, no_color: bool) -> Line:
    """`line` with its marked spans styled."""
    marked = [s for s in spans if s.marked]
    if not marked:
        return line
    out: list[Segment] = []
    position = 0
    for segment in line:
        text, style = segment.text, segment.style
        end = position + len(text)
        cuts = sorted(
            {position, end} | {c for s in marked for c in (s.start, s.end) if position < c < end}
        )
        for a, b in zip(cuts, cuts[1:], strict=False):
            span = next((s for s in marked if s.start <= a < s.end), None)
            piece = text[a - position : b - position]
            if span is None:
                out.append(Segment(piece, style))
            else:
                look = mark_style(span.entry.anchor, color, no_color)
                out.append(Segment(piece, (style or Style()) + look))
        position = end
    return tuple(out)
