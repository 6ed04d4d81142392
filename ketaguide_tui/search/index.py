"""Full-text search over the guide: SQLite FTS5, typo tolerance, synonyms, crisis first.

`SearchIndex.build(guide)` splits every section into passages: a lead passage
(title, aliases, summary and the text before the first heading) and one per
H2/H3, tied to that heading's anchor. The Markdown is reduced to plain text
(link text kept, addresses dropped) and the passages go into an in-memory FTS5
table. `SearchIndex.search(query)` returns ranked `SearchHit`s with a plain-text
snippet and highlight spans. Nothing here imports Textual: the reader, the
command line, the benchmark and the tests all use it. docs/search.md explains
the design and records benchmark figures.

How a query is answered (`search_query.py` turns the text into quoted words):

* every word must match (AND); the last word, while it is being typed, is a
  prefix ("keta" finds "ketamine"); a word that is in no passage is tried as a
  prefix, then corrected against the index's own vocabulary (edit distance 2
  for words of 5+ letters, 1 for 3-4 letters); if nothing matches with AND,
  any word may match (OR);
* a word or phrase the content names as a synonym is widened to
  `(word OR "other name")`. Synonyms come from the content, not from code:
  glossary headings `ABBR (expansion)`, titles and aliases written `X (Y)`,
  an all-capitals alias that abbreviates another name of the same section
  (TRD, treatment-resistant depression), and spelling variants among a
  section's names (anaesthetic, anesthetic). A section's title and its other
  aliases are synonyms too, but looser ones (aliases list what a section is
  about, like "nausea" for Side effects): they only widen a query that found
  fewer hits than asked for, and what they add ranks after all other hits;
* ranking adds up each column's BM25 score with weights: title 10, aliases 6,
  heading 4, section context 2, body 1;
* a query that names a crisis (an alias of the `get-help-now` section, word
  for word or sharing a stem: "suicidal", "self harm", "overdosed") puts that
  section first.
"""

from __future__ import annotations

import html
import re
import sqlite3
import threading
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import islice

from ketaguide_tui.guide.model import CRISIS_SECTION_ID, Guide, Heading, Section
from ketaguide_tui.guide.slugs import SlugTracker
from ketaguide_tui.search.query import (
    QueryPart,
    QueryWord,
    find_terms,
    fold_in_place,
    fts_string,
    match_spans,
    parse_query,
    term_pattern,
    words,
)

__all__ = [
    "CRISIS_SECTION_ID",
    "CrisisDetector",
    "Passage",
    "SearchHit",
    "SearchIndex",
    "SearchResults",
    "Speller",
    "build_synonyms",
    "markdown_plain_text",
    "match_spans",
    "scan_headings",
    "section_passages",
]

GLOSSARY_SECTION_ID = "glossary"
"""The section whose `ABBR (expansion)` headings define abbreviations."""

COLUMNS = ("title", "aliases", "heading", "context", "body")
WEIGHTS = (10.0, 6.0, 4.0, 2.0, 1.0)
"""BM25 weight per column. A title or alias match outranks a heading match,
which outranks a passing mention in the body. `context` holds the section title
(and the parent H2 of an H3) on every passage that is not the section's lead,
so "spravato side effects" finds the Side effects part of the Spravato section."""

MAX_RANKED = 10_000
"""Above this many matching passages, only section leads are ranked (see _ranked_rows)."""
MAX_CORRECTIONS = 3
MAX_SYNONYMS = 8
MAX_TERMS = 16
SNIPPET_WORDS = 24
SNIPPET_LEAD_WORDS = 6
SNIPPET_REACH = 160
"""Characters after a match in which other matches count towards the same snippet."""
MAX_MATCHES = 64
"""Matches read from one passage, for its snippet and terms."""

Phrase = tuple[str, ...]
SynonymTable = dict[Phrase, tuple[Phrase, ...]]


@dataclass(frozen=True)
class SearchHit:
    """One passage that matched: where it is, a snippet, and what to highlight."""

    section_id: str
    section_title: str
    heading: str | None
    """Text of the H2/H3 the passage sits under; None before the first heading."""
    anchor: str | None
    """That heading's anchor (`Heading.anchor`); None when there is no heading."""
    snippet: str
    """Plain text (no markup), about 20-30 words around the best match."""
    highlights: tuple[tuple[int, int], ...]
    """(start, end) character spans in `snippet` to highlight."""
    score: float
    """Higher is better."""
    terms: tuple[str, ...]
    """Lower-case index words that matched, for marking matches in the viewer."""


