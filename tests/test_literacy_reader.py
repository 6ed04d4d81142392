"""The reader's literacy tools, driven as a person would: glossary terms marked in place,
explained by key, hover and click; questions added, edited, ticked, moved and deleted;
review status and "updated since you read it"."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from conftest import SectionWriter
from rich.segment import Segment
from textual.pilot import Pilot
from textual.widgets import Input

from ketaguide_tui.guide.model import load_guide
from ketaguide_tui.state import StateStore
from ketaguide_tui.tui.app import KetaguideApp
from ketaguide_tui.tui.screens.explain import ExplainScreen
from ketaguide_tui.tui.screens.questions import QuestionScreen, QuestionsScreen
from ketaguide_tui.tui.widgets.viewer import SectionViewer

GLOSSARY = """Words used in this guide.

## Terms

### REMS (Risk Evaluation and Mitigation Strategy)

A US safety programme for some medicines.

### Dissociation

Feeling detached from your body or surroundings.

### Placebo

A dummy treatment.
"""

QUESTIONS = """Take these to your appointment.

## About the treatment

- **Is this the nasal spray or ketamine into a vein?**
  - Why it matters: the rules differ.
- **How many sessions will I need?**
  - Why it matters: courses differ.

## Safety

- **Who watches me after a session?**
  - Why it matters: monitoring is required.
- **Can I drive home?**
  - Why it matters: you may not.

""" + "\n\n".join(f"Note {n} about the questions." for n in range(40))


@pytest.fixture
def literacy_guide(write_section: SectionWriter) -> Path:
    write_section(
        "start-here",
        "Start here",
        10,
        "Under the REMS you are watched. Dissociation is common; dissociation passes.\n\n"
        "See [the REMS page](glossary.md#rems-risk-evaluation-and-mitigation-strategy).\n\n"
        "## Later\n\nA placebo was used.\n",
    )
    write_section("questions-to-ask", "Questions to ask", 20, QUESTIONS)
    return write_section("glossary", "Glossary", 90, GLOSSARY)


def make_app(folder: Path, **options: object) -> KetaguideApp:
    return KetaguideApp(load_guide(folder), **options)  # type: ignore[arg-type]


async def wait_for(pilot: Pilot[None], condition: Callable[[], object]) -> None:
    for _ in range(100):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("the reader never got there")


def viewer(app: KetaguideApp) -> SectionViewer:
    return app.reader.viewer


def styled_words(app: KetaguideApp, word: str) -> list[Segment]:
    """The drawn segments of the viewer's visible lines whose text is `word`."""
    view = viewer(app)
    found = []
    for y in range(view.size.height):
        found += [s for s in view.render_line(y) if s.text == word]
    return found


def segments_with(app: KetaguideApp, text: str) -> list[Segment]:
    """The drawn segments of the viewer's visible lines that hold `text`."""
    view = viewer(app)
    return [s for y in range(view.size.height) for s in view.render_line(y) if text in s.text]


def term_offset(app: KetaguideApp, word: str) -> tuple[int, int]:
    """Where the first marked `word` is, in the viewer's own cells."""
    view = viewer(app)
    for y in range(view.size.height):
        x = 0
        for segment in view.render_line(y):
            if segment.text == word and segment.style and segment.style.italic:
                return x + 1, y
            x += len(segment.text)
    raise AssertionError(f"{word} is not marked on screen")


async def test_terms_are_marked_on_first_use_and_links_are_left_alone(
    literacy_guide: Path,
) -> None:
    app = make_app(literacy_guide)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: styled_words(app, "REMS"))
        rems = styled_words(app, "REMS")
        # In the text: marked (italic, with a click); in the link: the link's own look.
        assert rems[0].style is not None and rems[0].style.italic
        assert rems[0].style.meta["@click"].startswith("explain_term(")
        link = styled_words(app, "the REMS page")
        assert link and all(s.style and s.style.underline and not s.style.italic for s in link)
        # First use only: "Dissociation" marked, the second "dissociation" not.
        assert [bool(s.style and s.style.italic) for s in styled_words(app, "Dissociation")] == [
            True
        ]
        later = segments_with(app, "dissociation passes")
        assert later and not any(s.style and s.style.italic for s in later)


