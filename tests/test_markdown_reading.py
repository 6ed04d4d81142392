"""One reading of the Markdown: headings, links, blocks, plain text and passages agree.

The viewer, the sidebar, `show --plain`, `check` and search all take what they
need from `Section.reading`; these tests pin down the CommonMark cases where
readers used to disagree, and a hypothesis test checks that the viewer, the
reading and `show --plain` agree on every generated document.
"""

from __future__ import annotations

import contextlib
import io
import re
import tempfile
from pathlib import Path

from conftest import SectionWriter, section_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.markdown import Markdown
from rich.segment import Segment

from ketaguide_tui.cli import main
from ketaguide_tui.guide.bundled import bundled_content_dir
from ketaguide_tui.guide.check import check_guide
from ketaguide_tui.guide.markdown_reading import is_address, read_markdown
from ketaguide_tui.guide.model import Section, load_guide
from ketaguide_tui.tui.rendering import Palette, RenderedSection, block_markdown, section_blocks

PALETTE = Palette(accent="#ff8800", primary="#0088ff", secondary="#00aa00", muted="#888888")


def headings_of(markdown: str) -> list[tuple[int, str, str]]:
    return [(h.level, h.text, h.anchor) for h in read_markdown(markdown, 1).headings]


def test_an_image_in_a_heading_keeps_its_description() -> None:
    assert headings_of("## ![a](x.png) Title\n") == [(2, "a Title", "a-title")]
    assert headings_of("## ![an *old* `map`](x.png)\n") == [(2, "an old map", "an-old-map")]


def test_a_setext_heading_over_two_lines_keeps_the_space_between_them() -> None:
    assert headings_of("A paragraph that\nspans two lines\n===\n") == [
        (1, "A paragraph that spans two lines", "a-paragraph-that-spans-two-lines")
    ]


def test_commonmark_cases_a_line_reader_gets_wrong() -> None:
    # `## x` inside an HTML block is HTML; a lazy quote line swallows `===`; a link
    # reference definition cannot be a setext heading's text.
    assert headings_of("<div>\n## inside html\n</div>\n\n## After\n") == [(2, "After", "after")]
    assert headings_of("<!--\n## in a comment\n-->\n") == []
    assert headings_of("> quoted\n===\n") == []
    assert headings_of("[ref]: https://example.org\n===\n") == []
    assert headings_of("```\n## in code\n```\n\n    ## indented code\n") == []
    assert headings_of("> ## Quoted\n\n- ## Listed\n") == [
        (2, "Quoted", "quoted"),
        (2, "Listed", "listed"),
    ]


def test_raw_html_rule_tags_dropped_text_kept_blocks_dropped() -> None:
    reading = read_markdown(
        "Some <b>bold</b> text<!-- note --> here.\n\n<div>\nA whole block\n</div>\n\nEnd.\n", 1
    )
    assert reading.plain_text == "Some bold text here.\n\nEnd.\n"
    assert reading.passages[0].text == "Some bold text here. End."
    assert [b.kind for b in reading.blocks] == ["paragraph", "html_block", "paragraph"]
    assert reading.blocks[1].is_html and reading.blocks[1].plain == ""


def test_passages_are_cut_at_h2_and_h3_with_their_parent() -> None:
    reading = read_markdown(
        "Lead [text](https://example.org/a).\n\n## One\n\nFirst.\n\n#### Deep\n\nStill one.\n\n"
        "### One point one\n\nSub <https://example.org/x>.\n\n## Two\n\n```text\ncode\n```\n",
        1,
    )
    rows = [(p.heading.text if p.heading else None, p.context, p.text) for p in reading.passages]
    assert rows == [
        (None, "", "Lead text."),
        ("One", "", "First. Deep Still one."),
        ("One point one", "One", "Sub"),
        ("Two", "", "code"),
    ]


def test_links_carry_their_own_line_inside_a_paragraph() -> None:
    reading = read_markdown("First line\nsecond [a](a.md) line\n\n[b](b.md)\n", 10)
    assert [(link.href, link.text, link.line) for link in reading.links] == [
        ("a.md", "a", 11),
        ("b.md", "b", 13),
    ]