@dataclass(frozen=True)
class SearchResults:
    """What one query found."""

    query: str
    hits: tuple[SearchHit, ...]
    suggestion: str | None
    """The query with misspelt words corrected ("did you mean"), when any were."""


# --- Passages: Markdown to plain text, split at H2/H3 -------------------------------------------
#
# Markdown is read here by a small line-and-regex reader, not by markdown-it-py:
# content.py parses a section with markdown-it only when something first asks
# for its headings, and that parse takes about 300 ms for the bundled guide on
# the benchmark machine, three times the budget for the whole index build; this
# reader takes about 10 ms. For an index the result is the same, and
# tests/test_search.py holds it to that: on every bundled section, the headings
# found here (levels, text, lines and de-duplicated anchors) equal
# `Section.headings`, and the words equal those of a markdown-it token walk.

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?=[ \t]|$)(.*)$")
_ATX_CLOSING = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_NOT_PARAGRAPH = re.compile(r"^(?: {4}|\s*(?:[-*+>|#]|\d{1,9}[.)])(?:\s|$)|\s*$)")
"""Lines a setext underline cannot turn into a heading: code, lists, quotes, tables."""
_CONTAINER = re.compile(r"^(?: {0,3}> ?)*(?: {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+)?")
"""Block quote and list item markers in front of a heading ("> ## Title", "- ## Title")."""
_CONTAINER_CHARACTERS = " \t>-*+0123456789.)"
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S")
_RULE_LINE = re.compile(r"^[\s\-=*_|:+]*$")
"""Thematic breaks, setext underlines and table delimiter rows: no words."""
_BLOCK_MARKER = re.compile(r"^\s*(?:>\s?|[-*+]\s+|\d{1,9}[.)]\s+|#{1,6}(?:\s+|$))")
_CLOSING_HASHES = re.compile(r"\s+#+\s*$")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
_IMAGE = re.compile(r"!\[([^\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_REFERENCE_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<(?:[a-z][a-z0-9+.-]{1,31}:[^<>\s]*|[^<>\s@]+@[^<>\s]+)>", re.IGNORECASE)
_HTML = re.compile(r"<!--.*?-->|</?[a-z][a-z0-9-]*(?:\s[^<>]*)?/?>", re.IGNORECASE | re.DOTALL)
_URL = re.compile(r"(?:\b[a-z][a-z0-9+.-]*://|\bwww\.)[^\s<>()]*(?:\([^\s()]*\)[^\s<>()]*)*", re.I)
_WHOLE_URL = re.compile(r"\s*(?:[a-z][a-z0-9+.-]*://|www\.)\S*\s*", re.IGNORECASE)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_HELD = re.compile("\x00(\\d+)\x00")
_UNDERSCORES = re.compile(r"(?<![^\W_])_+|_+(?![^\W_])")
"""Underscores that open or close emphasis; inside a word (snake_case) they stay."""


def scan_headings(body: str, body_line: int) -> tuple[Heading, ...]:
    """The headings of a Markdown body, as `Section.headings` has them, without parsing.

    ATX headings (`## Text`, also in block quotes and list items) and setext headings
    (text underlined with `===` or `---`); nothing inside a fenced code block.
    Anchors come from the same `SlugTracker`, so they match the viewer's.
    """
    slugs = SlugTracker()
    found: list[Heading] = []
    fence = ""
    paragraph: list[str] = []
    for number, raw in enumerate(body.split("\n")):
        # Cheap character tests first: most lines are plain prose.
        if fence or "`" in raw or "~" in raw:
            fence, in_code = _fence_state(fence, raw)
            if in_code:
                paragraph = []
                continue
        marked = raw.lstrip(_CONTAINER_CHARACTERS)[:1] == "#"
        atx = _ATX_HEADING.match(_CONTAINER.sub("", raw, count=1)) if marked else None
        underline = paragraph and raw.lstrip()[:1] in ("=", "-")
        setext = _SETEXT_UNDERLINE.match(raw) if underline else None
        if atx or setext:
            level = len(atx.group(1)) if atx else 1 if raw.strip()[0] == "=" else 2
            source = _ATX_CLOSING.sub("", atx.group(2).strip()) if atx else " ".join(paragraph)
            text = " ".join(_inline_plain_text(source, drop_urls=False).split())
            start = number if atx else number - len(paragraph)
            found.append(Heading(level, text, slugs.slug(text), body_line + start))
            paragraph = []
        elif _NOT_PARAGRAPH.match(raw):
            paragraph = []
        else:
            paragraph.append(raw.strip())
    return tuple(found)


