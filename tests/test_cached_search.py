"""A search index opened from the cache answers as one built from the files, and a damaged
cache never changes an answer.

The cached index reads its rows only as a search needs them (`stored_passages`,
`stored_synonyms`, `stored_vocabulary`), so these tests search a guide of a few
hundred generated sections besides the bundled ones: typos the speller
corrects, prefixes, synonyms, titles, a crisis and a place. Damage made to the
file after it was written (a row out of order, a string that is not clean, an
entry that is not JSON) must give the results of an index built in memory.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketaguide_tui.cli import main
from ketaguide_tui.guide import cache
from ketaguide_tui.guide.cache import load_guide_cached
from ketaguide_tui.guide.cache_file import cache_path
from ketaguide_tui.guide.model import Guide, load_guide
from ketaguide_tui.search import SearchIndex
from ketaguide_tui.search.index_cache import cached_index

ROOT = Path(__file__).parents[1]
GENERATED = 300


def write_corpus(folder: Path, sections: int) -> None:
    """The generated guide of benchmarks/search_benchmark.py."""
    spec = importlib.util.spec_from_file_location(
        "search_benchmark", ROOT / "benchmarks" / "search_benchmark.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.write_corpus(folder, sections)


def answer(index: SearchIndex, query: str, limit: int = 20) -> tuple[Any, ...]:
    """Everything a reader sees of a search."""
    results = index.search(query, limit=limit)
    return (
        [
            (h.section_id, h.anchor, h.heading, h.snippet, h.highlights, h.terms, round(h.score, 9))
            for h in results.hits
        ],
        results.total,
        results.suggestion,
        results.read_as,
        results.partial,
    )


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Guide]:
    """(content folder, cache folder, guide) of the bundled and generated sections."""
    folder = tmp_path_factory.mktemp("large") / "content"
    folder.mkdir()
    write_corpus(folder, GENERATED)
    return folder, tmp_path_factory.mktemp("cache"), load_guide(folder)


@pytest.fixture(scope="module")
def indexes(large: tuple[Path, Path, Guide]) -> dict[str, SearchIndex]:
    folder, cache_folder, guide = large
    patcher = pytest.MonkeyPatch()
    patcher.setenv("KETAGUIDE_CACHE_DIR", str(cache_folder))
    patcher.setattr(cache, "SETTLING_NS", 0)
    try:
        cached_index(load_guide_cached(folder))  # writes the cache
        opened = cached_index(load_guide_cached(folder))
    finally:
        patcher.undo()
    return {"built": SearchIndex.build(guide), "opened": opened}


def sample_queries(guide: Guide) -> list[str]:
    """Titles, aliases, words of generated sections with a letter wrong or cut short, and
    the relevance benchmark's queries."""
    generated = [section for section in guide if section.id.startswith("generated-")]
    queries = []
    for section in generated[::37]:
        title = section.title.lower()
        word = max(re.findall(r"[a-z]+", title), key=len)
        queries += [title, section.aliases[0], word[:-1] + "q", word[:4], f"{word} blood"]
    relevance = tomllib.loads((ROOT / "benchmarks" / "relevance_queries.toml").read_text("utf-8"))
    queries += [query["text"] for query in relevance["query"]][::3]
    return queries + ["blood pressure", "i want to die", "crisis line uk", "what is nmda"]


def test_the_cached_index_answers_as_the_built_one(
    indexes: dict[str, SearchIndex], large: tuple[Path, Path, Guide]
) -> None:
    queries = sample_queries(large[2])
    assert len(queries) > 40
    for query in queries:
        assert answer(indexes["opened"], query) == answer(indexes["built"], query), query
    assert answer(indexes["opened"], "ketamine", 400) == answer(indexes["built"], "ketamine", 400)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=24))
def test_any_query_is_answered_alike(indexes: dict[str, SearchIndex], query: str) -> None:
    assert answer(indexes["opened"], query) == answer(indexes["built"], query)


