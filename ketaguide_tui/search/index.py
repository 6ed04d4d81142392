"""The search index: the guide's passages in SQLite FTS5, answering queries as people type them.

`SearchIndex.build(guide)` splits every section into passages (`passages.py`)
and indexes them in an in-memory FTS5 table (`fts.py`). `SearchIndex.search(query)`
reads the query (`query.py`), spells and groups its words (`planner.py`, with
`speller.py`, `synonyms.py` and the content's `synonyms.toml`), runs it, and
returns ranked `SearchHit`s with a plain-text snippet and highlight spans
(`snippets.py`). Nothing here imports Textual. docs/search.md explains the
design and records benchmark figures.

How a query is answered:

* question words and filler ("can I", "what happens if") need not match
  (`questions.py`); the other words must all match (AND); the last word, while
  it is being typed, is a prefix; a word in no passage is tried as a prefix,
  then corrected against the index's own vocabulary;
* when that strict reading finds fewer than NEAR passages, passages missing one
  word join it, each scored down by how rare the missing word is; below FEW,
  passages with any of the words too, more of them matched first (`widen.py`);
* a word or phrase the content names as a synonym is widened to
  `(word OR "other name")`; loose synonyms (a section's title and its aliases)
  add related passages after all others, one per section;
* ranking adds up each column's BM25 score with weights (title 10, aliases 6,
  heading 4, section context 2, body 1); lists of sources rank after prose
  unless the query looks like a citation (`citations.py`);
* a heading that echoes three words of the question in a row, filler included
  ("who should not ..."), is a candidate too (`echoes.py`); the best candidates
  are looked at again (`rerank.py`): a heading or a place (title › heading) that
  says what was asked moves up, and a glossary entry for the exact query comes
  second (`definitions.py`);
* a query that names a crisis (`crisis.py`) or is only place names
  (`places.py`) puts the best passage of the section for it first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from ketaguide_tui.guide.model import CRISIS_SECTION_ID, Guide
from ketaguide_tui.search.citations import looks_like_citation
from ketaguide_tui.search.crisis import CrisisDetector
from ketaguide_tui.search.definitions import Definitions
from ketaguide_tui.search.echoes import ECHO_MAX, echo_expression
from ketaguide_tui.search.estimates import Estimates
from ketaguide_tui.search.fts import Candidate, FtsTable, Ranking, below
from ketaguide_tui.search.passages import Passage, says, section_passages, section_rowids
from ketaguide_tui.search.pins import Pins
from ketaguide_tui.search.places import PlaceNames
from ketaguide_tui.search.planner import Plan, Reading, make_plan, read_query
from ketaguide_tui.search.rerank import CANDIDATES, descending, question_words, reorder
from ketaguide_tui.search.results import SearchHit, SearchResults
from ketaguide_tui.search.settle import Settler
from ketaguide_tui.search.snippets import (
    best_anchor,
    clip,
    find_matches,
    found_terms,
    highlights,
    markable,
)
from ketaguide_tui.search.speller import Speller
from ketaguide_tui.search.synonym_file import SYNONYMS_FILE, SynonymFile, load_synonym_file
from ketaguide_tui.search.synonym_tables import SynonymTables, merged_tables
from ketaguide_tui.search.synonyms import SynonymTable, build_synonyms
from ketaguide_tui.search.terms import match_spans
from ketaguide_tui.search.widen import NEAR, OWN, widen

FEW = 3
"""A strict reading that finds fewer passages than this is widened to passages matching
any part of the query; one that finds fewer than NEAR, to those missing one (widen.py)."""
SETTLE_ALL = 400
"""Readings that find at most this many passages are settled whole (see _answer)."""
COMMON = 0.3
"""A word in more than this share of passages ("ketamine" here) tells sections apart too
little for a title to have to say it (see settle.py)."""
MAX_RELATED = 200
"""Passages read to find the sections only loose synonyms reach."""


@dataclass(frozen=True)
class _Answer:
    """The rows one reading found, and how many passages it matches in all."""

    plan: Plan
    ranking: Ranking
    rows: list[Candidate]
    """The hits' rows, best first, at most the limit asked for."""
    total: int
    partial: bool
    listed: frozenset[int]
    """The rowids of all the rows the reading lists, when it settled them all (empty
    when there were too many: then FTS5 answers what is in the reading)."""


