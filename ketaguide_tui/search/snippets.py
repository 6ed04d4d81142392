"""Snippets and highlights: the plain text shown under a hit, and what to mark in it.

A snippet is about 24 words of the passage's plain text, starting a few words
before the place where the most different query words occur close together.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import islice

from ketaguide_tui.search.passages import Passage
from ketaguide_tui.search.terms import find_terms, fold_in_place, words

MAX_TERMS = 16
SNIPPET_WORDS = 24
SNIPPET_LEAD_WORDS = 6
SNIPPET_REACH = 160
"""Characters after a match in which other matches count towards the same snippet."""
MAX_MATCHES = 64
"""Matches read from one passage, for its snippet and terms."""


Match = tuple[int, int, str]


def find_matches(text: str, pattern: re.Pattern[str] | None) -> list[Match]:
    """(start, end, folded text) of the first MAX_MATCHES matches of `pattern` in `text`."""
    if pattern is None or not text:
        return []
    found = find_terms(pattern, fold_in_place(text))
    return [(match.start(), match.end(), match.group()) for match in islice(found, MAX_MATCHES)]


def best_anchor(matches: Sequence[Match]) -> int:
    """The start of the match followed, within reach, by the most different matched words."""
    best, best_count = 0, 0
    for index, (start, _, _) in enumerate(matches[:24]):
        seen = {found for at, _, found in matches[index : index + 12] if at < start + SNIPPET_REACH}
        if len(seen) > best_count:
            best, best_count = start, len(seen)
    return best


def clip(text: str, anchor: int) -> str:
    """SNIPPET_WORDS words of `text` (single-spaced), starting a few words before `anchor`.

    Near the end of the text it starts earlier instead, so the snippet stays as
    long; "…" marks each side where the text goes on. (Split and join, not a
    loop over characters: this runs for every hit.)
    """
    head = text[:anchor].rsplit(" ", SNIPPET_WORDS)
    partial = head.pop()  # the anchor's word up to the anchor: "" or "("
    at_start = len(head) < SNIPPET_WORDS
    before = head if at_start else head[1:]
    tail = text[anchor:].split(" ", SNIPPET_WORDS)
    at_end = len(tail) <= SNIPPET_WORDS
    after = tail if at_end else tail[:-1]
    after[0] = partial + after[0]
    lead = min(len(before), max(SNIPPET_LEAD_WORDS, SNIPPET_WORDS - len(after)))
    shown = before[len(before) - lead :] + after[: SNIPPET_WORDS - lead]
    opening = "… " if lead < len(before) or not at_start else ""
    closing = " …" if SNIPPET_WORDS - lead < len(after) or not at_end else ""
    return opening + " ".join(shown) + closing


def highlights(snippet: str, pattern: re.Pattern[str] | None) -> tuple[tuple[int, int], ...]:
    # The plan's own pattern, so a quoted phrase is marked as one span and an
    # exact word is not marked inside a longer one.
    if pattern is None:
        return ()
    return tuple(match.span() for match in find_terms(pattern, fold_in_place(snippet)))


def markable(terms: Iterable[str]) -> tuple[str, ...]:
    # The viewer marks terms as word prefixes, so a one-letter term (the "d" of
    # "N-methyl-D-aspartate") would mark every word starting with that letter.
    return tuple(term for term in dict.fromkeys(terms) if len(term) > 1)[:MAX_TERMS]


def found_terms(
    passage: Passage, pattern: re.Pattern[str] | None, body_matches: Sequence[Match]
) -> tuple[str, ...]:
    """The distinct folded words the plan matched in the passage, for highlighting."""
    if pattern is None:
        return ()
    found: dict[str, None] = {}
    for column in passage.searchable[:-1]:  # the body's matches are already known
        if column:
            for match in find_terms(pattern, fold_in_place(column)):
                found.update(dict.fromkeys(words(match.group())))
    for _, _, text in body_matches:
        found.update(dict.fromkeys(words(text)))
    return markable(found)
