"""Review status: "Next review due" under "Last reviewed", overdue marked plainly, in
`show --plain`, `list --json` and the reader (today's date is passed in)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import SectionWriter

from ketaguide_tui import cli
from ketaguide_tui.cli import main


@pytest.fixture
def dated_guide(write_section: SectionWriter) -> Path:
    """Two sections with a next review date and one without."""
    folder = write_section("due", "Due later", 10, "Text.\n")
    text = (folder / "due.md").read_text().replace("+++\n\n", "next_review = 2027-06-01\n+++\n\n")
    (folder / "due.md").write_text(text)
    write_section("old", "Overdue", 20, "Old text.\n")
    text = (folder / "old.md").read_text().replace("+++\n\n", "next_review = 2026-03-01\n+++\n\n")
    (folder / "old.md").write_text(text)
    write_section("plain", "No date", 30, "Text.\n")
    return folder


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "today", lambda: date(2026, 6, 1))


def test_list_json_gives_both_dates_and_the_overdue_flag(
    dated_guide: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["list", "--json", "--content", str(dated_guide)]) == 0
    rows = {row["id"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["due"]["reviewed"] == "2026-01-15"
    assert rows["due"]["next_review"] == "2027-06-01" and rows["due"]["overdue"] is False
    assert rows["old"]["next_review"] == "2026-03-01" and rows["old"]["overdue"] is True
    assert rows["plain"]["next_review"] is None and rows["plain"]["overdue"] is False


def test_show_plain_says_when_the_next_review_is_due(
    dated_guide: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["show", "due", "--plain", "--content", str(dated_guide)])
    lines = capsys.readouterr().out.splitlines()
    assert lines[2:4] == ["Last reviewed 15 January 2026", "Next review due 1 June 2027"]


def test_show_plain_marks_an_overdue_section(
    dated_guide: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["show", "old", "--plain", "--content", str(dated_guide)])
    lines = capsys.readouterr().out.splitlines()
    assert lines[3].startswith("Review overdue since 1 March 2026")


def test_show_plain_without_a_next_review_is_unchanged(
    dated_guide: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["show", "plain", "--plain", "--content", str(dated_guide)])
    lines = capsys.readouterr().out.splitlines()
    assert lines[2:4] == ["Last reviewed 15 January 2026", ""]
