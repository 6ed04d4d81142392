"""Place names: a search for a country finds the help that applies there.

A section may list in its front matter the places its content is organised by
(`places = ["australia", "canada", "irish", "nz", ...]` on get-help-now, whose
crisis lines go by country). A query made only of such names ("australia",
"new zealand", "irish") puts that section's best passage first. A place with
other words ("spravato canada", "nice uk") is an ordinary query: places are not
crisis words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ketaguide_tui.search.synonyms import Phrase
from ketaguide_tui.search.terms import words

MIN_TYPED_PLACE = 4
"""Letters of a place name being typed before it counts ("aust" for australia)."""


class PlaceNames:
    """The place names of each section that has them."""

    def __init__(self, places: Iterable[tuple[str, Iterable[str]]]) -> None:
        """`places`: (section id, its place names) pairs."""
        self._owners: dict[Phrase, str] = {}
        for section_id, names in places:
            for name in names:
                self._owners.setdefault(words(name), section_id)
        self._owners.pop((), None)
        self._longest = max(map(len, self._owners), default=0)

    def __bool__(self) -> bool:
        return bool(self._owners)

    def section_for(self, sequence: Sequence[str], last_is_prefix: bool = False) -> str | None:
        """The section whose places spell all of `sequence`, one name after another, or None."""
        owners: set[str] = set()
        position = 0
        while position < len(sequence):
            size, owner = self._name_at(sequence, position, last_is_prefix)
            if owner is None:
                return None
            owners.add(owner)
            position += size
        return owners.pop() if len(owners) == 1 else None

    def _name_at(
        self, sequence: Sequence[str], start: int, last_is_prefix: bool
    ) -> tuple[int, str | None]:
        for size in range(min(self._longest, len(sequence) - start), 0, -1):
            owner = self._owners.get(tuple(sequence[start : start + size]))
            if owner is not None:
                return size, owner
        last = sequence[start]
        if last_is_prefix and start == len(sequence) - 1 and len(last) >= MIN_TYPED_PLACE:
            typed = {
                o for name, o in self._owners.items() if len(name) == 1 and name[0].startswith(last)
            }
            if len(typed) == 1:
                return 1, typed.pop()
        return 1, None
