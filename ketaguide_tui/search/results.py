"""What a search returns: hits in rank order, each with a snippet and what to highlight."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SearchHit:
    """One passage that matched: where it is, a snippet, and what to highlight."""

    section_id: str
    section_title: str
    heading: str | None
    """Text of the H2/H3 the passage sits under; None before the first heading."""
    anchor: str | None
    """That heading's anchor (`Heading.anchor`); None when there is no heading."""
    snippet: str
    """Plain text (no markup), about 20-30 words around the best match."""
    highlights: tuple[tuple[int, int], ...]
    """(start, end) character spans in `snippet` to highlight."""
    score: float
    """Higher is better."""
    terms: tuple[str, ...]
    """Lower-case index words that matched, for marking matches in the viewer."""


@dataclass(frozen=True)
class SearchResults:
    """What one query found."""

    query: str
    hits: tuple[SearchHit, ...]
    suggestion: str | None
    """The query with misspelt words corrected ("did you mean"), when any were."""
    read_as: str | None = None
    """The words searched, when not all that was typed: question words and filler
    dropped, corrections applied ("can I drive home after a session" is read as
    "drive home after session"). None when the query was searched as typed."""
    total: int = 0
    """How many passages the engine has for this reading: `hits` is its first part,
    cut at the limit asked for ("20 of 34")."""
    partial: bool = False
    """True when no passage matched every word, or too few did: the hits then match
    some of the words, most first."""
