"""The glossary as data: its entries, the names each is known by, and finding them in text.

The format (documented in the README's content format section):

* The glossary is the section with id `glossary`. Each `###` heading in it (outside
  `## Sources`) is an entry; the text under the heading is its definition.
* The heading's text up to " (" is the term: `### REMS (Risk Evaluation and
  Mitigation Strategy)` defines "REMS". The part in brackets is a second name
  ("Risk Evaluation and Mitigation Strategy") unless it is a description, which
  starts with "a", "an" or "the" (`### CADSS (a rating scale for dissociation)`),
  or it is another entry's term (the entry of its own wins).
* More names go on a line of their own right under the heading:
  `Also called: anesthetic (US spelling), narcotic.` (names separated by commas
  or semicolons; a note in brackets after a name is not part of it). `check`
  reports an empty name and a listed name that another entry has too.

A name matches whole words. A name with a capital letter after its first letter
("REMS", "Class B") matches only as written, so "who" is not "WHO"; any other
name matches in any case. The last word may take a plural "s" or "es" or a
possessive "'s". Matching walks the text's words once with dictionary look-ups,
so it costs about the same for 10 entries as for 1,000. No Textual import.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ketaguide_tui.guide.model import (
    GLOSSARY_SECTION_ID,
    SOURCES_HEADING,
    Guide,
    Heading,
    Problem,
    Section,
)

ALSO_CALLED = "Also called:"
_DESCRIPTION_STARTS = ("a ", "an ", "the ")
_WORD = re.compile(r"[^\W_]+(?:[-‐‑'’][^\W_]+)*")
_SUFFIXES = ("", "s", "es", "'s", "’s")


@dataclass(frozen=True)
class GlossaryEntry:
    """One glossary entry: its term, other names, definition and where it is."""

    term: str
    """What the heading defines ("REMS")."""
    heading: str
    """The whole heading ("REMS (Risk Evaluation and Mitigation Strategy)")."""
    anchor: str
    """The heading's anchor in the glossary section."""
    names: tuple[str, ...]
    """Every name the entry is found by in the text, the term first."""
    definition: str
    """The entry's text as plain text on one line."""
    line: int
    """1-based file line of the heading."""


@dataclass(frozen=True, slots=True)
class TermMatch:
    """A name of a glossary entry found in a piece of text."""

    start: int
    end: int
    entry: GlossaryEntry


@dataclass(frozen=True)
class _Name:
    words: tuple[str, ...]
    exact: bool
    entry: GlossaryEntry


