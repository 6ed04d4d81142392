"""The reader, driven by keys as a person would: navigation, links, narrow screens, help."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from textual.events import Resize
from textual.geometry import Region, Size
from textual.screen import Screen
from textual.scrollbar import ScrollBar
from textual.strip import Strip

from ketaguide_tui.guide.model import load_guide
from ketaguide_tui.tui.app import KetaguideApp
from ketaguide_tui.tui.screens.dialogs import WebLinkScreen
from ketaguide_tui.tui.screens.help import HelpScreen
from ketaguide_tui.tui.screens.link_list import LinkListScreen
from ketaguide_tui.tui.screens.reader import ReaderScreen
from ketaguide_tui.tui.widgets.sidebar import SectionTree
from ketaguide_tui.tui.widgets.viewer import SectionViewer


def make_app(folder: Path | None = None, **options: object) -> KetaguideApp:
    return KetaguideApp(load_guide(folder), **options)  # type: ignore[arg-type]


def open_id(app: KetaguideApp) -> str | None:
    section = app.reader.section
    return section.id if section else None


def sidebar_place(app: KetaguideApp) -> tuple[str, str | None] | None:
    """(section id, heading anchor) of the sidebar's cursor."""
    node = app.reader.sidebar.cursor_node
    return (node.data.section_id, node.data.anchor) if node and node.data else None


async def test_opens_at_start_with_sidebar_and_footer(small_guide: Path) -> None:
    app = make_app(small_guide)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert open_id(app) == "start-here"
        tree = app.reader.query_one(SectionTree)
        labels = [str(node.label).strip(" ✓") for node in tree.root.children]
        assert labels == ["Start here", "Effects", "Get help now"]
        shown = "\n".join(app.reader.viewer.line_texts()[:4])
        assert "Start here" in shown and "Last reviewed 15 January 2026" in shown
        assert "1 sources" in shown


async def test_the_text_has_the_keys_from_the_start(
    small_guide: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The sidebar is never focused on the way: its rows were drawn focused in the first
    # frame and then all drawn again, while the first page turn waited.
    focused: list[object] = []
    monkeypatch.setattr(SectionTree, "on_focus", lambda self: focused.append(self))
    app = make_app(small_guide)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.focused is app.reader.viewer
        assert focused == []
        await pilot.press("right_square_bracket")
        assert open_id(app) == "effects"


async def test_the_screen_is_laid_out_again_for_a_new_size_only(
    small_guide: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Textual sends the screen the size it already has as the reader starts; laying it
    # out and drawing it again for that held up the first page turn. (Textual's own
    # handler is counted: it is what lays the screen out for a Resize.)
    laid_out: list[Size] = []
    drawn: list[int] = []
    on_resize, render_lines = Screen._on_resize, SectionViewer.render_lines

    async def counted_layout(self: Screen[object], event: Resize) -> None:
        laid_out.append(event.size)
        await on_resize(self, event)

    def counted_lines(self: SectionViewer, crop: Region) -> list[Strip]:
        drawn.append(self.size.width)
        return render_lines(self, crop)

    monkeypatch.setattr(Screen, "_on_resize", counted_layout)
    monkeypatch.setattr(SectionViewer, "render_lines", counted_lines)
    app = make_app(small_guide)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        width = app.reader.viewer.size.width
        laid_out.clear()
        app.post_message(Resize(Size(100, 30), Size(100, 30)))
        await pilot.pause()
        await pilot.pause()
        assert laid_out == []
        await pilot.resize_terminal(90, 30)
        await pilot.pause()
        assert laid_out == [Size(90, 30)]
        assert drawn and drawn[-1] == width - 10
        assert "Start here" in "\n".join(app.reader.viewer.line_texts()[:4])


async def test_next_and_previous_section_keys(small_guide: Path) -> None:
    app = make_app(small_guide)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("right_square_bracket")
        assert open_id(app) == "effects"
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert open_id(app) == "get-help-now"
        await pilot.press("left_square_bracket")
        assert open_id(app) == "effects"


async def test_scrollbar_and_sidebar_follow_each_section(small_guide: Path) -> None:
    # The viewer's length changes without a screen layout; the scrollbar must
    # still appear for a long section, reach its end, and go for a short one.
    app = make_app(small_guide)
    async with app.run_test(size=(100, 30)) as pilot:
        viewer = app.reader.viewer

        def scrollbar_on_screen() -> bool:
            region = viewer.region
            widget, _ = app.screen.get_widget_at(region.right - 1, region.y + 1)
            return isinstance(widget, ScrollBar)

        await pilot.pause()
        assert not scrollbar_on_screen()
        await pilot.press("t")  # and with the sidebar hidden
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert scrollbar_on_screen() and sidebar_place(app) == ("effects", None)
        await pilot.press("G")
        await pilot.pause()
        assert viewer.scroll_y == viewer.max_scroll_y > 0
        on_screen = viewer.line_texts()[round(viewer.scroll_y) :][: viewer.size.height]
        assert any("Back to start" in line for line in on_screen)
        # The scrollbar's thumb is sized for the whole section, not the part first drawn.
        assert viewer.vertical_scrollbar.window_virtual_size == len(viewer.line_texts())
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert not scrollbar_on_screen() and viewer.scroll_y == 0
        assert sidebar_place(app) == ("start-here", None)


async def test_sidebar_opens_sections_and_headings(small_guide: Path) -> None:
    app = make_app(small_guide)
    async with app.run_test(size=(100, 30)) as pilot:
        tree = app.reader.query_one(SectionTree)
        tree.focus()
        await pilot.pause()
        # The open section is expanded to its headings; move to "Effects" and open it.
        tree.move_cursor(tree.root.children[1])
        await pilot.press("enter")
        assert open_id(app) == "effects"
        await pilot.pause()
        part_six = next(
            node for node in tree.root.children[1].children if str(node.label) == "Part 6"
        )
        tree.move_cursor(part_six)
        await pilot.press("enter")
        await pilot.pause()
        viewer = app.reader.viewer
        assert viewer.scroll_y > 10
        assert viewer.current_anchor == "part-6"


async def test_sidebar_follows_the_heading_while_scrolling(small_guide: Path) -> None:
    app = make_app(small_guide, section_id="effects")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for _ in range(8):
            await pilot.press("space")
        await pilot.pause()
        place = sidebar_place(app)
        assert place is not None
        section_id, anchor = place
        assert section_id == "effects"
        assert anchor == app.reader.viewer.current_anchor
        assert anchor is not None and anchor.startswith("part-")


async def test_scroll_keys_move_the_text(small_guide: Path) -> None:
    app = make_app(small_guide, section_id="effects")
    async with app.run_test(size=(100, 30)) as pilot:
        viewer = app.reader.viewer
        await pilot.pause()
        await pilot.press("j", "j", "j")
        assert viewer.scroll_y == 3
        await pilot.press("k")
        assert viewer.scroll_y == 2
        await pilot.press("G")
        assert viewer.scroll_y == viewer.max_scroll_y > 0
        await pilot.press("g")
        assert viewer.scroll_y == 0


async def test_help_screen_lists_every_command(small_guide: Path) -> None:
    from ketaguide_tui.commands import COMMANDS

    app = make_app(small_guide)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("Static").render())
        for command in COMMANDS:
            assert command.help in text
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)


