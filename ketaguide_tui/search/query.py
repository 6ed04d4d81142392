"""Reading what someone typed into the search box, safely.

The search index (`ketaguide_tui.search.index`) runs SQLite FTS5 queries, and the
FTS5 query language is unforgiving: a lone `"`, a bare `AND`, `foo-bar`, `C++`,
`a:b` or `(` raise an error, and `title:x`, `^x` or `NEAR(a b)` silently change
what is searched. So user text is never handed to FTS5 as it is. This module
splits it into words itself (letters and digits, the same characters FTS5's
`unicode61` tokenizer keeps), remembers which words were inside double quotes,
and renders every word as an FTS5 string literal. Nothing a user types can then
be read as an operator.

What a word is (and how it is folded) lives in `terms.py`, shared with the
index and the viewer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ketaguide_tui.search.terms import WORD, fold

MAX_WORDS = 12
"""Words read from one query; the rest is ignored so a pasted essay stays fast."""

MAX_WORD_LENGTH = 64
"""Longer "words" are cut: no real word is this long, and it bounds the work."""


# Typographic quotes are folded to `"` so a phrase typed on a phone still works.
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"'})
_HYPHENS = ("-", "\u2010", "\u2011")
"""What joins the words of "half-life" (the ASCII hyphen and Unicode's hyphens)."""
_SCANNER = re.compile(r'"(?P<phrase>[^"]*)"|(?P<word>' + WORD.pattern + ")")


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
    capitals: bool = False
    """Typed in capitals ("WHO", "OR"): an abbreviation, not the everyday word."""


@dataclass(frozen=True)
class QueryPart:
    """A single word, or the words of a "quoted phrase" that must appear in order."""

    words: tuple[QueryWord, ...]
    quoted: bool
    joined: bool = False
    """Words written with hyphens between them ("half-life", "ESCAPE-TRD"): they
    must appear in a row, like a phrase, and the last may still be being typed."""


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
    return _mark_prefix(_join_hyphens(parts, text), len(text))


def _join_hyphens(parts: list[QueryPart], text: str) -> list[QueryPart]:
    """Bare words with only a hyphen between them become one joined part."""
    joined: list[QueryPart] = []
    for part in parts:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and not part.quoted
            and not previous.quoted
            and text[previous.words[-1].end : part.words[0].start] in _HYPHENS
        ):
            joined[-1] = QueryPart((*previous.words, *part.words), False, True)
        else:
            joined.append(part)
    return joined


def _query_word(raw: str, start: int, prefix: bool) -> QueryWord:
    capitals = len(raw) > 1 and raw.isupper()
    return QueryWord(fold(raw[:MAX_WORD_LENGTH]), start, start + len(raw), prefix, capitals)


def _mark_prefix(parts: list[QueryPart], length: int) -> tuple[QueryPart, ...]:
    # Only a bare word that ends the text is still being typed: "keta" is a
    # prefix, "keta " and "keta." are finished words.
    if parts and not parts[-1].quoted and parts[-1].words[-1].end == length:
        *before, last = parts[-1].words
        typing = QueryWord(last.text, last.start, last.end, True, last.capitals)
        parts[-1] = QueryPart((*before, typing), False, parts[-1].joined)
    return tuple(parts)
