"""Relevance benchmark for the search engine: does the first screen of results answer the question?

Run from the project root::

    python benchmarks/relevance_benchmark.py                      # the bundled guide
    python benchmarks/relevance_benchmark.py --content DIR        # another content folder
    python benchmarks/relevance_benchmark.py --misses             # also list the queries missed

The vocabulary (`synonyms.toml`) is the content folder's own, or the bundled
guide's when the folder has none (`--synonyms FILE` names another); the
benchmark says which it used.

The queries and their graded judgments are in `benchmarks/relevance_queries.toml`:
for each query, the passages that answer it (grade 2) and passages that are
relevant to it (grade 1), each named by section id and heading anchor. For the
engine (`SearchIndex.search`) and for a plain FTS5 BM25 baseline on the same
index (every typed word required, FTS5's own ranking; no synonyms, no typo
correction, no question reading, no fallback), it prints:

* success@1 and success@3: the share of queries with an answering passage
  first, or in the first three;
* nDCG@5: normalised discounted cumulative gain of the first five results,
  with gain 2^grade - 1 (3 for an answer, 1 for a relevant passage).

A judged passage the content no longer has is reported, so a renamed heading
cannot silently lower the figures.
"""

from __future__ import annotations

import argparse
import math
import sys
import tomllib
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ketaguide_tui.guide.model import bundled_content_dir, load_guide  # noqa: E402
from ketaguide_tui.search import SearchIndex  # noqa: E402
from ketaguide_tui.search.query import fts_string, parse_query  # noqa: E402
from ketaguide_tui.search.synonym_file import SYNONYMS_FILE, load_synonym_file  # noqa: E402

JUDGMENTS = Path(__file__).with_name("relevance_queries.toml")
DEPTH = 5
"""Results read per query: nDCG@5 needs five, success@3 three."""

Ranking = list[str]
"""Passage names ("section#anchor", or "section" for a lead), best first."""


@dataclass(frozen=True)
class Judged:
    """One query and its graded passages."""

    text: str
    kind: str
    grades: dict[str, int]


def load_judgments(path: Path) -> list[Judged]:
    """Every query in the judgments file, with grade 2 for answers and 1 for relevant passages."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    judged = []
    for entry in data["query"]:
        grades = {name: 1 for name in entry.get("relevant", [])}
        grades.update({name: 2 for name in entry["answers"]})
        judged.append(Judged(entry["text"], entry.get("kind", ""), grades))
    return judged


def passage_name(section_id: str, anchor: str | None) -> str:
    """How the judgments name a passage."""
    return f"{section_id}#{anchor}" if anchor else section_id


def engine_ranking(index: SearchIndex) -> Callable[[str], Ranking]:
    """The engine's results for a query, as passage names."""

    def rank(query: str) -> Ranking:
        hits = index.search(query, limit=DEPTH).hits
        return [passage_name(hit.section_id, hit.anchor) for hit in hits]

    return rank


def baseline_ranking(index: SearchIndex) -> Callable[[str], Ranking]:
    """Plain FTS5 on the same index: every word required, ranked by FTS5's bm25."""
    names = [passage_name(p.section_id, p.heading and p.heading.anchor) for p in index.passages]

    def rank(query: str) -> Ranking:
        typed = [word.text for part in parse_query(query) for word in part.words]
        if not typed:
            return []
        rows = index.raw_match(" AND ".join(map(fts_string, typed)), DEPTH)
        return [names[rowid - 1] for rowid, _ in rows]

    return rank


def dcg(gains: Sequence[float]) -> float:
    """Discounted cumulative gain of gains in rank order."""
    return sum(gain / math.log2(position + 2) for position, gain in enumerate(gains))


