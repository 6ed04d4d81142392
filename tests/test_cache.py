"""The cache of loaded sections and search indexes: right, or not used.

Each test works in its own cache folder (`conftest.isolated_dirs`). Files are
trusted by their keys only once they have settled (`cache.SETTLING_NS`); tests
write files and load them at once, so the wait is set to zero here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

import pytest
from conftest import SectionWriter, section_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketaguide_tui.cli import main
from ketaguide_tui.guide import cache, cache_entries
from ketaguide_tui.guide.cache import load_guide_cached
from ketaguide_tui.guide.cache_file import cache_path, open_cache
from ketaguide_tui.guide.cache_scan import scan_folder
from ketaguide_tui.guide.model import Guide, Section, bundled_content_dir, load_guide
from ketaguide_tui.search import SearchIndex, index_cache
from ketaguide_tui.search.index_cache import cached_index

QUERIES = [
    query["text"]
    for query in tomllib.loads(
        (Path(__file__).parents[1] / "benchmarks" / "relevance_queries.toml").read_text("utf-8")
    )["query"]
]


@pytest.fixture(autouse=True)
def settled_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "SETTLING_NS", 0)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the section files read from the content folder (not from the cache)."""
    names: list[str] = []
    real = cache_entries.load_file

    def counting(path: Path, root: Path) -> tuple[Section | None, list[object]]:
        names.append(path.name)
        return real(path, root)  # type: ignore[return-value]

    monkeypatch.setattr(cache_entries, "load_file", counting)
    return names


def same_guide(cached: Guide, fresh: Guide) -> None:
    """The cached load gives what reading every file gives."""
    assert [s.id for s in cached] == [s.id for s in fresh]
    for one, other in zip(cached, fresh, strict=True):
        assert one == other  # every field, the body included
        assert one.path == other.path
        assert one.reading == other.reading
    assert [(p.path, p.line, p.message) for p in cached.problems] == [
        (p.path, p.line, p.message) for p in fresh.problems
    ]


def hits(index: SearchIndex, query: str) -> list[tuple[str, str | None, str, float]]:
    results = index.search(query, limit=20)
    return [(h.section_id, h.anchor, h.snippet, round(h.score, 9)) for h in results.hits]


def test_second_load_reads_no_file_and_gives_the_same_guide(
    small_guide: Path, reads: list[str]
) -> None:
    first = load_guide_cached(small_guide)
    assert sorted(reads) == ["effects.md", "get-help-now.md", "start-here.md"]
    reads.clear()
    second = load_guide_cached(small_guide)
    assert reads == []
    same_guide(second, load_guide(small_guide))
    same_guide(first, load_guide(small_guide))


def test_files_are_keyed_alike_where_the_system_cannot_look_them_up_in_an_open_folder(
    small_guide: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (small_guide / "linked.md").symlink_to(small_guide / "effects.md")
    (small_guide / "notes.txt").write_text("not a section", encoding="utf-8")
    found = scan_folder(small_guide)
    assert [name for name, _ in found] == [
        "effects.md",
        "get-help-now.md",
        "linked.md",
        "start-here.md",
    ]
    assert dict(found)["linked.md"] is None  # not a regular file: read every time
    monkeypatch.setattr(os, "supports_dir_fd", set())
    assert scan_folder(small_guide) == found


def test_a_changed_file_is_read_again_alone(
    small_guide: Path, write_section: SectionWriter, reads: list[str]
) -> None:
    load_guide_cached(small_guide)
    reads.clear()
    write_section("effects", "Effects and after-effects", 20, "Changed.\n\n## New part\n\nText.\n")
    guide = load_guide_cached(small_guide)
    assert reads == ["effects.md"]
    effects = guide.get("effects")
    assert effects is not None and effects.title == "Effects and after-effects"
    assert [h.text for h in effects.toc] == ["New part"]
    same_guide(guide, load_guide(small_guide))


def test_added_removed_and_renamed_files_are_picked_up(
    small_guide: Path, write_section: SectionWriter, reads: list[str]
) -> None:
    load_guide_cached(small_guide)
    reads.clear()
    write_section("new-one", "New one", 25, "Fresh text.\n")
    (small_guide / "get-help-now.md").unlink()
    (small_guide / "start-here.md").rename(small_guide / "welcome.md")
    guide = load_guide_cached(small_guide)
    assert sorted(reads) == ["new-one.md", "welcome.md"]
    assert [s.id for s in guide] == ["welcome", "effects", "new-one"]
    same_guide(guide, load_guide(small_guide))
    reads.clear()
    same_guide(load_guide_cached(small_guide), load_guide(small_guide))
    assert reads == []


def test_a_file_rewritten_with_the_same_size_and_time_is_still_read_again(
    small_guide: Path, reads: list[str]
) -> None:
    path = small_guide / "effects.md"
    load_guide_cached(small_guide)
    before = path.stat()
    path.write_text(path.read_text("utf-8").replace("Dizziness", "Dizzyness"), "utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    reads.clear()
    guide = load_guide_cached(small_guide)
    assert reads == ["effects.md"]  # its change time (and inode) tell it apart
    assert "Dizzyness" in guide.get("effects").body  # type: ignore[union-attr]


def test_problems_are_reported_from_the_cache_too(
    write_section: SectionWriter, reads: list[str]
) -> None:
    folder = write_section("fine", "Fine", 10, "Text.\n")
    (folder / "broken.md").write_text("no front matter here\n", "utf-8")
    (folder / "escape.md").write_text(section_text("Esc\x1b[31m", 20, "Red.\n"), "utf-8")
    fresh = load_guide(folder)
    assert len(fresh.problems) >= 2
    load_guide_cached(folder)
    reads.clear()
    same_guide(load_guide_cached(folder), fresh)
    assert reads == []


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "other-version"])
def test_a_damaged_cache_is_rebuilt_without_a_word(
    small_guide: Path, damage: str, reads: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "--content", str(small_guide), "blood pressure"]) == 0
    expected = capsys.readouterr().out
    for kind in ("guide", "index"):
        path = cache_path(small_guide, kind)
        if damage == "garbage":
            path.write_bytes(os.urandom(path.stat().st_size))
        elif damage == "truncated":
            path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
        elif damage == "empty":
            path.write_bytes(b"")
        else:
            connection = __import__("sqlite3").connect(path)
            connection.execute("UPDATE meta SET value = '0.0.0' WHERE key = 'version'")
            connection.commit()
            connection.close()
    reads.clear()
    assert main(["search", "--content", str(small_guide), "blood pressure"]) == 0
    out, err = capsys.readouterr()
    assert (out, err) == (expected, "")
    assert len(reads) == 3  # every file read again
    for kind in ("guide", "index"):
        assert open_cache(small_guide, kind) is not None  # and the cache made again
    reads.clear()
    assert main(["list", "--content", str(small_guide)]) == 0
    assert reads == []


