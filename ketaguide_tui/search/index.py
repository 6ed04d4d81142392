"""The search index: the guide's passages in SQLite FTS5, answered with typo tolerance,
synonyms and the crisis section first.

`SearchIndex.build(guide)` splits every section into passages (`passages.py`)
and indexes them in an in-memory FTS5 table (`fts.py`). `SearchIndex.search(query)`
reads the query (`query.py`), spells and groups its words (`planner.py`, with
`speller.py` and `synonyms.py`), runs it, and returns ranked `SearchHit`s with a
plain-text snippet and highlight spans (`snippets.py`). A query that names a
crisis (`crisis.py`) puts the get-help-now section first. Nothing here imports
Textual. docs/search.md explains the design and records benchmark figures.

How a query is answered:

* every word must match (AND); the last word, while it is being typed, is a
  prefix ("keta" finds "ketamine"); a word that is in no passage is tried as a
  prefix, then corrected against the index's own vocabulary; if nothing matches
  with AND, any word may match (OR);
* a word or phrase the content names as a synonym is widened to
  `(word OR "other name")`; loose synonyms (a section's title and its aliases)
  only widen a query that found fewer hits than asked for, and what they add
  ranks after all other hits;
* ranking adds up each column's BM25 score with weights: title 10, aliases 6,
  heading 4, section context 2, body 1.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ketaguide_tui.guide.model import CRISIS_SECTION_ID, Guide
from ketaguide_tui.search.crisis import CrisisDetector
from ketaguide_tui.search.fts import MAX_RANKED, FtsTable, below
from ketaguide_tui.search.passages import Passage, section_passages
from ketaguide_tui.search.planner import Plan, Reading, SpelledWord, Unit, make_plan, read_query
from ketaguide_tui.search.results import SearchHit, SearchResults
from ketaguide_tui.search.snippets import (
    best_anchor,
    clip,
    find_matches,
    found_terms,
    highlights,
    markable,
)
from ketaguide_tui.search.speller import Speller
from ketaguide_tui.search.synonyms import MAX_SYNONYMS, SynonymTable, build_synonyms
from ketaguide_tui.search.terms import match_spans


class SearchIndex:
    """An in-memory FTS5 index of the guide's passages. Safe to use from any thread."""

    def __init__(
        self,
        table: FtsTable,
        passages: Sequence[Passage],
        speller: Speller,
        synonyms: tuple[SynonymTable, SynonymTable],
        crisis: CrisisDetector,
    ) -> None:
        """Use `SearchIndex.build`; this only stores what it made."""
        self._table = table
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

    @classmethod
    def build(cls, guide: Guide) -> SearchIndex:
        """Index every section of `guide` (a few tens of milliseconds for the bundled guide)."""
        passages = [passage for section in guide for passage in section_passages(section)]
        # Lead passages get the first rowids, so a query too common to rank in full
        # can rank just them with a cheap `rowid <=` bound (see FtsTable.ranked_rows).
        passages.sort(key=lambda passage: passage.heading is not None)
        table = FtsTable(passages)
        crisis_section = guide.get(CRISIS_SECTION_ID)
        crisis_names = (crisis_section.title, *crisis_section.aliases) if crisis_section else ()
        return cls(
            table,
            passages,
            Speller(table.vocabulary()),
            build_synonyms(guide),
            CrisisDetector(crisis_names),
        )

    def __len__(self) -> int:
        """The number of passages indexed."""
        return len(self._passages)

    @property
    def passages(self) -> tuple[Passage, ...]:
        """Every passage indexed; the one at position i has rowid i + 1 (see `raw_match`)."""
        return self._passages

    def search(self, query: str, limit: int = 20) -> SearchResults:
        """The best passages for `query`, best first. Never raises for any input."""
        limit = max(0, min(limit, 1000))
        reading = read_query(query, self._speller)
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
        reading = read_query(query, self._speller)
        return self._plan(reading, self._strong).expression() if reading else None

    def match_spans(self, text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
        """Where `terms` occur in `text` as word prefixes, ignoring case and accents."""
        return match_spans(text, terms)

    def raw_match(self, expression: str, limit: int = 20) -> list[tuple[int, float]]:
        """Run an FTS5 expression as it is, ranked by FTS5's plain `rank`: (rowid, rank).

        For diagnostics: the benchmark's floor and the tests' check that every
        expression `explain` returns is valid FTS5. It raises on a bad expression.
        """
        return self._table.raw_match(expression, limit)

    # -- reading the query --

    def _plan(self, reading: Reading, table: SynonymTable) -> Plan:
        return make_plan(reading, table, self._longest)

    def _is_crisis(self, plan: Plan) -> bool:
        if not self._crisis or CRISIS_SECTION_ID not in self._leads:
            return False
        typed = tuple(word.typed.text for word in plan.words)
        if self._crisis.matches(typed, last_is_prefix=plan.words[-1].typed.prefix):
            return True
        sequences = [tuple(word.forms[0] for word in plan.words)]
        sequences.extend(phrase for unit in plan.units for phrase in unit.synonyms)
        return any(self._crisis.matches(sequence) for sequence in sequences)

    # -- running it --

    def _estimate(self, plan: Plan, operator: str) -> int:
        """An upper bound on the passages the plan matches, from vocabulary counts."""
        counts = [self._unit_documents(unit) for unit in plan.units]
        return min(counts) if operator == "AND" else sum(counts)

    def _unit_documents(self, unit: Unit) -> int:
        documents = self._speller.documents
        if unit.quoted:
            core = min(documents(word) for word in unit.key)
        else:
            core = min(self._word_documents(word) for word in unit.words)
        return core + sum(min(map(documents, phrase)) for phrase in unit.synonyms)

    def _word_documents(self, word: SpelledWord) -> int:
        if word.prefix:
            return self._speller.prefix_documents(word.forms[0], cap=MAX_RANKED + 1)
        return sum(self._speller.documents(form) for form in word.forms)

    def _ranked_rows(self, expression: str, estimate: int, limit: int) -> list[tuple[int, float]]:
        return self._table.ranked_rows(expression, estimate, limit)

    def _hits(self, plan: Plan, limit: int) -> list[SearchHit]:
        rows = self._ranked_rows(plan.expression("AND"), self._estimate(plan, "AND"), limit)
        if not rows and len(plan.units) > 1:
            rows = self._ranked_rows(plan.expression("OR"), self._estimate(plan, "OR"), limit)
        pattern = plan.pattern()
        return [self._hit(rowid, score, pattern, plan) for rowid, score in rows]

    def _related_hits(
        self, wide: Plan, plan: Plan, hits: list[SearchHit], limit: int
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
            related.append(self._hit(rowid, below(floor, score), pattern, wide))
            if len(related) >= limit - len(hits):
                break
        return related

    def _hit(
        self, rowid: int, score: float, pattern: re.Pattern[str] | None, plan: Plan
    ) -> SearchHit:
        passage = self._passages[rowid - 1]
        source = passage.snippet_source
        matches = find_matches(source, pattern)
        terms = found_terms(passage, pattern, matches) or markable(
            form for word in plan.words for form in word.forms
        )
        snippet = clip(source, best_anchor(matches))
        heading = passage.heading
        return SearchHit(
            section_id=passage.section_id,
            section_title=passage.section_title,
            heading=heading.text if heading else None,
            anchor=heading.anchor if heading else None,
            snippet=snippet,
            highlights=highlights(snippet, pattern),
            score=score,
            terms=terms,
        )

    def _crisis_first(self, hits: list[SearchHit], plan: Plan) -> list[SearchHit]:
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
