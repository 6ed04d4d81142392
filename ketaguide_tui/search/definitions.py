"""The glossary entry that defines exactly what was asked.

A reader who types a term ("off-label", "REMS", "NMDA receptor", or "what is
esketamine") wants what it means. Glossary entries count for less than prose
(they are short and point to where a subject is explained), so an entry named
exactly by the query could sit below every passage that mentions the term.
Here a definition whose term is the whole of the query's meaningful words
(its heading, or the abbreviation or the expansion of an `ABBR (expansion)`
heading) goes to second place, right after the best passage, from further down
or from first: the answer in prose comes first, and the definition is one step
away.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from ketaguide_tui.guide.model import GLOSSARY_SECTION_ID
from ketaguide_tui.search.fts import Candidate
from ketaguide_tui.search.passages import Passage
from ketaguide_tui.search.planner import Plan
from ketaguide_tui.search.terms import word_base, words

PLACE = 1
"""Where a definition of the query moves to at best (0 is first)."""

Term = tuple[str, ...]

_BRACKETED = re.compile(r"^(?P<term>[^(]+?)\s*\((?P<expansion>[^)]+)\)\s*$")


def _key(text: str) -> Term:
    return tuple(word_base(word) for word in words(text))


class Definitions:
    """The rowid of the glossary entry for each term, its abbreviation and its expansion."""

    def __init__(self, passages: Sequence[Passage], rowids: Mapping[str, list[int]]) -> None:
        """`passages` in rowid order (the one at position i has rowid i + 1); `rowids`
        each section's passages' rowids, in order (only the glossary's are definitions)."""
        self._rowids: dict[Term, int] = {}
        for rowid in rowids.get(GLOSSARY_SECTION_ID, ()):
            passage = passages[rowid - 1]
            if not passage.definition or passage.heading is None:
                continue
            text = passage.heading.text
            match = _BRACKETED.match(text)
            names = (match["term"], match["expansion"]) if match else (text,)
            for name in names:
                self._rowids.setdefault(_key(name), rowid)

    def rowid(self, plan: Plan) -> int | None:
        """The entry the plan's words name in full, or None. A word still being typed
        counts as typed, a corrected word as its correction."""
        if not self._rowids:
            return None
        typed = tuple(word_base(word.forms[0]) for word in plan.words)
        return self._rowids.get(typed)

    def place(self, rows: list[Candidate], plan: Plan) -> list[Candidate]:
        """`rows` with the entry defining the query at PLACE, from further down or from first:
        a passage of prose that also matches leads ("can I get it on the NHS" opens at
        where funding is explained, with the entry for NHS next)."""
        rowid = self.rowid(plan)
        if rowid is None:
            return rows
        at = next((i for i, row in enumerate(rows) if row.rowid == rowid), None)
        if at is None or at == PLACE:
            return rows
        entry = rows[at]
        rest = rows[:at] + rows[at + 1 :]
        return [*rest[:PLACE], entry, *rest[PLACE:]]
