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
