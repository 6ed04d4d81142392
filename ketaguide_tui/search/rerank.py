"""A second look at the best candidates: headings that restate the question.

FTS5 ranks passages by BM25 over the query's meaningful words, so it cannot see
that "what happens if it doesn't work" is answered under "If it does not work":
every word of that heading is in the question, counting the filler words the
index did not require and spelling out contractions. Here a candidate's score
grows with the share of its heading's words (for a section's lead, its title's)
that the question contains. This does not change which passages match, or the
groups FTS5 ranked them in (prose before references, more words matched before
fewer): it reorders within a group.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from ketaguide_tui.search.fts import Candidate, below
from ketaguide_tui.search.passages import Passage
from ketaguide_tui.search.planner import Plan
from ketaguide_tui.search.questions import is_filler, spoken_words
from ketaguide_tui.search.terms import word_base, words

CANDIDATES = 40
"""Passages read for a second look; the rest keep FTS5's order."""
NAME_WEIGHT = 1.5
"""How much a heading made only of the question's words adds: score x (1 + this)."""

Covers = Callable[[str], bool]


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


def reorder(
    candidates: Iterable[Candidate], passages: Sequence[Passage], covers: Covers
) -> list[Candidate]:
    """The candidates with names that say what was asked moved up within their group."""
    boosted = [
        candidate._replace(
            score=candidate.score
            * (1 + NAME_WEIGHT * name_share(passages[candidate.rowid - 1], covers) ** 2)
        )
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
