"""`ketaguide questions`: the reader's questions, printed or written as a sheet to take along.

`ketaguide questions` prints them; `--export FILE` writes a printable sheet
chosen by the file's ending (`.md`, `.html` or `.txt`) with the date, each
question, where in the guide it came from, the guide's sources for that place,
and room to write the answer. Questions come from the state file and sources
from content: both are untrusted, so Markdown is escaped for Markdown and HTML
for HTML, and only web addresses become links. No Textual import.
"""

from __future__ import annotations

import html
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ketaguide_tui.guide.model import Guide
from ketaguide_tui.guide.place_sources import Source, place_sources
from ketaguide_tui.guide.review_status import long_date
from ketaguide_tui.state import Question, StateStore
from ketaguide_tui.state.folders import folder_key
from ketaguide_tui.terminal_text import write

FORMATS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
}
"""File ending -> the sheet's format."""
ANSWER_LINES = 3
_RULE = "_" * 60
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#])")


@dataclass(frozen=True)
class SheetItem:
    """A question with where it came from and the sources for that place."""

    question: Question
    sources: list[Source]


def run_questions(guide: Guide, export: Path | None, today: date) -> int:
    """Print the questions or write the sheet. Raises ValueError with a message for the user."""
    kind = None
    if export is not None:
        kind = FORMATS.get(export.suffix.lower())
        if kind is None:
            raise ValueError(f"--export {export.name}: the file must end in .md, .html or .txt")
    # The questions asked while reading this guide (each content folder keeps its own).
    state, warnings = StateStore(folder=folder_key(guide.root)).load()
    for warning in warnings:
        write(warning, sys.stderr)
    items = [
        SheetItem(q, place_sources(guide, q.section_id, q.anchor, q.text)) for q in state.questions
    ]
    if export is None or kind is None:
        write(listing(items))
        return 0
    text = {"markdown": markdown_sheet, "html": html_sheet, "text": text_sheet}[kind](items, today)
    try:
        export.write_text(text, encoding="utf-8")
    except OSError as error:
        raise ValueError(f"cannot write {export}: {error.strerror or error}") from error
    write(f"Wrote {len(items)} question(s) to {export}.")
    return 0


def listing(items: list[SheetItem]) -> str:
    """The questions as `ketaguide questions` prints them."""
    if not items:
        return "No questions yet. While reading, press a to add one."
    done = sum(1 for item in items if item.question.done)
    lines = [f"My questions ({len(items)}, {done} ticked off)", ""]
    for number, item in enumerate(items, start=1):
        question = item.question
        lines.append(f"{number:>3}. [{'x' if question.done else ' '}] {question.text}")
        lines.append(f"        from {question.where}")
    return "\n".join(lines)


def _heading(today: date, count: int) -> tuple[str, str]:
    return (
        "My questions",
        f"{long_date(today)} · {count} question(s) · from ketaguide, a guide to ketamine therapy",
    )


def _where(question: Question) -> str:
    return f"From: {question.where}" + (" (ticked off)" if question.done else "")


def _source_text(source: Source) -> str:
    return f"{source.title}: {source.address}" if source.address else source.title


def text_sheet(items: list[SheetItem], today: date) -> str:
    """The sheet as plain text."""
    title, subtitle = _heading(today, len(items))
    lines = [title.upper(), subtitle, ""]
    for number, item in enumerate(items, start=1):
        lines.append(f"{number}. {item.question.text}")
        lines.append(f"   {_where(item.question)}")
        for source in item.sources:
            lines.append(f"   Source: {_source_text(source)}")
        lines.append("   Answer:")
        lines.extend(f"   {_RULE}" for _ in range(ANSWER_LINES))
        lines.append("")
    lines.append("Notes:")
    lines.extend(f"{_RULE}" for _ in range(ANSWER_LINES))
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Text shown as itself in Markdown (no emphasis, links, HTML or entities)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def markdown_sheet(items: list[SheetItem], today: date) -> str:
    """The sheet as Markdown."""
    title, subtitle = _heading(today, len(items))
    lines = [f"# {title}", "", _md(subtitle), ""]
    for number, item in enumerate(items, start=1):
        lines += [f"## {number}. {_md(item.question.text)}", "", _md(_where(item.question)), ""]
        if item.sources:
            lines += ["Sources in the guide:", ""]
            for source in item.sources:
                address = f": <{source.address}>" if _safe_address(source.address) else ""
                lines.append(f"- {_md(source.title)}{address}")
            lines.append("")
        lines += ["**Answer:**", ""]
        lines += ["\\" + _RULE[:-1], ""] * ANSWER_LINES
    return "\n".join(lines)


def html_sheet(items: list[SheetItem], today: date) -> str:
    """The sheet as a printable HTML page."""
    title, subtitle = _heading(today, len(items))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        "<style>body{font-family:sans-serif;max-width:46em;margin:2em auto;line-height:1.5}"
        "li{margin-bottom:1.5em;break-inside:avoid}.where,.sources{color:#444}"
        ".answer{border-bottom:1px solid #888;height:2em}</style>",
        "</head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f"<p>{html.escape(subtitle)}</p>",
        "<ol>",
    ]
    for item in items:
        parts.append(f"<li><p><strong>{html.escape(item.question.text)}</strong></p>")
        parts.append(f'<p class="where">{html.escape(_where(item.question))}</p>')
        if item.sources:
            parts.append('<ul class="sources">')
            for source in item.sources:
                text = html.escape(source.title)
                if source.address and _safe_address(source.address):
                    address = html.escape(source.address, quote=True)
                    text += f': <a href="{address}">{address}</a>'
                parts.append(f"<li>{text}</li>")
            parts.append("</ul>")
        parts.append("<p>Answer:</p>" + '<div class="answer"></div>' * ANSWER_LINES + "</li>")
    parts += ["</ol>", "</body></html>", ""]
    return "\n".join(parts)


def _safe_address(address: str | None) -> bool:
    """An http(s) address with nothing that could end a Markdown autolink or an attribute."""
    return bool(
        address
        and address.lower().startswith(("https://", "http://"))
        and not any(c in address for c in ' <>"\n')
    )
