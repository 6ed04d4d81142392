"""Read back what a running app draws: every cell's character, colours and attributes.

Used by the contrast and colour tests: they judge the screen as the reader sees
it (after Textual has blended and layered everything), not the theme's intent.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from rich.cells import cell_len
from rich.style import Style
from textual.app import App
from textual.errors import NoWidget
from textual.geometry import Region
from textual.widget import Widget

RGB = tuple[int, int, int]

GRAPHICS = {chr(c) for c in range(0x2500, 0x25A0)} | set("▔▁▕▏")
"""Box lines, rules and scrollbar blocks: graphics, not text to read."""


@dataclass(frozen=True)
class Cell:
    x: int
    y: int
    char: str
    style: Style
    widget: str


def _cells_of(widget: Widget, region: Region, y: int) -> list[tuple[str, Style]]:
    lines = widget.render_lines(Region(0, y - region.y, region.width, 1))
    cells: list[tuple[str, Style]] = []
    for segment in lines[0] if lines else []:
        style = segment.style or Style.null()
        for char in segment.text:
            cells.append((char, style))
    return cells


def screen_cells(app: App[object]) -> list[Cell]:
    """Every cell of the app's current screen (top screen only)."""
    screen = app.screen
    width, height = app.size
    found: list[Cell] = []
    cache: dict[tuple[int, int], tuple[Region, list[tuple[str, Style]]]] = {}
    for y in range(height):
        for x in range(width):
            try:
                widget, region = screen.get_widget_at(x, y)
            except NoWidget:
                continue
            if widget is screen and screen.is_modal:
                continue  # the screen beneath a dialog, dimmed on purpose
            key = (id(widget), y)
            if key not in cache:
                cache[key] = (region, _cells_of(widget, region, y))
            region, cells = cache[key]
            offset = x - region.x
            if 0 <= offset < len(cells):
                char, style = cells[offset]
                found.append(Cell(x, y, char, style, type(widget).__name__))
    return found


def screen_text(cells: list[Cell], y: int) -> str:
    return "".join(c.char for c in cells if c.y == y)


def footer_row(app: App[object]) -> str:
    """The bottom row's text: the key footer of the screen on top."""
    return screen_text(screen_cells(app), app.size.height - 1)


def colours_of(style: Style) -> tuple[RGB | None, RGB | None]:
    """(text, background) as the terminal is asked to show them (reverse applied)."""

    def rgb(colour: object) -> RGB | None:
        triplet = getattr(colour, "triplet", None)
        if triplet is None:
            return None
        return (triplet.red, triplet.green, triplet.blue)

    fore, back = rgb(style.color), rgb(style.bgcolor)
    return (back, fore) if style.reverse else (fore, back)


def _is_emoji(char: str) -> bool:
    """A wide pictograph (the palette's magnifier): drawn in its own colours, not text."""
    return cell_len(char) == 2 and unicodedata.category(char) == "So"


def text_cells(cells: list[Cell]) -> list[Cell]:
    """Cells that show a character to read."""
    return [c for c in cells if c.char.strip() and c.char not in GRAPHICS and not _is_emoji(c.char)]