async def test_under_no_color_terms_are_italic_unlike_links_and_search_marks(
    literacy_guide: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(literacy_guide)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: styled_words(app, "Dissociation"))
        term = styled_words(app, "Dissociation")[0].style
        assert term is not None and term.italic and not term.underline and not term.reverse
        plain = segments_with(app, "dissociation passes")[0].style  # a later use: not marked
        assert plain is not None and term.color == plain.color and not plain.italic


async def test_explain_shows_the_terms_on_screen_and_enter_opens_the_entry(
    literacy_guide: Path,
) -> None:
    app = make_app(literacy_guide)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: viewer(app).glossary)
        await pilot.press("e")
        screen = app.screen
        assert isinstance(screen, ExplainScreen)
        assert [e.term for e in screen.entries] == ["REMS", "Dissociation", "Placebo"]
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: viewer(app).current_anchor == "dissociation")
        assert viewer(app).section is not None and viewer(app).section.id == "glossary"


async def test_hovering_a_term_shows_its_definition_and_a_click_explains_it(
    literacy_guide: Path,
) -> None:
    app = make_app(literacy_guide)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: styled_words(app, "Dissociation"))
        offset = term_offset(app, "Dissociation")
        await pilot.hover(SectionViewer, offset=offset)
        await wait_for(pilot, lambda: viewer(app).tooltip is not None)
        assert "Feeling detached" in str(viewer(app).tooltip)
        await pilot.hover(SectionViewer, offset=(offset[0], offset[1] + 3))
        await wait_for(pilot, lambda: viewer(app).tooltip is None)
        await pilot.click(SectionViewer, offset=offset)
        await wait_for(pilot, lambda: isinstance(app.screen, ExplainScreen))
        assert isinstance(app.screen, ExplainScreen)
        assert [e.term for e in app.screen.entries] == ["Dissociation"]
        await pilot.press("enter")
        await wait_for(pilot, lambda: viewer(app).current_anchor == "dissociation")


async def test_a_guide_without_a_glossary_says_so(small_guide: Path) -> None:
    app = make_app(small_guide)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.2)
        await pilot.press("e")
        assert not isinstance(app.screen, ExplainScreen)
        assert any("no glossary" in str(n.message) for n in app._notifications)


def saved_questions(state_dir: Path) -> list[dict[str, object]]:
    """The questions in the state file (a test guide's are kept under its folder)."""
    document = json.loads((state_dir / "state.json").read_text())
    (folder,) = document["folders"].values()
    questions: list[dict[str, object]] = folder["questions"]
    return questions


async def test_ask_offers_the_question_being_read_and_saves_it(
    literacy_guide: Path, tmp_path: Path
) -> None:
    app = make_app(literacy_guide, section_id="questions-to-ask", anchor="safety")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a")
        assert isinstance(app.screen, QuestionScreen)
        box = app.screen.query_one(Input)
        assert box.value == "Who watches me after a session?"
        await pilot.press("enter")
        await pilot.pause()
    saved = saved_questions(tmp_path / "state")
    assert [(q["text"], q["section_id"], q["anchor"]) for q in saved] == [
        ("Who watches me after a session?", "questions-to-ask", "safety")
    ]
    assert saved[0]["where"] == "Questions to ask › Safety"


async def test_ask_anywhere_takes_a_typed_question(literacy_guide: Path, tmp_path: Path) -> None:
    app = make_app(literacy_guide)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a")
        assert isinstance(app.screen, QuestionScreen)
        assert app.screen.query_one(Input).value == ""
        await pilot.press(*"Is it safe with my tablets?", "enter")
        await pilot.pause()
        await pilot.press("a", "escape")  # cancelled: nothing added
        await pilot.pause()
    assert [q["text"] for q in saved_questions(tmp_path / "state")] == [
        "Is it safe with my tablets?"
    ]


async def test_my_questions_edit_tick_reorder_and_delete(
    literacy_guide: Path, tmp_path: Path
) -> None:
    app = make_app(literacy_guide)
    async with app.run_test(size=(100, 30)) as pilot:
        for text in ("First?", "Second?", "Third?"):
            await pilot.press("a", *text, "enter")
        await pilot.press("A")
        assert isinstance(app.screen, QuestionsScreen)
        await pilot.press("x")  # tick off "First?"
        await pilot.press("down", "e", "ctrl+u", *"Second, changed?", "enter")
        await pilot.pause()
        await pilot.press("J")  # move it below "Third?"
        await pilot.press("up", "up", "d")  # delete "First?"
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuestionsScreen)
        assert [q.text for q in screen.questions] == ["Third?", "Second, changed?"]
        await pilot.press("enter")  # go to where "Third?" was asked
        await pilot.pause()
        assert not isinstance(app.screen, QuestionsScreen)
    saved = saved_questions(tmp_path / "state")
    assert [(q["text"], q["done"]) for q in saved] == [
        ("Third?", False),
        ("Second, changed?", False),
    ]


