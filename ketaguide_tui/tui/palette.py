"""Command palette provider: jump to any section or heading by fuzzy name.

Everything shown comes from content, so it is handed to Textual as `Content`
(plain text with styles), never as a markup string: a summary such as
"press [/] to search" is shown as written.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.style import Style

from ketaguide_tui.guide.model import Guide
from ketaguide_tui.tui.messages import OpenPlace
from ketaguide_tui.tui.services import services_of

SUMMARY_STYLE = Style(italic=True, bold=False)
"""How a section's summary is shown under its title (as Textual shows help text)."""


@dataclass(frozen=True)
class PalettePlace:
    """A section or a heading the palette can open."""

    name: str
    section_id: str
    anchor: str | None
    summary: str


def palette_places(guide: Guide) -> Iterator[PalettePlace]:
    """Every section, then its headings, in guide order."""
    for section in guide:
        yield PalettePlace(section.title, section.id, None, section.summary)
        for heading in section.toc:
            name = f"{section.title} › {heading.text}"
            yield PalettePlace(name, section.id, heading.anchor, "")


def with_summary(name: Content, summary: str) -> Content:
    """The name, and the summary on a line below it when there is one."""
    if not summary:
        return name
    return Content.assemble(name, "\n", Content(summary).stylize_before(SUMMARY_STYLE))


class SectionCommands(Provider):
    """Sections and their headings, as palette commands that open them."""

    def _open(self, place: PalettePlace) -> None:
        self.screen.post_message(OpenPlace(place.section_id, place.anchor))

    def _places(self) -> Iterator[PalettePlace]:
        return palette_places(services_of(self.screen).guide)

    async def discover(self) -> Hits:
        for place in self._places():
            if place.anchor is None:
                yield DiscoveryHit(
                    with_summary(Content(place.name), place.summary),
                    partial(self._open, place),
                    text=place.name,
                )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for place in self._places():
            score, offsets = matcher.fuzzy_search.match(query, place.name)
            if score > 0:
                yield Hit(
                    score,
                    with_summary(
                        _highlighted(place.name, offsets, matcher.match_style), place.summary
                    ),
                    partial(self._open, place),
                    text=place.name,
                )


def _highlighted(name: str, offsets: Sequence[int], style: Style) -> Content:
    """The name with matched letters styled.

    Built from plain text: `Matcher.highlight` parses its input as markup, and
    section titles come from content.
    """
    content = Content(name)
    for offset in offsets:
        if not name[offset].isspace():
            content = content.stylize(style, offset, offset + 1)
    return content
