"""The key footer: its keys in the first frame, and the mouse on it as on Textual's footer
(a highlighted key with its sentence as a tooltip, a click that runs the key or rings
the bell for a greyed-out one, the wheel sliding cut-off keys into view).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from screen_cells import Cell, colours_of, footer_row, screen_cells, screen_text
from textual._compositor import CompositorUpdate
from textual.app import App, ComposeResult
from textual.events import MouseScrollDown, MouseScrollUp
from textual.screen import Screen
from textual.strip import Strip

from ketaguide_tui.commands import COMMANDS
from ketaguide_tui.guide.model import load_guide
from ketaguide_tui.tui.app import KetaguideApp
from ketaguide_tui.tui.screens.help import HelpScreen
from ketaguide_tui.tui.widgets.footer import KeyFooter

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def column_of(app: KetaguideApp, words: str) -> int:
    row = footer_row(app)
    assert words in row, row
    return row.index(words)


def help_sentence(command_id: str) -> str:
    return next(c.help for c in COMMANDS if c.id == command_id)


async def test_the_first_frame_has_the_crisis_key(
    small_guide: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What the terminal is sent: the first whole-screen update must already hold the
    # footer's keys, not only the text (a reader in crisis need not wait for them).
    frames: list[str] = []
    display = App._display

    def recorded(self: App[object], screen: Screen[object], renderable: object) -> None:
        if isinstance(renderable, CompositorUpdate):
            frames.append(ANSI.sub("", renderable.render_segments(self.console)))
        display(self, screen, renderable)  # type: ignore[arg-type]

    monkeypatch.setattr(App, "_display", recorded)
    monkeypatch.setattr(App, "is_headless", property(lambda self: False))
    app = KetaguideApp(load_guide(small_guide))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
    first = next(frame for frame in frames if "Welcome" in frame)
    assert "! Get help now" in first  # (the sidebar has a section of that name)
    assert "q Quit" in first


async def test_a_click_on_a_key_runs_it(small_guide: Path) -> None:
    app = KetaguideApp(load_guide(small_guide))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.click(KeyFooter, offset=(column_of(app, "? Keys") + 3, 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_the_key_under_the_pointer_is_lit_and_says_what_it_does(
    small_guide: Path,
) -> None:
    app = KetaguideApp(load_guide(small_guide))
    async with app.run_test(size=(100, 30), tooltips=True) as pilot:
        await pilot.pause()
        y = app.size.height - 1
        search, quit_ = column_of(app, "/ Search"), column_of(app, "q Quit")

        def background_at(x: int) -> object:
            cell = next(c for c in screen_cells(app) if c.y == y and c.x == x)
            return colours_of(cell.style)[1]

        before = background_at(search + 3)
        await pilot.hover(KeyFooter, offset=(search + 3, 0))
        await pilot.pause(app.TOOLTIP_DELAY + 0.3)
        assert background_at(search + 3) != before  # the whole key is lit
        assert background_at(search) == background_at(search + 7)
        assert background_at(quit_ + 2) == before  # its neighbour is not
        shown = " ".join(screen_text(screen_cells(app), row) for row in range(y))
        sentence = help_sentence("search")
        assert " ".join(sentence.split()[:4]) in " ".join(shown.split()), shown
        gap = column_of(app, "[ Previous") + 12  # between the keys and the palette's
        await pilot.hover(KeyFooter, offset=(gap, 0))
        await pilot.pause()
        assert background_at(search + 3) == before


class GreyedOut(App[None]):
    """A screen with one key that works and one greyed out (nowhere to go)."""

    BINDINGS = [("a", "ring", "Works"), ("b", "stuck", "Greyed")]

    def __init__(self) -> None:
        super().__init__()
        self.rang = 0
        self.bells = 0

    def compose(self) -> ComposeResult:
        yield KeyFooter(show_command_palette=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "stuck" else True

    def action_ring(self) -> None:
        self.rang += 1

    def action_stuck(self) -> None:
        raise AssertionError("a greyed-out key ran")

    def bell(self) -> None:
        self.bells += 1


async def test_a_greyed_out_key_is_dim_and_a_click_on_it_rings_the_bell() -> None:
    app = GreyedOut()
    async with app.run_test(size=(40, 3)) as pilot:
        await pilot.pause()
        row = [c for c in screen_cells(app) if c.y == 2]
        text = "".join(c.char for c in row)
        works, greyed = text.index("Works"), text.index("Greyed")

        # Textual draws dim text in a colour nearer the background.
        def distance(cell: Cell) -> int:
            fore, back = colours_of(cell.style)
            assert fore and back
            return sum(abs(f - b) for f, b in zip(fore, back, strict=True))

        assert distance(row[greyed]) < distance(row[works]) * 0.8
        await pilot.click(KeyFooter, offset=(greyed, 0))
        await pilot.click(KeyFooter, offset=(works, 0))
        await pilot.pause()
        assert (app.rang, app.bells) == (1, 1)


async def test_the_wheel_slides_cut_off_keys_into_view(small_guide: Path) -> None:
    app = KetaguideApp(load_guide(small_guide))
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert "[ Previous" not in footer_row(app)  # cut off at 60 columns
        assert "palette" not in footer_row(app)  # narrow: the room goes to the keys
        # (Pilot has no wheel of its own: its private helper sends the events.)
        await pilot._post_mouse_events([MouseScrollDown], KeyFooter, times=6)
        await pilot.pause()
        assert "[ Previous" in footer_row(app)
        await pilot.click(KeyFooter, offset=(column_of(app, "] Next") + 2, 0))
        await pilot.pause()
        assert app.reader.section and app.reader.section.id == "effects"
        await pilot._post_mouse_events([MouseScrollUp], KeyFooter, times=6)
        await pilot.pause()
        assert footer_row(app).startswith(" ! Get help now")


async def test_the_footer_is_drawn_again_only_when_its_keys_change(
    small_guide: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[str] = []
    render_line = KeyFooter.render_line

    def counted(self: KeyFooter, y: int) -> Strip:
        drawn.append(type(self.screen).__name__)
        return render_line(self, y)

    monkeypatch.setattr(KeyFooter, "render_line", counted)
    app = KetaguideApp(load_guide(small_guide))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        drawn.clear()
        await pilot.press("]", "j", "j", "tab", "tab")  # turns, scrolls, focus: same keys
        await pilot.pause()
        assert drawn == []
        await pilot.press("f")  # a text box: F2 for crisis help, fewer keys
        await pilot.pause()
        assert drawn and "F2 Get help now" in footer_row(app)