async def test_tab_switches_between_sidebar_and_text(small_guide: Path) -> None:
    app = make_app(small_guide)
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.focused is app.reader.viewer
        await pilot.press("tab")
        assert isinstance(app.focused, SectionTree)
        await pilot.press("tab")
        assert app.focused is app.reader.viewer


async def test_toggle_sidebar(small_guide: Path) -> None:
    app = make_app(small_guide)
    async with app.run_test(size=(100, 30)) as pilot:
        sidebar = app.reader.query_one(SectionTree)
        assert sidebar.display
        await pilot.press("t")
        await pilot.pause()
        assert not sidebar.display
        await pilot.press("t")
        await pilot.pause()
        assert sidebar.display


async def test_internal_link_opens_section_at_heading(small_guide: Path) -> None:
    app = make_app(small_guide)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.reader.follow_link("effects.md#blood-pressure", "start-here")
        await pilot.pause()
        assert open_id(app) == "effects"
        assert app.reader.viewer.current_anchor == "blood-pressure"


async def test_clicking_a_link_in_the_text_follows_it(small_guide: Path) -> None:
    app = make_app(small_guide)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        # The first paragraph reads "Welcome. See effects or help.": click on "effects".
        viewer = app.reader.viewer
        lines = viewer.line_texts()
        y = next(i for i, text in enumerate(lines) if "Welcome." in text)
        x = lines[y].index("effects") + 2
        region = viewer.content_region
        await pilot.click(offset=(region.x + x, region.y + y - round(viewer.scroll_y)))
        await pilot.pause()
        assert open_id(app) == "effects"


async def test_web_link_is_shown_before_opening_and_can_be_copied(small_guide: Path) -> None:
    app = make_app(small_guide)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.reader.follow_link("https://example.org/page?x=1", "start-here")
        await pilot.pause()
        assert isinstance(app.screen, WebLinkScreen)
        shown = str(app.screen.query_one("#web-address").render())
        assert "https://example.org/page?x=1" in shown
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == "https://example.org/page?x=1"
        assert isinstance(app.screen, ReaderScreen)


async def test_refused_link_says_why(small_guide: Path) -> None:
    app = make_app(small_guide)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.reader.follow_link("ftp://example.org/x", "start-here")
        await app.reader.follow_link("../../secret.md", "start-here")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("'ftp:' links are not opened" in m for m in messages)
        assert any("outside the guide" in m for m in messages)
        assert open_id(app) == "start-here"


