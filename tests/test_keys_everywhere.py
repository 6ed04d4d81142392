"""Keys that work where the footer says: crisis help from every screen and text box,
Esc and q out of every dialog, the essential footer keys at 60 columns, and a
help screen that stays in columns at 50.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from screen_cells import footer_row, screen_cells, screen_text
from textual.command import CommandPalette
from textual.widgets import Input

from ketaguide_tui.guide.model import load_guide
from ketaguide_tui.tui.app import KetaguideApp
from ketaguide_tui.tui.crisis_reach import TextBoxWatch, keys_that_work_in_text_boxes
from ketaguide_tui.tui.screens.bookmarks import BookmarksScreen
from ketaguide_tui.tui.screens.dialogs import TitleScreen, WebLinkScreen
from ketaguide_tui.tui.screens.help import HelpScreen
from ketaguide_tui.tui.screens.link_list import LinkListScreen
from ketaguide_tui.tui.screens.search import SearchScreen


def open_id(app: KetaguideApp) -> str | None:
    section = app.reader.section
    return section.id if section else None


async def open_dialog(app: KetaguideApp, pilot: object, which: str) -> None:
    """Open one of the reader's dialogs by its keys (the bookmarks list needs a bookmark)."""
    keys = {
        "help": ["question_mark"],
        "search": ["slash"],
        "links": ["o"],
        "bookmark title": ["m"],
        "bookmarks": ["m", "enter", "M"],
    }[which]
    await pilot.press(*keys)  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


DIALOGS = {
    "help": (HelpScreen, False),
    "search": (SearchScreen, True),
    "links": (LinkListScreen, True),
    "bookmark title": (TitleScreen, True),
    "bookmarks": (BookmarksScreen, False),
}
"""Dialog -> (its screen class, whether it has a text box)."""


@pytest.mark.parametrize("which", list(DIALOGS))
async def test_crisis_help_from_every_dialog(small_guide: Path, which: str) -> None:
    screen_class, text_box = DIALOGS[which]
    app = KetaguideApp(load_guide(small_guide))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_dialog(app, pilot, which)
        assert isinstance(app.screen, screen_class)
        # The dialog's own footer names the crisis key that works here.
        shown = footer_row(app)
        assert ("F2 Get help now" if text_box else "! Get help now") in shown, shown
        await pilot.press("f2" if text_box else "exclamation_mark")
        await pilot.pause()
        assert len(app.screen_stack) == 1
        assert open_id(app) == "get-help-now"


async def test_exclamation_mark_still_types_in_a_text_box(small_guide: Path) -> None:
    app = KetaguideApp(load_guide(small_guide))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", *"wow", "exclamation_mark")
        await pilot.pause()
        assert app.screen.query_one(Input).value == "wow!"


async def test_crisis_key_works_in_the_command_palette(small_guide: Path) -> None:
    app = KetaguideApp(load_guide(small_guide))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("f2")
        await pilot.pause()
        assert len(app.screen_stack) == 1 and open_id(app) == "get-help-now"


@pytest.mark.parametrize("which", list(DIALOGS))
async def test_esc_closes_every_dialog_and_q_those_without_a_text_box(
    small_guide: Path, which: str
) -> None:
    screen_class, text_box = DIALOGS[which]
    app = KetaguideApp(load_guide(small_guide))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_dialog(app, pilot, which)
        shown = footer_row(app)
        assert ("Esc " if text_box else "Esc/q ") in shown, shown
        await pilot.press("q")
        await pilot.pause()
        if text_box:
            assert isinstance(app.screen, screen_class)  # q was typed, not taken
            assert app.screen.query_one(Input).value.endswith("q")
            await pilot.press("escape")
            await pilot.pause()
        assert len(app.screen_stack) == 1
        assert app.is_running  # q closed the dialog, it did not quit the reader


async def test_web_link_dialog_closes_with_esc_and_q(small_guide: Path) -> None:
    app = KetaguideApp(load_guide(small_guide))
    async with app.run_test(size=(100, 30)) as pilot:
        for key in ("escape", "q"):
            app.push_screen(WebLinkScreen("https://example.org"))
            await pilot.pause()
            assert "Esc/q Cancel" in footer_row(app)
            await pilot.press(key)
            await pilot.pause()
            assert len(app.screen_stack) == 1


def crisis_notices(app: KetaguideApp) -> list[str]:
    """The crisis offers the app has shown, read off the screen's notices."""
    return [n.message for n in app.__dict__.get("shown", []) if n.title == "Get help now"]


