"""Widening a reading that finds little: passages that miss a part of the query, ranked softly.

Every meaningful part of a query must match in the strict reading. When that finds
only a handful of passages, the answer may be one that misses a common part:
"sleepy after treatment" is said in full by five passages, none of them Side
effects › Dissociation and sedation, which says "sedation" (a synonym of
sleepy) and "after", but not "treatment". So a strict reading of fewer than
NEAR passages is widened with the passages that miss one part (and, when it
found fewer than `index.FEW`, with those that match any part).

How far down a passage goes depends on what it misses: each missing part
multiplies its BM25 score by (1 - the part's share of the query's weight) **
MISSING_POWER, where a part weighs its inverse document frequency. Missing
"treatment", in 29% of this guide's passages, costs little; missing "sleepy"
costs most of the score. So a passage that says the rare words can rank above
one that says every word. When the strict reading found fewer than `index.FEW`
and passages matching any part are let in, more parts matched still come first
("Ketamne SIDE" opens where both words are, not at the title "What is
ketamine?"), and the scores order each group. Rows keep their tier (prose
before references).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from ketaguide_tui.search.estimates import Estimates
from ketaguide_tui.search.fts import Candidate, FtsTable, Ranking
from ketaguide_tui.search.passages import Passage, missing
from ketaguide_tui.search.planner import Plan
from ketaguide_tui.search.speller import inverse_document_frequency

NEAR = 10
"""A strict reading that finds fewer passages than this (less than a screen of results)
is widened with the passages that miss one part. Measured with the relevance
benchmark: 6 to 10 give the same figures; 12 and more let passages missing a part
push out ones that answer."""
MISSING_POWER = 2.0
"""How hard a missing part counts (1.5 and 2 measure the same; 2.5 lowers nDCG@5)."""
MAX_LEFT_OUT = 6
"""Parts of a query for which each is tried left out; past this, all of them or any."""
OWN = 30
"""Rows read past those wanted, for the ones matched only in `context` to be left out."""

Own = Callable[[list[Candidate]], list[Candidate]]
"""A filter keeping the rows that match in their own text, not only in `context`."""


def part_weights(plan: Plan, estimates: Estimates, passages: int) -> list[float]:
    """Each part's inverse document frequency (at least a little, for a part in every passage)."""
    return [
        max(inverse_document_frequency(estimates.unit(unit), passages), 0.01) for unit in plan.units
    ]


def missing_factor(weights: Sequence[float], left_out: Sequence[int]) -> float:
    """What a passage's score is multiplied by when it misses the parts at `left_out`."""
    whole = sum(weights)
    factor = 1.0
    for index in left_out:
        factor *= (1.0 - weights[index] / whole) ** MISSING_POWER
    return factor


def widen(
    table: FtsTable,
    estimates: Estimates,
    passages: Sequence[Passage],
    reading: tuple[Plan, Ranking],
    strict: list[Candidate],
    wanted: int,
    own: Own,
    any_part: bool,
) -> list[Candidate]:
    """The `strict` rows with the passages that miss one part of the plan (with `any_part`,
    also those matching any part), each scored for what it misses, best first.

    FTS5 finds them with one AND query per part left out, which it answers fast; a
    passage found with part i left out, and not by the strict reading, misses part
    i. What a passage found by any part misses is counted on its text (context
    included, as FTS5 matched it)."""
    plan, ranking = reading
    found: dict[int, tuple[Candidate, list[int] | None]] = {row.rowid: (row, []) for row in strict}
    if len(plan.units) <= MAX_LEFT_OUT:
        for index in range(len(plan.units)):
            fewer = plan.leaving_out(index)
            narrower = replace(ranking, expression=fewer.expression("AND"), own=fewer.own())
            rows = table.ranked_rows(narrower, estimates.plan(fewer, "AND"), wanted + OWN)
            for row in rows:
                found.setdefault(row.rowid, (row, [index]))
    if any_part:
        rows = table.ranked_rows(ranking, estimates.plan(plan, "OR"), wanted + OWN)
        for row in rows:
            found.setdefault(row.rowid, (row, None))
    weights = part_weights(plan, estimates, len(passages))
    patterns = [unit.pattern() for unit in plan.units]
    scored = []
    for row, known in found.values():
        lost = known if known is not None else missing(passages[row.rowid - 1], patterns)
        factor = missing_factor(weights, lost)
        # Matching any part is a last resort: there, more parts matched come first.
        group = row.group + len(lost) if any_part else row.group
        scored.append(row._replace(score=row.score * factor, group=group))
    scored.sort(key=lambda row: (row.group, -row.score))
    # Held to their own text only now, for the rows that could be listed: `own` reads
    # each passage's text, the larger part of this function's cost.
    return own(scored[: wanted + OWN])[:wanted]
