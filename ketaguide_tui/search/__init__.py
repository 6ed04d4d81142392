"""Full-text search over the guide: passages indexed in SQLite FTS5 and queries read as typed.

Builds on the guide model and imports no UI code; the command line and the reader both use it.
`SearchIndex.build(guide).search(text)` returns `SearchResults` of `SearchHit`s.
"""

from ketaguide_tui.search.index import SearchIndex
from ketaguide_tui.search.results import SearchHit, SearchResults
from ketaguide_tui.search.terms import match_spans

__all__ = ["SearchHit", "SearchIndex", "SearchResults", "match_spans"]
