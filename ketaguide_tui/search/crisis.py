"""Telling whether a query is about a crisis, from the crisis section's own names."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ketaguide_tui.search.synonyms import Phrase
from ketaguide_tui.search.terms import words

MAX_ENDING = 3
"""Letters a word may add to a crisis word and still be that word ("harm", "harming")."""


class CrisisDetector:
    """Tells whether a query is about a crisis, from the crisis section's own names.

    The vocabulary is the `get-help-now` section's title and aliases (crisis,
    suicide, self-harm, overdose, 988...). A query word matches a name's word
    when they are equal, when one is the other plus an ending of up to three
    letters and the shorter has 4+ letters ("harming"/"harm", but not
    "lifeline"/"life"), or when they share their first 5 letters
    ("suicidal"/"suicide"). A word still being typed matches names it begins,
    from 5 letters on ("overd"), or at once after a matched first word
    ("self h"). Numbers must match exactly.
    """

    def __init__(self, names: Iterable[str]) -> None:
        # Every rule above makes a matching first word share its first four
        # characters with the name (or all of it, if shorter): index by those.
        self._by_start: defaultdict[str, list[Phrase]] = defaultdict(list)
        for phrase in {words(name) for name in names} - {()}:
            self._by_start[phrase[0][:4]].append(phrase)

    def __bool__(self) -> bool:
        return bool(self._by_start)

    def matches(self, sequence: Phrase, last_is_prefix: bool = False) -> bool:
        """True if any crisis name appears, word by word, in `sequence`."""
        return any(
            start + len(phrase) <= len(sequence)
            and self._matches_at(phrase, sequence, start, last_is_prefix)
            for start, word in enumerate(sequence)
            for phrase in self._by_start.get(word[:4], ())
        )

    @staticmethod
    def _matches_at(phrase: Phrase, sequence: Phrase, start: int, last_is_prefix: bool) -> bool:
        for offset, name_word in enumerate(phrase):
            position = start + offset
            typing = last_is_prefix and position == len(sequence) - 1
            if not _crisis_word(sequence[position], name_word, typing, offset > 0):
                return False
        return True


def _crisis_word(word: str, name_word: str, typing: bool, after_match: bool) -> bool:
    if word == name_word:
        return True
    if not (word.isalpha() and name_word.isalpha()):
        return False
    if typing and name_word.startswith(word) and (after_match or len(word) >= 5):
        return True
    shorter, longer = sorted((word, name_word), key=len)
    if (
        len(shorter) >= 4
        and len(longer) - len(shorter) <= MAX_ENDING
        and longer.startswith(shorter)
    ):
        return True
    return len(word) >= 5 and len(name_word) >= 5 and word[:5] == name_word[:5]
