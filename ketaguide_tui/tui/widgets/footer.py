"""The key footer: one line of keys, drawn by one widget, there from the first frame.

Textual's `Footer` makes a widget for every key and makes them all again each
time its screen says its bindings were updated: on every mount, focus change
and screen resume, and only after the first frame. At 10,000 sections the
second page turn waited for those widgets to be mounted and laid out (85 ms
against 31-37 ms for the turns after it); making them in the first frame
instead made that frame later (docs/speed.md). This footer draws the same line
itself: it reads the screen's keys as it draws, and when the bindings change
it draws again only if the keys it shows changed. Nothing is mounted, so the
crisis key is on screen in the reader's first frame.

It looks and answers the mouse as Textual's footer does: each key in the
footer's key colours, a greyed-out key dim (a click on it rings the bell), the
palette key at the right edge, the key under the pointer highlighted with its
sentence from the help screen as a tooltip, a click running the key, and the
mouse wheel sliding keys cut off on a narrow terminal into view.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.reactive import reactive
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget


class FooterKey(NamedTuple):
    """One key as the footer shows it."""

    key: str
    shown_as: str
    label: str
    enabled: bool
    tooltip: str
    palette: bool = False
    """The command palette's key, drawn compact at the right edge."""


class _Placed(NamedTuple):
    start: int
    end: int
    key: FooterKey


PALETTE_EDGE = "▏"
"""The line left of the palette key (Textual's `vkey` border)."""


class KeyFooter(Widget, can_focus=False):
    """The keys of the screen it sits on, on one line."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "key-footer--key",
        "key-footer--label",
        "key-footer--hover",
        "key-footer--palette-edge",
    }
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;  /* also what sets keys apart from labels without colour */
        }
        & > .key-footer--label {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-footer--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
        & > .key-footer--palette-edge {
            color: $foreground 20%;
        }
    }
    """

    show_command_palette: reactive[bool] = reactive(True)
    """Show the command palette's key at the right edge (room permitting)."""

    def __init__(self, *, show_command_palette: bool = True) -> None:
        super().__init__()
        self.set_reactive(KeyFooter.show_command_palette, show_command_palette)
        self._shown: tuple[FooterKey, ...] | None = None
        self._placed: list[_Placed] = []
        self._hover: FooterKey | None = None
        self._slid = 0
        """Columns the keys are slid left by the mouse wheel, when they are cut off."""
        self._overflow = 0

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    # What it shows ----------------------------------------------------------------

    def keys(self) -> tuple[FooterKey, ...]:
        """The keys the footer shows now, in the screen's order, the palette's last."""
        app = self.app
        palette = (
            app.COMMAND_PALETTE_BINDING
            if self.show_command_palette and app.ENABLE_COMMAND_PALETTE
            else None
        )
        shown: list[FooterKey] = []
        last: FooterKey | None = None
        seen: set[str] = set()
        for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items():
            display, label = app.get_key_display(binding), binding.description
            if key == palette:
                tip = binding.tooltip or label
                last = FooterKey(key, display, label, enabled, tip, palette=True)
            elif binding.show and binding.action not in seen:
                seen.add(binding.action)  # one key per action, as Textual's footer shows
                shown.append(FooterKey(key, display, label, enabled, tooltip))
        return (*shown, *([last] if last else []))

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen and self.keys() != self._shown:
            self.refresh()

    def watch_show_command_palette(self) -> None:
        self.refresh()

    # Drawing ------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        keys = self.keys()
        self._shown = keys
        if self._hover not in keys:
            self._hover = None
        width = self.size.width
        clear = Style(bgcolor=self.rich_style.bgcolor)  # what lies between keys
        palette = [key for key in keys if key.palette]
        corner = self._palette_text(palette[0]) if palette else Text()
        room = max(0, width - corner.cell_len)
        line = Text(no_wrap=True, overflow="crop", end="")
        placed: list[_Placed] = []
        for key in keys:
            if not key.palette:
                drawn = self._key_text(key)
                at = line.cell_len
                placed.append(_Placed(at, at + drawn.cell_len, key))
                line.append_text(drawn)
        self._overflow = max(0, line.cell_len - room)
        self._slid = min(self._slid, self._overflow)
        line = line[self._slid : self._slid + room]
        placed = [_Placed(p.start - self._slid, p.end - self._slid, p.key) for p in placed]
        line.append(" " * (room - line.cell_len), clear)
        line.append_text(corner)
        self._placed = [p for p in placed if p.end > 0 and p.start < room] + [
            _Placed(room, width, key) for key in palette
        ]
        return Strip(line.render(self.app.console), line.cell_len).adjust_cell_length(width, clear)

    def _key_style(self, key: FooterKey) -> Style:
        """The style under all of a key: the footer's, or the highlight's under the pointer."""
        style = (
            self.get_component_rich_style("key-footer--hover")
            if key == self._hover
            else self.rich_style
        )
        return style + Style(dim=True) if not key.enabled else style

    def _parts(self, under: Style) -> tuple[Style, Style]:
        """The styles of a key's key and label (their own background is clear)."""
        background = Style(bgcolor=under.bgcolor)
        return (
            self.get_component_rich_style("key-footer--key") + background,
            self.get_component_rich_style("key-footer--label") + background,
        )

    def _key_text(self, key: FooterKey) -> Text:
        under = self._key_style(key)
        key_style, label_style = self._parts(under)
        if key.label:
            text = Text.assemble((f" {key.shown_as} ", key_style), (f"{key.label} ", label_style))
        else:
            text = Text.assemble((key.shown_as, key_style))
        text.stylize_before(under)
        return text

    def _palette_text(self, key: FooterKey) -> Text:
        """The palette's key: compact, after a thin line, one space from the edge."""
        under = self._key_style(key)
        key_style, label_style = self._parts(under)
        edge = self.get_component_rich_style("key-footer--palette-edge") + Style(
            bgcolor=under.bgcolor
        )
        text = Text.assemble(
            (PALETTE_EDGE, edge),
            (key.shown_as, key_style),
            (f" {key.label}" if key.label else "", label_style),
        )
        text.stylize_before(under)
        text.append(" ", Style(bgcolor=under.bgcolor))  # its padding on the right
        return text

    # The mouse ------------------------------------------------------------------------

    def _key_at(self, x: int) -> FooterKey | None:
        for placed in self._placed:
            if placed.start <= x < placed.end:
                return placed.key
        return None

    def _point_at(self, key: FooterKey | None) -> None:
        if key != self._hover:
            self._hover = key
            self.tooltip = (key.tooltip or None) if key else None
            self.styles.pointer = "pointer" if key else "default"
            self.refresh()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._point_at(self._key_at(event.x))

    def on_leave(self, event: events.Leave) -> None:
        self._point_at(None)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self._key_at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()

    def _slide(self, event: events.MouseEvent, columns: int) -> None:
        slid = max(0, min(self._overflow, self._slid + columns))
        if slid != self._slid:
            self._slid = slid
            event.stop()
            self.refresh()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self._slide(event, 4)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self._slide(event, -4)
