"""The section a query puts first, whatever it matches: crisis help, or the help for a place.

A query that names a crisis (`crisis.py`) puts get-help-now first, at its lead,
where the numbers to call are. A query of only place names (`places.py`) puts
the section with those places first, at its passage for them; so does a crisis
query that also names a place ("crisis line uk" opens at "United Kingdom").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from ketaguide_tui.guide.model import CRISIS_SECTION_ID
from ketaguide_tui.search.crisis import CrisisDetector
from ketaguide_tui.search.fts import Ranking
from ketaguide_tui.search.passages import Passage
from ketaguide_tui.search.places import PlaceNames
from ketaguide_tui.search.planner import Plan, Unit


class Pins:
    """Which section a query pins, and how to find the passage of it to open."""

    def __init__(
        self,
        crisis: CrisisDetector,
        places: PlaceNames,
        passages: Sequence[Passage],
        rowids: Mapping[str, list[int]],
    ) -> None:
        """`rowids`: each section's passages' rowids, its lead first."""
        self._crisis = crisis
        self._places = places
        self._passages = passages
        self._rowids = rowids

    def section(self, typed: Plan, plan: Plan) -> str | None:
        """The section to show first: get-help-now for a crisis, or the one for a place.

        `typed` has every word typed (crisis phrasings are made of filler words:
        "I want to die"); `plan` the meaningful ones.
        """
        if self._is_crisis(typed):
            return CRISIS_SECTION_ID
        if not self._places:
            return None
        words = tuple(word.typed.text for word in plan.words)
        section = self._places.section_for(words, last_is_prefix=plan.words[-1].typed.prefix)
        return section if section in self._rowids else None

    def ranking(self, section_id: str, reading: Ranking, plan: Plan) -> Ranking:
        """How to find the passage of the section to open: its passage for the places the
        query names, else its lead for a crisis, else its best passage for the reading."""
        rowids = self._rowids[section_id]
        places = self._place_units(section_id, plan)
        if places:
            own = [rowid for rowid in rowids if not self._passages[rowid - 1].reference]
            return Ranking(Plan(places).expression("OR"), rowids=tuple(own))
        if section_id == CRISIS_SECTION_ID:
            return replace(reading, rowids=tuple(rowids[:1]))  # the lead comes first
        return replace(reading, rowids=tuple(rowids))

    def _is_crisis(self, plan: Plan) -> bool:
        if not self._crisis or CRISIS_SECTION_ID not in self._rowids:
            return False
        typed = tuple(word.typed.text for word in plan.words)
        if self._crisis.matches(typed, last_is_prefix=plan.words[-1].typed.prefix):
            return True
        sequences = [tuple(word.forms[0] for word in plan.words)]
        sequences.extend(phrase for unit in plan.units for phrase in unit.synonyms)
        return any(self._crisis.matches(sequence) for sequence in sequences)

    def _place_units(self, section_id: str, plan: Plan) -> tuple[Unit, ...]:
        """The parts of the query that are place names of the section ("uk" in "crisis line uk")."""
        return tuple(
            unit
            for unit in plan.units
            if self._places.section_for(tuple(word.typed.text for word in unit.words)) == section_id
        )
