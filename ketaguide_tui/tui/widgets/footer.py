"""The key footer: Textual's `Footer`, made again only when the keys it shows change.

Textual's footer recomposes (removes and mounts every key) each time its screen
says its bindings were updated, and a screen says so on every mount, focus
change and screen resume. Just after the reader's first frame that is five
times over, 20-25 ms each on the development machine, for the same seven keys:
the first page turns pressed then waited for all of it (docs/speed.md). This
footer compares what it would show with what it shows, and recomposes only
when they differ, at most once per refresh. Two other moments were measured
and not kept (docs/speed.md): checking as soon as the bindings change ran the
first check before the first frame and made that frame later; composing the
keys into the first frame made it later too (9 ms on 2 December), for a
faster second page turn at 10,000 sections only.

Each key it makes is also styled once, not three times: Textual's footer binds
every key's `compact` (but the palette key's) to its own, and that binding, as
the key mounts, first sets the key's default (compact) and then the footer's
(not compact), each a restyle of the key (15 of them, 7 ms on a slow machine,
just when the first page turns are pressed). The keys here start with the
footer's value, so neither changes anything.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widgets import Footer

Shown = tuple[tuple[str, str, str, str, bool, str], ...]
"""What the footer shows: each key's key, how it is shown, its label, its action, whether it
is enabled, and its tooltip."""


class KeyFooter(Footer):
    """A footer that recomposes only when the keys it would show change."""

    def __init__(self, *, show_command_palette: bool = True) -> None:
        super().__init__(show_command_palette=show_command_palette)
        self._shown: Shown | None = None
        self._check_due = False

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            # Of what Textual's footer makes, only its keys have a `compact` of their own,
            # and all but the palette's (compact always) are bound to the footer's.
            compact = getattr(type(widget), "compact", None)
            if isinstance(compact, Reactive) and not widget.has_class("-command-palette"):
                # (a value set before the key mounts is kept: no first watch, no restyle)
                widget.set_reactive(compact, self.compact)
            yield widget

    def _would_show(self) -> Shown:
        """The keys `compose` would show now (the same bindings, in the same order)."""
        app = self.app
        palette = app.COMMAND_PALETTE_BINDING if self.show_command_palette else None
        return tuple(
            (
                binding.key,
                app.get_key_display(binding),
                binding.description,
                binding.action,
                enabled,
                tooltip,
            )
            for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == palette
        )

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True  # as Textual's own footer does
        if not screen.app.app_focus or self._check_due:
            return
        if self.is_attached and screen is self.screen:
            self._check_due = True
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        self._check_due = False
        if not self.is_attached:
            return
        shown = self._would_show()
        if shown != self._shown:
            self._shown = shown
            await self.recompose()
