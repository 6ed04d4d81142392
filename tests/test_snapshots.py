"""Snapshot tests for looks: the reading screen, help, a narrow terminal, and limited terminals.

Regenerate after an intended change of looks with `pytest --snapshot-update`, and
review the SVGs in tests/__snapshots__ before committing them.

Textual's screenshots are always truecolor. The 256- and 16-colour snapshots
are taken with the app set up as on such a terminal (the 16-colour one gets its
theme's 16-colour variant) and every colour of the SVG then replaced by the one
that terminal shows for it under xterm's palette (`colour_contrast.shown_as`):
what a reader on that terminal sees. NO_COLOR snapshots show the terminal's
own colours, drawn here as the default palette.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import textual.constants
from syrupy.extensions.image import SVGImageSnapshotExtension

from ketaguide_tui.colour_contrast import EIGHT_BIT, STANDARD, parse_hex, shown_as, to_hex
from ketaguide_tui.guide.model import load_guide
from ketaguide_tui.tui.app import KetaguideApp

HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}\b")
SVG_ID = re.compile(r"terminal-\d+")
"""Rich names an SVG's styles after a hash of how the screen was split into pieces, which
changes when a widget draws the same cells in other pieces."""

# snap_compare must be called from a synchronous test (pytest-textual-snapshot 1.1).


def test_reading_screen(small_guide: Path, snap_compare: Any) -> None:
    app = KetaguideApp(load_guide(small_guide), section_id="effects")
    assert snap_compare(app, terminal_size=(100, 30), press=["j", "j"])


def test_help_screen(small_guide: Path, snap_compare: Any) -> None:
    app = KetaguideApp(load_guide(small_guide))
    assert snap_compare(app, terminal_size=(100, 40), press=["question_mark"])


def test_narrow_terminal_with_sidebar_called_back(small_guide: Path, snap_compare: Any) -> None:
    app = KetaguideApp(load_guide(small_guide))
    assert snap_compare(app, terminal_size=(60, 20), press=["t"])


@pytest.mark.parametrize("size", [(100, 30), (60, 20)])
def test_no_color(
    small_guide: Path, snap_compare: Any, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = KetaguideApp(load_guide(small_guide), section_id="effects")
    assert snap_compare(app, terminal_size=size, press=["j", "j"])


def as_terminal_shows(svg: str, system: str) -> str:
    """The SVG with each colour replaced by what a `system` terminal shows (xterm palette)."""
    svg = SVG_ID.sub("terminal", svg)
    return HEX_COLOUR.sub(lambda m: to_hex(shown_as(parse_hex(m.group()), system)), svg)


@pytest.mark.parametrize("system", [EIGHT_BIT, STANDARD])
async def test_limited_colours(
    small_guide: Path, snapshot: Any, monkeypatch: pytest.MonkeyPatch, system: str
) -> None:
    monkeypatch.setattr(textual.constants, "COLOR_SYSTEM", system)
    app = KetaguideApp(load_guide(small_guide), section_id="effects")
    async with app.run_test(size=(100, 30)) as pilot:
        while app.search_index is None:
            await pilot.pause(0.05)
        app.reader.mark_matches(("effects",))  # marks on the title and the text
        await pilot.pause()
        svg = app.export_screenshot(title=f"ketaguide, {system} colours")
    shown = as_terminal_shows(svg, system)
    assert shown == snapshot(extension_class=SVGImageSnapshotExtension)


GLOSSARY = (
    "Words used in this guide.\n\n## Terms\n\n"
    "### REMS (Risk Evaluation and Mitigation Strategy)\n\n"
    "A US safety programme: a clinic must watch you for two hours after each dose.\n\n"
    "### Dissociation\n\nFeeling detached from your body, your surroundings or time.\n"
)
QUESTIONS = (
    "Take these to your appointment.\n\n## Safety\n\n"
    "- **Who watches me after a session?**\n  - Why it matters: monitoring is required.\n"
    "- **Can I drive home?**\n  - Why it matters: not until the next day.\n"
)


def literacy_guide(write_section: Any) -> Path:
    write_section(
        "start-here",
        "Start here",
        10,
        "Under the REMS you are watched after a dose. Dissociation is common and passes.\n",
    )
    write_section("questions-to-ask", "Questions to ask", 20, QUESTIONS)
    folder: Path = write_section("glossary", "Glossary", 90, GLOSSARY)
    return folder


async def glossary_ready(pilot: Any) -> None:
    for _ in range(100):
        await pilot.pause(0.02)
        if pilot.app.reader.is_mounted and pilot.app.reader.viewer.glossary:
            break
    await pilot.pause()


def test_explain_screen(write_section: Any, snap_compare: Any) -> None:
    app = KetaguideApp(load_guide(literacy_guide(write_section)))
    assert snap_compare(app, terminal_size=(100, 30), run_before=glossary_ready, press=["e"])


def test_ask_dialog(write_section: Any, snap_compare: Any) -> None:
    app = KetaguideApp(load_guide(literacy_guide(write_section)), section_id="questions-to-ask")
    assert snap_compare(app, terminal_size=(100, 30), press=["a"])


def test_my_questions_screen(write_section: Any, snap_compare: Any) -> None:
    app = KetaguideApp(load_guide(literacy_guide(write_section)), section_id="questions-to-ask")
    keys = ["a", "enter", "a", *"Will my insurer pay?", "enter", "A", "x"]
    assert snap_compare(app, terminal_size=(100, 30), press=keys)
