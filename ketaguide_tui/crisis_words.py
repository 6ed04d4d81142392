"""The names a crisis query is recognised by, for readers outside the search engine.

They are the get-help-now section's title and aliases (what `search.crisis`
matches against). A content folder without that section still gets crisis
help for "suicide" or "took too much": the bundled guide's names are used.
"""

from __future__ import annotations

from ketaguide_tui.guide.model import CRISIS_SECTION_ID, Guide, bundled_content_dir, load_section


def crisis_names(guide: Guide) -> tuple[str, ...]:
    """The crisis section's title and aliases, from `guide` or else from the bundled guide."""
    section = guide.get(CRISIS_SECTION_ID)
    if section is None:
        section, _ = load_section(bundled_content_dir() / f"{CRISIS_SECTION_ID}.md")
    return (section.title, *section.aliases) if section is not None else ()