def _fence_state(fence: str, line: str) -> tuple[str, bool]:
    """(the open fence after `line`, whether `line` is code or a fence line)."""
    if fence:
        closing = line.strip()
        if closing.startswith(fence) and not closing.strip(fence[0]):
            return "", True
        return fence, True
    opener = _FENCE.match(line)
    return (opener.group(1), True) if opener else ("", False)


def markdown_plain_text(markdown: str) -> str:
    """The visible text of Markdown, one line per source line, markup removed.

    Link and image text is kept, addresses are dropped, code keeps its text,
    HTML tags and link reference definitions disappear.
    """
    prose: list[str] = []
    out: list[str] = []
    fence = ""
    for line in markdown.split("\n"):
        was_open = bool(fence)
        in_code = False
        if fence or "`" in line or "~" in line:  # cheap test before the regex
            fence, in_code = _fence_state(fence, line)
        if in_code:
            if was_open and fence:  # a line of code, not a fence line
                out.append(_URL.sub(" ", line))
            elif not was_open:  # an opening fence ends the prose before it
                out.append(_inline_plain_text("\n".join(prose)))
                prose.clear()
        elif not _markup_only(line):
            prose.append(_strip_block_markers(line))
    out.append(_inline_plain_text("\n".join(prose)))
    return "\n".join(part for part in out if part)


def _markup_only(line: str) -> bool:
    """A blank line, a rule or table delimiter row, or a link reference definition."""
    first = line.lstrip()[:1]
    if first and first not in "-=*_|:+[":
        return False
    return bool(_RULE_LINE.match(line) or _REFERENCE_DEFINITION.match(line))


def _strip_block_markers(line: str) -> str:
    if line[:1].isalpha():
        return line  # prose, not a marker (the usual case)
    # "> - 1. text" has three markers; peel them one at a time.
    while True:
        marker = _BLOCK_MARKER.match(line)
        if not marker or not marker.group():
            break
        line = line[marker.end() :]
    return _CLOSING_HASHES.sub("", line) if line.rstrip().endswith("#") else line


def _inline_plain_text(text: str, drop_urls: bool = True) -> str:
    # Each pattern runs only when its telltale character is present: most
    # passages have no code, HTML or bare address, and the build stays fast.
    held: list[str] = []

    def hold(kept: str) -> str:
        # Set aside text that must come out as written (code, escaped characters).
        held.append(kept)
        return f"\x00{len(held) - 1}\x00"

    if "`" in text:  # code spans first: their text is literal, never links
        text = _CODE_SPAN.sub(lambda m: hold(m.group(2).strip()), text)
    if "\\" in text:
        text = _ESCAPE.sub(lambda m: hold(m.group(1)), text)
    if "](" in text:
        # Heading text keeps everything the reader shows; only the index drops
        # images and addresses.
        text = _IMAGE.sub(lambda m: m.group(1) if drop_urls else "", text)
        text = _LINK.sub(lambda m: _link_text(m.group(1)) if drop_urls else m.group(1), text)
    if "][" in text:
        text = _REFERENCE_LINK.sub(lambda m: m.group(1), text)
    if "<" in text:
        text = _HTML.sub(" ", _AUTOLINK.sub(" ", text))
    if drop_urls and ("://" in text or "www." in text.lower()):
        text = _URL.sub(" ", text)
    text = text.replace("*", "").replace("~~", "").replace("|", " ")
    if "_" in text:
        text = _UNDERSCORES.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    if held:
        text = _HELD.sub(lambda m: held[int(m.group(1))], text)
    return text


def _link_text(text: str) -> str:
    # A link whose text is its own address ([https://x](https://x)) says nothing.
    return "" if _WHOLE_URL.fullmatch(text) else text


@dataclass(frozen=True)
class Passage:
    """The searchable text of one (section, heading) part of the guide."""

    section_id: str
    section_title: str
    section_aliases: tuple[str, ...]
    heading: Heading | None
    """None for the section's lead passage (summary and text before any heading)."""
    context: str
    """Where a non-lead passage sits: section title and parent H2."""
    body: str
    """Plain text, whitespace collapsed to single spaces."""

    @property
    def searchable(self) -> tuple[str, str, str, str, str]:
        """The text of each of COLUMNS: title and aliases on the lead passage only."""
        heading = self.heading.text if self.heading else ""
        if self.heading is not None:
            return ("", "", heading, self.context, self.body)
        return (self.section_title, " ; ".join(self.section_aliases), "", "", self.body)

    @property
    def snippet_source(self) -> str:
        """The text a snippet is cut from: the body, else the heading, else the title."""
        return self.body or (self.heading.text if self.heading else self.section_title)


