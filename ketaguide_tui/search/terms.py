"""Words as the index sees them, and finding them again in plain text.

SQLite's `unicode61 remove_diacritics 2` tokenizer keeps runs of letters and
digits and folds case and accents. `words` and `fold` do the same in Python, so
the planner, the snippets and the viewer agree with the index about what a word
is. `term_pattern`, `find_terms` and `match_spans` find query terms (whole words,
word prefixes, runs of words) in plain text for snippets and highlighting.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

WORD = re.compile(r"[^\W_](?:[^\W_]|[\u0300-\u036f])*")
"""A run of letters and digits (plus combining accents), as unicode61 sees words."""

_NOT_WORD_AFTER = r"(?![^\W_])"
_WORD_TAIL = r"[^\W_]*"
_BETWEEN_WORDS = r"[\W_]+"


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


def word_base(word: str) -> str:
    """`word` without a plural, -ing or -ed ending ("effects", "warning", "warned": "effect",
    "warn", "warn"), for meeting a word in another form. Not a stemmer: it leaves short
    words and words ending in "ss" alone, and undoes only those three endings."""
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ed") and not word.endswith("eed"):
        return word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word
