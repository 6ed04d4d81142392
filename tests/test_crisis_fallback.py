"""Crisis help on the first screen, and the built-in text for folders without it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ketaguide_tui.crisis_fallback import CRISIS_FALLBACK, CRISIS_FALLBACK_LINES
from ketaguide_tui.guide.model import bundled_content_dir, load_guide
from ketaguide_tui.tui.app import KetaguideApp

EMERGENCY_NUMBERS = ("911", "999", "112", "000", "111")
CRISIS_LINES = ("988", "116 123")
NUMBER = re.compile(r"\d[\d -]*\d")
ADDRESS = re.compile(r"\b[a-z0-9]+(?:\.[a-z0-9]+)*\.(?:com|org|uk|ie|au|nz|ca)\b")


def bundled_crisis_text() -> str:
    return (bundled_content_dir() / "get-help-now.md").read_text(encoding="utf-8")


def test_the_fallback_carries_only_numbers_the_guide_gives() -> None:
    guide_text = bundled_crisis_text()
    numbers = set(NUMBER.findall(CRISIS_FALLBACK))
    assert set(EMERGENCY_NUMBERS + CRISIS_LINES) <= numbers
    for number in numbers:
        assert number in guide_text, f"{number} is not in get-help-now"
    for address in ADDRESS.findall(CRISIS_FALLBACK):
        assert address in guide_text, f"{address} is not in get-help-now"


def test_the_fallback_fits_a_narrow_notice() -> None:
    assert max(len(line) for line in CRISIS_FALLBACK_LINES) <= 48


async def test_a_folder_without_crisis_help_still_answers_get_help_now(
    small_guide: Path,
) -> None:
    (small_guide / "get-help-now.md").unlink()
    app = KetaguideApp(load_guide(small_guide))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("exclamation_mark")
        await pilot.pause()
        shown = [str(n.message) for n in app._notifications]
        assert any("988" in message and "112" in message for message in shown), shown


def first_screen(app: KetaguideApp) -> list[str]:
    viewer = app.reader.viewer
    return viewer.line_texts()[round(viewer.scroll_y) :][: viewer.size.height]


async def test_get_help_now_shows_every_emergency_number_on_its_first_screen() -> None:
    app = KetaguideApp(load_guide(bundled_content_dir()), section_id="start-here")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert app.reader.section is not None
        assert app.reader.section.id == "get-help-now"
        screen = "\n".join(first_screen(app))
        for number in EMERGENCY_NUMBERS + CRISIS_LINES:
            assert re.search(rf"(?<![\d-]){number}(?![\d-])", screen), (number, screen)


@pytest.mark.parametrize("width", [100, 80, 60])
async def test_web_addresses_wrap_whole_and_are_never_cut(width: int) -> None:
    app = KetaguideApp(load_guide(bundled_content_dir()), section_id="get-help-now")
    async with app.run_test(size=(width, 30)) as pilot:
        await pilot.pause()
        lines = app.reader.viewer.line_texts()
        assert lines
        assert not any("…" in line for line in lines)
        words = " ".join(lines).split()
        addresses = set(ADDRESS.findall(bundled_crisis_text()))
        assert {"findahelpline.com", "988lifeline.org"} <= addresses
        for address in addresses:
            assert any(address in word for word in words), (width, address)