def section_passages(section: Section) -> list[Passage]:
    """Split a section into its lead passage and one passage per H2/H3."""
    lines = section.body.split("\n")
    cuts = [h for h in scan_headings(section.body, section.body_line) if h.level in (2, 3)]
    starts = [h.line - section.body_line for h in cuts]
    intro = markdown_plain_text("\n".join(lines[: starts[0] if starts else None]))
    passages = [_passage(section, None, "", f"{section.summary} {intro}")]
    parent_h2 = ""
    for index, heading in enumerate(cuts):
        parent_h2 = heading.text if heading.level == 2 else parent_h2
        context = section.title if heading.level == 2 else f"{section.title} {parent_h2}"
        end = starts[index + 1] if index + 1 < len(starts) else None
        # The heading line itself is left out: its text has its own column.
        text = markdown_plain_text("\n".join(lines[starts[index] + 1 : end]))
        passages.append(_passage(section, heading, context, text))
    return passages


def _passage(section: Section, heading: Heading | None, context: str, text: str) -> Passage:
    return Passage(
        section_id=section.id,
        section_title=section.title,
        section_aliases=section.aliases,
        heading=heading,
        context=context,
        body=" ".join(text.split()),
    )


# --- Synonyms -------------------------------------------------------------------------------------

_PARENTHESISED = re.compile(r"^\s*([^()]+?)\s*\(([^()]+)\)\s*$")


def build_synonyms(guide: Guide) -> tuple[SynonymTable, SynonymTable]:
    """(strong, loose) synonym tables taken from the guide's own names.

    Strong pairs say the same thing: glossary `ABBR (expansion)` headings,
    names written `X (Y)`, an all-capitals alias abbreviating another name of
    its section, spelling variants. Loose pairs link a section's title with
    each alias that belongs to that section alone (an alias several sections
    share is a topic, not a name).
    """
    strong: list[tuple[str, str]] = []
    for section in guide:
        names = (section.title, *section.aliases)
        strong.extend(_parenthesised_pairs(names))
        strong.extend(_acronym_pairs(names))
        strong.extend(_variant_pairs(names))
    glossary = guide.get(GLOSSARY_SECTION_ID)
    if glossary is not None:
        headings = scan_headings(glossary.body, glossary.body_line)
        strong.extend(_parenthesised_pairs(h.text for h in headings if h.level in (2, 3)))
    return _table(strong), _table(_loose_pairs(guide))


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


# --- Spelling -------------------------------------------------------------------------------------


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


class Speller:
    """Corrects words against the index vocabulary, quickly.

    Candidates come from an index of letter pairs ("^k", "ke", ..., "e$")
    bucketed by word length, each length built on first use. A word within k edits
    of the query is at most k letters longer or shorter and shares all but 2k
    of the query's pairs, so only the few index words that do get the exact
    (slower) edit-distance check, most shared pairs first.
    """

    def __init__(self, vocabulary: dict[str, int]) -> None:
        self._documents = vocabulary
        self._sorted = sorted(vocabulary)
        self._by_length: defaultdict[int, list[str]] = defaultdict(list)
        for term in vocabulary:
            if len(term) >= 3 and term.isalpha():
                self._by_length[len(term)].append(term)
        # length -> letter pair -> words of that length with the pair. Each length
        # is filled the first time a word needs it, so building the index does
        # not pay for pairs that no typo ever looks at.
        self._grams: dict[int, dict[str, list[str]]] = {}

    def __contains__(self, word: str) -> bool:
        return word in self._documents

    def documents(self, word: str) -> int:
        """How many passages contain `word`."""
        return self._documents.get(word, 0)

    def prefix_documents(self, prefix: str, cap: int) -> int:
        """At most `cap`: an upper bound on the passages with a word starting with `prefix`."""
        total = 0
        position = bisect_left(self._sorted, prefix)
        while total < cap and position < len(self._sorted):
            term = self._sorted[position]
            if not term.startswith(prefix):
                break
            total += self._documents[term]
            position += 1
        return min(total, cap)

    def completes(self, prefix: str) -> bool:
        """True if some index word starts with `prefix`."""
        position = bisect_left(self._sorted, prefix)
        return position < len(self._sorted) and self._sorted[position].startswith(prefix)

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
                found.append((distance, -self._documents[candidate], candidate))
        return tuple(term for _, _, term in sorted(found))[:MAX_CORRECTIONS]

    def _pairs_of_length(self, length: int) -> dict[str, list[str]]:
        table = self._grams.get(length)
        if table is None:
            # Built whole, then stored in one step: another thread either sees
            # the finished table or builds its own identical one.
            table = self._grams[length] = _pair_table(self._by_length.get(length, ()))
        return table

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