async def test_links_list_follows_a_link_from_the_keyboard(small_guide: Path) -> None:
    app = make_app(small_guide)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("o")
        assert isinstance(app.screen, LinkListScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert open_id(app) == "effects"
        assert app.reader.viewer.current_anchor == "common-effects"


async def test_narrow_terminal_hides_sidebar_and_calls_it_back(small_guide: Path) -> None:
    app = make_app(small_guide)
    async with app.run_test(size=(60, 20)) as pilot:
        sidebar = app.reader.query_one(SectionTree)
        assert not sidebar.display
        await pilot.press("t")
        await pilot.pause()
        assert sidebar.display and app.focused is sidebar
        assert not app.reader.viewer.display
        tree = sidebar
        tree.move_cursor(tree.root.children[1])
        await pilot.press("enter")
        await pilot.pause()
        assert open_id(app) == "effects"
        assert not sidebar.display and app.reader.viewer.display


async def test_tiny_terminal_and_resizing_do_not_crash(small_guide: Path) -> None:
    app = make_app(small_guide, section_id="effects")
    async with app.run_test(size=(40, 12)) as pilot:
        for size in [(80, 24), (20, 5), (120, 40), (40, 12), (69, 30), (71, 30)]:
            await pilot.resize_terminal(*size)
            await pilot.press("j", "t", "right_square_bracket")
            await pilot.pause()
        assert app.is_running
        assert open_id(app) is not None


async def test_escape_backs_out_to_the_sidebar(small_guide: Path) -> None:
    app = make_app(small_guide)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, SectionTree)


async def test_crisis_key_opens_get_help_now_from_anywhere(small_guide: Path) -> None:
    app = make_app(small_guide)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert open_id(app) == "get-help-now"


async def test_control_characters_in_content_never_reach_the_screen(
    write_section: object,
) -> None:
    folder = write_section(  # type: ignore[operator]
        "start-here", "Title\x1b[2J", 1, "Body \x1b]52;c;cGF5bG9hZA==\x07 text [x](#)\n"
    )
    app = make_app(folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.reader.section is not None
        assert app.reader.section.title == "Title"
        assert "\x1b" not in app.reader.section.body
        messages = [n.message for n in app._notifications]
        assert any("escape sequences were removed" in m for m in messages)


async def test_markup_in_content_is_shown_as_text(write_section: object) -> None:
    from textual.style import Style

    from ketaguide_tui.tui.palette import _highlighted

    title = "Doses [b]not[/b] [@click=app.quit]advice[/]"
    folder = write_section("start-here", title, 1, "Body.\n\n## Heading [i]x[/i]\n")  # type: ignore[operator]
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        tree = app.reader.query_one(SectionTree)
        assert str(tree.root.children[0].label).strip(" ✓") == title
        assert app.reader.viewer.line_texts()[1].strip() == title
        await pilot.press("ctrl+p", *"doses")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running  # the [@click=app.quit] in the title did not run
    assert _highlighted(title, [0, 1], Style(bold=True)).plain == title


async def test_garbage_collection_resumes_after_page_turns(small_guide: Path) -> None:
    # Collection pauses from a page turn until its frame is drawn; a dialog
    # opened before that frame must not leave it paused for the rest of the session.
    app = make_app(small_guide)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.reader.open_place("effects")
        app.action_search()
        await pilot.pause(1.3)
        assert gc.isenabled()
        await pilot.press("escape", "right_square_bracket")
        await pilot.pause()
        assert gc.isenabled()


async def test_garbage_collection_resumes_when_the_text_is_hidden_at_once(
    small_guide: Path,
) -> None:
    # On a narrow screen the sidebar can cover the text before the page turn's
    # frame is drawn; the pause must not last until the text is shown again.
    app = make_app(small_guide)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        await app.reader.open_place("effects")
        app.reader.show_sidebar = True
        await pilot.pause()
        assert not app.reader.viewer.display
        assert gc.isenabled()


async def test_sidebar_unfolds_a_folded_heading_the_reader_reaches(small_guide: Path) -> None:
    app = make_app(small_guide, section_id="effects")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        tree = app.reader.query_one(SectionTree)
        common = next(
            node
            for node in tree.root.children[1].children
            if node.data is not None and node.data.anchor == "common-effects"
        )
        common.collapse()
        await pilot.pause()
        await app.reader.open_place("effects", "blood-pressure")
        await pilot.pause()
        assert common.is_expanded
        assert sidebar_place(app) == ("effects", "blood-pressure")


async def test_viewer_hands_back_the_same_line_until_something_changes(small_guide: Path) -> None:
    # Drawn lines are kept (as Textual's Log keeps them); a kept line must never
    # outlive a change the reader would see: marks, theme or width.
    app = make_app(small_guide, section_id="effects")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        viewer = app.reader.viewer
        y = next(i for i, text in enumerate(viewer.line_texts()) if "Dizziness" in text)
        first = viewer.render_line(y)
        assert viewer.render_line(y) is first

        assert viewer.mark(("dizziness",), lambda text, terms: [(2, 11)] * ("Dizz" in text))
        marked = viewer.render_line(y)
        assert marked is not first and marked.text == first.text
        assert marked != first  # the mark is drawn
        viewer.clear_marks()
        assert viewer.render_line(y) == first

        app.theme = "ketaguide-light"
        await pilot.pause()
        themed = viewer.render_line(y)
        assert themed.text == first.text and themed != first

        await pilot.resize_terminal(90, 30)
        await pilot.pause()
        assert viewer.render_line(y).cell_length == viewer.size.width != first.cell_length
