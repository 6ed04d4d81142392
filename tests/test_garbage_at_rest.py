"""Memory between page turns: what drawing left behind is freed once the reader rests.

Every line Textual draws ends up in a reference cycle that only the garbage
collector frees (`tui.frame_timing`). The reader collects once a turned-to
section is drawn in full and no turn has begun for a moment, never while a
turn waits for its frame, and no more once a collection has been slow.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from ketaguide_tui.guide.model import load_guide
from ketaguide_tui.tui import frame_timing
from ketaguide_tui.tui.app import KetaguideApp
from ketaguide_tui.tui.frame_timing import (
    QUIET_BEFORE_COLLECTING,
    CollectingAtRest,
    no_collection_until_painted,
)

REST = 4 * QUIET_BEFORE_COLLECTING
"""Long enough for a turned-to section to be drawn in full and the quiet moment to pass."""


async def left_for_the_collector_after_six_turns() -> int:
    # The bundled guide: its sections are long enough to draw several screens.
    app = KetaguideApp(load_guide(None))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for _ in range(6):
            await pilot.press("right_square_bracket")
            await pilot.pause(REST)
        await pilot.pause(2 * REST)  # the last section too, on a slow machine
        return gc.collect()


async def test_what_page_turns_left_behind_is_freed_when_the_reader_rests(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # However slowly a busy test machine collects.
    monkeypatch.setattr(CollectingAtRest, "quick", True)
    monkeypatch.setattr(frame_timing, "QUICK_COLLECTION", 60.0)
    # Left to Python's own schedule, thousands of objects (2,000-4,000 here)
    # are still waiting after six turns.
    assert await left_for_the_collector_after_six_turns() < 200


async def test_after_one_slow_collection_collecting_is_left_to_python(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # As with thousands of sections, where one collection walks every sidebar row.
    monkeypatch.setattr(CollectingAtRest, "quick", True)
    monkeypatch.setattr(frame_timing, "QUICK_COLLECTION", 0.0)
    collections: list[tuple[int, ...]] = []
    collect = gc.collect

    def counted(*generation: int) -> int:
        collections.append(generation)
        return collect(*generation)

    monkeypatch.setattr(gc, "collect", counted)
    await left_for_the_collector_after_six_turns()
    # One collection at rest (the first, too slow), then only the test's own.
    assert len(collections) == 2
    assert not CollectingAtRest.quick


async def test_no_collection_starts_while_a_page_turn_waits_for_its_frame(
    small_guide: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(CollectingAtRest, "quick", True)
    starts: list[int] = []

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            starts.append(info["generation"])

    app = KetaguideApp(load_guide(small_guide))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        viewer = app.reader.viewer
        viewer.frames.collect_when_quiet()  # the section was drawn in full...
        gc.callbacks.append(record)
        try:
            with no_collection_until_painted(viewer.frames):  # ...and a turn begins at once
                await pilot.pause(REST)
        finally:
            gc.callbacks.remove(record)
        await pilot.pause()
        assert gc.isenabled()
    assert starts == []
