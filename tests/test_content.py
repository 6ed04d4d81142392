"""The content model: loading sections, front matter, headings, links, sanitising."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import SectionWriter

from ketaguide_tui.guide.model import ContentError, load_guide
from ketaguide_tui.guide.slugs import SlugTracker, slug


def test_sections_load_in_order_with_metadata(small_guide: Path) -> None:
    guide = load_guide(small_guide)
    assert [s.id for s in guide] == ["start-here", "effects", "get-help-now"]
    effects = guide.get("effects")
    assert effects is not None
    assert effects.title == "Effects"
    assert effects.reviewed == date(2026, 1, 15)
    assert effects.aliases == ("side effects", "adverse effects")
    assert guide.problems == ()


def test_headings_have_slugs_and_lines(small_guide: Path) -> None:
    effects = load_guide(small_guide).get("effects")
    assert effects is not None
    first = effects.toc[0]
    assert (first.level, first.text, first.anchor) == (2, "Common effects", "common-effects")
    assert effects.toc[1].anchor == "blood-pressure"
    text = (small_guide / "effects.md").read_text().split("\n")
    assert text[first.line - 1] == "## Common effects"


def test_sources_are_the_links_under_the_sources_heading(small_guide: Path) -> None:
    start = load_guide(small_guide).get("start-here")
    assert start is not None
    assert [link.href for link in start.sources] == ["https://example.org"]


def test_repeated_headings_get_numbered_slugs() -> None:
    tracker = SlugTracker()
    assert [tracker.slug("Notes"), tracker.slug("Notes"), tracker.slug("Notes")] == [
        "notes",
        "notes-1",
        "notes-2",
    ]
    assert slug("What helps? (and why)") == "what-helps-and-why"


def test_slugs_match_textuals_markdown_anchors() -> None:
    from urllib.parse import unquote

    from textual._slug import slug as textual_slug  # the viewer's own rule

    for text in ["Side effects", "What helps?", "Guimarães 2022", "A/B — test_1", "Émoji 🎉 ok"]:
        assert slug(text) == unquote(textual_slug(text))


def test_missing_folder_is_a_content_error(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="not found"):
        load_guide(tmp_path / "nope")


def test_empty_folder_is_a_content_error(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="no sections"):
        load_guide(tmp_path)


def test_broken_files_are_skipped_with_reasons(write_section: SectionWriter) -> None:
    folder = write_section("good", "Good", 1, "Fine.\n")
    (folder / "no-front.md").write_text("# Just text\n", encoding="utf-8")
    (folder / "latin1.md").write_bytes('+++\ntitle = "Caf\xe9"\n+++\n'.encode("latin-1"))
    (folder / "bad-toml.md").write_text("+++\ntitle = \n+++\nbody\n", encoding="utf-8")
    (folder / "missing.md").write_text('+++\ntitle = "Only title"\n+++\nbody\n', encoding="utf-8")
    guide = load_guide(folder)
    assert [s.id for s in guide] == ["good"]
    messages: dict[str, str] = {}
    for problem in guide.problems:
        messages[problem.path.name] = messages.get(problem.path.name, "") + problem.message
    assert "front matter" in messages["no-front.md"]
    assert "UTF-8" in messages["latin1.md"]
    assert "bad front matter" in messages["bad-toml.md"]
    assert "missing 'order'" in messages["missing.md"]


def test_wrong_types_are_reported(write_section: SectionWriter) -> None:
    folder = write_section("good", "Good", 1, "Fine.\n")
    (folder / "typed.md").write_text(
        '+++\ntitle = "T"\norder = "first"\nsummary = "S"\nreviewed = "last week"\n+++\nx\n',
        encoding="utf-8",
    )
    problems = [str(p) for p in load_guide(folder).problems]
    assert any("'order' has the wrong type" in p for p in problems)
    assert any("'reviewed' has the wrong type" in p for p in problems)


REMOVED = "control characters or escape sequences were removed"


def test_escape_sequences_are_removed_and_reported(write_section: SectionWriter) -> None:
    folder = write_section(
        "evil", "Evil\x1b]0;pwned\x07 title", 1, "Text \x1b[2J\x1b[31mred\x9b and \u202ebidi.\n"
    )
    guide = load_guide(folder)
    section = guide.get("evil")
    assert section is not None
    assert "\x1b" not in section.title + section.body
    assert "\x9b" not in section.body and "\u202e" not in section.body
    assert section.title == "Evil title"
    assert "Text red and bidi." in section.body
    # Each removed control is reported where it was, named so the author can find it.
    found = {(p.path.name, p.line, p.message) for p in guide.problems}
    assert found == {
        ("evil.md", 2, f"{REMOVED}: U+001B ESC, U+0007 BEL"),
        ("evil.md", 9, f"{REMOVED}: U+001B ESC (x2), U+009B CSI, U+202E Right-To-Left Override"),
    }


def test_closest_ids_suggest_near_misses(small_guide: Path) -> None:
    guide = load_guide(small_guide)
    assert guide.closest_ids("efects")[0] == "effects"
    assert "get-help-now" in guide.closest_ids("help")


def test_neighbours_follow_reading_order(small_guide: Path) -> None:
    guide = load_guide(small_guide)
    after = guide.neighbour("start-here", 1)
    assert after is not None and after.id == "effects"
    assert guide.neighbour("start-here", -1) is None
    assert guide.neighbour("get-help-now", 1) is None


def test_bundled_guide_loads_cleanly() -> None:
    guide = load_guide()
    assert len(guide) >= 3
    assert guide.problems == ()
    assert guide.sections[0].id == "start-here"
