"""Find in this section, the link list, and how the search dialog says what it shows."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from textual.widgets import Input

from ketaguide_tui.guide.inline_text import Link
from ketaguide_tui.guide.model import load_guide
from ketaguide_tui.search.results import SearchResults
from ketaguide_tui.tui.app import KetaguideApp
from ketaguide_tui.tui.find_in_section import section_texts
from ketaguide_tui.tui.screens.dialogs import WebLinkScreen
from ketaguide_tui.tui.screens.link_list import LinkListScreen, link_targets, nearest
from ketaguide_tui.tui.screens.reader import ReaderScreen
from ketaguide_tui.tui.screens.search import SearchScreen, results_status
from ketaguide_tui.tui.widgets.find_bar import FindBar, count_matches, find_term
from ketaguide_tui.tui.widgets.match_status import match_text

BUNDLED = load_guide()


def status_text(app: KetaguideApp) -> str:
    return str(app.reader.query_one("#status").render())


async def wait_for_index(app: KetaguideApp, pilot: object) -> None:
    for _ in range(200):
        if app.search_index is not None:
            return
        await pilot.pause(0.02)  # type: ignore[attr-defined]
    raise AssertionError("search index never became ready")


# --- Find in this section ------------------------------------------------------------------------


async def test_find_marks_as_you_type_and_n_steps_through(small_guide: Path) -> None:
    app = KetaguideApp(load_guide(small_guide), section_id="effects")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f")
        bar = app.reader.query_one(FindBar)
        assert bar.display and app.focused is bar.input
        await pilot.press(*"effe")
        await pilot.pause()
        viewer = app.reader.viewer
        total = viewer.match_count
        # "effects" is in the title, the heading and every "Line n.i about effects."
        assert total > 10
        assert f"match 1 of {total}" in status_text(app)
        assert "in this section" in status_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert not bar.display and app.focused is viewer
        await pilot.press("n", "n")
        assert f"match 3 of {total}" in status_text(app)
        await pilot.press("N")
        assert f"match 2 of {total}" in status_text(app)
        line = viewer.current_match_line
        assert line is not None and "effect" in viewer.line_texts()[line].lower()


async def test_the_find_box_is_made_when_first_asked_for(small_guide: Path) -> None:
    # The reading screen starts without a text box (it held up the first frame), and the
    # first `f` makes one that takes the keys at once.
    app = KetaguideApp(load_guide(small_guide), section_id="effects")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not app.reader.query(Input)
        await pilot.press("f", *"dizz")
        await pilot.pause()
        assert app.reader.query_one(FindBar).input.value == "dizz"
        assert app.reader.viewer.match_count == 1
        await pilot.press("escape", "f")  # made once: the same box comes back
        await pilot.pause()
        assert len(app.reader.query(Input)) == 1 and isinstance(app.focused, Input)


async def test_find_narrows_as_you_type_and_says_when_nothing_matches(small_guide: Path) -> None:
    app = KetaguideApp(load_guide(small_guide), section_id="effects")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+f", *"dizz")
        await pilot.pause()
        assert app.reader.viewer.match_count == 1
        await pilot.press(*"yq")
        await pilot.pause()
        assert app.reader.viewer.match_count == 0
        assert "No match" in status_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not app.reader.query_one(FindBar).display
        assert not app.reader.query_one("#status").display
        assert app.focused is app.reader.viewer


async def test_escape_in_the_find_bar_clears_the_marks(small_guide: Path) -> None:
    app = KetaguideApp(load_guide(small_guide), section_id="effects")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f", *"nausea")
        await pilot.pause()
        assert app.reader.viewer.match_count == 1
        await pilot.press("escape")
        await pilot.pause()
        assert app.reader.viewer.match_count == 0


async def test_find_counts_in_the_section_that_is_open_now(small_guide: Path) -> None:
    app = KetaguideApp(load_guide(small_guide), section_id="effects")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f", *"cal")
        await pilot.pause()
        assert app.reader.viewer.match_count == 0  # "call" is only in Get help now
        await app.reader.open_place("get-help-now")
        await pilot.press("l")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.reader.viewer.match_count == 2
        assert "match 1 of 2 of “call” in this section" in status_text(app)


async def test_slash_is_still_the_whole_guide_search(small_guide: Path) -> None:
    app = KetaguideApp(load_guide(small_guide), section_id="effects")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)


async def test_a_long_section_is_marked_as_drawn_and_counted_in_the_background(
    write_section: object, tmp_path: Path
) -> None:
    body = "\n\n".join(
        f"## Part {n}\n\n" + " ".join(f"Sentence {i} names the needle." for i in range(20))
        for n in range(150)
    )
    write_section("long", "Long", 10, body)  # type: ignore[operator]
    guide = load_guide(tmp_path / "content")
    section = guide.get("long")
    assert section is not None
    expected = count_matches(section_texts(section), "needle")
    assert expected == 150 * 20
    app = KetaguideApp(guide, section_id="long")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f", *"needle")
        await pilot.pause()
        viewer = app.reader.viewer
        assert 1 <= viewer.match_count <= expected  # what is drawn so far, at once
        # The bar's count of the whole section arrives from its worker.
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert f"of {expected} " in status_text(app)
        # Once the section is drawn, every match is marked.
        for _ in range(400):
            if viewer.match_count == expected:
                break
            await pilot.pause(0.05)
        assert viewer.match_count == expected
        assert "marking the rest" not in status_text(app)


def test_find_term_and_count_match_like_the_marks() -> None:
    assert find_term("  Blood   PRES ") == "blood pres"
    assert find_term("!!!") == ""
    assert count_matches(["High blood pressure.", "Blood pressure falls."], "blood pres") == 2
    assert count_matches(["anything"], "") == 0


@given(st.text(max_size=300))
def test_any_typed_text_gives_a_term_without_crashing(typed: str) -> None:
    term = find_term(typed)
    assert count_matches(["Ketamine and blood pressure"], term) >= 0
    assert term == " ".join(term.split())  # one run of words, nothing else


def test_the_status_line_says_what_it_counts() -> None:
    assert match_text(3, 7).startswith(" match 3 of 7 in this section")
    assert "marking the rest" in match_text(1, 40, counted=57, find="needle")
    assert "of 57" in match_text(1, 40, counted=57, find="needle")
    assert "No match of “x” in this section" in match_text(0, 0, find="x")
    assert match_text(0, 0) == ""


# --- The link list -------------------------------------------------------------------------------


def test_links_are_listed_once_each_with_their_count_and_where_they_go() -> None:
    section = BUNDLED.get("esketamine-spravato")
    assert section is not None
    targets = link_targets(section.links, section.id, BUNDLED)
    label = [t for t in targets if t.where == "References › Spravato label"]
    assert len(label) == 1 and label[0].count > 5
    wheres = [t.where for t in targets]
    assert len(wheres) == len(set(wheres))
    assert not any(".md" in where for where in wheres)
    assert sum(t.count for t in targets) == len(section.links)


def test_a_web_link_shows_its_full_address() -> None:
    targets = link_targets([Link("https://example.org/a?b=c", "Site", 3)], "start-here", BUNDLED)
    assert targets[0].where == "https://example.org/a?b=c" and targets[0].web


def test_nearest_is_the_first_link_at_or_after_the_reading_position() -> None:
    links = [Link("https://a.example", "A", 5), Link("https://b.example", "B", 20)]
    links.append(Link("https://a.example", "A", 40))
    targets = link_targets(links, "start-here", BUNDLED)
    assert [nearest(targets, line) for line in (0, 6, 21, 41)] == [0, 1, 0, 0]


async def test_link_list_filters_and_follows(small_guide: Path) -> None:
    app = KetaguideApp(load_guide(small_guide))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("o")
        assert isinstance(app.screen, LinkListScreen)
        assert len(app.screen.shown) == 3
        await pilot.press(*"crisis")  # no link says it
        await pilot.pause()
        assert app.screen.shown == []
        await pilot.press(*(["backspace"] * 6), *"get help")
        await pilot.pause()
        assert [t.where for t in app.screen.shown] == ["Get help now"]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.reader.section is not None and app.reader.section.id == "get-help-now"


async def test_link_list_opens_at_the_link_nearest_the_reading_position(
    small_guide: Path,
) -> None:
    app = KetaguideApp(load_guide(small_guide), section_id="start-here")
    async with app.run_test(size=(100, 30)) as pilot:
        await app.reader.open_place("start-here", "sources")
        await pilot.pause()
        await pilot.press("o")
        screen = app.screen
        assert isinstance(screen, LinkListScreen)
        assert screen.highlighted is not None
        assert screen.highlighted.where == "https://example.org"
        # A web address is still shown in full and confirmed before it opens.
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WebLinkScreen)


# --- The search dialog ---------------------------------------------------------------------------


def test_results_status_says_how_the_query_was_read_and_counts_honestly() -> None:
    results = SearchResults("can I drive home", (), None, read_as="drive home", total=22)
    text = results_status(results).plain
    assert "Showing results for drive home" in text
    corrected = SearchResults("ketamne", (), "ketamine", total=3)
    assert "Showing results for ketamine" in results_status(corrected).plain


async def test_search_dialog_shows_the_reading_and_an_honest_count() -> None:
    app = KetaguideApp(BUNDLED)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_index(app, pilot)
        await pilot.press("slash", *"what are the side effects")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SearchScreen) and screen.results is not None
        status = str(screen.query_one("#search-status").render())
        assert "Showing results for side effects" in status
        total = screen.results.total
        shown = len(screen.results.hits)
        assert total > shown
        assert f"{shown} of {total} results" in status
        # The rest come as the cursor reaches the end of the list.
        await pilot.press(*(["down"] * shown))
        await pilot.pause()
        assert len(screen.results.hits) > shown