@dataclass
class Glossary:
    """A guide's glossary entries and a finder for their names."""

    entries: tuple[GlossaryEntry, ...] = ()
    problems: tuple[Problem, ...] = ()
    _by_first_word: dict[str, list[_Name]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for entry in self.entries:
            for name in entry.names:
                words = tuple(w.group() for w in _WORD.finditer(name))
                if not words or len(name) < 2:
                    continue
                exact = any(c.isupper() for c in name[1:])
                key = words[0].lower()
                stored = words if exact else tuple(w.lower() for w in words)
                self._by_first_word.setdefault(key, []).append(_Name(stored, exact, entry))
        for names in self._by_first_word.values():
            names.sort(key=lambda n: -len(n.words))  # the longest name wins

    def __bool__(self) -> bool:
        return bool(self.entries)

    def entry(self, anchor: str) -> GlossaryEntry | None:
        """The entry with this anchor in the glossary section."""
        return next((e for e in self.entries if e.anchor == anchor), None)

    def find(self, text: str) -> list[TermMatch]:
        """Every place a name of an entry stands in `text`, left to right, not overlapping."""
        words = list(_WORD.finditer(text))
        found: list[TermMatch] = []
        index = 0
        while index < len(words):
            match = self._match_at(text, words, index)
            if match is None:
                index += 1
                continue
            length, name = match
            found.append(TermMatch(words[index].start(), words[index + length - 1].end(), name))
            index += length
        return found

    def _match_at(
        self, text: str, words: Sequence[re.Match[str]], index: int
    ) -> tuple[int, GlossaryEntry] | None:
        lowered = words[index].group().lower()
        by_first = self._by_first_word
        candidates = by_first.get(lowered)
        if lowered[-1:] == "s":  # a plural or possessive: look up the word without it
            for suffix in _SUFFIXES[1:]:
                if lowered.endswith(suffix):
                    more = by_first.get(lowered[: -len(suffix)])
                    if more:
                        candidates = [*(candidates or ()), *more]
        if not candidates:
            return None
        for name in sorted(candidates, key=lambda n: -len(n.words)):
            if self._fits(text, words, index, name):
                return len(name.words), name.entry
        return None

    @staticmethod
    def _fits(text: str, words: Sequence[re.Match[str]], index: int, name: _Name) -> bool:
        count = len(name.words)
        if index + count > len(words):
            return False
        for offset, wanted in enumerate(name.words):
            word = words[index + offset]
            if offset and not text[words[index + offset - 1].end() : word.start()].isspace():
                return False
            seen = word.group() if name.exact else word.group().lower()
            if offset < count - 1:
                if seen != wanted:
                    return False
            elif not any(seen == wanted + suffix for suffix in _SUFFIXES):
                return False
        return True


def glossary_of(guide: Guide) -> Glossary:
    """The guide's glossary (empty when it has no `glossary` section)."""
    section = guide.get(GLOSSARY_SECTION_ID)
    return _read_glossary(section) if section is not None else Glossary()


@dataclass
class _Draft:
    term: str
    heading: Heading
    names: list[str]
    listed: set[str]
    """Names from the "Also called:" line (a clash of these is reported)."""


@lru_cache(maxsize=4)
def _read_glossary(section: Section) -> Glossary:
    problems: list[Problem] = []
    drafts = _drafts(section, problems)
    terms = {draft.term.lower() for draft in drafts}
    passages = {p.heading.anchor: p.text for p in section.reading.passages if p.heading}
    owner: dict[str, str] = {}
    entries: list[GlossaryEntry] = []
    for draft in drafts:
        anchor = draft.heading.anchor
        kept: list[str] = []
        for position, name in enumerate(draft.names):
            key = name.lower()
            if position and key in terms:
                continue  # another entry's own term: that entry explains it
            if key in owner and owner[key] != draft.term:
                if name in draft.listed:
                    message = f"the name '{name}' also belongs to the entry '{owner[key]}'"
                    problems.append(Problem(section.path, draft.heading.line, message))
                continue  # a name in brackets two entries share: the first keeps it
            owner.setdefault(key, draft.term)
            if name not in kept:
                kept.append(name)
        entries.append(
            GlossaryEntry(
                draft.term,
                draft.heading.text,
                anchor,
                tuple(kept),
                passages.get(anchor, ""),
                draft.heading.line,
            )
        )
    return Glossary(tuple(entries), tuple(problems))


def _drafts(section: Section, problems: list[Problem]) -> list[_Draft]:
    """Each entry's term and names, in order, before clashes are settled."""
    drafts: list[_Draft] = []
    in_sources = False
    headings = section.headings
    also_lines = [
        unit
        for unit in section.reading.units
        if unit.kind == "paragraph" and unit.text.startswith(ALSO_CALLED)
    ]
    for number, heading in enumerate(headings):
        if heading.level <= 2:
            in_sources = heading.text == SOURCES_HEADING
        if heading.level != 3 or in_sources:
            continue
        term, _, rest = heading.text.partition(" (")
        names = [term.strip()]
        second = rest[:-1].strip() if rest.endswith(")") else ""
        if second and not second.lower().startswith(_DESCRIPTION_STARTS):
            names.append(second)
        end = headings[number + 1].line if number + 1 < len(headings) else None
        listed: set[str] = set()
        for unit in also_lines:
            if unit.line <= heading.line or (end is not None and unit.line >= end):
                continue
            for listed_name in re.split(r"[,;]", unit.text[len(ALSO_CALLED) :].rstrip(" .")):
                name = listed_name.partition(" (")[0].strip()  # "(US spelling)" is a note
                if name:
                    names.append(name)
                    listed.add(name)
                else:
                    message = f"'{ALSO_CALLED}' has an empty name"
                    problems.append(Problem(section.path, unit.line, message))
        drafts.append(_Draft(term.strip(), heading, names, listed))
    return drafts


def glossary_problems(guide: Guide) -> list[Problem]:
    """What `check` reports about the glossary's names."""
    return list(glossary_of(guide).problems)
