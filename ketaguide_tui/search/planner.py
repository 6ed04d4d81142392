"""Query plans: the words of a query, spelled against the index, grouped with their synonyms.

A plan renders as the FTS5 expression that runs (every part quoted, so nothing
typed is an operator), as a pattern that finds the same words in plain text,
and as the "did you mean" text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ketaguide_tui.search.query import QueryPart, QueryWord, fts_string, parse_query
from ketaguide_tui.search.speller import Speller
from ketaguide_tui.search.synonyms import Phrase, SynonymTable
from ketaguide_tui.search.terms import term_pattern


@dataclass(frozen=True)
class SpelledWord:
    """A query word as it will be searched: itself, a prefix, or its corrections."""

    typed: QueryWord
    forms: tuple[str, ...]
    """What to look for: the word itself, or its corrections (best first)."""
    prefix: bool
    corrected: bool

    def expression(self) -> str:
        if self.prefix:
            return fts_string(self.forms[0]) + "*"
        if len(self.forms) == 1:
            return fts_string(self.forms[0])
        return "(" + " OR ".join(map(fts_string, self.forms)) + ")"


Reading = tuple[tuple[QueryPart, ...], list[tuple[SpelledWord, ...]]]
"""The query's parts, and each part's words as spelled against the index."""


@dataclass(frozen=True)
class Unit:
    """Words that must match together (a phrase, or a run that has synonyms)."""

    words: tuple[SpelledWord, ...]
    quoted: bool
    synonyms: tuple[Phrase, ...] = ()

    @property
    def key(self) -> Phrase:
        return tuple(word.forms[0] for word in self.words)

    def expression(self) -> str:
        if self.quoted:
            core = fts_string(" ".join(self.key))
        elif len(self.words) == 1:
            core = self.words[0].expression()
        else:
            core = "(" + " AND ".join(word.expression() for word in self.words) + ")"
        if not self.synonyms:
            return core
        alternatives = [core, *(fts_string(" ".join(phrase)) for phrase in self.synonyms)]
        return "(" + " OR ".join(alternatives) + ")"


@dataclass(frozen=True)
class Plan:
    """What one query looks for, in order: units that must all match (AND) or any (OR)."""

    units: tuple[Unit, ...]

    def expression(self, operator: str = "AND") -> str:
        return f" {operator} ".join(unit.expression() for unit in self.units)

    @property
    def words(self) -> tuple[SpelledWord, ...]:
        return tuple(word for unit in self.units for word in unit.words)

    def pattern(self) -> re.Pattern[str] | None:
        """Matches, in folded text, whatever this plan looks for."""
        exact: list[str] = []
        prefixes: list[str] = []
        for unit in self.units:
            exact.extend(" ".join(phrase) for phrase in unit.synonyms)
            if unit.quoted:
                exact.append(" ".join(unit.key))
                continue
            for word in unit.words:
                (prefixes if word.prefix else exact).extend(word.forms)
        return term_pattern(tuple(sorted(set(exact))), tuple(sorted(set(prefixes))))

    def suggestion(self, query: str) -> str | None:
        """`query` with corrected words replaced, or None if nothing was corrected."""
        corrected = [word for word in self.words if word.corrected]
        if not corrected:
            return None
        text = query
        for word in sorted(corrected, key=lambda w: w.typed.start, reverse=True):
            text = text[: word.typed.start] + word.forms[0] + text[word.typed.end :]
        return text


def longest_synonym(
    run: Sequence[tuple[SpelledWord, ...]], table: SynonymTable
) -> tuple[int, tuple[Phrase, ...]]:
    """How many words from the start of `run` form a synonym key, and its synonyms."""
    for size in range(len(run), 0, -1):
        key = tuple(group[0].forms[0] for group in run[:size])
        if key in table:
            return size, table[key]
    return 1, ()


def read_query(query: str, speller: Speller) -> Reading | None:
    """The query's parts, each word spelled against the index (None if no words)."""
    parts = parse_query(query[:4096])  # 12 words never need more text than this
    if len(parts) > 1 and parts[-1].words[0].prefix and len(parts[-1].words[0].text) == 1:
        parts = parts[:-1]  # "ketamine s": one typed letter would only narrow to noise
    if not parts:
        return None
    return parts, [tuple(_spell(w, part.quoted, speller) for w in part.words) for part in parts]


def _spell(word: QueryWord, quoted: bool, speller: Speller) -> SpelledWord:
    text = word.text
    can_prefix = not quoted and len(text) >= (2 if word.prefix else 3)
    if word.prefix and can_prefix and speller.completes(text):
        return SpelledWord(word, (text,), True, False)
    if text in speller:
        return SpelledWord(word, (text,), False, False)
    if can_prefix and speller.completes(text):
        return SpelledWord(word, (text,), True, False)
    fixes = speller.corrections(text)
    return SpelledWord(word, fixes or (text,), False, bool(fixes))


def make_plan(reading: Reading, table: SynonymTable, longest: int) -> Plan:
    """Group the reading's words into units, each run that is a synonym key (at most
    `longest` words) with its synonyms."""
    parts, spelled = reading
    units: list[Unit] = []
    index = 0
    while index < len(parts):
        if parts[index].quoted:
            key = tuple(word.forms[0] for word in spelled[index])
            units.append(Unit(spelled[index], True, table.get(key, ())))
            index += 1
            continue
        run = 1
        while run < longest and index + run < len(parts) and not parts[index + run].quoted:
            run += 1
        size, synonyms = longest_synonym(spelled[index : index + run], table)
        grouped = tuple(word for group in spelled[index : index + size] for word in group)
        units.append(Unit(grouped, False, synonyms))
        index += size
    return Plan(tuple(units))
