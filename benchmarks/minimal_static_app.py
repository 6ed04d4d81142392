"""The lowest floor for ketaguide's first-paint benchmark: a Textual app that paints one line.

An `App` with one `Static` widget showing the words given on the command line,
and nothing else: no Markdown, no files read. What a Textual app costs to start
and draw its first frame; speed_benchmark.py compares the reader's first paint
with it (and with `minimal_markdown_app.py`, which also renders a section).

Run from the project root::

    python benchmarks/minimal_static_app.py This guide explains what

`q` or Ctrl+C quits.
"""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.widgets import Static


class MinimalStaticApp(App[None]):
    """One line of text, nothing else."""

    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, line: str) -> None:
        super().__init__()
        self.line = line

    def compose(self) -> ComposeResult:
        yield Static(self.line, markup=False)


if __name__ == "__main__":
    MinimalStaticApp(" ".join(sys.argv[1:]) or "ready").run()
