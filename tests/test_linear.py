"""The linear reader (`ketaguide --linear`): spoken-style text, numbered choices, lines in.

Driven as a screen-reader user or a script would drive it: lines typed on
standard input, the printed text read back. What must hold everywhere: no
escape code or other control character, short lines, crisis help one word away
and first when a search is about a crisis, the place kept at the end of input.
"""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from conftest import SectionWriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketaguide_tui.crisis_fallback import CRISIS_FALLBACK_LINES
from ketaguide_tui.guide.model import load_guide
from ketaguide_tui.linear import LinearReader
from ketaguide_tui.linear.spoken import WIDTH
from ketaguide_tui.state import Place, StateStore

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
GUIDE = load_guide()


def read(
    typed: str,
    place: Place | None = None,
    store: StateStore | None = None,
    guide_folder: Path | None = None,
) -> str:
    """What the linear reader prints for `typed` (lines), starting at `place`."""
    guide = GUIDE if guide_folder is None else load_guide(guide_folder)
    out = io.StringIO()
    reader = LinearReader(guide, io.StringIO(typed), out, store=store, place=place)
    assert reader.run() == 0
    return out.getvalue()


def assert_speakable(text: str) -> None:
    """No control characters and no line longer than WIDTH, except one unbreakable word."""
    assert not CONTROL.search(text), repr(CONTROL.search(text))
    for line in text.splitlines():
        assert len(line) <= WIDTH or " " not in line.strip(), line


def test_section_is_spoken_with_its_structure() -> None:
    text = read("", Place("side-effects"))
    assert "Heading level 1: Side effects" in text
    assert "Last reviewed" in text
    # The bundled guide gives every section a next review date (and none is overdue yet).
    assert "\nNext review due " in text or "\nReview overdue since " in text
    assert "\nHeading level 2: Common effects\n" in text
    flat = " ".join(text.split())
    assert "Effect: Nausea. What it feels like: Feeling sick. Esketamine: 28%. Placebo: 9%." in flat
    assert "Table with 4 columns and 10 rows." in flat
    assert "List of 6 items:" in flat and "Item 1: Knowing what to expect." in flat
    assert "(Spravato label (link 1))" in flat
    assert "Choices: 1 next section, 2 previous section, 3 contents, 4 search" in flat
    assert_speakable(text)


def test_the_section_is_printed_once_and_nothing_is_redrawn() -> None:
    text = read("5\n\n7\n", Place("side-effects"))
    assert text.count("Heading level 2: Common effects") == 1
    assert text.count("Links in Side effects:") == 1


def test_next_previous_and_contents_open_sections_by_number() -> None:
    text = read("next\n2\n3\n4\n", Place("start-here"))
    titles = re.findall(r"^Heading level 1: (.+)$", text, re.MULTILINE)
    second, fourth = GUIDE.sections[1].title, GUIDE.sections[3].title
    assert titles == ["Start here", second, "Start here", fourth]
    assert f"4. {fourth}." in text
    assert "1. Start here (open now)." in text


def test_search_numbers_results_and_a_number_opens_that_place() -> None:
    text = read("search blood pressure\n1\n", Place("start-here"))
    results = text.split("Search results for blood pressure")[1]
    first = re.search(r"^1\. (.+?)\.$", results, re.MULTILINE)
    assert first is not None
    title, _, heading = first.group(1).partition(", ")
    opened = results.split("Type a result number")[1]
    assert f"Heading level 1: {title}" in opened
    assert f"Starting at the heading {heading}." in opened
    # It starts at that heading: the text before it is not printed.
    after_note = opened.split("Type 'again' to read the section from its top.\n")[1]
    first_line = next(line for line in after_note.splitlines() if line)
    assert re.fullmatch(rf"Heading level [23]: {re.escape(heading)}", first_line)


@pytest.mark.parametrize("query", ["I want to kill myself", "suicide", "crisis line uk"])
def test_a_crisis_search_prints_crisis_help_first(query: str) -> None:
    text = read(f"search {query}\n", Place("side-effects"))
    after = text.split("Choices:")[1]
    assert after.index("Help now:") < after.index("911") < after.index("Search results")
    assert "Type 6 or help, then Enter, for every crisis line." in after


@pytest.mark.parametrize("word", ["help", "!", "6", "get help now", "HELP"])
def test_crisis_help_is_one_word_away(word: str) -> None:
    text = read(f"{word}\n", Place("side-effects"))
    assert "Heading level 1: Get help now" in text.split("Choices:")[1]


