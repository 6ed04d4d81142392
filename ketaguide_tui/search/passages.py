"""What the index holds for each part of a section: one passage per H2/H3.

A section becomes a lead passage (title, aliases, summary and the text before
the first heading; a hit on it opens the section at the top) and one passage per
H2 and H3, tied to that heading's anchor. Deeper headings stay inside their
H2/H3 passage. Each passage fills the FTS5 columns in `COLUMNS`.

The text comes from the section's one Markdown reading (`Section.reading`, one
markdown-it parse shared with the viewer, the sidebar and `show --plain`), so a
hit always points at a heading the viewer has.

Passages that list sources (a section's `## Sources` and the entries of the
references section) are marked `reference`: they name where an answer comes
from rather than giving it, so the index ranks them after prose. Glossary
entries are `definition`s: short, and pointing to the section that explains,
so they count for less than prose that matches as well.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ketaguide_tui.guide.model import GLOSSARY_SECTION_ID, SOURCES_HEADING, Heading, Section
from ketaguide_tui.search.terms import find_terms, fold_in_place

COLUMNS = ("title", "aliases", "heading", "context", "body")
"""The FTS5 columns, in order; `Passage.searchable` fills them."""
OWN_COLUMNS = tuple(column for column in COLUMNS if column != "context")
"""The columns with a passage's own text: `context` only says where it sits."""

REFERENCES_SECTION_ID = "references"
"""The section that lists every source; its entries are reference passages."""


@dataclass(frozen=True)
class Passage:
    """The searchable text of one (section, heading) part of the guide."""

    section_id: str
    section_title: str
    section_aliases: tuple[str, ...]
    heading: Heading | None
    """None for the section's lead passage (summary and text before any heading)."""
    context: str
    """Where a non-lead passage sits: section title and parent H2."""
    body: str
    """Plain text, whitespace collapsed to single spaces."""
    reference: bool = False
    """A list of sources or an entry in the references, not prose."""
    section_summary: str = ""
    """The section's one-line summary (the lead passage's body starts with it)."""

    @property
    def definition(self) -> bool:
        """An entry of the glossary: it defines a word and points to where it is explained."""
        return self.section_id == GLOSSARY_SECTION_ID and self.heading is not None

    @property
    def searchable(self) -> tuple[str, str, str, str, str]:
        """The text of each of COLUMNS: title and aliases on the lead passage only."""
        heading = self.heading.text if self.heading else ""
        if self.heading is not None:
            return ("", "", heading, self.context, self.body)
        return (self.section_title, " ; ".join(self.section_aliases), "", "", self.body)

    @property
    def snippet_source(self) -> str:
        """The text a snippet is cut from: the body, else the heading, else the title."""
        return self.body or (self.heading.text if self.heading else self.section_title)


def says(passage: Passage, pattern: re.Pattern[str] | None) -> bool:
    """True if `pattern` (a plan's, on folded text) matches the passage's own text: its
    title, aliases, heading or body, not the `context` it only sits in. For a passage
    FTS5 found with the plan: whether it was found by more than its context."""
    if pattern is None:
        return False
    if passage.heading is None:
        return True  # a lead has no context: whatever FTS5 matched is its own text
    title, aliases, heading, _, body = passage.searchable
    text = fold_in_place(f"{title}\n{aliases}\n{heading}\n{body}")
    return next(find_terms(pattern, text), None) is not None


def missing(passage: Passage, patterns: list[re.Pattern[str] | None]) -> list[int]:
    """The positions of the `patterns` that match nowhere in the passage, its context included."""
    text = fold_in_place("\n".join(passage.searchable))
    return [
        index
        for index, pattern in enumerate(patterns)
        if pattern is None or next(find_terms(pattern, text), None) is None
    ]


def section_rowids(passages: Sequence[Passage]) -> dict[str, list[int]]:
    """Each section's passages' rowids, in order (`passages` in rowid order from 1)."""
    rowids: dict[str, list[int]] = {}
    for rowid, passage in enumerate(passages, 1):
        rowids.setdefault(passage.section_id, []).append(rowid)
    return rowids


def section_passages(section: Section) -> list[Passage]:
    """Split a section into its lead passage and one passage per H2/H3."""
    lead, *rest = section.reading.passages
    passages = [_passage(section, None, "", f"{section.summary} {lead.text}", False)]
    for part in rest:
        heading = part.heading
        assert heading is not None  # only the lead has none
        context = section.title if heading.level == 2 else f"{section.title} {part.context}"
        h2 = heading.text if heading.level == 2 else part.context
        reference = section.id == REFERENCES_SECTION_ID or h2 == SOURCES_HEADING
        passages.append(_passage(section, heading, context, part.text, reference))
    return passages


def _passage(
    section: Section, heading: Heading | None, context: str, text: str, reference: bool
) -> Passage:
    return Passage(
        section_id=section.id,
        section_title=section.title,
        section_aliases=section.aliases,
        heading=heading,
        context=context,
        body=" ".join(text.split()),
        reference=reference,
        section_summary=section.summary,
    )