class SearchIndex:
    """An in-memory FTS5 index of the guide's passages. Safe to use from any thread."""

    def __init__(
        self,
        table: FtsTable,
        passages: Sequence[Passage],
        synonyms: tuple[SynonymTable, SynonymTable] | SynonymTables,
        crisis: CrisisDetector,
        places: PlaceNames,
        rowids: Mapping[str, list[int]] | None = None,
    ) -> None:
        """Use `SearchIndex.build`; this only stores what it made. `rowids` (each section's
        passages' rowids, in order) are found from `passages` when not given; a cached
        index gives them, and its `passages`, read section by section (`stored_passages`)."""
        self._table = table
        self._passages = tuple(passages) if isinstance(passages, list) else passages
        self._rowids = rowids = section_rowids(self._passages) if rowids is None else rowids
        self._settler = Settler(self._passages, rowids)
        self._speller = Speller(table.vocabulary(), len(passages))
        self._estimates = Estimates(self._speller)
        tables = synonyms if isinstance(synonyms, SynonymTables) else merged_tables(*synonyms)
        self._strong = tables.strong
        self._wide = tables.wide
        self._known = tables.known
        self._longest = tables.longest
        self._pins = Pins(crisis, places, self._passages, rowids)
        self._definitions = Definitions(self._passages, rowids)

    @classmethod
    def build(cls, guide: Guide, vocabulary: SynonymFile | None = None) -> SearchIndex:
        """Index every section of `guide` (a few tens of milliseconds for the bundled guide).

        `vocabulary` is the content's synonyms file, read from the guide's folder
        when not given; its problems are for `ketaguide check` and ignored here.
        """
        passages = [passage for section in guide for passage in section_passages(section)]
        # Leads get the first rowids, so a query too common to rank in full can
        # rank just them with a cheap `rowid <=` bound; then prose, definitions
        # and references, so their ranking rules are ranges of rowids (see FtsTable).
        passages.sort(
            key=lambda passage: (passage.heading is not None, passage.reference, passage.definition)
        )
        if vocabulary is None:
            vocabulary = load_synonym_file(guide.root / SYNONYMS_FILE)
        crisis_section = guide.get(CRISIS_SECTION_ID)
        crisis_names = (crisis_section.title, *crisis_section.aliases) if crisis_section else ()
        places = ((section.id, section.places) for section in guide)
        return cls(
            FtsTable(passages),
            passages,
            build_synonyms(guide, vocabulary.groups),
            CrisisDetector(crisis_names),
            PlaceNames(places),
        )

    def __len__(self) -> int:
        """The number of passages indexed."""
        return len(self._passages)

    @property
    def passages(self) -> Sequence[Passage]:
        """Every passage indexed; the one at position i has rowid i + 1 (see `raw_match`)."""
        return self._passages

    def search(self, query: str, limit: int = 20) -> SearchResults:
        """The best passages for `query`, best first. Never raises for any input."""
        limit = max(0, min(limit, 1000))
        reading = read_query(query, self._speller, self._known)
        if reading is None or limit == 0:
            return SearchResults(query, (), None)
        typed = self._plan(reading, self._strong)
        answer = self._answer(typed, looks_like_citation(query), limit)
        pattern = answer.plan.pattern()
        hits = [self._hit(row.rowid, row.score, pattern, answer.plan) for row in answer.rows]
        wide = self._plan(reading, self._wide).meaningful()
        related, more = self._related(wide, answer, hits, limit)
        hits.extend(related)
        total = answer.total + more
        pinned = self._pins.section(typed, answer.plan)
        if pinned is not None:
            hits, added = self._pin(pinned, hits, answer)
            total += added
        return SearchResults(
            query=query,
            hits=tuple(hits[:limit]),
            suggestion=typed.suggestion(query),
            read_as=answer.plan.text() if answer.plan is not typed else None,
            total=max(total, min(len(hits), limit)),
            partial=answer.partial,
        )

    def explain(self, query: str) -> str | None:
        """The FTS5 expression a query runs first, or None when it has no words."""
        reading = read_query(query, self._speller, self._known)
        return self._plan(reading, self._strong).meaningful().expression() if reading else None

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

    # -- running it --

    def _answer(self, typed: Plan, citation: bool, limit: int) -> _Answer:
        """The strict reading, or the ranked one when the strict one finds fewer than FEW;
        its best candidates looked at again (see settle.py and rerank.py).

        Every passage the reading finds is looked at when there are at most SETTLE_ALL,
        so that `total` is exactly how many hits a search with no limit would list;
        past that, the count of FTS5 less the passages settling took out of the first.
        """
        plan = typed.meaningful()
        own = self._own_text(plan)
        wanted = max(limit, CANDIDATES)
        ranking = Ranking(plan.expression("AND"), plan.own(), prose_first=not citation)
        estimate = self._estimates.plan(plan, "AND")
        rows = own(self._table.ranked_rows(ranking, estimate, wanted + OWN))
        strict = len(rows)
        count = len(rows)
        if strict < min(FEW, limit) and len(plan.units) > 1:
            ranking = Ranking(plan.expression("OR"), plan.own(), prose_first=not citation)
            count = self._table.count(ranking)
            wanted = max(wanted, count if count <= SETTLE_ALL else 0)
            rows = self._widen(plan, ranking, rows, wanted, own, any_part=True)
        elif strict < NEAR and len(plan.units) > 1:
            rows = self._widen(plan, ranking, rows, wanted, own, any_part=False)
            count = len(rows)
        elif strict >= wanted:
            count = self._table.count(ranking)
            if count <= SETTLE_ALL:
                wanted = count
                rows = own(self._table.ranked_rows(ranking, estimate, wanted + OWN))
        rows = rows[:wanted]
        echoes = self._echoes(typed, plan, rows)
        rows = [*echoes, *rows]
        count += len(echoes)
        common = [self._estimates.unit(unit) > COMMON * len(self._passages) for unit in plan.units]
        settled = self._settler.settle(rows, plan, common)
        complete = count <= len(rows)
        total = len(settled) if complete else count - (len(rows) - len(settled))
        # The second look is at the first CANDIDATES rows whatever the limit, so that a
        # longer list begins as a shorter one does.
        looked = reorder(
            settled[:CANDIDATES], self._passages, question_words(typed), typed, self._speller.rarity
        )
        looked = self._definitions.place([*looked, *settled[CANDIDATES:]], plan)
        ordered = descending(looked[:limit])
        listed = frozenset(row.rowid for row in settled) if complete else frozenset()
        return _Answer(plan, ranking, ordered, total, total > strict, listed)

    def _echoes(self, typed: Plan, plan: Plan, rows: list[Candidate]) -> list[Candidate]:
        """Prose passages whose heading echoes the question (echoes.py) and that the reading
        does not list already, each at the best row's score."""
        expression = echo_expression(typed, plan)
        if expression is None:
            return []
        listed = {row.rowid for row in rows}
        top = rows[0] if rows else Candidate(0, 1.0, 0)
        return [
            Candidate(rowid, top.score, top.group)
            for rowid in self._table.rowids(Ranking(expression))[:ECHO_MAX]
            if rowid not in listed and not self._passages[rowid - 1].reference
        ]

    def _own_text(self, plan: Plan) -> Callable[[list[Candidate]], list[Candidate]]:
        """A filter keeping the rows that match some unit in their own text, not only in
        `context` (what `Plan.own` asks of `count` and `rowids`)."""
        pattern = plan.pattern()

        def own(rows: list[Candidate]) -> list[Candidate]:
            return [row for row in rows if says(self._passages[row.rowid - 1], pattern)]

        return own

    def _widen(
        self,
        plan: Plan,
        ranking: Ranking,
        strict: list[Candidate],
        wanted: int,
        own: Callable[[list[Candidate]], list[Candidate]],
        any_part: bool,
    ) -> list[Candidate]:
        """The strict rows and passages missing a part, scored for what they miss (widen.py)."""
        reading = (plan, ranking)
        return widen(
            self._table, self._estimates, self._passages, reading, strict, wanted, own, any_part
        )

    def _related(
        self, wide: Plan, answer: _Answer, hits: list[SearchHit], limit: int
    ) -> tuple[list[SearchHit], int]:
        """Passages only loose (alias) synonyms find, one per section, scored below every
        other hit: (the ones that fit under `limit`, how many sections there are)."""
        if wide.expression() == answer.plan.expression():
            return [], 0
        expression = f"({wide.expression()}) NOT ({answer.ranking.expression})"
        ranking = replace(answer.ranking, expression=expression, own=wide.own())
        # Sections the reading finds are listed already, above or further down.
        found = answer.listed or self._table.rowids(answer.ranking)
        shown = {self._passages[rowid - 1].section_id for rowid in found}
        rowids = self._table.rowids(ranking)
        sections = {self._passages[rowid - 1].section_id for rowid in rowids} - shown
        count = len(sections)
        if not sections or len(hits) >= limit:
            return [], count
        floor = min((hit.score for hit in hits), default=1.0)
        pattern = wide.pattern()
        related: list[SearchHit] = []
        for row in self._table.ranked_rows(ranking, 0, MAX_RELATED):
            passage = self._passages[row.rowid - 1]
            section = passage.section_id
            if section in sections and says(passage, pattern):
                sections.discard(section)
                related.append(self._hit(row.rowid, below(floor, row.score), pattern, wide))
        return related[: limit - len(hits)], count

    def _pin(
        self, section_id: str, hits: list[SearchHit], answer: _Answer
    ) -> tuple[list[SearchHit], int]:
        """Put the section first (see pins.py), at its lead if nothing in it matches.
        Opened at a heading ("Australia"), the section's lead comes second: it has the
        numbers for everywhere. Returns the hits, and how many of the pinned passages
        are ones the reading does not find."""
        ranking = self._pins.ranking(section_id, answer.ranking, answer.plan)
        best = self._table.ranked_rows(ranking, 0, 1)
        lead = self._rowids[section_id][0]
        rowids = [best[0].rowid, lead] if best and best[0].rowid != lead else [lead]
        places = [self._place(rowid) for rowid in rowids]
        if [(hit.section_id, hit.anchor) for hit in hits[: len(places)]] == places:
            return hits, 0
        top = max((hit.score for hit in hits), default=0.0)
        pattern = answer.plan.pattern()
        pinned = [self._hit(rowid, 0.0, pattern, answer.plan) for rowid in rowids]
        pinned[0] = replace(pinned[0], score=max(best[0].score if best else 0.0, top) + 2.0)
        pinned[1:] = [replace(hit, score=pinned[0].score - 1.0) for hit in pinned[1:]]
        rest = [hit for hit in hits if (hit.section_id, hit.anchor) not in places]
        added = 0
        for rowid in rowids:
            if answer.listed or not answer.total:
                added += rowid not in answer.listed
            else:
                added += self._table.count(replace(answer.ranking, rowids=(rowid,))) == 0
        return [*pinned, *rest], added

    def _place(self, rowid: int) -> tuple[str, str | None]:
        passage = self._passages[rowid - 1]
        return passage.section_id, passage.heading.anchor if passage.heading else None

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
