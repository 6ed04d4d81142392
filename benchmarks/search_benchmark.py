"""Benchmark for the search engine (`ketaguide_tui.search`).

Run from the project root::

    python benchmarks/search_benchmark.py           # bundled guide, 1,000 and 10,000 sections
    python benchmarks/search_benchmark.py --quick   # bundled guide and 200 sections, a smoke test

For each corpus it prints how long `load_guide` and `SearchIndex.build` took,
then the p50 and p95 time of `SearchIndex.search` over a mix of queries (prefix,
typo, phrase, multi-word, synonym, crisis), and a floor measured on the same
index in the same run: a bare single-term FTS5 MATCH ordered by rank, which is
the least any search can cost. The ratio says what the engine adds on top.

Generated corpora are real section files written to a temporary folder and read
back with `load_guide`, so they go through the same code as the bundled guide.
Four words in five are drawn with the bundled guide's own word frequencies (so
"ketamine" is in about half the passages, as in the real guide: the hard case),
the fifth from a Zipf tail of made-up words, so the vocabulary grows as in real
text (about 50,000 distinct words at 10,000 sections). The bundled sections are
copied in too, so the glossary and crisis sections exist.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from functools import partial
from itertools import accumulate
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ketaguide_tui.guide.model import Guide, bundled_content_dir, load_guide  # noqa: E402
from ketaguide_tui.search import SearchIndex  # noqa: E402
from ketaguide_tui.search.terms import words  # noqa: E402

T = TypeVar("T")

QUERIES = (
    # prefix (as typed)
    "keta",
    "depr",
    "spra",
    "infus",
    # typos
    "ketamne",
    "depresssion",
    "esketamin",
    "spravatto",
    "disociative",
    # phrases
    '"blood pressure"',
    '"side effects"',
    # several words
    "side effects",
    "ketamine depression treatment",
    "nasal spray dose",
    "what to expect during a session",
    # synonyms and crisis
    "TRD",
    "IV",
    "suicidal",
    # questions and everyday words: filler left out, the ranked reading when the
    # strict one finds little, leads settled to the passage that answers
    "can I drive home after a session",
    "is it safe to take when pregnant",
    "how long does the effect last",
    "what happens if it doesn't work",
    "hypertension",
    "throw up",
    "australia",
)
FLOOR_QUERY = '"ketamine"'
SYLLABLES = [consonant + vowel for consonant in "krtnmsldpv" for vowel in "aeiou"]
FALLBACK_TEXT = (
    "ketamine esketamine spravato depression dissociative dissociation infusion session "
    "treatment blood pressure side effects nasal spray dose clinic suicidal crisis therapy "
    "the of and a to in is it for with not that on you who people what how an are as"
)
REAL_SHARE = 0.8
"""Share of generated words drawn from the bundled guide's own word frequencies;
the rest come from a long tail of made-up words, so that "ketamine" is as
common in a generated section as in the real guide and the vocabulary grows."""


def made_up_words(count: int, rng: random.Random) -> list[str]:
    """`count` distinct pronounceable words of 2-4 syllables."""
    found: dict[str, None] = {}
    while len(found) < count:
        found["".join(rng.choices(SYLLABLES, k=rng.randint(2, 4)))] = None
    return list(found)


def real_word_counts() -> Counter[str]:
    """How often each word occurs in the bundled guide's plain text."""
    try:
        guide = load_guide()
    except Exception:
        return Counter(words(FALLBACK_TEXT))
    return Counter(word for section in guide for word in words(section.reading.plain_text))


class WordSource:
    """Draws words: REAL_SHARE from the guide's frequencies, the rest from a Zipf tail."""

    def __init__(self, sections: int, rng: random.Random) -> None:
        self._rng = rng
        real = real_word_counts()
        self._real = list(real)
        self._real_cumulative = list(accumulate(real.values()))
        # Heaps' law, V = 30 * n ** 0.5 for n tokens: about 52,000 words at 3M tokens.
        tail = max(200, int(30 * (sections * 300) ** 0.5) - len(real))
        self._tail = made_up_words(tail, rng)
        self._tail_cumulative = list(accumulate(1.0 / rank for rank in range(1, tail + 1)))

    def draw(self, count: int) -> list[str]:
        """`count` words in a random order."""
        real = sum(self._rng.random() < REAL_SHARE for _ in range(count))
        drawn = self._rng.choices(self._real, cum_weights=self._real_cumulative, k=real)
        drawn += self._rng.choices(self._tail, cum_weights=self._tail_cumulative, k=count - real)
        self._rng.shuffle(drawn)
        return drawn


