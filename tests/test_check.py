"""`check`: links between sections and to headings, code fences, whole-folder problems."""

from __future__ import annotations

from pathlib import Path

from conftest import SectionWriter

from ketaguide_tui.guide.check import check_guide
from ketaguide_tui.guide.links import RefusedLink, SectionLink, WebLink, resolve_link
from ketaguide_tui.guide.model import load_guide


def test_good_folder_has_no_problems(small_guide: Path) -> None:
    assert check_guide(load_guide(small_guide)) == []


def test_broken_links_and_anchors_are_located(write_section: SectionWriter) -> None:
    folder = write_section(
        "a",
        "A",
        1,
        "Intro.\n\n## Here\n\n[ok](b.md#there) [gone](nowhere.md)\n\n"
        "[bad anchor](b.md#missing) [self](#here) [self bad](#nope)\n\n"
        "[escape](../../etc/passwd.md) [ftp](ftp://x.org/f) [mail](mailto:a@b.c)\n\n"
        "[js](javascript:alert(1)) [file](file:///etc/passwd)\n",
    )
    write_section("b", "B", 2, "## There\n\nText.\n")
    problems = check_guide(load_guide(folder))
    text = "\n".join(str(p) for p in problems)
    assert "a.md:13: broken link 'nowhere.md': there is no section 'nowhere'" in text
    assert "'b.md#missing': section 'b' has no heading '#missing'" in text
    assert "'#nope'" in text and "'#here'" not in text
    assert "points outside the guide" in text
    assert "'ftp:' links are not opened" in text
    assert "'mailto:' links are not opened" in text
    # The Markdown parser itself never makes javascript: or file: targets into links.
    section = load_guide(folder).get("a")
    assert section is not None
    assert not any(link.href.startswith(("javascript", "file")) for link in section.links)
    assert len(problems) == 6


def test_code_block_without_language_is_flagged(write_section: SectionWriter) -> None:
    folder = write_section("a", "A", 1, "Text.\n\n```\nno language\n```\n\n```text\nfine\n```\n")
    problems = check_guide(load_guide(folder))
    assert [p.message for p in problems] == ["code block without a language (add one)"]
    assert problems[0].line == 11


def test_duplicate_ids_differing_in_case(write_section: SectionWriter) -> None:
    folder = write_section("same", "One", 1, "x\n")
    write_section("Same", "Two", 2, "y\n")
    problems = check_guide(load_guide(folder))
    assert any("duplicate id" in p.message for p in problems)


def test_resolve_link_kinds(small_guide: Path) -> None:
    guide = load_guide(small_guide)
    assert resolve_link("effects.md#blood-pressure", "start-here", guide) == SectionLink(
        "effects", "blood-pressure"
    )
    assert resolve_link("#how-to-read", "start-here", guide) == SectionLink(
        "start-here", "how-to-read"
    )
    assert resolve_link("https://example.org/x?y=1", "start-here", guide) == WebLink(
        "https://example.org/x?y=1"
    )
    for bad in ["mailto:a@b.c", "", "http://", "effects.txt", "sub/effects.md", "/abs.md"]:
        assert isinstance(resolve_link(bad, "start-here", guide), RefusedLink), bad


def test_bundled_guide_passes_check() -> None:
    problems = check_guide(load_guide())
    assert [str(p) for p in problems] == []
