"""What `ketaguide list` and `ketaguide search` print: plain lines, or JSON for programs.

Everything goes through `terminal_text`, which cleans it for the terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ketaguide_tui.terminal_text import write, write_json

if TYPE_CHECKING:
    from ketaguide_tui.search.results import SearchResults


def write_list(listed: Sequence[tuple[str, str, str]]) -> None:
    """One line per section: its id, title and summary."""
    width = max(len(section_id) for section_id, _, _ in listed)
    # One write for the whole list (cleaned as one text): a long list prints in one go.
    write("\n".join(f"{key:<{width}}  {title} — {summary}" for key, title, summary in listed))


def write_results(results: SearchResults, query: str, as_json: bool) -> None:
    """The hits of a search, with how the query was read and how many more there are."""
    if as_json:
        rows = [
            {
                "section": hit.section_id,
                "title": hit.section_title,
                "heading": hit.heading,
                "anchor": hit.anchor,
                "snippet": hit.snippet,
                "score": round(hit.score, 4),
            }
            for hit in results.hits
        ]
        write_json(
            {
                "query": results.query,
                "read_as": results.read_as,
                "suggestion": results.suggestion,
                "total": results.total,
                "results": rows,
            }
        )
        return
    if not results.hits:
        hint = f" Did you mean: {results.suggestion}?" if results.suggestion else ""
        write(f"No matches for '{query}'.{hint}")
        return
    # How the query was read, when it was not searched as typed, and how much more there is.
    notes = []
    if results.read_as or results.suggestion:
        notes.append(f"Showing results for '{results.read_as or results.suggestion}'.")
    if results.total > len(results.hits):
        notes.append(f"{len(results.hits)} of {results.total} results (--limit shows more).")
    for note in notes:
        write(note)
    if notes:
        write()
    for hit in results.hits:
        place = f"{hit.section_id}#{hit.anchor}" if hit.anchor else hit.section_id
        where = f"{hit.section_title} › {hit.heading}" if hit.heading else hit.section_title
        write(f"{where}  [{place}]\n    {hit.snippet}\n")
