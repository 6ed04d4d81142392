"""How many passages a plan's words are in, from the index's vocabulary counts.

The index uses these to bound a ranking before it runs (`FtsTable.ranked_rows`
ranks only section leads past MAX_RANKED matches) and to tell words in most
passages ("ketamine" here) from those that tell sections apart (settle.py).
"""

from __future__ import annotations

from ketaguide_tui.search.fts import MAX_RANKED
from ketaguide_tui.search.planner import Plan, SpelledWord, Unit
from ketaguide_tui.search.speller import Speller


class Estimates:
    """Upper bounds on the passages a plan, a unit or a word matches."""

    def __init__(self, speller: Speller) -> None:
        """`speller` holds the index's vocabulary with passage counts."""
        self._speller = speller

    def plan(self, plan: Plan, operator: str) -> int:
        """An upper bound on the passages the plan matches with `operator` (AND or OR)."""
        counts = [self.unit(unit) for unit in plan.units]
        return min(counts) if operator == "AND" else sum(counts)

    def unit(self, unit: Unit) -> int:
        """An upper bound on the passages a unit (with its synonyms) matches."""
        documents = self._speller.documents
        if unit.phrase:
            core = min(documents(word) for word in unit.key)
        else:
            core = min(self._word(word) for word in unit.words)
        return core + sum(min(map(documents, phrase)) for phrase in unit.synonyms)

    def _word(self, word: SpelledWord) -> int:
        if word.prefix:
            return self._speller.prefix_documents(word.forms[0], cap=MAX_RANKED + 1)
        return sum(self._speller.documents(form) for form in word.forms)
