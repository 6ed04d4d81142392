"""Search in the reader: type, see results, open one, step through marks, back out."""

from __future__ import annotations

from pathlib import Path

from ketaguide_tui.guide.model import load_guide
from ketaguide_tui.tui.app import KetaguideApp
from ketaguide_tui.tui.screens.reader import ReaderScreen
from ketaguide_tui.tui.screens.search import SearchScreen


async def wait_for_index(app: KetaguideApp, pilot: object) -> None:
    for _ in range(200):
        if app.search_index is not None:
            return
        await pilot.pause(0.02)  # type: ignore[attr-defined]
    raise AssertionError("search index never became ready")


def status_text(app: KetaguideApp) -> str:
    return str(app.reader.query_one("#status").render())


async def test_type_open_mark_and_step(small_guide: Path) -> None:
    app = KetaguideApp(load_guide(small_guide))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_index(app, pilot)
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"blood pres")
        await pilot.pause()
        screen = app.screen
        assert screen.results is not None and screen.results.hits
        first = screen.results.hits[0]
        assert (first.section_id, first.anchor) == ("effects", "blood-pressure")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.reader.section is not None and app.reader.section.id == "effects"
        viewer = app.reader.viewer
        assert viewer.match_count >= 1
        assert "match 1 of" in status_text(app)
        # The current match is on screen.
        line = viewer.current_match_line
        assert line is not None
        assert viewer.scroll_y <= line < viewer.scroll_y + viewer.size.height
        assert "blood pres" in viewer.line_texts()[line].lower()
        await pilot.press("escape")
        await pilot.pause()
        assert viewer.match_count == 0
        assert not app.reader.query_one("#status").display


async def test_n_and_N_step_through_matches(small_guide: Path) -> None:
    app = KetaguideApp(load_guide(small_guide))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_index(app, pilot)
        await pilot.press("s", *"effects", "enter")
        await pilot.pause()
        total = app.reader.viewer.match_count
        assert total > 3
        assert "match 1 of" in status_text(app)
        await pilot.press("n", "n")
        assert f"match 3 of {total}" in status_text(app)
        await pilot.press("N")
        assert f"match 2 of {total}" in status_text(app)


async def test_escape_closes_search_and_returns_focus(small_guide: Path) -> None:
    app = KetaguideApp(load_guide(small_guide))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("tab")
        focused = app.focused
        await pilot.press("slash", "x", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.focused is focused


async def test_did_you_mean_for_a_typo_with_no_match(small_guide: Path) -> None:
    app = KetaguideApp(load_guide(small_guide))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_index(app, pilot)
        await pilot.press("slash", *"qqqq")
        await pilot.pause()
        assert "No matches" in str(app.screen.query_one("#search-status").render())


async def test_search_option_opens_the_reader_with_results(small_guide: Path) -> None:
    app = KetaguideApp(load_guide(small_guide), search="crisis")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_index(app, pilot)
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_text == "crisis"
        assert app.screen.results is not None
        assert app.screen.results.hits[0].section_id == "get-help-now"


async def test_palette_lists_headings_by_fuzzy_name(small_guide: Path) -> None:
    app = KetaguideApp(load_guide(small_guide))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"bld pres")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert app.reader.section is not None and app.reader.section.id == "effects"
        assert app.reader.viewer.current_anchor == "blood-pressure"


async def test_crisis_key_from_search_then_search_again(small_guide: Path) -> None:
    app = KetaguideApp(load_guide(small_guide))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_index(app, pilot)
        await pilot.press("slash", *"dizzy", "f2")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.reader.section is not None and app.reader.section.id == "get-help-now"
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