# --- Crisis ---------------------------------------------------------------------------------------


class CrisisDetector:
    """Tells whether a query is about a crisis, from the crisis section's own names.

    The vocabulary is the `get-help-now` section's title and aliases (crisis,
    suicide, self-harm, overdose, 988...). A query word matches a name's word
    when they are equal, when one starts with the other and the shorter has 4+
    letters ("harming"/"harm"), or when they share their first 5 letters
    ("suicidal"/"suicide"). A word still being typed matches names it begins,
    from 5 letters on ("overd"), or at once after a matched first word
    ("self h"). Numbers must match exactly.
    """

    def __init__(self, names: Iterable[str]) -> None:
        # Every rule above makes a matching first word share its first four
        # characters with the name (or all of it, if shorter): index by those.
        self._by_start: defaultdict[str, list[Phrase]] = defaultdict(list)
        for phrase in {words(name) for name in names} - {()}:
            self._by_start[phrase[0][:4]].append(phrase)

    def __bool__(self) -> bool:
        return bool(self._by_start)

    def matches(self, sequence: Phrase, last_is_prefix: bool = False) -> bool:
        """True if any crisis name appears, word by word, in `sequence`."""
        return any(
            start + len(phrase) <= len(sequence)
            and self._matches_at(phrase, sequence, start, last_is_prefix)
            for start, word in enumerate(sequence)
            for phrase in self._by_start.get(word[:4], ())
        )

    @staticmethod
    def _matches_at(phrase: Phrase, sequence: Phrase, start: int, last_is_prefix: bool) -> bool:
        for offset, name_word in enumerate(phrase):
            position = start + offset
            typing = last_is_prefix and position == len(sequence) - 1
            if not _crisis_word(sequence[position], name_word, typing, offset > 0):
                return False
        return True


def _crisis_word(word: str, name_word: str, typing: bool, after_match: bool) -> bool:
    if word == name_word:
        return True
    if not (word.isalpha() and name_word.isalpha()):
        return False
    if typing and name_word.startswith(word) and (after_match or len(word) >= 5):
        return True
    shorter, longer = sorted((word, name_word), key=len)
    if len(shorter) >= 4 and longer.startswith(shorter):
        return True
    return len(word) >= 5 and len(name_word) >= 5 and word[:5] == name_word[:5]


# --- Query plans ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Word:
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


_Reading = tuple[tuple[QueryPart, ...], list[tuple[_Word, ...]]]


@dataclass(frozen=True)
class _Unit:
    """Words that must match together (a phrase, or a run that has synonyms)."""

    words: tuple[_Word, ...]
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
class _Plan:
    units: tuple[_Unit, ...]

    def expression(self, operator: str = "AND") -> str:
        return f" {operator} ".join(unit.expression() for unit in self.units)

    @property
    def words(self) -> tuple[_Word, ...]:
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


# --- Snippets -------------------------------------------------------------------------------------


_Match = tuple[int, int, str]


def _matches(text: str, pattern: re.Pattern[str] | None) -> list[_Match]:
    """(start, end, folded text) of the first MAX_MATCHES matches of `pattern` in `text`."""
    if pattern is None or not text:
        return []
    found = find_terms(pattern, fold_in_place(text))
    return [(match.start(), match.end(), match.group()) for match in islice(found, MAX_MATCHES)]


def _best_anchor(matches: Sequence[_Match]) -> int:
    """The start of the match followed, within reach, by the most different matched words."""
    best, best_count = 0, 0
    for index, (start, _, _) in enumerate(matches[:24]):
        seen = {found for at, _, found in matches[index : index + 12] if at < start + SNIPPET_REACH}
        if len(seen) > best_count:
            best, best_count = start, len(seen)
    return best


def _clip(text: str, anchor: int) -> str:
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


def _highlights(snippet: str, pattern: re.Pattern[str] | None) -> tuple[tuple[int, int], ...]:
    # The plan's own pattern, so a quoted phrase is marked as one span and an
    # exact word is not marked inside a longer one.
    if pattern is None:
        return ()
    return tuple(match.span() for match in find_terms(pattern, fold_in_place(snippet)))


def _markable(terms: Iterable[str]) -> tuple[str, ...]:
    # The viewer marks terms as word prefixes, so a one-letter term (the "d" of
    # "N-methyl-D-aspartate") would mark every word starting with that letter.
    return tuple(term for term in dict.fromkeys(terms) if len(term) > 1)[:MAX_TERMS]