@pytest.fixture
def small_cache(small_guide: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The small guide's index, written to the cache; returns the cache file."""
    monkeypatch.setattr(cache, "SETTLING_NS", 0)
    cached_index(load_guide_cached(small_guide))
    return cache_path(small_guide, "index")


def damage(path: Path, *statements: str) -> None:
    connection = sqlite3.connect(path)
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()


DAMAGES = {
    "heading not clean": "UPDATE passage_rows SET heading = heading || char(27) || ']0;x'",
    "section unknown": "UPDATE passage_rows SET section_id = 'nowhere' WHERE level IS NOT NULL",
    "level not a number": "UPDATE passage_rows SET level = 'two' WHERE level IS NOT NULL",
    "rows out of order": "UPDATE passage_rows SET level = NULL, heading = NULL, anchor = NULL, "
    "line = NULL WHERE rowid = (SELECT max(rowid) FROM passage_rows)",
    "row missing": "DELETE FROM passage_rows WHERE rowid = 2",
    "runs gone": "DELETE FROM extras WHERE name = 'runs'",
    "runs overlapping": "UPDATE extras SET value = '[[0,3,1,3],[4,9,3,11]]' WHERE name = 'runs'",
    "all rows leads": "UPDATE passage_rows SET level = NULL, heading = NULL, anchor = NULL, "
    "line = NULL",
    "words not counts": "UPDATE terms SET doc = 'many'",
    "synonyms not json": "UPDATE synonym_keys SET strong = 'not json', loose = '['",
    "synonym not clean": "UPDATE synonym_keys SET strong = '[\"x' || char(27) || '\"]'",
    "synonym groups gone": "DELETE FROM extras WHERE name = 'synonyms'",
}


@pytest.mark.parametrize("damaged", DAMAGES)
def test_a_damaged_index_file_gives_the_answers_of_no_cache(
    small_guide: Path, small_cache: Path, damaged: str
) -> None:
    damage(small_cache, DAMAGES[damaged])
    built = SearchIndex.build(load_guide(small_guide))
    index = cached_index(load_guide_cached(small_guide))
    for query in ("effects", "how to read", "line 3.4", "efects", "eff", "start here", "nmda"):
        assert answer(index, query) == answer(built, query), query
        assert index.explain(query) == built.explain(query)


def test_a_damaged_row_found_by_the_command_line_shows_nothing_unclean(
    small_guide: Path, small_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "--content", str(small_guide), "--no-cache", "part"]) == 0
    expected = capsys.readouterr().out
    damage(small_cache, DAMAGES["heading not clean"])
    assert main(["search", "--content", str(small_guide), "part"]) == 0
    captured = capsys.readouterr()
    assert captured.out == expected
    assert "\x1b" not in captured.out and captured.err == ""


def test_an_index_of_other_sections_is_not_used(
    small_guide: Path, small_cache: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    shutil.copytree(small_guide, other)
    (other / "effects.md").write_text(
        (small_guide / "effects.md").read_text("utf-8").replace("effects", "queasiness"), "utf-8"
    )
    shutil.copy(other / "effects.md", small_guide / "effects.md")
    index = cached_index(load_guide_cached(small_guide))
    assert answer(index, "queasiness") == answer(
        SearchIndex.build(load_guide(small_guide)), "queasiness"
    )
    assert index.search("queasiness").hits


def searched(folder: Path, capsys: pytest.CaptureFixture[str], *options: str) -> str:
    assert main(["search", "--content", str(folder), *options, "part", "effects"]) == 0
    return capsys.readouterr().out


def test_search_with_a_matching_cache_opens_the_index_without_the_guide(
    small_guide: Path,
    small_cache: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    expected = searched(small_guide, capsys, "--no-cache")
    with monkeypatch.context() as patched:
        patched.setattr(cache, "load_guide_cached", None)  # loading the guide would fail
        assert searched(small_guide, capsys) == expected
    # A file changed since: the guide is loaded, and the index brought up to date.
    path = small_guide / "effects.md"
    path.write_text(path.read_text("utf-8").replace("Line 1.1", "Part one"), "utf-8")
    assert "Part one" in searched(small_guide, capsys)
    assert searched(small_guide, capsys) == searched(small_guide, capsys, "--no-cache")


def test_a_changed_synonyms_file_is_not_searched_with_the_old_tables(
    small_guide: Path, small_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (small_guide / "synonyms.toml").write_text('[[group]]\nwords = ["part", "chunk"]\n', "utf-8")
    assert main(["search", "--content", str(small_guide), "chunk"]) == 0
    out = capsys.readouterr().out
    assert main(["search", "--content", str(small_guide), "--no-cache", "chunk"]) == 0
    assert out == capsys.readouterr().out
    assert "Part 1" in out


@pytest.mark.parametrize("command", [["list"], ["search", "effects"]])
def test_list_and_search_from_the_cache_import_no_markdown_reader_nor_textual(
    small_guide: Path, tmp_path: Path, command: list[str]
) -> None:
    def run(script: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            env={**os.environ, "KETAGUIDE_CACHE_DIR": str(tmp_path / "cache")},
            check=True,
        )
        return done.stdout

    call = f"main([*{command!r}, '--content', {str(small_guide)!r}])"
    # The first run reads the folder and writes the cache (files just written count as
    # settled here, as in the other tests).
    settled_at_once = "from ketaguide_tui.guide import cache\ncache.SETTLING_NS = 0\n"
    run(f"{settled_at_once}from ketaguide_tui.cli import main\n{call}\n")
    script = (
        f"import sys\nfrom ketaguide_tui.cli import main\n{call}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'markdown_it', 'textual', 'rich'}))"
    )
    assert run(script).splitlines()[-1] == "[]"
