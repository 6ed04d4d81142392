"""Benchmark: hostile content is read, checked and indexed in bounded time.

Run from the project root::

    python benchmarks/hostile_benchmark.py            # 1 MB of each pattern
    python benchmarks/hostile_benchmark.py --size 200 # 200 KB of each (a quicker look)

For each pathological pattern (repeated `<!-- `, runs of `[]()`, 20,000 headings,
long runs of links, deep `>>>>` and list nesting, one very long line, and
others that make Markdown parsers slow) it writes a content folder holding one
section of that pattern beside an ordinary one, then times, each on its own:

* load:  `load_guide` (read within the size limit, decode, clean, front matter);
* check: `check_guide` (the Markdown read once, links, every rule);
* plain: loading again and printing the section as `show --plain` does;
* index: building the search index of the folder;
* render: laying out the whole section as the reader's viewer does (what `End`
  costs when every block in between is drawn).

It prints a table, with the bound (2 s for each step but `render`, which the
viewer spreads over frames) and whether it was met.
This is a measurement, not a test: timing depends on the machine.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ketaguide_tui.guide.check import check_guide  # noqa: E402
from ketaguide_tui.guide.files import MAX_FILE_BYTES  # noqa: E402
from ketaguide_tui.guide.model import Guide, load_guide  # noqa: E402
from ketaguide_tui.guide.plain_text import section_plain_text  # noqa: E402
from ketaguide_tui.tui.rendering import Palette, RenderedSection  # noqa: E402

BOUND_SECONDS = 2.0
PALETTE = Palette(accent="#ff8800", primary="#0088ff", secondary="#00aa00", muted="#888888")
FRONT = '+++\ntitle = "{title}"\norder = {order}\nsummary = "S."\nreviewed = 2026-01-15\n+++\n\n'


def _repeat(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit))


PATTERNS: dict[str, Callable[[int], str]] = {
    "comment openers <!-- ": lambda n: "Text " + _repeat("<!-- ", n),
    "comment lines": lambda n: _repeat("<!-- x\n", n),
    "empty links []()": lambda n: _repeat("[]()", n),
    "link run [a](b.md)": lambda n: _repeat("[a](b.md) ", n),
    "links, one a line": lambda n: _repeat("[a](https://example.org/a)\n", n),
    "20,000 headings": lambda n: "".join(f"## Heading {i}\n\n" for i in range(20_000)),
    "headings to the limit": lambda n: "".join(f"## H{i}\n" for i in range(n // 8)),
    "deep quotes >>>>": lambda n: ">" * n + " x\n",
    "quote lines": lambda n: _repeat("> a\n", n),
    "deep lists": lambda n: "".join("  " * (i % 400) + "- x\n" for i in range(n // 400)),
    "flat list": lambda n: _repeat("- x\n", n),
    "one long line": lambda n: _repeat("word ", n),
    "open brackets [[[[": lambda n: "[" * n,
    "emphasis *a": lambda n: _repeat("*a ", n),
    "underscores _a": lambda n: _repeat("_a", n),
    "backticks `a": lambda n: _repeat("`a ", n),
    "entities &#27;": lambda n: _repeat("&#27;&#x202e;", n),
    "escapes ESC[": lambda n: _repeat("\x1b[31m", n),
    "table rows": lambda n: "| a | b |\n|---|---|\n" + _repeat("| c | 5% |\n", n),
    "figures 5 mg": lambda n: _repeat("5 mg 10% ", n),
}


def _folder(root: Path, name: str, body: str) -> Path:
    folder = root / name.replace(" ", "_").strip("_")
    folder.mkdir()
    (folder / "ordinary.md").write_text(
        FRONT.format(title="Ordinary", order=1) + "## Fine\n\nText.\n", encoding="utf-8"
    )
    (folder / "hostile.md").write_text(FRONT.format(title="Hostile", order=2) + body, "utf-8")
    return folder


def _timed(step: Callable[[], object]) -> float:
    start = time.perf_counter()
    step()
    return time.perf_counter() - start


def _index_builder() -> Callable[[Guide], object] | None:
    """The search index build, wherever the search package keeps it."""
    try:
        from ketaguide_tui.search import SearchIndex  # type: ignore[attr-defined]
    except ImportError:
        try:
            from ketaguide_tui.search.index import SearchIndex
        except ImportError:
            return None
    build: Callable[[Guide], object] = SearchIndex.build
    return build


def _plain(folder: Path) -> None:
    section = load_guide(folder).get("hostile")
    if section is not None:
        section_plain_text(section)


def _render(folder: Path) -> None:
    section = load_guide(folder).get("hostile")
    if section is not None:
        RenderedSection(section, 80, PALETTE).render_all()


def _measure(folder: Path, build: Callable[[Guide], object] | None) -> tuple[list[float], int]:
    """Seconds for load, check, plain, index and render, and the number of problems."""
    guides: list[Guide] = []
    load_time = _timed(lambda: guides.append(load_guide(folder)))
    problems: list[object] = []
    check_time = _timed(lambda: problems.extend(check_guide(guides[0])))
    # Fresh loads for the other steps: the reading `check` made is cached on the sections.
    plain_time = _timed(lambda: _plain(folder))
    fresh = load_guide(folder)
    index_time = _timed(lambda: build(fresh)) if build else float("nan")
    render_time = _timed(lambda: _render(folder))
    return [load_time, check_time, plain_time, index_time, render_time], len(problems)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1024, help="KB of each pattern (1024)")
    parser.add_argument("--no-index", action="store_true", help="leave out the search index")
    args = parser.parse_args()
    size = args.size * 1024
    build = None if args.no_index else _index_builder()
    print(f"{args.size} KB of each pattern; files are read up to {MAX_FILE_BYTES // 1024} KB.")
    print(
        f"{'pattern':<24} {'load':>7} {'check':>7} {'plain':>7} {'index':>7} {'render':>7}"
        "  problems  bound"
    )
    worst = 0.0
    with tempfile.TemporaryDirectory() as temporary:
        for name, make in PATTERNS.items():
            times, problems = _measure(_folder(Path(temporary), name, make(size)), build)
            bounded = [
                t for t in times[:4] if t == t
            ]  # render is spread over frames; nan: no index
            worst = max(worst, *bounded)
            met = "met" if max(bounded) < BOUND_SECONDS else "MISSED"
            columns = " ".join(f"{t:7.2f}" for t in times)
            print(f"{name:<24} {columns}  {problems:8}  {met}", flush=True)
    print(f"slowest bounded step: {worst:.2f} s (bound {BOUND_SECONDS:.0f} s)")


if __name__ == "__main__":
    main()
