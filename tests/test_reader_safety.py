"""The reader with untrusted text and hard exits: markup shown as written, honest notices,
the place kept on signals and as the reader moves, state kept per content folder."""

from __future__ import annotations

import ast
import errno
import signal
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette

from ketaguide_tui.guide.model import load_guide
from ketaguide_tui.state import (
    MAX_BOOKMARKS,
    Place,
    ReaderState,
    StateStore,
    add_bookmark,
    folder_key,
)
from ketaguide_tui.state import store as store_module
from ketaguide_tui.tui import app as app_module
from ketaguide_tui.tui.app import KetaguideApp

PACKAGE = Path(app_module.__file__).parents[1]
MARKUP_SUMMARY = "press [/] to search; [S]-ketamine [citation needed]"
MARKUP_TITLE = "Doses [b]not[/b] [@click=app.quit]advice[/]"


def make_app(folder: Path, **options: object) -> KetaguideApp:
    return KetaguideApp(load_guide(folder), **options)  # type: ignore[arg-type]


def messages(app: KetaguideApp) -> list[str]:
    return [n.message for n in app._notifications]


@pytest.fixture
def markup_guide(write_section: object) -> Path:
    write = write_section
    write("start-here", "Start here", 1, "Welcome.\n\n## First\n\nText.\n")  # type: ignore[operator]
    return write(  # type: ignore[operator,no-any-return]
        "doses",
        MARKUP_TITLE,
        2,
        "Body.\n\n## [i]Heading[/i] one\n\nText.\n",
        summary=MARKUP_SUMMARY,
    )


def palette_lines(app: KetaguideApp) -> list[str]:
    assert isinstance(app.screen, CommandPalette)
    options = app.screen.query_one(CommandList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


# --------------------------------------------------------------------------
# Markup in content


async def test_palette_shows_brackets_in_titles_and_summaries_as_written(
    markup_guide: Path,
) -> None:
    app = make_app(markup_guide)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause(0.5)
        shown = "\n".join(palette_lines(app))
        assert MARKUP_TITLE in shown and MARKUP_SUMMARY in shown, shown
        await pilot.press(*"doses")
        await pilot.pause(0.5)
        shown = "\n".join(palette_lines(app))
        assert MARKUP_TITLE in shown and MARKUP_SUMMARY in shown, shown
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running  # the [@click=app.quit] in the title did nothing
        assert app.reader.section is not None and app.reader.section.id == "doses"


async def test_notices_with_brackets_are_shown_as_written(markup_guide: Path) -> None:
    app = make_app(markup_guide, section_id="doses")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("m", "enter")
        await pilot.pause()
        assert f"Bookmarked: {MARKUP_TITLE}" in messages(app)
        assert all(not n.markup for n in app._notifications)
        assert app.is_running


MARKUP_WIDGETS = {"Label", "Static", "Button", "Option", "Hit", "DiscoveryHit", "Toast"}


def test_no_text_reaches_a_markup_parsing_api_as_a_string() -> None:
    # A notify() without markup=False, or a widget built from a str literal or
    # f-string, parses its text as markup: "[/]" in a title would crash it.
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            where = f"{path.relative_to(PACKAGE)}:{node.lineno}"
            if name == "notify":
                markup = [k for k in node.keywords if k.arg == "markup"]
                if not markup or not (
                    isinstance(markup[0].value, ast.Constant) and markup[0].value.value is False
                ):
                    found.append(f"{where}: notify() without markup=False")
            elif name in MARKUP_WIDGETS and node.args:
                first = node.args[0]
                if isinstance(first, ast.JoinedStr | ast.BinOp) or (
                    isinstance(first, ast.Constant) and isinstance(first.value, str)
                ):
                    found.append(f"{where}: {name}() given a markup string")
    assert not found, "\n".join(found)


# --------------------------------------------------------------------------
# Honest bookmark notices


async def test_a_bookmark_that_could_not_be_saved_says_so(
    small_guide: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(self: StateStore, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    app = make_app(small_guide, section_id="effects")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        monkeypatch.setattr(store_module.StateStore, "_write_atomically", disk_full)
        await pilot.press("m", "enter")
        await pilot.pause()
        # (The place, saved a moment later, may fail and say so too.)
        notices = [n for n in app._notifications if n.message.startswith("Bookmark")]
        assert len(notices) == 1, messages(app)
        assert notices[0].message.startswith("Bookmark not saved: Effects"), notices[0].message
        assert "disk is full" in notices[0].message
        assert notices[0].severity == "warning"
        # The bookmark is still there for this session.
        assert [b.title for b in app.state.bookmarks] == ["Effects"]


async def test_the_bookmark_cap_names_the_bookmark_it_drops(small_guide: Path) -> None:
    state = ReaderState()
    state, oldest = add_bookmark(state, "The very first", Place("effects"))
    for number in range(MAX_BOOKMARKS - 1):
        state, _ = add_bookmark(state, f"b{number}", Place("effects"))
    StateStore(folder=folder_key(small_guide)).save(state)
    app = make_app(small_guide, section_id="effects")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("m", "ctrl+u", *"Newest", "enter")
        await pilot.pause()
        notice = messages(app)[-1]
        assert notice.startswith("Bookmarked: Newest"), notice
        assert "The very first" in notice and "removed" in notice
    saved = StateStore(folder=folder_key(small_guide)).load()[0].bookmarks
    assert len(saved) == MAX_BOOKMARKS
    assert oldest not in saved and saved[-1].title == "Newest"


# --------------------------------------------------------------------------
# The place: saved as the reader moves, and on signals


async def test_the_place_is_saved_once_the_reader_settles(small_guide: Path) -> None:
    store = StateStore(folder=folder_key(small_guide))
    app = make_app(small_guide)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert store.load()[0].last_place is None  # not on every move at once
        await pilot.pause(app_module.PLACE_SAVE_DELAY + 0.5)
        saved = store.load()[0].last_place
        assert saved is not None and saved.section_id == "effects"
        assert app.is_running


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP", "SIGINT"])
async def test_an_exit_signal_saves_the_place_and_ends_the_app(
    small_guide: Path, signame: str
) -> None:
    signum = getattr(signal, signame)
    app = make_app(small_guide, section_id="effects", anchor="blood-pressure")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.exit_signals.grace_seconds = None  # no watchdog inside the test process
        app.exit_signals.handle(signum)
        await pilot.pause()
    assert app.return_code == 128 + signum
    saved = StateStore(folder=folder_key(small_guide)).load()[0].last_place
    assert saved is not None and (saved.section_id, saved.anchor) == ("effects", "blood-pressure")


# --------------------------------------------------------------------------
# State per content folder


async def test_a_content_folder_does_not_see_the_bundled_guides_bookmarks(
    small_guide: Path,
) -> None:
    bundled, _ = add_bookmark(ReaderState(), "Bundled one", Place("dosing"))
    StateStore().save(bundled)
    app = make_app(small_guide, section_id="effects")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.state.bookmarks == ()
        await pilot.press("m", "enter")
        await pilot.pause()
    assert [b.title for b in StateStore().load()[0].bookmarks] == ["Bundled one"]
    mine = StateStore(folder=folder_key(small_guide)).load()[0].bookmarks
    assert [b.title for b in mine] == ["Effects"]


def test_command_labels_and_help_hold_no_markup() -> None:
    # Textual's own palette reads SystemCommand title and help as markup (str only).
    from ketaguide_tui.commands import COMMANDS

    for command in COMMANDS:
        for text in (command.label, command.help):
            assert "[" not in text, f"{command.id}: {text!r} would be read as markup"