async def test_ticking_off_is_saved(literacy_guide: Path, tmp_path: Path) -> None:
    app = make_app(literacy_guide)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a", *"Cost?", "enter", "A", "x")
        await pilot.pause()
    assert [q["done"] for q in saved_questions(tmp_path / "state")] == [True]


def add_next_review(folder: Path, section_id: str, due: str) -> None:
    path = folder / f"{section_id}.md"
    path.write_text(path.read_text().replace("+++\n\n", f"next_review = {due}\n+++\n\n", 1))


async def test_the_viewer_says_when_the_next_review_is_due(literacy_guide: Path) -> None:
    add_next_review(literacy_guide, "start-here", "2026-09-01")
    app = make_app(literacy_guide, today=lambda: date(2026, 6, 1))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        lines = [line.strip() for line in viewer(app).line_texts()[:6]]
        assert lines[2].startswith("Last reviewed 15 January 2026")
        assert lines[3] == "Next review due 1 September 2026"


async def test_the_viewer_marks_an_overdue_section(literacy_guide: Path) -> None:
    add_next_review(literacy_guide, "start-here", "2026-03-01")
    app = make_app(literacy_guide, today=lambda: date(2026, 6, 1))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        line = viewer(app).line_texts()[3].strip()
        assert line.startswith("⚠ Review overdue since 1 March 2026")


async def test_a_section_reviewed_again_after_reading_is_no_longer_read(
    literacy_guide: Path, tmp_path: Path
) -> None:
    store = StateStore(tmp_path / "state")
    from ketaguide_tui.state import ReaderState, mark_read

    state = mark_read(ReaderState(), "start-here", "2025-12-01")  # read before the review
    state = mark_read(state, "glossary", "2026-01-15")  # read after it
    assert store.save(state) is None
    app = make_app(literacy_guide, store=store, section_id="questions-to-ask")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        labels = {
            node.data.section_id: str(node.label)
            for node in app.reader.sidebar.root.children
            if node.data
        }
        assert labels["start-here"].startswith("↻ ")
        assert "updated since you read it" in labels["start-here"]
        assert labels["glossary"].startswith("✓ ")
        assert "updated" not in " ".join(viewer(app).line_texts()[:6])
        await pilot.press("left_square_bracket")  # start-here: short, so read at once
        header = " ".join(viewer(app).line_texts()[:6])
        assert "This section was updated since you read it" in header
        await wait_for(pilot, lambda: str(app.reader.sidebar.root.children[0].label)[0] == "✓")
        assert "updated" not in str(app.reader.sidebar.root.children[0].label)
    reloaded, _ = StateStore(tmp_path / "state").load()
    assert ("start-here", "2026-01-15") in reloaded.read_reviewed


async def test_explain_ask_and_my_questions_are_in_the_palette_and_can_be_rebound(
    literacy_guide: Path, tmp_path: Path
) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "config.toml").write_text('[keys]\nexplain = "x"\nask = "ctrl+n"\n')
    app = make_app(literacy_guide, config_dir=config)
    async with app.run_test(size=(100, 30)) as pilot:
        labels = {command.title for command in app.get_system_commands(app.reader)}
        assert {"Explain", "Ask", "My questions"} <= labels
        await wait_for(pilot, lambda: viewer(app).glossary)
        await pilot.press("x")
        assert isinstance(app.screen, ExplainScreen)
        await pilot.press("escape", "ctrl+n")
        assert isinstance(app.screen, QuestionScreen)


async def test_a_glossary_that_comes_while_the_reader_closes_is_ignored(
    literacy_guide: Path,
) -> None:
    from ketaguide_tui.guide.glossary import glossary_of
    from ketaguide_tui.tui.app import GlossaryReady

    app = make_app(literacy_guide)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.reader.query_one("#panes").remove()  # as when the app shuts down
        app.post_message(GlossaryReady(glossary_of(app.guide)))
        await pilot.pause()