def test_decoded_controls_are_cleaned_and_reported(write_section: SectionWriter) -> None:
    body = (
        "## Title &#x202e;reversed\n\nCR&#13;here FF&#12;here\n\n"
        "<https://x.example/%1b]0;T%1b%5c>\n"
    )
    folder = write_section("evil", "Evil", 1, body)
    guide = load_guide(folder)
    section = guide.get("evil")
    assert section is not None
    reading = section.reading
    everything = "".join(
        [h.text for h in reading.headings]
        + [link.text + link.href for link in reading.links]
        + [reading.plain_text]
        + [p.text for p in reading.passages]
    )
    for bad in ("\x1b", "\r", "\x0c", "\u202e"):
        assert bad not in everything
    assert reading.headings[0].text == "Title reversed"
    messages = [(p.line, p.message) for p in check_guide(guide)]
    assert [line for line, _ in messages] == [9, 11, 13, 13]
    assert "U+202E Right-To-Left Override" in messages[0][1]
    assert "U+000D CR" in messages[1][1] and "U+000C FF" in messages[1][1]
    # The autolink's text (decoded by markdown-it) and its address (decoded to resolve it).
    assert sorted(message for _, message in messages[2:]) == [
        "control characters or escape sequences were removed: U+001B ESC (x2)",
        "link target: control characters or escape sequences were removed: U+001B ESC (x2)",
    ]


def viewer_text(write_section: SectionWriter, body: str) -> str:
    """All the text the viewer draws for a section with this body."""
    section = load_guide(write_section("s", "S", 1, body)).get("s")
    assert section is not None
    rendered = RenderedSection(section, 100, PALETTE)
    rendered.render_all()
    return "\n".join(rendered.line_text(line) for line in rendered.lines)


def test_the_viewer_shows_no_decoded_control(write_section: SectionWriter) -> None:
    text = viewer_text(write_section, "A &#x202e;b <https://x.example/%1b]0;T%1b%5c>\n")
    assert "\x1b" not in text and "\u202e" not in text
    assert "A b https://x.example/" in text


def test_viewer_blocks_leave_out_html_blocks(write_section: SectionWriter) -> None:
    text = viewer_text(write_section, "Before.\n\n<div>\nhidden words\n</div>\n\nAfter.\n")
    assert "Before." in text and "After." in text and "hidden" not in text


# --- Generated documents: viewer, reading and `show --plain` agree -------------------------------

WORDS = st.sampled_from(
    ["ketamine", "dose", "Nasal", "spray", "Risk", "mood", "Café", "x", "over", "two", "Ünïcode"]
)
INLINE = st.one_of(
    WORDS,
    WORDS.map(lambda w: f"**{w}**"),
    WORDS.map(lambda w: f"_{w}_"),
    WORDS.map(lambda w: f"`{w}`"),
    WORDS.map(lambda w: f"[{w}](other.md#{w.lower()})"),
    WORDS.map(lambda w: f"[{w}](https://example.org/{w.lower()})"),
    WORDS.map(lambda w: f"![{w}](pic.png)"),
    WORDS.map(lambda w: f"<https://example.org/{w.lower()}>"),
    WORDS.map(lambda w: f"<b>{w}</b>"),
    WORDS.map(lambda w: f"<!-- {w} -->"),
    st.sampled_from(["&amp;", "\\*", "&copy;", "~~gone~~"]),
)
TEXT = st.lists(INLINE, min_size=1, max_size=5).map(" ".join)


@st.composite
def blocks(draw: st.DrawFn) -> str:
    text = draw(TEXT)
    other = draw(TEXT)
    level = draw(st.integers(1, 6))
    return draw(
        st.sampled_from(
            [
                f"{'#' * level} {text}",
                f"{'#' * level} {text} {'#' * draw(st.integers(1, 3))}",
                f"{text}\n{other}\n{'=' * draw(st.integers(1, 4))}",
                f"{text}\n---",
                f"> {text}\n===",
                f"> {text}\n{other}\n---",
                f"[ref]: https://example.org/r\n===\n{text}",
                f"<div>\n## {text}\n</div>",
                f"<!--\n## {text}\n-->",
                f"```\n## {text}\n```",
                f"```python\n{text}\n```",
                f"    ## {text}",
                f"- {text}\n  - ## {other}\n    - {text}",
                f"1. {text}\n2. {other}\n\n   ### {text}",
                f"> ## {text}\n>\n> {other}",
                f"| {text} | {other} |\n|---|---|\n| {other} | {text} |",
                text,
                f"{text}\n{other}",
                "---",
            ]
        )
    )