def test_crisis_help_without_the_section_says_the_numbers(small_guide: Path) -> None:
    (small_guide / "get-help-now.md").unlink()
    text = read("help\n", guide_folder=small_guide)
    after = text.split("Choices:")[1]
    assert "Get help now.\n" + "\n".join(CRISIS_FALLBACK_LINES) in after
    # A crisis search is still recognised, by the bundled guide's crisis names.
    text = read("search I took too much\n", guide_folder=small_guide)
    after = text.split("Choices:")[1]
    assert after.index("In danger now? Call an emergency number:") < after.index("No results")


def test_links_say_where_they_go_and_a_number_follows_one(small_guide: Path) -> None:
    text = read("links\n1\n", Place("start-here"), guide_folder=small_guide)
    flat = " ".join(text.split())
    assert "Links in Start here: 3." in flat
    assert "Link 1: effects. Goes to the section Effects, at the heading Common effects." in flat
    assert "Link 3: Site. Goes to the web page https://example.org" in flat
    opened = text.split("Type a link number")[1]
    assert "Heading level 1: Effects" in opened
    assert "Starting at the heading Common effects." in opened


def test_a_web_link_is_given_as_an_address_not_opened(small_guide: Path) -> None:
    text = read("l\n3\n", Place("start-here"), guide_folder=small_guide)
    assert "This reader does not open web pages" in text
    assert text.split("copy its address:\n")[1].startswith("https://example.org\n")


def test_end_of_input_quits_and_keeps_the_place(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state")
    first = read("next\n", Place("start-here"), store)
    assert "Closed. The reader will open at" in first
    again = read("", None, StateStore(tmp_path / "state"))
    second_title = GUIDE.sections[1].title
    assert again.split("\n")[2] == f"Heading level 1: {second_title}"


def test_words_that_are_not_choices_are_searched() -> None:
    text = read("nasal spray\n", Place("start-here"))
    assert "Search results for nasal spray" in text


def test_unknown_numbers_go_back_without_error() -> None:
    text = read("3\n999\n", Place("start-here"))
    # 999 is no section: read as a search for it, never a crash.
    assert "Traceback" not in text
    assert text.rstrip().endswith("next time.")


def test_hostile_content_reaches_the_output_cleaned(write_section: SectionWriter) -> None:
    folder = write_section(
        "start-here",
        "Start\u001b]0;TITLE\u0007 here",
        10,
        "<script>alert(1)</script>\n\nText &#x1b;[31mred &#x202e;evil\n\n"
        "| A | B |\n|---|---|\n| x\u009b1m | &#13;y |\n\n[link](https://x.example/%1b]0;T%1b%5c)\n",
    )
    text = read("5\n", guide_folder=folder)
    assert_speakable(text)
    assert "alert(1)" not in text
    assert "A: x1m. B: y." in text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(max_size=40), max_size=8))
def test_any_typed_lines_never_crash_or_leak_controls(lines: list[str]) -> None:
    typed = "".join(line.replace("\n", " ") + "\n" for line in lines)
    text = read(typed, Place("get-help-now"))
    assert_speakable(text)
    assert text.rstrip().endswith("next time.")


def test_ascii_output_gets_ascii_equivalents(ketaguide: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [str(ketaguide), "--linear", "--section", "side-effects"],
        input=b"5\nsearch dose\n1\n",
        capture_output=True,
        timeout=60,
        check=False,
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONIOENCODING": "ascii",
            "LC_ALL": "C",
            "KETAGUIDE_STATE_DIR": str(tmp_path / "state"),
            "KETAGUIDE_CONFIG_DIR": str(tmp_path / "config"),
        },
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    assert done.stdout.isascii()
    assert b"Heading level 1: Side effects" in done.stdout


def test_the_hostile_corpus_reads_clean(tmp_path: Path) -> None:
    from test_hostile import assert_clean, hostile_folder

    guide = load_guide(hostile_folder(tmp_path))
    typed = "links\n1\nsearch override\n1\ncontents\n\nhelp\n"
    for section in guide:
        out = io.StringIO()
        reader = LinearReader(guide, io.StringIO(typed), out, store=None, place=Place(section.id))
        assert reader.run() == 0
        assert_clean(out.getvalue(), section.id)
        assert f"Heading level 1: {section.title}" in out.getvalue()


@pytest.mark.parametrize("typed", ["\u00b9", "\u0663", "\uff13", "3" * 50])
def test_digits_that_are_not_plain_numbers_are_not_choices(typed: str) -> None:
    text = read(f"contents\n{typed}\n", Place("start-here"))
    assert text.count("Heading level 1:") == 1  # nothing opened, and no crash