def test_a_tampered_row_is_not_trusted(small_guide: Path, reads: list[str]) -> None:
    import sqlite3

    load_guide_cached(small_guide)
    path = cache_path(small_guide, "guide")
    connection = sqlite3.connect(path)
    # Both the snapshot and the file's own row say the title has an escape sequence.
    for table, column in (("snapshot", "sections"), ("files", "section")):
        connection.execute(
            f"UPDATE {table} SET {column} = replace({column}, 'Effects', 'Eff\\u001b]0;x\\u0007')"
        )
    connection.commit()
    connection.close()
    reads.clear()
    guide = load_guide_cached(small_guide)
    # A section's stored fields are decoded when first read: the damaged ones are then
    # taken from the file, which alone is read again.
    assert guide.get("effects").title == "Effects"  # type: ignore[union-attr]
    titles = [section.title for section in guide]
    assert "Effects" in titles
    assert reads == ["effects.md"]


def test_damaged_fields_and_an_unreadable_file_still_give_a_section(
    small_guide: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    load_guide_cached(small_guide)
    connection = sqlite3.connect(cache_path(small_guide, "guide"))
    connection.execute("UPDATE snapshot SET sections = replace(sections, 'Effects', 'Eff\\u001b')")
    connection.commit()
    connection.close()
    # The file cannot be read again when the damage is found (an I/O error, say).
    monkeypatch.setattr(cache_entries, "load_file", lambda path, root: (None, []))
    guide = load_guide_cached(small_guide)
    section = guide.get("effects")
    assert section is not None
    assert section.title == "effects"  # its name stands in; nothing from the damaged row
    assert section.aliases == () and section.places == () and section.next_review is None


def test_a_cache_of_another_folder_is_not_used(
    small_guide: Path, tmp_path: Path, reads: list[str]
) -> None:
    other = tmp_path / "other"
    shutil.copytree(small_guide, other)
    (other / "effects.md").write_text(section_text("Other effects", 20, "Other.\n"), "utf-8")
    load_guide_cached(small_guide)
    shutil.copyfile(cache_path(small_guide, "guide"), cache_path(other, "guide"))
    reads.clear()
    guide = load_guide_cached(other)
    assert len(reads) == 3
    assert guide.get("effects").title == "Other effects"  # type: ignore[union-attr]


def test_no_cache_reads_everything_and_writes_nothing(
    small_guide: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = Path(os.environ["KETAGUIDE_CACHE_DIR"])
    assert main(["--no-cache", "list", "--content", str(small_guide)]) == 0
    assert main(["search", "--no-cache", "--content", str(small_guide), "nausea"]) == 0
    out = capsys.readouterr().out
    assert "Effects" in out
    assert not folder.exists() or not any(folder.iterdir())


def test_an_unwritable_cache_folder_still_lets_everything_work(
    small_guide: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder's parent should be", "utf-8")
    monkeypatch.setenv("KETAGUIDE_CACHE_DIR", str(blocker / "cache"))
    guide = load_guide_cached(small_guide)
    same_guide(guide, load_guide(small_guide))
    index = cached_index(guide)
    assert hits(index, "blood pressure") == hits(
        SearchIndex.build(load_guide(small_guide)), "blood pressure"
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="permissions do not bind the superuser")
def test_a_read_only_cache_folder_still_lets_everything_work(
    small_guide: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = Path(os.environ["KETAGUIDE_CACHE_DIR"])
    folder.mkdir(parents=True)
    folder.chmod(0o500)
    try:
        assert main(["search", "--content", str(small_guide), "nausea"]) == 0
        out, err = capsys.readouterr()
        assert "Effects" in out and err == ""
    finally:
        folder.chmod(0o700)


def test_two_processes_building_at_once_leave_a_valid_cache(small_guide: Path) -> None:
    # The processes trust a file's key only once it has settled (two seconds, see
    # cache.SETTLING_NS, which is zero in this process only).
    time.sleep(2.2)
    command = [sys.executable, "-m", "ketaguide_tui", "search", "--content", str(small_guide)]
    runs = [
        subprocess.Popen(
            [*command, "blood pressure"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0]
    assert outputs[0] == outputs[1] and outputs[0][1] == ""
    for kind in ("guide", "index"):
        assert open_cache(small_guide, kind) is not None
    # No temporary file is left behind, and the cache answers as a fresh index does.
    leftovers = [p.name for p in cache_path(small_guide, "guide").parent.iterdir()]
    assert all(not name.endswith(".tmp") for name in leftovers), leftovers
    guide = load_guide_cached(small_guide)
    assert hits(cached_index(guide), "blood pressure") == hits(
        SearchIndex.build(load_guide(small_guide)), "blood pressure"
    )


def edit_in_place(folder: Path) -> None:
    """Change words in one section, keeping its headings."""
    path = folder / "side-effects.md"
    path.write_text(path.read_text("utf-8").replace("nausea", "queasiness"), "utf-8")


def add_and_remove(folder: Path) -> None:
    """Add one section and drop another."""
    (folder / "extra-notes.md").write_text(
        section_text("Extra notes", 999, "About blood pressure and nasal spray.\n"), "utf-8"
    )
    (folder / "glossary.md").unlink()


@pytest.fixture(scope="module")
def bundled_indexes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, SearchIndex]:
    """The bundled guide's index built fresh and opened from the cache; after an edit in
    place, updated and fresh; after a section is added and one removed, from the cache
    and fresh."""
    folder = tmp_path_factory.mktemp("guide") / "content"
    shutil.copytree(bundled_content_dir(), folder)
    patcher = pytest.MonkeyPatch()
    patcher.setenv("KETAGUIDE_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    patcher.setattr(cache, "SETTLING_NS", 0)
    built: list[bool] = []
    real = index_cache.create_tables

    def create_tables(*arguments: Any) -> None:
        built.append(True)
        real(*arguments)

    patcher.setattr(index_cache, "create_tables", create_tables)
    try:
        indexes = {"fresh": SearchIndex.build(load_guide(folder))}
        cached_index(load_guide_cached(folder))
        assert built == [True]
        indexes["opened"] = cached_index(load_guide_cached(folder))
        edit_in_place(folder)
        indexes["updated"] = cached_index(load_guide_cached(folder))
        assert built == [True]  # its rows updated, the table not made again
        indexes["edited"] = SearchIndex.build(load_guide(folder))
        add_and_remove(folder)
        indexes["reshaped"] = cached_index(load_guide_cached(folder))
        indexes["reshaped fresh"] = SearchIndex.build(load_guide(folder))
    finally:
        patcher.undo()
    return indexes


def same_results(indexes: dict[str, SearchIndex], query: str) -> None:
    assert hits(indexes["opened"], query) == hits(indexes["fresh"], query)
    assert hits(indexes["updated"], query) == hits(indexes["edited"], query)
    assert hits(indexes["reshaped"], query) == hits(indexes["reshaped fresh"], query)


@pytest.mark.parametrize("query", QUERIES)
def test_search_results_are_the_same_with_and_without_the_cache(
    bundled_indexes: dict[str, SearchIndex], query: str
) -> None:
    same_results(bundled_indexes, query)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=30))
def test_any_query_gives_the_same_results_with_and_without_the_cache(
    bundled_indexes: dict[str, SearchIndex], query: str
) -> None:
    same_results(bundled_indexes, query)


def test_an_edit_reaches_the_updated_index(bundled_indexes: dict[str, SearchIndex]) -> None:
    assert hits(bundled_indexes["opened"], "queasiness") == []
    assert [h[0] for h in hits(bundled_indexes["updated"], "queasiness")][:1] == ["side-effects"]


def test_a_folder_with_a_file_that_cannot_be_known_is_not_written_at_every_start(
    small_guide: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (small_guide / "linked.md").symlink_to(small_guide / "effects.md")
    load_guide_cached(small_guide)
    written = cache_path(small_guide, "guide").stat().st_mtime_ns
    reads.clear()
    guide = load_guide_cached(small_guide)
    assert reads == ["linked.md"]  # a link is read every time: its target may change
    assert cache_path(small_guide, "guide").stat().st_mtime_ns == written
    same_guide(guide, load_guide(small_guide))
