"""Frame timing: what waits for a frame to be drawn, and keeping the garbage collector out of it.

The reader's speed tricks, in one place (measured in docs/speed.md):

* **After paint.** `call_after_refresh` can run before the frame it was meant
  to follow (the screen hears of a widget's repaint only when that widget's
  own queue is idle). `AfterPaint` holds work until the widget's next frame
  has been composed, so the text a key asked for is on screen first.
* **No collection during a page turn.** A full collection can take longer
  than the whole turn (100-150 ms, about one turn in ten): collection pauses
  from the key until the new text's frame is drawn.
* **Start-up frozen.** What exists after the first frame lives as long as the
  app; `gc.freeze` moves it out of the collector's sight, so collections sweep
  only what reading created. The loaded guide is frozen already as the app is
  made: with 10,000 sections, collections that went through the loaded
  sections took a quarter of a second before the first frame, and as much
  again during the first page turns. The viewer freezes once more after its
  first background step, which imports the Markdown renderer when the first
  frame was drawn from a kept screen.
* **Fill between frames.** The rest of a section is rendered a few blocks at a
  time on a 1 ms timer, so a key waits for at most one small step.
* **Collect at rest.** Every line Textual draws on screen ends up in a
  reference cycle (`Strip.divide` keeps `[self]` in the strip's own cache, as
  of Textual 8.2), so it is freed only by the collector, and Python's schedule
  lets such garbage grow to a quarter of the long-lived heap: 2-3 MB after a
  tour of the guide. Once a turned-to section is drawn in full and the reader
  has been quiet for a moment, one collection frees it; it walks only what
  reading made since the start-up heap was frozen, but that grows with every
  section kept for revisits (3 ms after the first turn, 20-47 ms after all 21
  on a slow machine) and with a large sidebar (60-110 ms at 10,000
  sections). A key pressed meanwhile waits for it, so once one has taken
  longer than `QUICK_COLLECTION`, collecting is left to Python's own
  schedule again.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache

from textual.timer import Timer
from textual.widget import Widget

FILL_STEP_DELAY = 0.001
"""Seconds between background render steps: just enough to let a key in between."""
QUIET_BEFORE_COLLECTING = 0.1
"""Seconds without a page turn, after a section is drawn in full, before collecting."""
QUICK_COLLECTION = 0.05
"""Seconds a collection at rest may take (about three frames) for collecting at rest to go on."""


class AfterPaint:
    """Work to run once a widget's next frame has been drawn.

    The widget calls `release` from `render_lines` (its frame is being
    composed: the work runs once it is written) and when it is hidden (no
    frame is coming).
    """

    def __init__(self, widget: Widget) -> None:
        self._widget = widget
        self._waiting: list[Callable[[], object]] = []
        self._quiet: Timer | None = None

    def add(self, callback: Callable[[], object]) -> None:
        """Run `callback` after the widget's next frame (after the next refresh if none is due)."""
        widget = self._widget
        if not widget.display or not widget.size or not widget.screen.is_current:
            widget.call_after_refresh(callback)
            return
        self._waiting.append(callback)
        widget.refresh()

    def release(self) -> None:
        """The frame is drawn (or will not be): let the waiting work run."""
        waiting, self._waiting = self._waiting, []
        for callback in waiting:
            self._widget.call_later(callback)

    def collect_when_quiet(self) -> None:
        """Collect garbage unless a page turn begins within a moment (see `not_quiet`)."""
        self.not_quiet()
        if CollectingAtRest.quick:  # (no timer per page turn once collecting is Python's again)
            self._quiet = self._widget.set_timer(QUIET_BEFORE_COLLECTING, _collect_unless_turning)

    def not_quiet(self) -> None:
        """A page turn has begun: no collection until the next `collect_when_quiet`."""
        if self._quiet is not None:
            self._quiet.stop()
            self._quiet = None


class CollectingAtRest:
    """Whether collections at rest are still quick enough to make (one answer per process)."""

    quick = True


def _collect_unless_turning() -> None:
    # (A page turn pauses collection until its frame is drawn.)
    if CollectingAtRest.quick and gc.isenabled():
        began = time.perf_counter()
        gc.collect()
        CollectingAtRest.quick = time.perf_counter() - began <= QUICK_COLLECTION


@contextmanager
def no_collection_until_painted(frames: AfterPaint) -> Iterator[None]:
    """Pause garbage collection for a page turn, until the frame it draws is on screen."""
    was_enabled = gc.isenabled()  # (restored as it was found)
    gc.disable()
    frames.not_quiet()
    try:
        yield
    finally:
        if was_enabled:
            frames.add(gc.enable)


def freeze_loaded_guide() -> None:
    """Keep what exists as the app is made (the loaded guide above all) out of collections,
    and collect from now on (the command line paused collection while loading)."""
    gc.freeze()
    gc.enable()


def freeze_startup_heap() -> None:
    """Keep everything alive after the first frame out of later collections."""
    gc.freeze()


@cache
def freeze_after_first_fill() -> None:
    """Freeze once more after the viewer's first background step (once per process).

    A start drawn from a kept first screen imports Rich's Markdown, markdown-it and
    Pygments in that step: modules that live as long as the process. Left in sight,
    they made the collections between the first page turns long (docs/speed.md).
    """
    gc.freeze()
