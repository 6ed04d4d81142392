"""Synonyms and abbreviations, taken from the content (never a list in code).

Strong pairs say the same thing: the groups of the content's `synonyms.toml`
(everyday and clinical words, UK and US spellings: see `synonym_file.py`),
glossary `ABBR (expansion)` headings, names written `X (Y)`, an all-capitals
alias abbreviating another name of its section (TRD, treatment-resistant
depression), spelling variants among a section's names (anaesthetic,
anesthetic). Loose pairs link a section's title with each alias
that belongs to that section alone: aliases list what a section is about, so the
index only uses them to widen a query that found too little.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from itertools import combinations

from ketaguide_tui.guide.model import GLOSSARY_SECTION_ID, Guide
from ketaguide_tui.search.terms import words

MAX_SYNONYMS = 8

Phrase = tuple[str, ...]
SynonymTable = dict[Phrase, tuple[Phrase, ...]]


_PARENTHESISED = re.compile(r"^\s*([^()]+?)\s*\(([^()]+)\)\s*$")


def build_synonyms(
    guide: Guide, groups: Iterable[Sequence[str]] = ()
) -> tuple[SynonymTable, SynonymTable]:
    """(strong, loose) synonym tables taken from the guide's own names and `groups`.

    Strong pairs say the same thing: every two entries of a group, glossary
    `ABBR (expansion)` headings, names written `X (Y)`, an all-capitals alias
    abbreviating another name of its section, spelling variants. Loose pairs
    link a section's title with each alias that belongs to that section alone
    (an alias several sections share is a topic, not a name).
    """
    strong: list[tuple[str, str]] = []
    for section in guide:
        names = (section.title, *section.aliases)
        strong.extend(_parenthesised_pairs(names))
        strong.extend(_acronym_pairs(names))
        strong.extend(_variant_pairs(names))
    glossary = guide.get(GLOSSARY_SECTION_ID)
    if glossary is not None:
        strong.extend(_parenthesised_pairs(heading.text for heading in glossary.toc))
    for group in groups:
        strong.extend(combinations(group, 2))
    return _table(strong), _table(_loose_pairs(guide))


def synonym_words(*tables: SynonymTable) -> frozenset[str]:
    """Every word of every key: words the speller must not "correct" to another word."""
    return frozenset(word for table in tables for key in table for word in key)


def _table(pairs: Iterable[tuple[str, str]]) -> SynonymTable:
    # dict keys as an ordered set: expansions keep the order the content gives.
    table: defaultdict[Phrase, dict[Phrase, None]] = defaultdict(dict)
    for one, other in pairs:
        first, second = words(one), words(other)
        if first and second and first != second:
            table[first][second] = None
            table[second][first] = None
    return {key: tuple(value)[:MAX_SYNONYMS] for key, value in table.items()}


def _parenthesised_pairs(texts: Iterable[str]) -> Iterator[tuple[str, str]]:
    for text in texts:
        match = _PARENTHESISED.match(text)
        if match:
            yield match.group(1), match.group(2)


def _acronym_pairs(names: Sequence[str]) -> Iterator[tuple[str, str]]:
    for name in names:
        stripped = name.strip()
        if not (2 <= len(stripped) <= 8 and stripped.isalpha() and stripped.isupper()):
            continue
        letters = stripped.lower()
        for other in names:
            phrase = words(other)
            # An expansion is written in words: "ESCAPE-TRD" is another name, not ECT spelt out.
            if not other.isupper() and letters not in phrase and _abbreviates(letters, phrase):
                yield stripped, other


def _abbreviates(letters: str, phrase: Phrase) -> bool:
    """True if `letters` can be read off `phrase` ("ect", electroconvulsive therapy).

    Every word gives its first letter and maybe more of its letters in order;
    a word of three letters or fewer ("of", "and") may give none.
    """
    if not phrase:
        return not letters
    word, rest = phrase[0], phrase[1:]
    if len(word) <= 3 and _abbreviates(letters, rest):
        return True
    if not letters or letters[0] != word[0]:
        return False
    return any(
        _is_subsequence(letters[1:end], word[1:]) and _abbreviates(letters[end:], rest)
        for end in range(1, len(letters) + 1)
    )


def _is_subsequence(needle: str, haystack: str) -> bool:
    remaining = iter(haystack)
    return all(char in remaining for char in needle)


def _variant_pairs(names: Sequence[str]) -> Iterator[tuple[str, str]]:
    # Only names with as many words can be variants: compare within those groups.
    groups: defaultdict[int, list[tuple[str, Phrase]]] = defaultdict(list)
    for name in names:
        groups[len(words(name))].append((name, words(name)))
    for group in groups.values():
        for position, (name, phrase) in enumerate(group):
            for other, other_phrase in group[position + 1 :]:
                if phrase != other_phrase and _spelling_variants(phrase, other_phrase):
                    yield name, other


def _spelling_variants(first: Phrase, second: Phrase) -> bool:
    # "prior authorisation" / "prior authorization": same words, one letter apart
    # in words long enough that one letter cannot make another word.
    return len(first) == len(second) and all(
        one == two or (min(len(one), len(two)) >= 5 and one.isalpha() and _one_edit(one, two))
        for one, two in zip(first, second, strict=True)
    )


def _one_edit(first: str, second: str) -> bool:
    """True if one edit (insert, delete, substitute, swap neighbours) turns first into second."""
    if abs(len(first) - len(second)) > 1:
        return False
    i = 0
    while i < min(len(first), len(second)) and first[i] == second[i]:
        i += 1
    return (
        first[i + 1 :] == second[i + 1 :]
        or first[i + 1 :] == second[i:]
        or first[i:] == second[i + 1 :]
        or first[i : i + 2] == second[i : i + 2][::-1]
        and first[i + 2 :] == second[i + 2 :]
    )


def _loose_pairs(guide: Guide) -> Iterator[tuple[str, str]]:
    owners: Counter[Phrase] = Counter()
    for section in guide:
        owners.update({words(alias) for alias in section.aliases})
    for section in guide:
        for alias in section.aliases:
            if owners[words(alias)] == 1:
                yield section.title, alias
