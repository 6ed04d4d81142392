"""A second look at the best candidates: headings that restate the question.

FTS5 ranks passages by BM25 over the query's meaningful words, so it cannot see
that "what happens if it doesn't work" is answered under "If it does not work":
every word of that heading is in the question, counting the filler words the
index did not require and spelling out contractions. Here a candidate's score
grows with the share of its heading's words (for a section's lead, its title's)
that the question contains; for a lead, scaled by how much of the question its
title says ("What is ketamine" says only a word in half the guide of "who
should not take ketamine"). This does not change which passages match, or the
groups FTS5 ranked them in (prose before references, more words matched before
fewer): it reorders within a group.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from ketaguide_tui.search.fts import Candidate, below
from ketaguide_tui.search.passages import Passage
from ketaguide_tui.search.planner import Plan
from ketaguide_tui.search.questions import asks_with, filler_level, is_filler, spoken_words
from ketaguide_tui.search.terms import word_base, words

CANDIDATES = 40
"""Passages read for a second look; the rest keep FTS5's order."""
NAME_WEIGHT = 1.5
"""How much a heading made only of the question's words adds: score x (1 + this)."""
PATH_POWER = 3
"""The share is raised to this power: a place that names nearly all of it counts most."""
TITLE_SHARE = 0.5
"""How much a word named only by the section's title counts in a passage's place."""
PATH_WEIGHT = 1.0
"""How much a place that names every word of the question adds: score x (1 + this)."""

Covers = Callable[[str], bool]
Rarity = Callable[[str], float]
"""How much a typed word tells passages apart (its inverse document frequency)."""


def question_words(typed: Plan) -> Covers:
    """Tells whether a word of a heading was asked for: typed (filler included), a
    correction or a synonym of a typed word, or the start of the word being typed."""
    typed_words = [word.typed.text for word in typed.words]
    asked = {word_base(word) for word in spoken_words(typed_words)}
    for unit in typed.units:
        asked.update(word_base(form) for word in unit.words for form in word.forms)
        asked.update(word_base(word) for phrase in unit.synonyms for word in phrase)
    typing = [word.forms[0] for word in typed.words if word.prefix]
    known: dict[str, bool] = {}

    def covers(word: str) -> bool:
        found = known.get(word)
        if found is None:
            found = known[word] = word_base(word) in asked or word.startswith(tuple(typing))
        return found

    return covers


def name_share(passage: Passage, covers: Covers) -> float:
    """The share of the passage's heading words (a lead's: its title's) that were asked for:
    of its meaningful words, or of all its words when it has only small ones.

    Glossary entries and references are left out: their headings are names by
    design ("ESCAPE-TRD (a trial of ...)"), and a synonym taken from such a
    heading would make it match itself.
    """
    if passage.definition or passage.reference:
        return 0.0
    name = words(passage.heading.text if passage.heading else passage.section_title)
    # Count the words that carry meaning ("ketamine" in "What is ketamine?"), or, for
    # a name of only small words ("If it does not work"), all of them.
    name = tuple(word for word in name if not is_filler(word)) or name
    return sum(map(covers, name)) / len(name) if name else 0.0


def asked_words(typed: Plan, rarity: Rarity) -> dict[str, float]:
    """The words the question is about, as bases, each with how rare it is in the guide:
    every typed word but question and linking words, keeping a word that completes
    a question word ("long" in "how long")."""
    typed_words = [word.typed.text for word in typed.words]
    kept = [
        word
        for before, word in zip(("", *typed_words), typed_words, strict=False)
        if filler_level(word) < 2 or asks_with((before,), (word,))
    ]
    return {word_base(word): rarity(word) for word in kept}


def title_says(
    passage: Passage, asked: dict[str, float], units: UnitWords, typing: dict[str, str]
) -> float:
    """How much of the question (`asked_words`, rarer words counting for more) a section
    lead's title says, when it has meaningful words; 1 otherwise.

    "What is ketamine" restates every meaningful word of its own, but of "who
    should not take ketamine" it says only the word in half the guide. Headings
    are left to `name_share` and `path_share`: "Getting home" says one word of
    "can I drive home after a session", and the right one. `typing` maps a word
    still being typed (as in `asked`) to its start: "keta" is said by "ketamine".
    """
    whole = sum(asked.values())
    text = passage.section_title
    if passage.heading is not None or whole <= 0 or all(map(is_filler, words(text))):
        return 1.0
    named = _named(text, units)
    named.update(word for word, start in typing.items() if any_starts(words(text), start))
    return sum(weight for word, weight in asked.items() if word in named) / whole


