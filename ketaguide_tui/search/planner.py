"""Query plans: the words of a query, spelled against the index, grouped with their synonyms.

A plan renders as the FTS5 expression that runs (every part quoted, so nothing
typed is an operator), as a pattern that finds the same words in plain text,
and as the "did you mean" text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ketaguide_tui.search.passages import OWN_COLUMNS
from ketaguide_tui.search.query import QueryPart, QueryWord, fts_string, parse_query
from ketaguide_tui.search.questions import asks_with, filler_level
from ketaguide_tui.search.speller import Speller
from ketaguide_tui.search.synonyms import Phrase, SynonymTable
from ketaguide_tui.search.terms import term_pattern, word_base

OWN_FILTER = "{" + " ".join(OWN_COLUMNS) + "}:"
"""FTS5 column filter: the passage's own text, every column but `context`."""


@dataclass(frozen=True)
class SpelledWord:
    """A query word as it will be searched: itself, a prefix, or its corrections."""

    typed: QueryWord
    forms: tuple[str, ...]
    """What to look for: the word itself (and its other endings), or its corrections
    (best first)."""
    prefix: bool
    """The first form is the start of a word still being typed; the others are whole words."""
    corrected: bool

    def expression(self) -> str:
        first = fts_string(self.forms[0]) + ("*" if self.prefix else "")
        if len(self.forms) == 1:
            return first
        return "(" + " OR ".join([first, *map(fts_string, self.forms[1:])]) + ")"


Reading = tuple[tuple[QueryPart, ...], list[tuple[SpelledWord, ...]]]
"""The query's parts, and each part's words as spelled against the index."""


@dataclass(frozen=True)
class Unit:
    """Words that must match together (a phrase, or a run that has synonyms)."""

    words: tuple[SpelledWord, ...]
    quoted: bool
    synonyms: tuple[Phrase, ...] = ()
    joined: bool = False
    """Hyphenated words ("half-life"): a phrase whose last word may be a prefix."""

    @property
    def key(self) -> Phrase:
        return tuple(word.forms[0] for word in self.words)

    @property
    def phrase(self) -> bool:
        """The words must appear in a row: quoted or hyphenated."""
        return self.quoted or self.joined

    def expression(self) -> str:
        if self.phrase:
            typing = self.joined and self.words[-1].prefix
            core = fts_string(" ".join(self.key)) + ("*" if typing else "")
        elif len(self.words) == 1:
            core = self.words[0].expression()
        else:
            core = "(" + " AND ".join(word.expression() for word in self.words) + ")"
        if not self.synonyms:
            return core
        alternatives = [core, *(fts_string(" ".join(phrase)) for phrase in self.synonyms)]
        return "(" + " OR ".join(alternatives) + ")"

    def terms(self) -> tuple[list[str], list[str]]:
        """(exact terms, prefixes) this unit looks for, each a word or a phrase."""
        exact = [" ".join(phrase) for phrase in self.synonyms]
        prefixes: list[str] = []
        if self.phrase:
            typing = self.joined and self.words[-1].prefix
            (prefixes if typing else exact).append(" ".join(self.key))
            return exact, prefixes
        for word in self.words:
            (prefixes if word.prefix else exact).append(word.forms[0])
            exact.extend(word.forms[1:])
        return exact, prefixes

    def pattern(self) -> re.Pattern[str] | None:
        """Matches, in folded text, whatever this unit looks for."""
        exact, prefixes = self.terms()
        return term_pattern(tuple(sorted(set(exact))), tuple(sorted(set(prefixes))))

    @property
    def filler(self) -> int:
        """How much of a filler word this unit is: 2 for a single question or linking word
        ("can", "the"), 1 for an everyday word ("work", "safe"), 0 for the rest.

        A word still being typed counts too: "what is" may yet become "what
        isotope", but until it does, "is" only narrows to noise. A filler word
        typed in capitals is an abbreviation ("WHO", "OR") and is searched.
        """
        if self.phrase or len(self.words) != 1:
            return 0
        word = self.words[0]
        if word.typed.capitals and self.synonyms:
            return 0
        return max(filler_level(word.typed.text), filler_level(word.forms[0]))

    def text(self) -> str:
        """The unit as searched, for "showing results for ..."."""
        if self.joined:
            return "-".join(self.key)
        shown = " ".join(self.key)
        return f'"{shown}"' if self.quoted else shown