@pytest.fixture(autouse=True)
def record_notices(monkeypatch: pytest.MonkeyPatch) -> None:
    """Record each notice an app shows (as `app.shown`), then show it as usual."""
    original = KetaguideApp.notify

    def notify(self: KetaguideApp, message: str, **options: object) -> None:
        shown = self.__dict__.setdefault("shown", [])
        shown.append(_Notice(message, str(options.get("title", ""))))
        original(self, message, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(KetaguideApp, "notify", notify)


class _Notice:
    def __init__(self, message: str, title: str) -> None:
        self.message = message
        self.title = title


async def test_crisis_phrase_in_a_bookmark_title_offers_help_once(small_guide: Path) -> None:
    app = KetaguideApp(load_guide(small_guide))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("m", "ctrl+u", *"thinking of suicide")
        await pilot.pause()
        notices = crisis_notices(app)
        assert len(notices) == 1 and "F2" in notices[0]
        await pilot.press(*" now")  # still the same phrase: not offered again
        await pilot.pause()
        assert len(crisis_notices(app)) == 1


async def test_crisis_phrase_in_the_command_palette_offers_help(small_guide: Path) -> None:
    app = KetaguideApp(load_guide(small_guide))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p", *"suicide")
        await pilot.pause()
        assert len(crisis_notices(app)) == 1


@pytest.mark.parametrize(("keys", "where"), [(["f"], "find bar"), (["o"], "link filter")])
async def test_crisis_phrase_in_find_and_link_filter_offers_help(
    small_guide: Path, keys: list[str], where: str
) -> None:
    # Text boxes with no crisis code of their own get the offer from the app.
    app = KetaguideApp(load_guide(small_guide))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
        assert isinstance(app.focused, Input), where
        await pilot.press(*"suicide")
        await pilot.pause()
        assert len(crisis_notices(app)) == 1, where
        assert "F2 Get help now" in footer_row(app), where


async def test_ordinary_words_offer_nothing(small_guide: Path) -> None:
    app = KetaguideApp(load_guide(small_guide))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", *"blood pressure after a session")
        await pilot.pause()
        assert crisis_notices(app) == []


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60))
def test_the_watch_never_fails_on_any_text(small_guide: Path, text: str) -> None:
    watch = TextBoxWatch(load_guide(small_guide))
    first = watch.text_needs_offer(1, text)
    assert watch.text_needs_offer(1, text) is False  # offered at most once for the same text
    assert first == watch.detector.matches(_words(text), last_is_prefix=True)


def _words(text: str) -> tuple[str, ...]:
    from ketaguide_tui.search.terms import words

    return words(text)


def test_keys_that_work_in_text_boxes() -> None:
    assert keys_that_work_in_text_boxes("exclamation_mark,f2") == ("f2",)
    assert keys_that_work_in_text_boxes("exclamation_mark") == ()
    assert keys_that_work_in_text_boxes("ctrl+g, x") == ("ctrl+g",)


@pytest.mark.parametrize("width", [100, 80, 70, 60])
async def test_footer_keeps_the_essential_keys(small_guide: Path, width: int) -> None:
    app = KetaguideApp(load_guide(small_guide))
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        shown = footer_row(app)
        for essential in ("! Get help now", "? Keys", "t Sections", "q Quit"):
            assert essential in shown, (width, shown)
        if width < 70:  # the sidebar is hidden here, and t is the way back to it
            assert not app.reader.show_sidebar


async def test_help_descriptions_stay_in_their_column_at_50(small_guide: Path) -> None:
    app = KetaguideApp(load_guide(small_guide))
    async with app.run_test(size=(50, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.pause()
        cells = screen_cells(app)
        rows = [screen_text(cells, y) for y in range(app.size.height)]
        starts = [r.index("Open crisis lines") for r in rows if "Open crisis lines" in r]
        assert starts, rows
        column = starts[0]
        inside = [r[3:-3] for r in rows if r.startswith("│") and r[3:-3].strip()]
        # Each line inside the box is a heading, a key line, or a continuation of a
        # description that starts exactly at the description column.
        key_lines = [r for r in inside if r.startswith("  ") and r[2] != " "]
        continuations = [r for r in inside if r.startswith(" " * 4)]
        assert key_lines and continuations
        for line in continuations:
            assert len(line) - len(line.lstrip()) == column - 3, line


async def test_footer_follows_focus_into_a_text_box_and_back(small_guide: Path) -> None:
    # The footer is made again only when the keys it shows change: it must still change
    # when they do (the crisis key is shown as F2 where `!` would be typed).
    app = KetaguideApp(load_guide(small_guide))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "! Get help now" in footer_row(app)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.focused, Input)
        assert "F2 Get help now" in footer_row(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.focused, Input)
        assert "! Get help now" in footer_row(app)
