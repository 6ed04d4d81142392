"""`ketaguide list` from the cache's listing: the same lines as loading the guide, or not used.

The listing is read only when the folder's files are those the cache was made
from; a changed, added or removed file, or a damaged listing, means the guide
is loaded as usual (and the cache brought up to date).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from conftest import SectionWriter

from ketaguide_tui.cli import main
from ketaguide_tui.guide import cache
from ketaguide_tui.guide.cache import load_guide_cached
from ketaguide_tui.guide.cache_file import cache_path
from ketaguide_tui.guide.cache_listing import cached_listing


@pytest.fixture(autouse=True)
def settled_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "SETTLING_NS", 0)


def listed(folder: Path, capsys: pytest.CaptureFixture[str], *options: str) -> list[str]:
    assert main(["list", "--content", str(folder), *options]) == 0
    return capsys.readouterr().out.splitlines()


def test_the_listing_is_the_guide_s_ids_titles_and_summaries(small_guide: Path) -> None:
    assert cached_listing(small_guide) is None  # nothing cached yet
    guide = load_guide_cached(small_guide)
    assert cached_listing(small_guide) == [(s.id, s.title, s.summary) for s in guide]


def test_list_from_the_listing_prints_what_loading_prints(
    small_guide: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    uncached = listed(small_guide, capsys, "--no-cache")
    assert listed(small_guide, capsys) == uncached  # loads, and writes the cache
    # Now no section is loaded at all.
    monkeypatch.setattr(cache, "load_guide_cached", None)
    assert listed(small_guide, capsys) == uncached


def test_a_changed_added_or_removed_file_is_listed_as_it_is_now(
    write_section: SectionWriter, small_guide: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listed(small_guide, capsys)
    write_section("effects", "Side effects, renamed", 20, "## Common effects\n\nNausea.\n")
    assert any("Side effects, renamed" in line for line in listed(small_guide, capsys))
    write_section("later", "Added later", 99, "Text.\n", summary="Added just now.")
    lines = listed(small_guide, capsys)
    assert lines[-1].startswith("later") and lines[-1].endswith("Added later — Added just now.")
    (small_guide / "later.md").unlink()
    lines = listed(small_guide, capsys)
    assert lines == listed(small_guide, capsys, "--no-cache")
    assert not any(line.startswith("later") for line in lines)


def test_a_file_touched_with_the_same_text_is_checked_again(
    small_guide: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listed(small_guide, capsys)
    path = small_guide / "effects.md"
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
    assert cached_listing(small_guide) is None
    assert listed(small_guide, capsys) == listed(small_guide, capsys, "--no-cache")


@pytest.mark.parametrize(
    "listing",
    [
        "not json",
        '[["effects", "Effects"]]',
        '[["nowhere", "No such file", "A summary."]]',
        '[["effects", "Eff\\u001b]0;x\\u0007", "A summary."]]',
        '[["effects", 3, "A summary."]]',
        "[]",
    ],
)
def test_a_damaged_listing_is_not_trusted(
    small_guide: Path, capsys: pytest.CaptureFixture[str], listing: str
) -> None:
    expected = listed(small_guide, capsys, "--no-cache")
    listed(small_guide, capsys)
    connection = sqlite3.connect(cache_path(small_guide, "guide"))
    connection.execute("UPDATE snapshot SET listing = ?", (listing,))
    connection.commit()
    connection.close()
    assert cached_listing(small_guide) is None
    assert listed(small_guide, capsys) == expected


def test_a_missing_folder_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--content", str(tmp_path / "nowhere")]) == 2
    assert "ketaguide:" in capsys.readouterr().err
