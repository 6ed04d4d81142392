"""Spelling correction against the index's own vocabulary, fast enough to run per keystroke.

A word is corrected to the index words within 2 edits (words of 5+ letters) or
1 edit (3-4 letters): insertion, deletion, substitution or a swap of neighbours;
fewest edits first, then the words in most passages.

The vocabulary is asked only what a query needs: a word's count, the words
after a prefix. The whole of it is read only when a word needs correcting, so
a cached index (`index_cache`), whose vocabulary stays in its file, starts
without reading a hundred thousand words.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Protocol

MAX_CORRECTIONS = 3


class Vocabulary(Protocol):
    """An index's words and the number of passages each is in."""

    def documents(self, word: str) -> int:
        """How many passages contain `word` (0 for a word not indexed)."""

    def from_prefix(self, prefix: str) -> Iterator[tuple[str, int]]:
        """The words from `prefix` on, in code point order, with their counts."""

    def counts(self) -> Mapping[str, int]:
        """Every word and its count."""


class MemoryVocabulary:
    """A vocabulary held in a dict (sorted when a prefix is first looked up)."""

    def __init__(self, counts: Mapping[str, int]) -> None:
        self._counts = counts
        self._sorted: list[str] | None = None

    def documents(self, word: str) -> int:
        return self._counts.get(word, 0)

    def from_prefix(self, prefix: str) -> Iterator[tuple[str, int]]:
        ordered = self._sorted
        if ordered is None:
            ordered = self._sorted = sorted(self._counts)
        for position in range(bisect_left(ordered, prefix), len(ordered)):
            term = ordered[position]
            yield term, self._counts[term]

    def counts(self) -> Mapping[str, int]:
        return self._counts


def _bigrams(word: str) -> set[str]:
    padded = f"^{word}$"
    return {padded[i : i + 2] for i in range(len(padded) - 1)}


def _allowed_distance(word: str) -> int:
    return 2 if len(word) >= 5 else 1 if len(word) >= 3 else 0


def _distance(first: str, second: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of neighbours counts 1), capped at limit + 1."""
    if abs(len(first) - len(second)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(second) + 1))
    for i, one in enumerate(first, 1):
        current = [i] + [0] * len(second)
        for j, two in enumerate(second, 1):
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (one != two))
            if before and j > 1 and one == second[j - 2] and first[i - 2] == two:
                value = min(value, before[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1]


def inverse_document_frequency(documents: int, passages: int) -> float:
    """How much a word (or part of a query) in `documents` of `passages` tells them apart."""
    return math.log((passages + 1) / (documents + 0.5))


class Speller:
    """Corrects words against the index vocabulary, quickly.

    Candidates come from an index of letter pairs ("^k", "ke", ..., "e$")
    bucketed by word length, each length built on first use. A word within k edits
    of the query is at most k letters longer or shorter and shares all but 2k
    of the query's pairs, so only the few index words that do get the exact
    (slower) edit-distance check, most shared pairs first.
    """

    def __init__(self, vocabulary: Mapping[str, int] | Vocabulary, passages: int = 0) -> None:
        """`vocabulary`: each indexed word and the number of passages it is in, of
        `passages` in all (for `rarity`)."""
        self._vocabulary = (
            MemoryVocabulary(vocabulary) if isinstance(vocabulary, Mapping) else vocabulary
        )
        self._passages = passages
        # Word length -> the words of that length, made when a word first needs correcting.
        self._words_by_length: dict[int, list[str]] | None = None
        # length -> letter pair -> words of that length with the pair. Each length
        # is filled the first time a word needs it, so building the index does
        # not pay for pairs that no typo ever looks at.
        self._grams: dict[int, dict[str, list[str]]] = {}

    def __contains__(self, word: str) -> bool:
        return self.documents(word) > 0

    def documents(self, word: str) -> int:
        """How many passages contain `word`."""
        return self._vocabulary.documents(word)

    def rarity(self, word: str) -> float:
        """How much `word` tells passages apart: its inverse document frequency."""
        return inverse_document_frequency(self.documents(word), self._passages)

    def prefix_documents(self, prefix: str, cap: int) -> int:
        """At most `cap`: an upper bound on the passages with a word starting with `prefix`."""
        total = 0
        for term, documents in self._vocabulary.from_prefix(prefix):
            if total >= cap or not term.startswith(prefix):
                break
            total += documents
        return min(total, cap)

    def completes(self, prefix: str) -> bool:
        """True if some index word starts with `prefix`."""
        first = next(self._vocabulary.from_prefix(prefix), None)
        return first is not None and first[0].startswith(prefix)

    def corrections(self, word: str) -> tuple[str, ...]:
        """The closest index words (fewest edits, then most passages), best first."""
        limit = _allowed_distance(word)
        if limit == 0 or not word.isalpha() or len(word) > 32:
            return ()
        grams = _bigrams(word)
        best = limit
        found: list[tuple[int, int, str]] = []
        # Most shared pairs first: once a candidate shares too few pairs to be as
        # close as the best found so far, no later one can be either.
        for candidate, shared in self._candidates(word, grams, limit):
            if shared < _pairs_needed(grams, word, best):
                break
            distance = _distance(word, candidate, best)
            if distance < best:
                best, found = distance, [entry for entry in found if entry[0] <= distance]
            if distance <= best:
                found.append((distance, -self.documents(candidate), candidate))
        return tuple(term for _, _, term in sorted(found))[:MAX_CORRECTIONS]

    def _pairs_of_length(self, length: int) -> dict[str, list[str]]:
        table = self._grams.get(length)
        if table is None:
            # Built whole, then stored in one step: another thread either sees
            # the finished table or builds its own identical one.
            table = self._grams[length] = _pair_table(self._by_length().get(length, ()))
        return table

    def _by_length(self) -> dict[int, list[str]]:
        by_length = self._words_by_length
        if by_length is None:
            grouped: defaultdict[int, list[str]] = defaultdict(list)
            for term in self._vocabulary.counts():
                if len(term) >= 3 and term.isalpha():
                    grouped[len(term)].append(term)
            # Built whole, then stored in one step, as the pair tables are.
            by_length = self._words_by_length = dict(grouped)
        return by_length

    def _candidates(self, word: str, grams: set[str], limit: int) -> list[tuple[str, int]]:
        """Index words of a length within `limit` sharing enough letter pairs, most first."""
        counts: Counter[str] = Counter()
        for length in range(len(word) - limit, len(word) + limit + 1):
            buckets = self._pairs_of_length(length)
            for gram in grams:
                bucket = buckets.get(gram)
                if bucket:
                    counts.update(bucket)
        needed = _pairs_needed(grams, word, limit)
        close = [(term, shared) for term, shared in counts.items() if shared >= needed]
        return sorted(close, key=lambda entry: -entry[1])


def _pair_table(terms: Iterable[str]) -> dict[str, list[str]]:
    """Letter pair -> the `terms` containing it."""
    table: defaultdict[str, list[str]] = defaultdict(list)
    for term in terms:
        for gram in _bigrams(term):
            table[gram].append(term)
    return dict(table)


def _pairs_needed(grams: set[str], word: str, distance: int) -> int:
    """Fewest letter pairs of `word` a word within `distance` edits must share.

    Each insertion, deletion or substitution breaks at most two pairs; a swap of
    neighbours (one edit for short words, which allow only one) breaks three.
    """
    return max(1, len(grams) - 2 * distance - (1 if len(word) < 5 else 0))