def _found_terms(
    passage: Passage, pattern: re.Pattern[str] | None, body_matches: Sequence[_Match]
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
    return _markable(found)


# --- The index ------------------------------------------------------------------------------------


class SearchIndex:
    """An in-memory FTS5 index of the guide's passages. Safe to use from any thread."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        passages: Sequence[Passage],
        speller: Speller,
        synonyms: tuple[SynonymTable, SynonymTable],
        crisis: CrisisDetector,
    ) -> None:
        """Use `SearchIndex.build`; this only stores what it made."""
        self._connection = connection
        self._lock = threading.Lock()
        self._passages = tuple(passages)
        self._speller = speller
        self._strong, loose = synonyms
        # The wide table adds the loose (alias) synonyms after the strong ones.
        self._wide = {
            key: tuple(dict.fromkeys((*self._strong.get(key, ()), *loose.get(key, ()))))[
                :MAX_SYNONYMS
            ]
            for key in {*self._strong, *loose}
        }
        self._longest = max((len(key) for key in self._wide), default=1)
        self._crisis = crisis
        self._leads = {p.section_id: i + 1 for i, p in enumerate(passages) if p.heading is None}
        self._lead_count = len(self._leads)

    @classmethod
    def build(cls, guide: Guide) -> SearchIndex:
        """Index every section of `guide` (a few tens of milliseconds for the bundled guide)."""
        passages = [passage for section in guide for passage in section_passages(section)]
        # Lead passages get the first rowids, so a query too common to rank in full
        # can rank just them with a cheap `rowid <=` bound (see _ranked_rows).
        passages.sort(key=lambda passage: passage.heading is not None)
        # check_same_thread=False: the reader builds the index in a worker thread
        # and queries it from the UI thread; self._lock serialises all access.
        connection = sqlite3.connect(":memory:", check_same_thread=False)
        _create_tables(connection, passages)
        vocabulary = dict(connection.execute("SELECT term, doc FROM vocabulary"))
        crisis_section = guide.get(CRISIS_SECTION_ID)
        crisis_names = (crisis_section.title, *crisis_section.aliases) if crisis_section else ()
        return cls(
            connection,
            passages,
            Speller(vocabulary),
            build_synonyms(guide),
            CrisisDetector(crisis_names),
        )

    def __len__(self) -> int:
        """The number of passages indexed."""
        return len(self._passages)

    def search(self, query: str, limit: int = 20) -> SearchResults:
        """The best passages for `query`, best first. Never raises for any input."""
        limit = max(0, min(limit, 1000))
        reading = self._read(query)
        if reading is None or limit == 0:
            return SearchResults(query, (), None)
        plan = self._plan(reading, self._strong)
        hits = self._hits(plan, limit)
        if len(hits) < limit:
            hits.extend(self._related_hits(self._plan(reading, self._wide), plan, hits, limit))
        if self._is_crisis(plan):
            hits = self._crisis_first(hits, plan)
        return SearchResults(query, tuple(hits[:limit]), plan.suggestion(query))

    def explain(self, query: str) -> str | None:
        """The FTS5 expression a query runs first, or None when it has no words."""
        reading = self._read(query)
        return self._plan(reading, self._strong).expression() if reading else None

    def match_spans(self, text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
        """Where `terms` occur in `text` as word prefixes, ignoring case and accents."""
        return match_spans(text, terms)

    def raw_match(self, expression: str, limit: int = 20) -> list[tuple[int, float]]:
        """Run an FTS5 expression as it is, ranked by FTS5's plain `rank`: (rowid, rank).

        For diagnostics: the benchmark's floor and the tests' check that every
        expression `explain` returns is valid FTS5. It raises on a bad expression.
        """
        return self._execute(_PLAIN_SQL, (expression, limit))

    # -- reading the query --

    def _read(self, query: str) -> _Reading | None:
        """The query's parts, each word spelled against the index (None if no words)."""
        parts = parse_query(query[:4096])  # 12 words never need more text than this
        if len(parts) > 1 and parts[-1].words[0].prefix and len(parts[-1].words[0].text) == 1:
            parts = parts[:-1]  # "ketamine s": one typed letter would only narrow to noise
        if not parts:
            return None
        return parts, [tuple(self._spell(w, part.quoted) for w in part.words) for part in parts]

    def _spell(self, word: QueryWord, quoted: bool) -> _Word:
        text = word.text
        can_prefix = not quoted and len(text) >= (2 if word.prefix else 3)
        if word.prefix and can_prefix and self._speller.completes(text):
            return _Word(word, (text,), True, False)
        if text in self._speller:
            return _Word(word, (text,), False, False)
        if can_prefix and self._speller.completes(text):
            return _Word(word, (text,), True, False)
        fixes = self._speller.corrections(text)
        return _Word(word, fixes or (text,), False, bool(fixes))

    def _plan(self, reading: _Reading, table: SynonymTable) -> _Plan:
        parts, spelled = reading
        longest = self._longest  # the longest synonym, in words
        units: list[_Unit] = []
        index = 0
        while index < len(parts):
            if parts[index].quoted:
                key = tuple(word.forms[0] for word in spelled[index])
                units.append(_Unit(spelled[index], True, table.get(key, ())))
                index += 1
                continue
            run = 1
            while run < longest and index + run < len(parts) and not parts[index + run].quoted:
                run += 1
            size, synonyms = _longest_synonym(spelled[index : index + run], table)
            grouped = tuple(word for group in spelled[index : index + size] for word in group)
            units.append(_Unit(grouped, False, synonyms))
            index += size
        return _Plan(tuple(units))

    def _is_crisis(self, plan: _Plan) -> bool:
        if not self._crisis or CRISIS_SECTION_ID not in self._leads:
            return False
        typed = tuple(word.typed.text for word in plan.words)
        if self._crisis.matches(typed, last_is_prefix=plan.words[-1].typed.prefix):
            return True
        sequences = [tuple(word.forms[0] for word in plan.words)]
        sequences.extend(phrase for unit in plan.units for phrase in unit.synonyms)
        return any(self._crisis.matches(sequence) for sequence in sequences)

    # -- running it --

    def _execute(self, sql: str, parameters: tuple[str | int, ...]) -> list[tuple[int, float]]:
        with self._lock:
            rows = self._connection.execute(sql, parameters).fetchall()
        return [(int(rowid), float(score)) for rowid, score in rows]

    def _ranked_rows(self, expression: str, estimate: int, limit: int) -> list[tuple[int, float]]:
        """(rowid, score) of the best `limit` passages, best first.

        Ranking costs a BM25 evaluation per matching row. A query that matches
        more than MAX_RANKED passages ("ketamine" in a large guide, a two-letter
        prefix) ranks only the section lead passages, which hold titles, aliases
        and summaries, and fills up with the first other passages found.
        """
        try:
            if estimate > MAX_RANKED and self._count(expression) > MAX_RANKED:
                rows = self._execute(_LEADS_SQL, (expression, self._lead_count, limit))
                if len(rows) < limit:
                    more = self._execute(_REST_SQL, (expression, self._lead_count, limit))
                    floor = min((score for _, score in rows), default=1.0)
                    rows += sorted(((r, _below(floor, s)) for r, s in more), key=lambda r: -r[1])
                return rows[:limit]
            return self._execute(_RANKED_SQL, (expression, limit))
        except sqlite3.Error:
            # Queries are built only from quoted words, so this is not expected;
            # if it ever happens, no results beat a crash while someone types.
            return []

    def _count(self, expression: str) -> int:
        with self._lock:
            row = self._connection.execute(_COUNT_SQL, (expression,)).fetchone()
        return int(row[0])

    def _estimate(self, plan: _Plan, operator: str) -> int:
        """An upper bound on the passages the plan matches, from vocabulary counts."""
        counts = [self._unit_documents(unit) for unit in plan.units]
        return min(counts) if operator == "AND" else sum(counts)

    def _unit_documents(self, unit: _Unit) -> int:
        documents = self._speller.documents
        if unit.quoted:
            core = min(documents(word) for word in unit.key)
        else:
            core = min(self._word_documents(word) for word in unit.words)
        return core + sum(min(map(documents, phrase)) for phrase in unit.synonyms)

    def _word_documents(self, word: _Word) -> int:
        if word.prefix:
            return self._speller.prefix_documents(word.forms[0], cap=MAX_RANKED + 1)
        return sum(self._speller.documents(form) for form in word.forms)

    def _hits(self, plan: _Plan, limit: int) -> list[SearchHit]:
        rows = self._ranked_rows(plan.expression("AND"), self._estimate(plan, "AND"), limit)
        if not rows and len(plan.units) > 1:
            rows = self._ranked_rows(plan.expression("OR"), self._estimate(plan, "OR"), limit)
        pattern = plan.pattern()
        return [self._hit(rowid, score, pattern, plan) for rowid, score in rows]

    def _related_hits(
        self, wide: _Plan, plan: _Plan, hits: list[SearchHit], limit: int
    ) -> list[SearchHit]:
        """Hits only the loose (alias) synonyms find, scored below every other hit."""
        if wide.expression() == plan.expression():
            return []
        seen = {(hit.section_id, hit.anchor) for hit in hits}
        floor = min((hit.score for hit in hits), default=1.0)
        pattern = wide.pattern()
        related = []
        estimate = self._estimate(wide, "AND")
        for rowid, score in self._ranked_rows(wide.expression("AND"), estimate, limit + len(hits)):
            passage = self._passages[rowid - 1]
            if (passage.section_id, passage.heading and passage.heading.anchor) in seen:
                continue
            related.append(self._hit(rowid, _below(floor, score), pattern, wide))
            if len(related) >= limit - len(hits):
                break
        return related

    def _hit(
        self, rowid: int, score: float, pattern: re.Pattern[str] | None, plan: _Plan
    ) -> SearchHit:
        passage = self._passages[rowid - 1]
        source = passage.snippet_source
        matches = _matches(source, pattern)
        terms = _found_terms(passage, pattern, matches) or _markable(
            form for word in plan.words for form in word.forms
        )
        snippet = _clip(source, _best_anchor(matches))
        heading = passage.heading
        return SearchHit(
            section_id=passage.section_id,
            section_title=passage.section_title,
            heading=heading.text if heading else None,
            anchor=heading.anchor if heading else None,
            snippet=snippet,
            highlights=_highlights(snippet, pattern),
            score=score,
            terms=terms,
        )

    def _crisis_first(self, hits: list[SearchHit], plan: _Plan) -> list[SearchHit]:
        position = next(
            (i for i, hit in enumerate(hits) if hit.section_id == CRISIS_SECTION_ID), None
        )
        if position == 0:
            return hits
        top = hits[0].score if hits else 0.0
        if position is None:
            pinned = self._hit(self._leads[CRISIS_SECTION_ID], 0.0, plan.pattern(), plan)
        else:
            pinned = hits.pop(position)
        return [replace(pinned, score=max(pinned.score, top) + 1.0), *hits]


def _longest_synonym(
    run: Sequence[tuple[_Word, ...]], table: SynonymTable
) -> tuple[int, tuple[Phrase, ...]]:
    """How many words from the start of `run` form a synonym key, and its synonyms."""
    for size in range(len(run), 0, -1):
        key = tuple(group[0].forms[0] for group in run[:size])
        if key in table:
            return size, table[key]
    return 1, ()


def _below(floor: float, score: float) -> float:
    """A score under `floor` that keeps the order of `score`s (all positive)."""
    return floor * score / (score + 1.0)


# Each column's BM25 is computed on its own and the results are added with
# WEIGHTS. FTS5's single bm25(t, w...) adds weighted counts first and saturates
# after, so one title word counted for little more than a body word; summed per
# column, a title match is worth ten body mentions, as the ranking rules ask.
# (bm25 is negative: lower is better, so the score is its negation.)
_SCORE = " + ".join(
    f"bm25(passages, {', '.join(str(w if i == c else 0.0) for i in range(len(WEIGHTS)))})"
    for c, w in enumerate(WEIGHTS)
)
_SELECT = f"SELECT rowid, -({_SCORE}) AS score FROM passages WHERE passages MATCH ?"
_RANKED_SQL = f"{_SELECT} ORDER BY score DESC LIMIT ?"
_LEADS_SQL = f"{_SELECT} AND rowid <= ? ORDER BY score DESC LIMIT ?"
_REST_SQL = f"{_SELECT} AND rowid > ? LIMIT ?"
_COUNT_SQL = "SELECT count(*) FROM passages WHERE passages MATCH ?"
_PLAIN_SQL = "SELECT rowid, rank FROM passages WHERE passages MATCH ? ORDER BY rank LIMIT ?"


def _create_tables(connection: sqlite3.Connection, passages: Sequence[Passage]) -> None:
    # Contentless (content=''): the passages' text lives in Python for snippets,
    # so SQLite keeps only the index. unicode61 with remove_diacritics 2 folds
    # case and accents; prefix='2 3' makes 2- and 3-letter prefix queries cheap.
    connection.executescript(
        f"""
        CREATE VIRTUAL TABLE passages USING fts5(
            {", ".join(COLUMNS)},
            content = '',
            tokenize = 'unicode61 remove_diacritics 2',
            prefix = '2 3'
        );
        CREATE VIRTUAL TABLE vocabulary USING fts5vocab(passages, 'row');
        """
    )
    connection.executemany(
        f"INSERT INTO passages(rowid, {', '.join(COLUMNS)}) VALUES (?{', ?' * len(COLUMNS)})",
        ((index, *passage.searchable) for index, passage in enumerate(passages, 1)),
    )
    connection.execute("INSERT INTO passages(passages) VALUES ('optimize')")
