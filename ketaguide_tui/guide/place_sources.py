"""The guide's sources for one place: what a printed question sheet lists beside a question.

The most specific place wins: the list item a question was taken from (with the
items under it, where "why it matters" is cited), else the text under the heading
it was asked at, else the section's `## Sources`. Each citation that links an
entry of `references` becomes that entry's title and its address.
"""

from __future__ import annotations

from dataclasses import dataclass

from ketaguide_tui.guide.links import SectionLink, WebLink, resolve_link
from ketaguide_tui.guide.model import Guide, Link, Section

REFERENCES_ID = "references"


@dataclass(frozen=True)
class Source:
    """One entry of the guide's references."""

    title: str
    """The entry's heading ("Reif 2023")."""
    address: str | None
    """Its first web address (a DOI, a PubMed record or an exact page), if it has one."""


def place_sources(guide: Guide, section_id: str, anchor: str | None, item: str) -> list[Source]:
    """Sources for the list item whose text is `item` in the section, else for the place."""
    section = guide.get(section_id)
    references = guide.get(REFERENCES_ID)
    if section is None or references is None:
        return []
    links = _item_links(section, item) or _heading_links(section, anchor) or section.sources
    found: list[Source] = []
    for link in links:
        target = resolve_link(link.href, section.id, guide)
        if not isinstance(target, SectionLink) or target.section_id != REFERENCES_ID:
            continue
        source = _entry(guide, references, target.anchor)
        if source is not None and source not in found:
            found.append(source)
    return found


def _item_links(section: Section, item: str) -> tuple[Link, ...]:
    wanted = " ".join(item.split())
    unit = next(
        (u for u in section.reading.units if u.kind == "item" and u.text.strip() == wanted), None
    )
    if unit is None:
        return ()
    return tuple(link for link in section.links if unit.line <= link.line < unit.end)


def _heading_links(section: Section, anchor: str | None) -> tuple[Link, ...]:
    heading = section.heading_for(anchor) if anchor else None
    if heading is None:
        return ()
    end = next(
        (h.line for h in section.headings if h.line > heading.line and h.level <= heading.level),
        None,
    )
    return tuple(
        link
        for link in section.links
        if link.line > heading.line and (end is None or link.line < end)
    )


def _entry(guide: Guide, references: Section, anchor: str | None) -> Source | None:
    heading = references.heading_for(anchor) if anchor else None
    if heading is None:
        return None
    end = next((h.line for h in references.headings if h.line > heading.line), None)
    address = next(
        (
            target.url
            for link in references.links
            if link.line > heading.line and (end is None or link.line < end)
            for target in [resolve_link(link.href, references.id, guide)]
            if isinstance(target, WebLink)
        ),
        None,
    )
    return Source(heading.text, address)
