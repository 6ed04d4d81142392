"""Every piece of text the reader draws is readable: WCAG 4.5:1, in every colour system.

The screens are read back cell by cell (tests/screen_cells.py) in each of the
reader's themes: the opening text, a section with search marks on a title, a
heading, a link, a table cell and code (other matches and the current one),
the sidebar, the footer, a notice, a glossary mark and the explain dialog, every
dialog and the command palette. Each character's text and
background colours are checked as sent in truecolor, and as a 256-colour and
a 16-colour terminal shows them under named reference palettes (xterm's and
the Linux console's). In 16 colours nothing ordinary may be red.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import textual.constants
from hypothesis import given
from hypothesis import strategies as st
from rich.color import Color as RichColor
from rich.color import ColorSystem
from screen_cells import Cell, colours_of, screen_cells, text_cells

from ketaguide_tui.colour_contrast import (
    COLOUR_SYSTEMS,
    EIGHT_BIT,
    STANDARD,
    TRUECOLOR,
    WCAG_AA_TEXT,
    XTERM_16,
    contrast_ratio,
    eight_bit_number,
    parse_hex,
    shown_as,
    standard_number,
    worst_contrast,
)
from ketaguide_tui.guide.model import load_guide
from ketaguide_tui.tui.app import KetaguideApp
from ketaguide_tui.tui.themes import reader_themes

RED_NUMBERS = {1, 9}
"""Red and bright red of the 16 colours: kept for what is really an alarm."""

MARKS_BODY = (
    "Costs vary.\n\n## What cost covers\n\nSee [cost tables](start-here.md) for more.\n\n"
    "| Item | Cost |\n|---|---|\n| Session | cost varies |\n\n"
    "Run `cost --help` to see.\n\n- a cost item\n"
)
OPENING = "Press `!` at any time. Dissociation may happen. [Get help](get-help-now.md)\n"
GLOSSARY_BODY = "## Terms\n\n### Dissociation\n\nFeeling detached from your body.\n"


# The helper -----------------------------------------------------------------


def test_contrast_of_known_pairs() -> None:
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast_ratio((119, 119, 119), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio((255, 255, 255), (255, 255, 255)) == pytest.approx(1.0)


rgb = st.tuples(*[st.integers(0, 255)] * 3)


@given(rgb)
def test_downgrades_agree_with_what_rich_sends(colour: tuple[int, int, int]) -> None:
    rich_colour = RichColor.from_rgb(*colour)
    assert eight_bit_number(colour) == rich_colour.downgrade(ColorSystem.EIGHT_BIT).number
    assert standard_number(colour) == rich_colour.downgrade(ColorSystem.STANDARD).number


# The screens ------------------------------------------------------------------


async def collect_scenes(app: KetaguideApp, theme: str) -> list[tuple[str, list[Cell]]]:
    scenes: list[tuple[str, list[Cell]]] = []
    async with app.run_test(size=(100, 30)) as pilot:
        app.theme = theme
        await pilot.pause()
        scenes.append(("opening text, sidebar, footer", screen_cells(app)))
        app.tell("A notice for the reader.")
        await pilot.pause()
        scenes.append(("notice", screen_cells(app)))
        while app.search_index is None or not app.reader.viewer.glossary:
            await pilot.pause(0.05)
        await pilot.pause(0.2)
        cells = screen_cells(app)
        assert any(c.char == "D" and c.style.italic for c in cells), "no glossary mark drawn"
        scenes.append(("glossary mark", cells))
        await pilot.press("e")
        await pilot.pause()
        scenes.append(("explain", screen_cells(app)))
        await pilot.press("escape")
        await app.reader.open_place("cost-notes")
        app.reader.mark_matches(("cost",))
        await pilot.pause()
        current_rows: set[int] = set()
        for step in range(6):  # the current match on each kind of line in turn
            cells = screen_cells(app)
            scenes.append((f"marks, current match {step + 1}", cells))
            current_rows |= {c.y for c in cells if c.style.bold and _is_current_mark(app, c)}
            await pilot.press("n")
            await pilot.pause()
        # Title, heading, link, table cell, code and list item each had the current match.
        assert len(current_rows) == 6, current_rows
        await pilot.press("escape", "f", *"cost")
        await pilot.pause(0.2)
        scenes.append(("find in this section", screen_cells(app)))
        await pilot.press("escape", "o")
        await pilot.pause()
        scenes.append(("link list", screen_cells(app)))
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        scenes.append(("help", screen_cells(app)))
        await pilot.press("escape", "slash", *"cost")
        await pilot.pause(0.2)
        scenes.append(("search", screen_cells(app)))
        await pilot.press("escape", "m")
        await pilot.pause()
        scenes.append(("bookmark title", screen_cells(app)))
        await pilot.press("enter", "M")
        await pilot.pause()
        scenes.append(("bookmarks", screen_cells(app)))
        await pilot.press("escape", "ctrl+p", *"cost")
        await pilot.pause(0.3)
        scenes.append(("command palette, sections", screen_cells(app)))
        await pilot.press(*["backspace"] * 4, *"theme")
        await pilot.pause(0.3)
        scenes.append(("command palette, commands", screen_cells(app)))
    return scenes


def _is_current_mark(app: KetaguideApp, cell: Cell) -> bool:
    background = app.current_theme.variables["ketaguide-mark-current-background"]
    return colours_of(cell.style)[1] == parse_hex(background)


def _guide_with_marks(write_section: object) -> Path:
    write = write_section  # a conftest fixture
    write("start-here", "Start here", 10, OPENING)  # type: ignore[operator]
    write("cost-notes", "Cost and access", 20, MARKS_BODY)  # type: ignore[operator]
    write("glossary", "Glossary", 40, GLOSSARY_BODY)  # type: ignore[operator]
    folder: Path = write("get-help-now", "Get help now", 30, "Call 988.\n")  # type: ignore[operator]
    return folder


def _failures(scenes: list[tuple[str, list[Cell]]], system: str) -> list[str]:
    failures: list[str] = []
    seen: set[tuple[object, ...]] = set()
    for scene, cells in scenes:
        for cell in text_cells(cells):
            fore, back = colours_of(cell.style)
            if fore is None or back is None:
                failures.append(f"{scene}: {cell.char!r} at {cell.x},{cell.y} has no colour")
                continue
            key = (scene.split(",")[0], fore, back, cell.widget)
            if key in seen:
                continue
            seen.add(key)
            ratio = worst_contrast(fore, back, system)
            if ratio < WCAG_AA_TEXT:
                failures.append(
                    f"{scene}: {cell.widget} {cell.char!r} at {cell.x},{cell.y} "
                    f"{fore} on {back}: {ratio:.2f}"
                )
            if system == STANDARD and standard_number(fore) in RED_NUMBERS:
                failures.append(f"{scene}: {cell.widget} {cell.char!r} is red in 16 colours")
    return failures


@pytest.mark.parametrize("system", [TRUECOLOR, EIGHT_BIT, STANDARD])
@pytest.mark.parametrize("theme", [t.name for t in reader_themes()])
async def test_every_character_is_readable(
    theme: str, system: str, write_section: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The colour system decides which theme variant the app registers.
    monkeypatch.setattr(textual.constants, "COLOR_SYSTEM", system)
    app = KetaguideApp(load_guide(_guide_with_marks(write_section)))
    scenes = await collect_scenes(app, theme)
    failures = _failures(scenes, system)
    assert not failures, "\n".join(failures)


def test_the_themes_offered_are_the_ones_checked(small_guide: Path) -> None:
    app = KetaguideApp(load_guide(small_guide))
    assert set(app.available_themes) == {t.name for t in reader_themes()}
    assert app.theme == "ketaguide-dark"


def test_a_colour_is_judged_as_the_terminal_shows_it() -> None:
    # Sent as 16-colour number 12 (bright blue); xterm shows that as 92,92,255.
    assert standard_number(parse_hex("#5555ff")) == 12
    assert shown_as(parse_hex("#5555ff"), STANDARD) == XTERM_16.colours[12]
    # Blue text on black is sent as bright blue: too dark on both reference palettes.
    assert standard_number(parse_hex("#3050c0")) == 12
    assert worst_contrast(parse_hex("#3050c0"), (0, 0, 0), STANDARD) < WCAG_AA_TEXT
    assert set(COLOUR_SYSTEMS) == {TRUECOLOR, EIGHT_BIT, STANDARD}


async def test_no_color_marks_use_attributes_unlike_links(
    write_section: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = KetaguideApp(load_guide(_guide_with_marks(write_section)))
    async with app.run_test(size=(100, 30)) as pilot:
        while app.search_index is None:
            await pilot.pause(0.05)
        await app.reader.open_place("cost-notes")
        app.reader.mark_matches(("cost",))
        await pilot.pause()
        cells = text_cells(screen_cells(app))
    assert all(c.style.color is None and c.style.bgcolor is None for c in cells)
    viewer = [c for c in cells if c.widget == "SectionViewer"]
    links = [c for c in viewer if c.style.underline and not c.style.reverse]
    others = [c for c in viewer if c.style.reverse and not c.style.bold]
    current = [c for c in viewer if c.style.reverse and c.style.bold and c.style.underline]
    assert links and others and current
    assert "".join(c.char for c in current) == "Cost"  # the title's match comes first
    # A mark never looks like a link: links are underlined, never reversed.
    assert not any(c.style.reverse for c in links)
