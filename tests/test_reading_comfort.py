"""History, resume, bookmarks, read marks, themes, rebinding and state faults, in the reader."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ketaguide_tui.guide.model import load_guide
from ketaguide_tui.state import StateStore, folder_key
from ketaguide_tui.tui.app import KetaguideApp
from ketaguide_tui.tui.screens.bookmarks import BookmarksScreen
from ketaguide_tui.tui.screens.dialogs import TitleScreen
from ketaguide_tui.tui.screens.help import HelpScreen
from ketaguide_tui.tui.widgets.sidebar import SectionTree


def make_app(folder: Path, **options: object) -> KetaguideApp:
    return KetaguideApp(load_guide(folder), **options)  # type: ignore[arg-type]


def open_id(app: KetaguideApp) -> str | None:
    return app.reader.section.id if app.reader.section else None


def messages(app: KetaguideApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_back_and_forward(small_guide: Path) -> None:
    app = make_app(small_guide)
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.reader.check_action("back", ()) is None  # greyed: nowhere to go
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert open_id(app) == "get-help-now"
        await pilot.press("H")
        assert open_id(app) == "effects"
        await pilot.press("ctrl+left")
        assert open_id(app) == "start-here"
        assert app.reader.check_action("back", ()) is None
        assert app.reader.check_action("forward", ()) is True
        await pilot.press("L", "ctrl+right")
        assert open_id(app) == "get-help-now"
        assert app.reader.check_action("forward", ()) is None
        await pilot.press("question_mark")
        text = str(app.screen.query_one("Static").render())
        assert "Go forward again after going back. (nothing to do now)" in text
        assert "Go back to the place you were before. (nothing" not in text


async def test_back_returns_to_the_scroll_position(small_guide: Path) -> None:
    app = make_app(small_guide, section_id="effects")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space", "space")
        await pilot.pause()
        scrolled = app.reader.viewer.scroll_y
        assert scrolled > 0
        await pilot.press("right_square_bracket", "H")
        await pilot.pause()
        assert open_id(app) == "effects"
        assert app.reader.viewer.scroll_y == scrolled


async def test_resume_where_the_reader_left(small_guide: Path) -> None:
    app = make_app(small_guide)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("right_square_bracket", "space", "space")
        await pilot.pause()
        scrolled = app.reader.viewer.scroll_y
        await pilot.press("q")
    again = make_app(small_guide)
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert open_id(again) == "effects"
        assert again.reader.viewer.scroll_y == scrolled
    # --section wins over the saved place.
    chosen = make_app(small_guide, section_id="get-help-now")
    async with chosen.run_test(size=(100, 30)) as pilot:
        assert open_id(chosen) == "get-help-now"


async def test_resume_point_whose_section_is_gone(small_guide: Path) -> None:
    app = make_app(small_guide, section_id="effects")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("q")
    (small_guide / "effects.md").unlink()
    again = make_app(small_guide)
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert open_id(again) == "start-here"
        assert any("no longer in the guide" in m for m in messages(again))


async def test_bookmark_add_jump_rename_delete(small_guide: Path) -> None:
    app = make_app(small_guide, section_id="effects", anchor="blood-pressure")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("m")
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("ctrl+u", *"BP note", "enter")
        await pilot.pause()
        assert [b.title for b in app.state.bookmarks] == ["BP note"]
        await pilot.press("left_square_bracket")
        assert open_id(app) == "start-here"
        await pilot.press("M")
        assert isinstance(app.screen, BookmarksScreen)
        await pilot.press("r", "ctrl+u", *"Pressure", "enter")
        await pilot.pause()
        assert [b.title for b in app.state.bookmarks] == ["Pressure"]
        await pilot.press("enter")
        await pilot.pause()
        assert open_id(app) == "effects"
        assert app.reader.viewer.current_anchor == "blood-pressure"
        await pilot.press("M", "d")
        await pilot.pause()
        assert app.state.bookmarks == ()
    assert StateStore(folder=folder_key(small_guide)).load()[0].bookmarks == ()


async def test_bookmark_title_defaults_to_where_you_are(small_guide: Path) -> None:
    app = make_app(small_guide, section_id="effects", anchor="blood-pressure")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("m", "enter")
        await pilot.pause()
        assert [b.title for b in app.state.bookmarks] == ["Effects › Blood pressure"]


async def test_read_marks_and_mark_all_unread(small_guide: Path) -> None:
    app = make_app(small_guide)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()  # start-here fits on one screen: seen whole, so read
        await pilot.press("right_square_bracket", "G")
        await pilot.pause()
        assert {"start-here", "effects"} <= app.state.read_sections
        tree = app.reader.query_one(SectionTree)
        assert str(tree.root.children[1].label).startswith("✓")
        await pilot.press("U")
        await pilot.pause()
        assert app.state.read_sections == frozenset()
        assert not str(tree.root.children[1].label).startswith("✓")


async def test_theme_is_remembered(small_guide: Path) -> None:
    app = make_app(small_guide)
    async with app.run_test(size=(100, 30)) as pilot:
        app.theme = "nord"
        await pilot.pause()
    again = make_app(small_guide)
    async with again.run_test(size=(100, 30)):
        assert again.theme == "nord"


async def test_rebinding_keys(small_guide: Path) -> None:
    config = Path(os.environ["KETAGUIDE_CONFIG_DIR"])
    config.mkdir(parents=True)
    (config / "config.toml").write_text('[keys]\nnext_section = "x"\nbogus = "y"\n')
    app = make_app(small_guide)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("x")
        assert open_id(app) == "effects"
        await pilot.press("right_square_bracket")
        assert open_id(app) == "effects"  # the old key no longer applies
        assert any("bogus" in m for m in messages(app))
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("Static").render())
        assert "x                  Open the next section." in text


async def test_corrupted_state_starts_with_defaults_and_says_so(small_guide: Path) -> None:
    state = Path(os.environ["KETAGUIDE_STATE_DIR"])
    state.mkdir(parents=True)
    (state / "state.json").write_text('{"version": 1, "last_place": {"section_id": ')
    app = make_app(small_guide)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert open_id(app) == "start-here"
        assert len([m for m in messages(app) if "state.json" in m]) == 1


async def test_unwritable_state_folder_reads_on_and_warns_once(
    small_guide: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("KETAGUIDE_STATE_DIR", str(blocker / "state"))
    app = make_app(small_guide)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("right_square_bracket", "G", "right_square_bracket", "G", "U")
        await pilot.pause()
        assert open_id(app) == "get-help-now"
        warnings = [m for m in messages(app) if "save" in m.lower()]
        assert len(warnings) == 1
