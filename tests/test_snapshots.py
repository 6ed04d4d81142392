"""A few snapshot tests for looks: the reading screen, the help screen, a narrow terminal.

Regenerate after an intended change of looks with `pytest --snapshot-update`, and
review the SVGs in tests/__snapshots__ before committing them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ketaguide_tui.guide.model import load_guide
from ketaguide_tui.tui.app import KetaguideApp

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