def scores(judged: Judged, ranking: Ranking) -> tuple[bool, bool, float]:
    """(answer first, answer in the first three, nDCG@5) of one ranking."""
    grades = [judged.grades.get(name, 0) for name in ranking[:DEPTH]]
    ideal = sorted(judged.grades.values(), reverse=True)[:DEPTH]
    best = dcg([2**grade - 1 for grade in ideal])
    ndcg = dcg([2**grade - 1 for grade in grades]) / best if best else 0.0
    return grades[:1] == [2], 2 in grades[:3], ndcg


@dataclass
class Totals:
    """Sums of the three measures over some queries."""

    count: int = 0
    first: int = 0
    top3: int = 0
    ndcg: float = 0.0

    def add(self, first: bool, top3: bool, ndcg: float) -> None:
        """Count one query."""
        self.count += 1
        self.first += first
        self.top3 += top3
        self.ndcg += ndcg

    def row(self) -> str:
        """success@1, success@3 and nDCG@5 as table cells."""
        n = max(self.count, 1)
        return f"{100 * self.first / n:5.1f}% | {100 * self.top3 / n:5.1f}% | {self.ndcg / n:.3f}"


def evaluate(
    judgments: Sequence[Judged], rank: Callable[[str], Ranking]
) -> tuple[Totals, dict[str, Totals], list[tuple[Judged, Ranking]]]:
    """Overall and per-kind totals, and the queries with no answer in the first three."""
    overall = Totals()
    by_kind: defaultdict[str, Totals] = defaultdict(Totals)
    misses = []
    for judged in judgments:
        ranking = rank(judged.text)
        first, top3, ndcg = scores(judged, ranking)
        overall.add(first, top3, ndcg)
        by_kind[judged.kind].add(first, top3, ndcg)
        if not top3:
            misses.append((judged, ranking))
    return overall, dict(by_kind), misses


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--content", type=Path, help="content folder (default: the bundled guide)")
    parser.add_argument("--judgments", type=Path, default=JUDGMENTS, help="judgments file")
    parser.add_argument("--synonyms", type=Path, help="synonyms file (default: see above)")
    parser.add_argument("--misses", action="store_true", help="list queries missed in the top 3")
    options = parser.parse_args(argv)
    guide = load_guide(options.content)
    synonyms = options.synonyms or guide.root / SYNONYMS_FILE
    if not synonyms.is_file():
        synonyms = bundled_content_dir() / SYNONYMS_FILE
    vocabulary = load_synonym_file(synonyms)
    for problem in vocabulary.problems:
        print(problem)
    index = SearchIndex.build(guide, vocabulary)
    judgments = load_judgments(options.judgments)
    known = {passage_name(p.section_id, p.heading and p.heading.anchor) for p in index.passages}
    missing = sorted({name for j in judgments for name in j.grades} - known)
    print(f"{len(judgments)} queries, {len(guide)} sections, {len(index)} passages")
    print(f"synonyms: {synonyms} ({len(vocabulary.groups)} groups)")
    if missing:
        print(f"judged passages the content does not have ({len(missing)}): {', '.join(missing)}")
    results = {
        "ketaguide": evaluate(judgments, engine_ranking(index)),
        "FTS5 BM25 baseline": evaluate(judgments, baseline_ranking(index)),
    }
    print("\n| engine | success@1 | success@3 | nDCG@5 |\n|---|---:|---:|---:|")
    for name, (overall, _, _) in results.items():
        print(f"| {name} | {overall.row()} |")
    print(
        "\n| kind | queries | s@1 | s@3 | nDCG@5 | baseline s@1 | baseline s@3 | baseline nDCG@5 |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    ours, theirs = results["ketaguide"][1], results["FTS5 BM25 baseline"][1]
    for kind in sorted(ours):
        print(f"| {kind} | {ours[kind].count} | {ours[kind].row()} | {theirs[kind].row()} |")
    if options.misses:
        print("\nNo answer in the first three (ketaguide):")
        for judged, ranking in results["ketaguide"][2]:
            print(f"  {judged.text!r}: got {', '.join(ranking[:3]) or 'nothing'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
