"""The synonym tables a search reads: strong ones, wide ones (strong and loose), and the
words they hold.

`SearchIndex` plans a query twice, with the strong table (names that say the
same thing) and with the wide one (which adds a section's title for its
aliases), never corrects a word some table holds, and looks up runs of words
up to the longest key. `merged_tables` makes all four from the (strong, loose)
pair `synonyms.build_synonyms` gives; a cached index looks them up in its file
instead (`stored_synonyms`), key by key, as a query asks.
"""

from __future__ import annotations

from dataclasses import dataclass

from ketaguide_tui.search.synonyms import MAX_SYNONYMS, Phrase, SynonymTable, synonym_words


@dataclass(frozen=True)
class SynonymTables:
    """What a search reads of the synonyms."""

    strong: SynonymTable
    wide: SynonymTable
    """The strong synonyms of each key, then its loose ones (at most MAX_SYNONYMS)."""
    known: frozenset[str]
    """Every word of every key: words the speller must not "correct" to another word."""
    longest: int
    """The most words a key has (1 when there is none)."""


def wide_entry(strong: tuple[Phrase, ...], loose: tuple[Phrase, ...]) -> tuple[Phrase, ...]:
    """A key's entry in the wide table, from its strong and loose entries."""
    return tuple(dict.fromkeys((*strong, *loose)))[:MAX_SYNONYMS]


def merged_tables(strong: SynonymTable, loose: SynonymTable) -> SynonymTables:
    """The tables made in full from `synonyms.build_synonyms`'s pair."""
    wide = {key: wide_entry(strong.get(key, ()), loose.get(key, ())) for key in {*strong, *loose}}
    return SynonymTables(
        strong,
        wide,
        synonym_words(strong, loose),
        max((len(key) for key in wide), default=1),
    )