def write_corpus(folder: Path, sections: int, seed: int = 7) -> None:
    """Write `sections` generated section files (about 300 words each) into `folder`."""
    rng = random.Random(seed)
    source = WordSource(sections, rng)
    bundled = bundled_content_dir()
    if bundled.is_dir():
        for path in bundled.glob("*.md"):
            shutil.copy(path, folder / path.name)
    for number in range(sections):
        (folder / f"generated-{number:05d}.md").write_text(
            _section_text(number, source.draw, rng), encoding="utf-8"
        )


def _section_text(number: int, draw: Callable[[int], list[str]], rng: random.Random) -> str:
    title = " ".join(draw(rng.randint(2, 4))).capitalize()
    aliases = ", ".join(f'"{" ".join(draw(rng.randint(1, 3)))}"' for _ in range(3))
    lines = [
        "+++",
        f'title = "{title}"',
        f"order = {1000 + number}",
        f'summary = "{" ".join(draw(12)).capitalize()}."',
        "reviewed = 2026-01-01",
        f"aliases = [{aliases}]",
        "+++",
        "",
        " ".join(draw(30)).capitalize() + ".",
    ]
    for part in range(5):
        lines += ["", f"## {' '.join(draw(3)).capitalize()} {part}", ""]
        body = draw(48)
        body[5] = f"[{body[5]}](https://example.org/{number}/{part})"
        body[9] = f"**{body[9]}**"
        lines.append(" ".join(body[:30]).capitalize() + ".")
        lines += ["", "- " + " ".join(body[30:39]), "- " + " ".join(body[39:])]
    return "\n".join(lines) + "\n"


def timed(action: Callable[[], T]) -> tuple[float, T]:
    """(milliseconds, result) of one call."""
    start = time.perf_counter()
    result = action()
    return (time.perf_counter() - start) * 1000, result


def percentile(values: Sequence[float], fraction: float) -> float:
    """The `fraction` quantile (0-1) of `values`, by the nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def measure(name: str, guide: Guide, load_ms: float, repeat: int) -> dict[str, float]:
    """Build the index for `guide`, time the query mix and the floor, print one report."""
    builds = [timed(lambda: SearchIndex.build(guide)) for _ in range(3 if len(guide) < 500 else 1)]
    first_ms, build_ms = builds[0][0], min(ms for ms, _ in builds)
    index = builds[0][1]
    # The first correction of a word of some length builds the speller's pair
    # table for nearby lengths: a one-off cost, measured here and then warmed.
    cold_typo_ms = timed(lambda: index.search("ketamne"))[0]
    for query in QUERIES:  # warm caches as the reader would after a few keystrokes
        index.search(query)
    samples: dict[str, list[float]] = {query: [] for query in QUERIES}
    floor: list[float] = []
    for _ in range(repeat):
        for query in QUERIES:
            samples[query].append(timed(partial(index.search, query, limit=20))[0])
        floor.append(timed(lambda: index.raw_match(FLOOR_QUERY, 20))[0])
    every = [ms for values in samples.values() for ms in values]
    p50, p95 = percentile(every, 0.5), percentile(every, 0.95)
    floor50, floor95 = percentile(floor, 0.5), percentile(floor, 0.95)
    print(f"\n{name}: {len(guide)} sections, {len(index)} passages")
    print(f"  load_guide {load_ms:9.1f} ms")
    print(f"  build      first {first_ms:8.1f} ms   best of {len(builds)} {build_ms:8.1f} ms")
    print(f"  first typo {cold_typo_ms:8.1f} ms   (once per index: builds the speller's tables)")
    print(f"  search     p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   (all {len(every)} queries)")
    print(
        f"  floor      p50 {floor50:7.2f} ms   p95 {floor95:7.2f} ms   (bare MATCH {FLOOR_QUERY})"
    )
    print(f"  ratio      p50 {p50 / floor50:7.1f} x    p95 {p95 / floor95:7.1f} x")
    worst = sorted(samples, key=lambda q: percentile(samples[q], 0.95), reverse=True)[:4]
    print("  slowest:   " + ", ".join(f"{q} {percentile(samples[q], 0.95):.2f}" for q in worst))
    return {
        "first_build": first_ms,
        "build": build_ms,
        "cold_typo": cold_typo_ms,
        "p50": p50,
        "p95": p95,
        "floor50": floor50,
        "floor95": floor95,
    }


def run(sizes: Sequence[int], repeat: int) -> None:
    """Measure the bundled guide, then each generated corpus size."""
    load_ms, guide = timed(load_guide)
    measure("bundled guide", guide, load_ms, repeat)
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="ketaguide-bench-") as folder:
            write_corpus(Path(folder), size)
            load_ms, generated = timed(partial(load_guide, Path(folder)))
            measure(f"generated {size:,}", generated, load_ms, max(3, repeat // 10))


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    options = parser.parse_args(argv)
    print(f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}")
    if options.quick:
        run([200], repeat=10)
    else:
        run([1_000, 10_000], repeat=50)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
