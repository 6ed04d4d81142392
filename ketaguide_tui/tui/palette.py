"""Command palette provider: jump to any section or heading by fuzzy name."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.style import Style

if TYPE_CHECKING:
    from ketaguide_tui.tui.app import KetaguideApp


class SectionCommands(Provider):
    """Sections and their headings, as palette commands that open them."""

    def _places(self) -> list[tuple[str, str, str | None, str]]:
        app: KetaguideApp = self.app  # type: ignore[assignment]
        places: list[tuple[str, str, str | None, str]] = []
        for section in app.guide:
            places.append((section.title, section.id, None, section.summary))
            for heading in section.toc:
                places.append((f"{section.title} › {heading.text}", section.id, heading.anchor, ""))
        return places

    async def _open(self, section_id: str, anchor: str | None) -> None:
        app: KetaguideApp = self.app  # type: ignore[assignment]
        await app.reader.open_place(section_id, anchor)

    async def discover(self) -> Hits:
        for name, section_id, anchor, summary in self._places():
            if anchor is None:
                yield DiscoveryHit(
                    Content(name), partial(self._open, section_id, None), help=summary
                )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, section_id, anchor, summary in self._places():
            score, offsets = matcher.fuzzy_search.match(query, name)
            if score > 0:
                yield Hit(
                    score,
                    _highlighted(name, offsets, matcher.match_style),
                    partial(self._open, section_id, anchor),
                    help=summary or None,
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
