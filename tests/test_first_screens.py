"""First screens kept between runs: the same lines as a fresh render, or not used at all.

The reader keeps the first screenful of the sections it opened last in the cache
folder, so the next start draws it without importing Rich's Markdown. These
tests hold it to what a reader would notice: the text and its looks are those a
fresh render gives, a kept screen is never used for other content, a damaged or
hostile file changes nothing on screen, and a folder that cannot be written only
costs speed. Each test has its own cache folder (`conftest.isolated_dirs`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import SectionWriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketaguide_tui.guide import cache
from ketaguide_tui.guide.cache import load_guide_cached, store_readings
from ketaguide_tui.guide.model import Guide, load_guide
from ketaguide_tui.tui.app import KetaguideApp
from ketaguide_tui.tui.first_screens import FirstScreens, decode_start, encode_start
from ketaguide_tui.tui.rendering import Palette, RenderedSection

PALETTE = Palette("#ffa62b", "#0178d4", "#004578", "#888888")
DAY = date(2026, 12, 2)


@pytest.fixture(autouse=True)
def settled_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "SETTLING_NS", 0)


def rendered(guide: Guide, section_id: str, width: int = 80) -> RenderedSection:
    section = guide.get(section_id)
    assert section is not None
    return RenderedSection(section, width, PALETTE, DAY, False)


def kept_file(guide: Guide) -> dict[str, Any]:
    screens = FirstScreens(guide)
    return dict(json.loads(screens.path.read_text("utf-8")))


def keep(guide: Guide, section_id: str, width: int = 80, count: int = 30) -> None:
    """What the reader does after drawing a section: keep its first `count` lines."""
    screens = FirstScreens(guide)
    fresh = rendered(guide, section_id, width)
    fresh.render_lines(count)
    data = screens.keep(fresh, count)
    assert data is not None
    screens.save(data)


@pytest.mark.parametrize("width", [40, 80, 140])
def test_every_bundled_section_reads_back_exactly_as_rendered(width: int) -> None:
    guide = load_guide_cached()
    for section in guide:
        fresh = rendered(guide, section.id, width)
        fresh.render_all()
        start = fresh.start(60)
        assert start is not None
        encoded = encode_start(start, "key")
        assert encoded is not None, section.id
        back = decode_start(json.loads(json.dumps(encoded)))
        assert back is not None, section.id
        # Text, colours, bold, links and their click actions: segment for segment.
        assert back.lines == start.lines, section.id
        resumed = rendered(guide, section.id, width)
        assert resumed.resume(back)
        resumed.render_all()
        assert resumed.lines == fresh.lines, section.id
        assert resumed.anchor_lines == fresh.anchor_lines
        assert resumed.heading_lines == fresh.heading_lines


def test_a_kept_screen_is_taken_up_by_the_next_run() -> None:
    guide = load_guide_cached()
    keep(guide, "start-here")
    again = load_guide_cached()
    taken = rendered(again, "start-here")
    assert FirstScreens(again).take_up(taken)
    assert len(taken.lines) >= 30
    taken.render_all()
    fresh = rendered(again, "start-here")
    fresh.render_all()
    assert taken.lines == fresh.lines


def test_showing_a_kept_screen_needs_no_markdown_renderer() -> None:
    # The point of keeping it: the first frame comes without importing Rich's Markdown,
    # markdown-it or Pygments (nor the guide's own Markdown reading: the section's
    # reading comes from the cache). A fresh interpreter, as at a start.
    guide = load_guide_cached()
    keep(guide, "start-here", count=31)
    store_readings(guide)  # as the reader's index worker does: the next start parses nothing
    probe = (
        "import sys\n"
        "from datetime import date\n"
        "from ketaguide_tui.guide.cache import load_guide_cached\n"
        "from ketaguide_tui.tui.first_screens import FirstScreens\n"
        "from ketaguide_tui.tui.rendering import Palette, RenderedSection\n"
        "guide = load_guide_cached()\n"
        "palette = Palette('#ffa62b', '#0178d4', '#004578', '#888888')\n"
        "shown = RenderedSection(guide.get('start-here'), 80, palette, date(2026, 12, 2), False)\n"
        "taken = FirstScreens(guide).take_up(shown)\n"
        "shown.render_lines(31)\n"
        "readers = ('rich.markdown', 'markdown_it', 'pygments',"
        " 'ketaguide_tui.guide.markdown_reading')\n"
        "shown.section.anchors\n"
        "loaded = [m for m in readers if m in sys.modules]\n"
        "print(taken, loaded)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=os.environ.copy(),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True []"


def test_a_kept_screen_is_not_used_for_changed_content(write_section: SectionWriter) -> None:
    folder = write_section("start-here", "Start here", 10, "The first words.\n")
    write_section("get-help-now", "Get help now", 20, "Call someone.\n")
    guide = load_guide_cached(folder)
    keep(guide, "start-here")
    write_section("start-here", "Start here", 10, "Other words now.\n")
    changed = load_guide_cached(folder)
    taken = rendered(changed, "start-here")
    assert not FirstScreens(changed).take_up(taken)
    taken.render_all()
    assert any("Other words now." in taken.line_text(line) for line in taken.lines)


def test_a_kept_screen_is_not_used_at_another_width() -> None:
    guide = load_guide_cached()
    keep(guide, "start-here", width=80)
    assert not FirstScreens(guide).take_up(rendered(guide, "start-here", width=81))


def test_nothing_is_kept_without_the_cache() -> None:
    guide = load_guide()  # as with --no-cache: no digests to key kept screens by
    screens = FirstScreens(guide)
    fresh = rendered(guide, "start-here")
    fresh.render_lines(30)
    assert screens.keep(fresh, 30) is None
    assert not screens.path.exists()


def hostile_edits() -> st.SearchStrategy[tuple[str, object]]:
    """A change to one part of a kept screen, as a damaged or hostile file might have it."""
    text = st.text(st.characters(codec="utf-8"), max_size=20)
    value = st.one_of(text, st.integers(-5, 10_000), st.none(), st.booleans(), st.lists(text))
    return st.tuples(st.sampled_from(["text", "style", "link", "line", "anchors", "blocks"]), value)


def edited(screen: dict[str, Any], where: str, value: object) -> dict[str, Any]:
    lines = screen["lines"]
    line = next(line for line in lines if len(line) > 1)
    if where == "text":
        line[1][0] = value
    elif where == "style":
        line[1][1:2] = [value]
    elif where == "link":
        line[1][1:] = [line[1][1] if len(line[1]) > 1 else "", value]
    elif where == "line":
        lines[len(lines) // 2] = value
    elif where == "anchors":
        screen["anchors"] = [["x", value]]
    else:
        screen["blocks"] = value
    return screen


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edit=hostile_edits())
def test_a_damaged_kept_screen_is_used_only_as_a_fresh_render_would_draw_it(
    edit: tuple[str, object],
) -> None:
    guide = load_guide_cached()
    fresh = rendered(guide, "start-here")
    fresh.render_all()
    start = fresh.start(30)
    assert start is not None
    screen = encode_start(start, "key")
    assert screen is not None
    back = decode_start(edited(json.loads(json.dumps(screen)), *edit))
    if back is None:
        return  # refused: the section is rendered as usual
    taken = rendered(guide, "start-here")
    if not taken.resume(back):
        return
    taken.render_all()
    for line in taken.lines:
        for segment in line:
            assert "\x1b" not in segment.text and not segment.control
            click = segment.style.meta.get("@click") if segment.style else None
            assert click is None or click.startswith("follow_link(")


def test_a_click_action_in_a_kept_file_cannot_be_anything_but_a_link() -> None:
    guide = load_guide_cached()
    keep(guide, "start-here")
    document = kept_file(guide)
    line = document["screens"][0]["lines"][8]
    line.append(["x", "bold", "'); app.quit('"])
    back = decode_start(document["screens"][0])
    assert back is not None
    style = back.lines[8][-1].style
    assert style is not None
    assert style.meta["@click"] == "follow_link(\"'); app.quit('\")"


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],
        lambda text: "[]",
        lambda text: text.replace("Start here", "Start \x1b[2Jhere"),
        lambda text: text.replace('"bold', '"bold nonsense-colour'),
    ],
    ids=["cut off", "not an object", "escape sequence", "bad style"],
)
async def test_the_reader_starts_as_usual_from_a_damaged_file(damage: Any) -> None:
    async def shown_lines() -> list[str]:
        app = KetaguideApp(load_guide_cached(), section_id="start-here")
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            return app.reader.viewer.line_texts()

    fresh = await shown_lines()  # no file yet: rendered, then kept
    path = FirstScreens(load_guide_cached()).path
    path.write_text(damage(path.read_text("utf-8")), "utf-8")
    assert await shown_lines() == fresh


async def test_the_reader_keeps_the_screen_it_opened_and_shows_it_the_same_next_time() -> None:
    app = KetaguideApp(load_guide_cached(), section_id="what-is-ketamine")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        first = app.reader.viewer.line_texts()
    kept = kept_file(load_guide_cached())
    assert json.loads(kept["screens"][0]["key"])[0] == "what-is-ketamine"
    again = KetaguideApp(load_guide_cached(), section_id="what-is-ketamine")
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert again.reader.viewer.line_texts() == first


async def test_a_cache_folder_that_cannot_be_written_only_costs_speed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    guide = load_guide_cached()
    # A file where the folder should be: no one can write there, the superuser included.
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", "utf-8")
    monkeypatch.setenv("KETAGUIDE_CACHE_DIR", str(blocked / "cache"))
    app = KetaguideApp(guide, section_id="start-here")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert "Start here" in "\n".join(app.reader.viewer.line_texts())
        assert not app.reader.viewer.sections.first_screens.path.exists()  # type: ignore[union-attr]
