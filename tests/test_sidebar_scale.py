"""The sidebar of a guide with thousands of sections: it starts with the rows around the open
section, makes the others while the reader pauses, and always shows the right titles, follows
page turns and lets the keyboard reach the last section."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SectionWriter

from ketaguide_tui.guide.model import load_guide
from ketaguide_tui.tui.app import KetaguideApp
from ketaguide_tui.tui.widgets import sidebar
from ketaguide_tui.tui.widgets.sidebar import SectionTree

SECTIONS = 2500


@pytest.fixture
def big_guide(write_section: SectionWriter) -> Path:
    """A guide of 2,500 sections, each with two headings."""
    folder = Path()
    for number in range(SECTIONS):
        body = f"Text of part {number}.\n\n## First of {number}\n\nMore.\n\n## Second\n\nEnd.\n"
        folder = write_section(f"s{number:04d}", f"Part {number:04d}", number + 1, body)
    return folder


def titles(tree: SectionTree) -> list[str]:
    return [str(node.label).strip(" ✓") for node in tree.root.children]


def cursor_section(tree: SectionTree) -> str | None:
    node = tree.cursor_node
    return node.data.section_id if node is not None and node.data is not None else None


def cursor_on_screen(tree: SectionTree) -> bool:
    top = tree.scroll_offset.y
    return top <= tree.cursor_line < top + tree.size.height


async def settle(pilot: object, tree: SectionTree) -> None:
    for _ in range(200):
        await pilot.pause(0.02)  # type: ignore[attr-defined]
        if tree.complete:
            return


async def test_the_sidebar_starts_near_the_open_section_and_fills_in_around_it(
    big_guide: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sidebar, "FILL_QUIET", 0.01)
    app = KetaguideApp(load_guide(big_guide), section_id="s1800")
    async with app.run_test(size=(100, 30)) as pilot:
        tree = app.reader.sidebar
        await pilot.pause()
        assert cursor_section(tree) == "s1800"
        assert cursor_on_screen(tree)
        await settle(pilot, tree)
        assert tree.complete
        # Every section, once, in reading order, and the open one still in view.
        assert titles(tree) == [f"Part {n:04d}" for n in range(SECTIONS)]
        assert cursor_section(tree) == "s1800"
        assert cursor_on_screen(tree)


async def test_the_sidebar_follows_page_turns_before_and_after_it_is_complete(
    big_guide: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sidebar, "FILL_QUIET", 60.0)  # nothing filled in while this runs
    app = KetaguideApp(load_guide(big_guide), section_id="s0000")
    async with app.run_test(size=(100, 30)) as pilot:
        tree = app.reader.sidebar
        await pilot.pause()
        assert not tree.complete
        for _ in range(3):
            await pilot.press("right_square_bracket")
        await pilot.pause()
        assert app.reader.section is not None and app.reader.section.id == "s0003"
        assert cursor_section(tree) == "s0003"
        # A guide this large keeps its sections folded, with only some rows made so far.
        assert sidebar.UNFOLD_LIMIT < SECTIONS
        assert not any(node.is_expanded for node in tree.root.children)
        # A section beyond the rows made so far: the sidebar makes them and follows.
        await app.reader.open_place("s2400")
        await pilot.pause()
        assert tree.complete
        assert cursor_section(tree) == "s2400"
        assert cursor_on_screen(tree)
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert cursor_section(tree) == "s2399"


async def test_the_keyboard_reaches_the_last_section_from_the_sidebar(
    big_guide: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sidebar, "FILL_QUIET", 60.0)
    app = KetaguideApp(load_guide(big_guide), section_id="s0000")
    async with app.run_test(size=(100, 30)) as pilot:
        tree = app.reader.sidebar
        await pilot.pause()
        await pilot.press("tab")  # to the sidebar
        await pilot.pause()
        assert tree.has_focus
        await pilot.press("end", "enter")
        await pilot.pause()
        assert app.reader.section is not None and app.reader.section.id == "s2499"
        await pilot.press("up", "up", "enter")
        await pilot.pause()
        assert app.reader.section is not None and app.reader.section.id == "s2497"


async def test_read_marks_reach_rows_made_later(
    big_guide: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sidebar, "FILL_QUIET", 0.01)
    app = KetaguideApp(load_guide(big_guide), section_id="s0000")
    async with app.run_test(size=(100, 30)) as pilot:
        tree = app.reader.sidebar
        await pilot.pause()
        app.reader.show_read(frozenset({"s0001", "s2000"}))
        await settle(pilot, tree)
        marked = [str(node.label).strip() for node in tree.root.children if "✓" in str(node.label)]
        assert marked == ["✓ Part 0001", "✓ Part 2000"]