DOCUMENTS = st.lists(
    st.tuples(blocks(), st.sampled_from(["\n\n", "\n"])), min_size=1, max_size=8
).map(lambda parts: "".join(block + gap for block, gap in parts))

MARKER = re.compile(r"^(?:> )*\s*(?:\d+\.|-)(?:\s|$)")


def words(text: str) -> list[str]:
    """Case-folded words, web addresses and list numbering left out."""
    out: list[str] = []
    for line in text.split("\n"):
        for token in MARKER.sub("", line).casefold().split():
            if not is_address(token):
                out.extend(re.findall(r"\w+", token))
    return out


def show_plain(folder: Path, section_id: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["--content", str(folder), "show", section_id, "--plain"]) == 0
    return out.getvalue()


def viewer_heading_texts(section: Section) -> dict[str, str]:
    """Anchor -> the text the viewer draws for each top-level heading block."""
    rendered = RenderedSection(section, 200, PALETTE)
    rendered.render_all()
    texts: dict[str, str] = {}
    for anchor, start in rendered.anchor_lines.items():
        lines = []
        for line in rendered.lines[start:]:
            text = rendered.line_text(line).strip()
            if not text or set(text) == {"─"}:
                break
            lines.append(text)
        texts[anchor] = " ".join(lines)
    return texts


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS)
def test_viewer_reading_and_show_plain_agree(document: str) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        (folder / "doc.md").write_text(section_text("Doc", 1, document), encoding="utf-8")
        guide = load_guide(folder)
        section = guide.get("doc")
        assert section is not None, guide.problems
        reading = section.reading
        plain = show_plain(folder, "doc")

    # Heading texts and anchors: the reading, the viewer and `show --plain`.
    viewer = viewer_heading_texts(section)
    assert set(viewer) == {h.anchor for h in reading.headings}
    for block in reading.blocks:
        if block.heading is not None:
            assert viewer[block.heading.anchor] == block.heading.text
    plain_lines = iter(line.strip() for line in plain.split("\n"))
    for heading in reading.headings:
        assert any(line.endswith(heading.text) for line in plain_lines), heading

    # Words: `show --plain` against the passages search indexes (with their headings).
    indexed = [reading.passages[0].text]
    for passage in reading.passages[1:]:
        assert passage.heading is not None
        indexed += [passage.heading.text, passage.text]
    shown = words(plain)[len(words(f"Doc\n{section.reviewed_text}")) :]
    assert shown == words("\n".join(indexed))


def drawn(markdown: Markdown, width: int = 60) -> list[list[Segment]]:
    console = Console(width=width, force_terminal=True, color_system="truecolor")
    return console.render_lines(markdown, console.options.update(width=width), pad=False)


def test_every_block_of_the_guide_is_drawn_as_rich_draws_it_alone() -> None:
    # The viewer reads each block with one parser kept for all of them, instead of the
    # new parser Rich makes for each: what it draws must not change.
    guide = load_guide(bundled_content_dir())
    sources = [
        block.source
        for section in guide.sections
        for block in section_blocks(section)
        if not block.heading_level
    ]
    assert len(sources) > 300
    assert any("|---" in source for source in sources)  # tables are among them
    for source in sources:
        assert drawn(block_markdown(source)) == drawn(Markdown(source, hyperlinks=True)), source


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS, st.integers(min_value=10, max_value=100))
def test_any_block_is_drawn_as_rich_draws_it_alone(document: str, width: int) -> None:
    expected = drawn(Markdown(document, hyperlinks=True), width)
    assert drawn(block_markdown(document), width) == expected
