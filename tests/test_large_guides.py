"""The reader on large guides: a sidebar that does not fold and unfold on every page turn,
and a start from the cache that shows no error when the cache is damaged."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ketaguide_tui.guide import cache
from ketaguide_tui.guide.cache import load_guide_cached
from ketaguide_tui.guide.cache_file import cache_path, open_cache
from ketaguide_tui.search.index_cache import cached_index
from ketaguide_tui.tui.app import KetaguideApp
from ketaguide_tui.tui.widgets import sidebar


def expanded_sections(app: KetaguideApp) -> list[str]:
    tree = app.reader.sidebar
    return [node.data.section_id for node in tree.root.children if node.is_expanded and node.data]


def cursor_place(app: KetaguideApp) -> tuple[str, str | None] | None:
    node = app.reader.sidebar.cursor_node
    return (node.data.section_id, node.data.anchor) if node and node.data else None


async def test_a_large_guide_keeps_its_sections_folded_as_pages_turn(
    small_guide: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sidebar, "UNFOLD_LIMIT", 2)  # three sections count as large here
    app = KetaguideApp(load_guide_cached(small_guide), section_id="start-here")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert app.reader.section is not None and app.reader.section.id == "effects"
        assert cursor_place(app) == ("effects", None)
        assert expanded_sections(app) == []
        for _ in range(8):  # scrolling past headings moves nothing in a folded section
            await pilot.press("space")
        await pilot.pause()
        assert app.reader.viewer.current_anchor is not None
        assert cursor_place(app) == ("effects", None)
        # The reader can still unfold a section by hand and find its headings.
        tree = app.reader.sidebar
        tree.focus()
        await pilot.press("space")
        await pilot.pause()
        assert expanded_sections(app) == ["effects"]
        labels = [str(node.label) for node in tree.root.children[1].children]
        assert "Common effects" in labels


async def test_a_small_guide_unfolds_the_open_section(small_guide: Path) -> None:
    assert len(list(small_guide.glob("*.md"))) <= sidebar.UNFOLD_LIMIT
    app = KetaguideApp(load_guide_cached(small_guide), section_id="start-here")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert expanded_sections(app) == ["effects"]


async def test_the_reader_starts_from_a_damaged_cache_without_a_word(
    small_guide: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "SETTLING_NS", 0)
    cached_index(load_guide_cached(small_guide))  # a cache, then damage it
    for kind in ("guide", "index"):
        path = cache_path(small_guide, kind)
        path.write_bytes(os.urandom(path.stat().st_size))
    app = KetaguideApp(load_guide_cached(small_guide, save_now=False))
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(100):
            await pilot.pause(0.05)
            if app.search_index is not None:
                break
        assert app.search_index is not None
        results = app.run_query("blood pressure", 10)
        assert results is not None and results.hits[0].section_id == "effects"
        assert [n.message for n in app._notifications] == []
        assert app.reader.viewer.line_texts()  # the section is on screen
    for kind in ("guide", "index"):  # and the cache was made again
        assert open_cache(small_guide, kind) is not None