def any_starts(names: tuple[str, ...], start: str) -> bool:
    """True if a word of `names` starts with `start`."""
    return any(name.startswith(start) for name in names)


UnitWords = list[tuple[frozenset[str], frozenset[str]]]
"""Per unit of a plan: its typed words and every form that finds them (corrections,
other endings, synonyms), as bases."""


def unit_words(typed: Plan) -> UnitWords:
    """The typed plan's units as `UnitWords`, worked out once per query."""
    result = []
    for unit in typed.units:
        others = {word_base(form) for word in unit.words for form in word.forms}
        others.update(word_base(word) for phrase in unit.synonyms for word in phrase)
        result.append((frozenset(word_base(w.typed.text) for w in unit.words), frozenset(others)))
    return result


@lru_cache(maxsize=4096)
def _bases(text: str) -> frozenset[str]:
    return frozenset(word_base(word) for word in words(text))


def _named(text: str, units: UnitWords) -> set[str]:
    """The bases `text` names, with the typed words whose other forms it names."""
    named = set(_bases(text))
    for typed, others in units:
        if others & named:
            named.update(typed)
    return named


def path_share(passage: Passage, asked: dict[str, float], units: UnitWords) -> float:
    """The share of the question's words (`asked_words`, rarer words counting for more)
    that the passage's place names: its heading and parent heading, the section title
    counting for TITLE_SHARE (a lead's place is its title).

    "how long do the side effects last" is answered under Side effects › How long
    they last, whose place names all of it, before a passage titled only "Side
    effects"; "can I drive home after a session" under Getting home, which names
    the rarer word, before After a session. Glossary entries and references are
    left out, as in `name_share`.
    """
    whole = sum(asked.values())
    if passage.definition or passage.reference or whole <= 0:
        return 0.0
    if passage.heading is None:
        named = _named(passage.section_title, units)
        return sum(weight for word, weight in asked.items() if word in named) / whole
    # The context is the section title, then the parent H2 of an H3.
    parent = passage.context[len(passage.section_title) :]
    named = _named(f"{parent} {passage.heading.text}", units)
    title = _named(passage.section_title, units)
    found = sum(
        weight if word in named else weight * TITLE_SHARE if word in title else 0.0
        for word, weight in asked.items()
    )
    return found / whole


def reorder(
    candidates: Iterable[Candidate],
    passages: Sequence[Passage],
    covers: Covers,
    typed: Plan | None = None,
    rarity: Rarity = lambda word: 1.0,
) -> list[Candidate]:
    """The candidates with names that say what was asked moved up within their group."""
    asked = asked_words(typed, rarity) if typed is not None else {}
    units = unit_words(typed) if typed is not None else []
    typing = {
        word_base(word.typed.text): word.forms[0]
        for word in (typed.words if typed is not None else ())
        if word.prefix
    }

    def boost(passage: Passage) -> float:
        share = name_share(passage, covers)
        if share and typed is not None:
            share *= title_says(passage, asked, units, typing) ** 0.5
        name = 1 + NAME_WEIGHT * share**2
        if typed is None:
            return name
        return name * (1 + PATH_WEIGHT * path_share(passage, asked, units) ** PATH_POWER)

    boosted = [
        candidate._replace(score=candidate.score * boost(passages[candidate.rowid - 1]))
        for candidate in candidates
    ]
    return sorted(boosted, key=lambda candidate: (candidate.group, -candidate.score))


def descending(candidates: Iterable[Candidate]) -> list[Candidate]:
    """The candidates in their order, each score lowered below the one before where needed,
    so that a hit's score says its rank."""
    result: list[Candidate] = []
    for candidate in candidates:
        if result and candidate.score >= result[-1].score:
            candidate = candidate._replace(
                score=below(result[-1].score, max(candidate.score, 1e-9))
            )
        result.append(candidate)
    return result
