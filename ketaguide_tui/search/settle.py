"""Where a hit should open: the passage that says the answer, not the one that points at it.

FTS5 finds passages; some of them only point at the answer:

* **A section's lead found through its aliases.** Aliases list what a section
  is about ("ESCAPE-TRD" on Depression), so a lead that matches a word of the
  query only in its aliases is not where that word is explained: the section's
  best passage that says it is, and it takes the lead's place.
* **A lead for a question its title and summary do not cover.** For a query of
  several meaningful words ("when was spravato approved"), a lead whose title
  and one-line summary say only some of them gives way to the section's best
  passage that says all of them. A lead that covers every word ("how much does
  ketamine cost": "Cost and access", "Who pays for ketamine ...") stays: then
  the whole section is the answer.
* **A heading with no text of its own.** An H2 whose text is all in its H3s
  ("During a session") gives way to its best H3 for the query, and its other
  H3s ("A Spravato session", "An infusion into a vein") follow at the same
  score: together they are its answer.

A replacement takes the place and score of the passage it replaces, which leaves
the list; a passage already listed higher is not moved again (and a heading with
no text whose answer is listed higher leaves the list).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ketaguide_tui.search.fts import Candidate
from ketaguide_tui.search.passages import Passage
from ketaguide_tui.search.planner import Plan
from ketaguide_tui.search.terms import find_terms, fold_in_place


class Settler:
    """Moves hits from passages that point at an answer to the passages that give it."""

    def __init__(self, passages: Sequence[Passage], rowids: Mapping[str, list[int]]) -> None:
        """`passages` in rowid order (rowid = position + 1); `rowids`: each section's
        passages' rowids, in order. A section's headings are looked at when a hit in it
        is first settled."""
        self._passages = passages
        self._rowids = rowids
        self._inner: dict[str, list[int]] = {}
        self._children: dict[int, list[int]] = {}
        self._seen: set[str] = set()

    def _learn(self, section_id: str) -> None:
        """Note the section's headings (its prose ones) and which H3s belong to each H2."""
        if section_id in self._seen:
            return
        inner: list[int] = []
        children: dict[int, list[int]] = {}
        parent: int | None = None
        for rowid in self._rowids.get(section_id, ()):
            passage = self._passages[rowid - 1]
            heading = passage.heading
            if heading is None or passage.reference:
                continue
            inner.append(rowid)
            if heading.level == 2:
                parent = rowid
            elif parent is not None:
                children.setdefault(parent, []).append(rowid)
        # Stored whole, each in one step: two threads settling at once learn the same.
        self._children.update(children)
        if inner:
            self._inner[section_id] = inner
        self._seen.add(section_id)

    def settle(self, rows: list[Candidate], plan: Plan, common: Sequence[bool]) -> list[Candidate]:
        """The rows with each pointing passage replaced by the one that answers.

        `common` says, for each unit of the plan, whether it is in so many passages
        (as "ketamine" is in this guide) that a title need not say it.
        """
        asked = _Asked(rows, [], [])
        for unit, everywhere in zip(plan.units, common, strict=True):
            pattern = unit.pattern()
            if pattern is not None:
                asked.patterns.append(pattern)
                if not everywhere:
                    asked.telling.append(pattern)
        settled: list[Candidate] = []
        taken: set[int] = set()
        for row in rows:
            if row.rowid in taken:
                continue  # it moved up to take the place of a passage pointing at it
            better = self._answering(row.rowid, asked)
            # The other H3s of a heading with no text are the rest of its answer.
            rest = self._other_children(row.rowid, better)
            # A heading with no text whose answer is listed higher leaves the list; the
            # rest of its answer still joins it.
            if not (better is not None and better in taken and self._empty(row.rowid)):
                if better is not None and better not in taken:
                    row = row._replace(rowid=better)
                settled.append(row)
                taken.add(row.rowid)
            settled.extend(row._replace(rowid=rowid) for rowid in rest if rowid not in taken)
            taken.update(rest)
        return settled

    def _other_children(self, rowid: int, better: int | None) -> list[int]:
        """The H3s of a heading with no text but `better`, the one that takes its place."""
        if better is None or not self._empty(rowid):
            return []
        return [child for child in self._children.get(rowid, []) if child != better]

    def _empty(self, rowid: int) -> bool:
        passage = self._passages[rowid - 1]
        self._learn(passage.section_id)
        return passage.heading is not None and not passage.body

    def _answering(self, rowid: int, asked: _Asked) -> int | None:
        passage = self._passages[rowid - 1]
        self._learn(passage.section_id)
        if passage.heading is None:
            return self._instead_of_lead(passage, asked)
        if not passage.body and rowid in self._children:
            return self._best(self._children[rowid], asked, [])
        return None

    def _instead_of_lead(self, lead: Passage, asked: _Asked) -> int | None:
        inner = self._inner.get(lead.section_id, [])
        untold = _missing(asked.patterns, f"{lead.section_title}\n{lead.body}")
        if untold:  # found through its aliases
            return self._best(inner, asked, untold, any_of=True)
        summary = lead.body[: len(lead.section_summary)]
        if len(asked.patterns) > 1 and _missing(asked.telling, f"{lead.section_title}\n{summary}"):
            return self._best(inner, asked, asked.telling)
        return None

    def _best(
        self,
        rowids: list[int],
        asked: _Asked,
        patterns: list[re.Pattern[str]],
        any_of: bool = False,
    ) -> int | None:
        """The best of `rowids` whose own text matches every pattern (with `any_of`: the
        most of them, at least one): the first such among the candidates, which FTS5
        ranked; else the one whose text matches them most often. (Reading a section's
        few passages here is far cheaper than a search restricted to them, which FTS5
        answers by reading every match of the expression.)"""
        wanted = set(rowids)
        ranked = [row.rowid for row in asked.rows if row.rowid in wanted]
        best, fewest = None, len(patterns) if any_of else 1
        for rowid in ranked:
            missing = len(_missing(patterns, self._own_text(rowid)))
            if missing < fewest:
                best, fewest = rowid, missing
        if best is not None or not patterns:
            return best if best is not None else (ranked[0] if ranked else None)
        scored = [(self._score(rowid, patterns), rowid) for rowid in rowids]
        top = max(scored, default=((0, 0), 0))
        enough = len(patterns) - top[0][0] < (len(patterns) if any_of else 1)
        return top[1] if top[0][0] > 0 and enough else None

    def _own_text(self, rowid: int) -> str:
        passage = self._passages[rowid - 1]
        heading = passage.heading.text if passage.heading else ""
        return f"{heading}\n{passage.body}"

    def _score(self, rowid: int, patterns: list[re.Pattern[str]]) -> tuple[int, int]:
        """(patterns matched, matches in all) in the passage's own text."""
        folded = fold_in_place(self._own_text(rowid))
        counts = [sum(1 for _ in find_terms(pattern, folded)) for pattern in patterns]
        return sum(1 for count in counts if count), sum(counts)


@dataclass(frozen=True)
class _Asked:
    """One query's candidates and the patterns of its parts."""

    rows: list[Candidate]
    patterns: list[re.Pattern[str]]
    telling: list[re.Pattern[str]]
    """The patterns of the parts that are not in almost every passage."""


def _missing(patterns: list[re.Pattern[str]], text: str) -> list[re.Pattern[str]]:
    """The patterns that match nowhere in `text`."""
    folded = fold_in_place(text)
    return [pattern for pattern in patterns if next(find_terms(pattern, folded), None) is None]
