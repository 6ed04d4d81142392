"""What the reader relies on in Textual beyond ordinary use, checked by name.

The package uses no private Textual name. These are the public pieces whose
exact behaviour it depends on; if an upgrade changes one, this file says
which, before a reader notices (pyproject pins Textual to the tested minor
release, so this is what to run when moving the pin).
"""

from __future__ import annotations

from textual.content import Content
from textual.dom import DOMNode
from textual.scrollbar import ScrollBar
from textual.widget import Widget


def test_content_passes_through_from_markup_unparsed() -> None:
    # The palette hands Textual Content for every hit; Textual's palette calls
    # Content.from_markup on it, which must return it as it is (not parse it).
    content = Content("press [/] to search [b]x[/b]")
    assert Content.from_markup(content) is content, (
        "Content.from_markup now parses Content: palette text from content would be read as markup"
    )


def test_viewer_can_tell_its_scrollbar_the_length_without_a_layout() -> None:
    # SectionViewer._update_size sets `virtual_size` with set_reactive (no
    # layout) and then the scrollbar's public window sizes itself.
    assert hasattr(DOMNode, "set_reactive"), "DOMNode.set_reactive is gone"
    for name in ("window_virtual_size", "window_size", "position"):
        assert hasattr(ScrollBar, name), f"ScrollBar.{name} is gone: the viewer sets it"
    for name in ("show_vertical_scrollbar", "vertical_scrollbar", "scrollbar_size_horizontal"):
        assert hasattr(Widget, name), f"Widget.{name} is gone: the viewer reads it"
