"""Reading what someone typed into the search box, safely.

The search index (`ketaguide_tui.search.index`) runs SQLite FTS5 queries, and the
FTS5 query language is unforgiving: a lone `"`, a bare `AND`, `foo-bar`, `C++`,
`a:b` or `(` raise an error, and `title:x`, `^x` or `NEAR(a b)` silently change
what is searched. So user text is never handed to FTS5 as it is. This module
splits it into words itself (letters and digits, the same characters FTS5's
`unicode61` tokenizer keeps), remembers which words were inside double quotes,
and renders every word as an FTS5 string literal. Nothing a user types can then
be read as an operator.

It also holds the text folding shared by the index and the viewer (lower case,
accents removed, as `unicode61 remove_diacritics 2` does) and `match_spans`,
which finds words in plain text for highlighting.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

MAX_WORDS = 12
"""Words read from one query; the rest is ignored so a pasted essay stays fast."""

MAX_WORD_LENGTH = 64
"""Longer "words" are cut: no real word is this long, and it bounds the work."""

WORD = re.compile(r"[^\W_](?:[^\W_]|[\u0300-\u036f])*")
"""A run of letters and digits (plus combining accents), as unicode61 sees words."""

_NOT_WORD_AFTER = r"(?![^\W_])"
_WORD_TAIL = r"[^\W_]*"
_BETWEEN_WORDS = r"[\W_]+"

# Typographic quotes are folded to `"` so a phrase typed on a phone still works.
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"'})
_SCANNER = re.compile(r'"(?P<phrase>[^"]*)"|(?P<word>' + WORD.pattern + ")")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """`text` in lower case with accents removed ("Guimarães" -> "guimaraes")."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    folded = fold(char)
    # A character whose folding is longer or empty ("ﬃ" stays, a lone combining
    # accent stays) keeps its place, so offsets in the folded text stay valid.
    return folded if len(folded) == 1 else char


@lru_cache(maxsize=1024)
def fold_in_place(text: str) -> str:
    """Fold `text` character by character, keeping every offset where it was.

    Cached: the same passages are folded again for every query that finds them.
    """
    if text.isascii():
        return text.lower()
    return "".join(map(_fold_char, text))


@lru_cache(maxsize=16384)
def words(text: str) -> tuple[str, ...]:
    """The folded words of `text`, as the index stores them."""
    return tuple(fold(match.group()) for match in WORD.finditer(text))


def fts_string(text: str) -> str:
    """`text` as an FTS5 string literal: in double quotes, inner quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


@dataclass(frozen=True)
class QueryWord:
    """One word of the query, folded, with where it was typed."""

    text: str
    """Lower case, accents removed, at most MAX_WORD_LENGTH characters."""
    start: int
    """Offset of the word in the query as typed."""
    end: int
    """Offset just after the word in the query as typed."""
    prefix: bool
    """True for the word still being typed: the last one, with nothing after it."""


@dataclass(frozen=True)
class QueryPart:
    """A single word, or the words of a "quoted phrase" that must appear in order."""

    words: tuple[QueryWord, ...]
    quoted: bool


def parse_query(text: str, max_words: int = MAX_WORDS) -> tuple[QueryPart, ...]:
    """Split a query into words and quoted phrases, reading at most `max_words` words.

    A `"` without a partner is ignored. Everything that is not a letter or a
    digit separates words, so operators and punctuation never reach FTS5.
    """
    text = text.translate(_QUOTES)
    parts: list[QueryPart] = []
    budget = max_words
    for match in _SCANNER.finditer(text):
        if budget <= 0:
            break
        if match.group("word") is not None:
            parts.append(QueryPart((_query_word(match.group(), match.start(), False),), False))
            budget -= 1
            continue
        offset = match.start("phrase")
        found = [
            _query_word(inner.group(), offset + inner.start(), False)
            for inner in WORD.finditer(match.group("phrase"))
        ][:budget]
        if found:
            parts.append(QueryPart(tuple(found), True))
            budget -= len(found)
    return _mark_prefix(parts, len(text))


def _query_word(raw: str, start: int, prefix: bool) -> QueryWord:
    return QueryWord(fold(raw[:MAX_WORD_LENGTH]), start, start + len(raw), prefix)


def _mark_prefix(parts: list[QueryPart], length: int) -> tuple[QueryPart, ...]:
    # Only a bare word that ends the text is still being typed: "keta" is a
    # prefix, "keta " and "keta." are finished words.
    if parts and not parts[-1].quoted and parts[-1].words[-1].end == length:
        last = parts[-1].words[-1]
        parts[-1] = QueryPart((QueryWord(last.text, last.start, last.end, True),), False)
    return tuple(parts)


@lru_cache(maxsize=512)
def term_pattern(exact: tuple[str, ...], prefixes: tuple[str, ...] = ()) -> re.Pattern[str] | None:
    """A pattern for folded text matching words `exact` and word prefixes `prefixes`.

    A term of several words ("blood pressure") matches them in a row, whatever
    separates them. A match always runs to the end of the word it ends in. Use
    it through `find_terms`, which also checks that a match starts a word: that
    check is left out of the pattern because a pattern starting with a
    lookbehind cannot skip ahead to its first letters, and is 2-3 times slower.
    Returns None when no term has a word in it.
    """
    exact_alternatives = _alternatives(exact)
    prefix_alternatives = _alternatives(prefixes)
    branches = []
    if exact_alternatives:
        branches.append(f"(?:{exact_alternatives}){_NOT_WORD_AFTER}")
    if prefix_alternatives:
        branches.append(f"(?:{prefix_alternatives}){_WORD_TAIL}")
    if not branches:
        return None
    return re.compile("|".join(branches))


def _alternatives(terms: Iterable[str]) -> str:
    # Longest first, so "blood pressure" wins over "blood" at the same place.
    phrases = {words(term) for term in terms} - {()}
    ordered = sorted(phrases, key=lambda phrase: (-sum(map(len, phrase)), phrase))
    return "|".join(_BETWEEN_WORDS.join(map(re.escape, phrase)) for phrase in ordered)


def find_terms(pattern: re.Pattern[str], folded: str) -> Iterator[re.Match[str]]:
    """The matches of a `term_pattern` in folded text that start a word."""
    position = 0
    while (match := pattern.search(folded, position)) is not None:
        start = match.start()
        if start and folded[start - 1].isalnum():
            position = start + 1  # inside a word ("ketamine" in "esketamine"): look on
            continue
        yield match
        position = max(match.end(), start + 1)


def match_spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Where the `terms` occur in `text`, as word prefixes, ignoring case and accents.

    Each span covers the whole word (or run of words, for a term with spaces)
    that a term starts, so "keta" marks all of "Ketamine".
    """
    pattern = term_pattern((), tuple(sorted(set(terms))))
    if pattern is None or not text:
        return []
    return [match.span() for match in find_terms(pattern, fold_in_place(text))]
