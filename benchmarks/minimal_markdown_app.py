"""The floor for ketaguide's first-paint benchmark: the least a Textual Markdown viewer costs.

An `App` with one `Markdown` widget and nothing else, showing one section's
Markdown body (front matter removed) -- the same text ketaguide opens with. It
imports nothing from ketaguide, so it costs only Python, Textual and the
Markdown render; whatever ketaguide takes beyond this is its own work.

Run from the project root::

    python benchmarks/minimal_markdown_app.py                 # the bundled `start-here`
    python benchmarks/minimal_markdown_app.py side-effects    # another bundled section
    python benchmarks/minimal_markdown_app.py --content DIR ID
    python benchmarks/minimal_markdown_app.py --file BODY.md  # a body with no front matter

`q` or Ctrl+C quits. speed_benchmark.py launches it in a tmux pane and times it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Markdown

BUNDLED_CONTENT = Path(__file__).resolve().parent.parent / "content"
FRONT_MATTER_FENCE = "+++"


def strip_front_matter(text: str) -> str:
    """The body of a section file: everything after the closing `+++` line.

    Kept to a few lines on purpose (no TOML parsing): the floor must not do
    work that ketaguide's own loader would be blamed for.
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        return text
    for index in range(1, len(lines)):
        if lines[index].strip() == FRONT_MATTER_FENCE:
            return "\n".join(lines[index + 1 :])
    return text


class MinimalMarkdownApp(App[None]):
    """One Markdown widget, nothing else."""

    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, markdown: str) -> None:
        super().__init__()
        self.markdown = markdown

    def compose(self) -> ComposeResult:
        yield Markdown(self.markdown)


def main() -> None:
    """Parse the arguments, read the body and run the app."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("section", nargs="?", default="start-here", help="section id")
    parser.add_argument("--content", type=Path, default=BUNDLED_CONTENT, help="content folder")
    parser.add_argument("--file", type=Path, help="a Markdown file shown as it is")
    args = parser.parse_args()
    if args.file is not None:
        markdown = args.file.read_text(encoding="utf-8")
    else:
        path = args.content / f"{args.section}.md"
        markdown = strip_front_matter(path.read_text(encoding="utf-8-sig"))
    MinimalMarkdownApp(markdown).run()


if __name__ == "__main__":
    main()