@dataclass(frozen=True)
class Plan:
    """What one query looks for, in order: units that must all match (AND) or any (OR)."""

    units: tuple[Unit, ...]

    def expression(self, operator: str = "AND") -> str:
        """The FTS5 expression: every unit (AND), or any (OR)."""
        return f" {operator} ".join(unit.expression() for unit in self.units)

    def own(self) -> str:
        """An FTS5 expression for passages with some unit in their own text, not only in
        `context`. The section's title is the context of each of its passages, so a
        match there alone would list every heading of a section for its name; the
        lead passage has the title, so the section is found once."""
        return f"{OWN_FILTER} ({' OR '.join(unit.expression() for unit in self.units)})"

    def leaving_out(self, index: int) -> Plan:
        """The plan without its unit at `index`."""
        return Plan(self.units[:index] + self.units[index + 1 :])

    @property
    def words(self) -> tuple[SpelledWord, ...]:
        return tuple(word for unit in self.units for word in unit.words)

    def pattern(self) -> re.Pattern[str] | None:
        """Matches, in folded text, whatever this plan looks for."""
        exact = {term for unit in self.units for term in unit.terms()[0]}
        prefixes = {term for unit in self.units for term in unit.terms()[1]}
        return term_pattern(tuple(sorted(exact)), tuple(sorted(prefixes)))

    def meaningful(self) -> Plan:
        """The plan without its filler words: all of them if that leaves a word, else
        the question and linking words only, else the plan itself.

        A word that completes a question word ("long" in "how long") is filler too.
        """
        levels = [
            2 if before is not None and asks_with(before.key, unit.key) else unit.filler
            for before, unit in zip((None, *self.units), self.units, strict=False)
        ]
        for least in (1, 2):
            kept = tuple(
                unit for unit, level in zip(self.units, levels, strict=True) if level < least
            )
            if kept:
                return Plan(kept) if len(kept) < len(self.units) else self
        return self

    def text(self) -> str:
        """The words searched, corrections applied ("drive home after session")."""
        return " ".join(unit.text() for unit in self.units)

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


def read_query(query: str, speller: Speller, known: frozenset[str] = frozenset()) -> Reading | None:
    """The query's parts, each word spelled against the index (None if no words).

    A word in `known` (a word of a synonym, such as "pee") is never corrected,
    even when no passage contains it.
    """
    parts = parse_query(query[:4096])  # 12 words never need more text than this
    if len(parts) > 1 and parts[-1].words[0].prefix and len(parts[-1].words[0].text) == 1:
        parts = parts[:-1]  # "ketamine s": one typed letter would only narrow to noise
    if not parts:
        return None
    spelled = [
        tuple(_spell(w, part.quoted or part.joined, speller, known) for w in part.words)
        for part in parts
    ]
    return parts, spelled


def _spell(word: QueryWord, quoted: bool, speller: Speller, known: frozenset[str]) -> SpelledWord:
    text = word.text
    if quoted and word.prefix and speller.completes(text):
        return SpelledWord(word, (text,), True, False)  # the end of "ketamine-ass"
    can_prefix = not quoted and len(text) >= (2 if word.prefix else 3)
    if word.prefix and can_prefix and speller.completes(text):
        # A finished word that is still last ("FDA warning") also meets its other
        # endings ("warned"); a start of a word ("warn") already meets them all.
        endings = (
            [form for form in _inflections(text) if form in speller] if text in speller else []
        )
        return SpelledWord(word, (text, *endings), True, False)
    if text in speller or text in known:
        endings = [form for form in _inflections(text) if form in speller]
        return SpelledWord(word, (text, *endings), False, False)
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
        part = parts[index]
        if part.quoted or part.joined:
            key = tuple(word.forms[0] for word in spelled[index])
            units.append(Unit(spelled[index], part.quoted, table.get(key, ()), part.joined))
            index += 1
            continue
        run = 1
        while (
            run < longest
            and index + run < len(parts)
            and not (parts[index + run].quoted or parts[index + run].joined)
        ):
            run += 1
        size, synonyms = longest_synonym(spelled[index : index + run], table)
        grouped = tuple(word for group in spelled[index : index + size] for word in group)
        units.append(Unit(grouped, False, synonyms))
        index += size
    return Plan(tuple(units))


def _inflections(word: str) -> list[str]:
    """The same word with an ending added or taken away ("effect", "effects", "warned")."""
    if len(word) < 4 or not word.isalpha():
        return []
    base = word_base(word)
    forms = [base + ending for ending in ("", "s", "es", "ing", "ed")]
    if base.endswith("y"):
        forms.append(base[:-1] + "ies")
    return [form for form in dict.fromkeys(forms) if form != word]
