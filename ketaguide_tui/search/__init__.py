"""Full-text search over the guide: passages indexed in SQLite FTS5 and queries read as typed.

Builds on the guide model and imports no UI code; the command line and the reader both use it.
`SearchIndex.build(guide).search(text)` returns `SearchResults` of `SearchHit`s.

The names below are imported when first used (PEP 562): the reader's start-up imports
`search.crisis` and `search.terms` for its text boxes, and should not pay for the engine
(SQLite and a dozen modules, about 10 ms) before its first frame; the engine is imported
by the index worker after it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ketaguide_tui.search.index import SearchIndex
    from ketaguide_tui.search.results import SearchHit, SearchResults
    from ketaguide_tui.search.terms import match_spans

__all__ = ["SearchHit", "SearchIndex", "SearchResults", "match_spans"]

_HOMES = {
    "SearchIndex": "ketaguide_tui.search.index",
    "SearchHit": "ketaguide_tui.search.results",
    "SearchResults": "ketaguide_tui.search.results",
    "match_spans": "ketaguide_tui.search.terms",
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(home), name)
