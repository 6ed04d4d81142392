"""A floor made of the reader's widgets: Textual's own Tree, Footer, Input and Label.

The first screen of the reader holds a sidebar (a `Tree` of the section titles), the
text, a find bar (an `Input` and a `Label`, hidden until used), a status line and a
footer of keys. This app composes the same Textual widgets, with the bundled guide's
titles in the tree, the same number of footer keys and one `Static` of text, and
nothing of ketaguide's own: no guide loaded, no Markdown, no cache, no state. Its first
paint against `minimal_static_app.py` is what those widgets cost before any of the
reader's own work (docs/speed.md).

Run from the project root::

    python benchmarks/minimal_widgets_app.py This guide explains what

`q` or Ctrl+C quits.
"""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Input, Label, Static, Tree

TITLES = [f"Section {n}" for n in range(1, 26)]
"""As many rows as the bundled guide has sections."""

KEYS = [
    ("question_mark", "help", "Help"),
    ("slash", "search", "Search"),
    ("right_square_bracket", "next", "Next"),
    ("left_square_bracket", "previous", "Previous"),
    ("b", "bookmark", "Bookmark"),
    ("o", "links", "Links"),
    ("g", "glossary", "Glossary"),
    ("exclamation_mark", "crisis", "Get help now"),
    ("q", "quit", "Quit"),
]
"""As many keys as the reader's footer shows at 100 columns."""

CSS = """
#sidebar { width: 30; }
#find-bar { display: none; height: 1; }
#status { height: 1; }
"""


class MinimalWidgetsApp(App[None]):
    """The reader's Textual widgets around one line of text."""

    CSS = CSS
    BINDINGS = [Binding(key, action, label) for key, action, label in KEYS]

    def __init__(self, line: str) -> None:
        super().__init__()
        self.line = line

    def compose(self) -> ComposeResult:
        tree: Tree[None] = Tree("Guide", id="sidebar")
        tree.show_root = False
        for title in TITLES:
            tree.root.add_leaf(title)
        tree.root.expand()
        with Horizontal():
            yield tree
            yield Static(self.line, markup=False)
        with Horizontal(id="find-bar"):
            yield Input(placeholder="Find in this section")
            yield Label("")
        yield Label("", id="status")
        yield Footer()


if __name__ == "__main__":
    MinimalWidgetsApp(" ".join(sys.argv[1:]) or "ready").run()
