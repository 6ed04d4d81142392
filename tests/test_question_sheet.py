"""`ketaguide questions`: the list, and the sheet in Markdown, HTML and plain text, each read
back from the file; hostile question text stays text in every format."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

import pytest
from conftest import SectionWriter
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from ketaguide_tui import cli
from ketaguide_tui.cli import main
from ketaguide_tui.question_sheet import SheetItem, html_sheet, markdown_sheet, text_sheet
from ketaguide_tui.state import (
    ReaderState,
    StateStore,
    add_question,
    new_question,
    tick_question,
    with_questions,
)
from ketaguide_tui.state.folders import folder_key

QUESTIONS = """Ask these.

## Medicines

- **Which of my medicines matter?**
  - Why it matters: some add to drowsiness ([Label](references.md#label)).

## Sources

- [Label](references.md#label)
"""
REFERENCES = """All sources.

## Papers

### Label

Spravato label, January 2025. [label page](https://example.org/label)

### Trial 2023

A trial. [doi:10.1/x](https://doi.org/10.1/x)
"""
HOSTILE = 'Is <script>alert("x")</script> & *this* [safe](javascript:x)?'


@pytest.fixture
def guide_with_questions(write_section: SectionWriter, tmp_path: Path) -> Path:
    write_section("questions-to-ask", "Questions to ask", 10, QUESTIONS)
    write_section(
        "effects",
        "Effects",
        20,
        "Intro.\n\n## Sleep\n\nIt helps ([T](references.md#trial-2023)).\n",
    )
    folder = write_section("references", "References", 90, REFERENCES)
    first = new_question(
        "Which of my medicines matter?",
        "questions-to-ask",
        "medicines",
        "Questions to ask › Medicines",
    )
    second = new_question(HOSTILE, "effects", "sleep", "Effects › Sleep")
    assert first is not None and second is not None
    questions = tick_question(add_question(add_question((), first), second), second.id, True)
    store = StateStore(tmp_path / "state", folder=folder_key(folder))
    store.save(with_questions(ReaderState(), questions))
    return folder


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "today", lambda: date(2026, 12, 2))


def export(folder: Path, target: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["questions", "--content", str(folder), "--export", str(target)]) == 0
    assert "Wrote 2 question(s)" in capsys.readouterr().out
    return target.read_text(encoding="utf-8")


def test_questions_are_listed_with_where_they_came_from(
    guide_with_questions: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["questions", "--content", str(guide_with_questions)]) == 0
    out = capsys.readouterr().out
    assert "My questions (2, 1 ticked off)" in out
    assert "1. [ ] Which of my medicines matter?" in out
    assert "from Questions to ask › Medicines" in out
    assert "2. [x] Is <script>" in out


def test_no_questions_says_how_to_add_one(
    small_guide: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["questions", "--content", str(small_guide)]) == 0
    assert "press a" in capsys.readouterr().out


def test_plain_text_sheet(
    guide_with_questions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = export(guide_with_questions, tmp_path / "sheet.txt", capsys)
    assert "2 December 2026" in text
    assert "1. Which of my medicines matter?" in text
    assert "From: Questions to ask › Medicines" in text
    # The item's own citation, not the whole section's list.
    assert "Source: Label: https://example.org/label" in text
    # The second came from a heading: the sources under it.
    assert "Source: Trial 2023: https://doi.org/10.1/x" in text
    assert "From: Effects › Sleep (ticked off)" in text
    assert text.count("Answer:") == 2 and "____" in text


def test_markdown_sheet_keeps_hostile_text_as_text(
    guide_with_questions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = export(guide_with_questions, tmp_path / "sheet.md", capsys)
    rendered = MarkdownIt("commonmark").render(text)
    assert "<script>" not in rendered and 'href="javascript' not in rendered
    assert "<em>" not in rendered  # *this* stays as written
    plain = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    assert HOSTILE in plain
    assert "Which of my medicines matter?" in plain
    assert 'href="https://example.org/label"' in rendered
    assert "2 December 2026" in plain and plain.count("Answer:") == 2


def test_html_sheet_is_escaped(
    guide_with_questions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = export(guide_with_questions, tmp_path / "sheet.html", capsys)
    assert text.startswith("<!DOCTYPE html>")
    assert "<script>" not in text
    assert html.escape(HOSTILE) in text
    assert '<a href="https://doi.org/10.1/x">' in text
    assert text.count('class="answer"') == 6
    assert "2 December 2026" in text


def test_an_unknown_format_is_a_clear_error(
    guide_with_questions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["questions", "--content", str(guide_with_questions), "--export", "x.pdf"])
    assert code == 2
    err = capsys.readouterr().err
    assert "must end in .md, .html or .txt" in err and "Traceback" not in err


def test_a_file_that_cannot_be_written_is_a_clear_error(
    guide_with_questions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "no-such-folder" / "sheet.md"
    code = main(["questions", "--content", str(guide_with_questions), "--export", str(target)])
    assert code == 2
    assert "cannot write" in capsys.readouterr().err


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=80))
def test_any_typed_question_is_shown_as_itself_in_every_sheet(text: str) -> None:
    question = new_question(text, "s", None, "S")
    if question is None:
        return
    items = [SheetItem(question, [])]
    rendered = MarkdownIt("commonmark").render(markdown_sheet(items, date(2026, 1, 1)))
    shown = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    assert " ".join(question.text.split()) in " ".join(shown.split())
    assert html.escape(question.text) in html_sheet(items, date(2026, 1, 1))
    assert question.text in text_sheet(items, date(2026, 1, 1))
