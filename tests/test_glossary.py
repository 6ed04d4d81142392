"""The glossary as data: entries, their names (heading, brackets, "Also called:"),
finding them in text, and what `check` says about the names."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from conftest import SectionWriter
from hypothesis import given, settings
from hypothesis import strategies as st

from ketaguide_tui.guide.check import check_guide
from ketaguide_tui.guide.glossary import Glossary, glossary_of
from ketaguide_tui.guide.model import load_guide

GLOSSARY = """Intro.

## Abbreviations

### REMS (Risk Evaluation and Mitigation Strategy)

A US safety programme.

### CADSS (a rating scale for dissociation)

A checklist.

### RCT (randomised controlled trial)

See below.

### WHO (World Health Organization)

The UN health agency.

## Terms

### Randomised controlled trial

Also called: randomized controlled trial (US spelling), RCT study.

A fair test.

### Off-label

Used in a way the licence does not cover.

### Class B

A UK category.

## Sources

### Not an entry

- [x](https://example.org/x)
"""


def write_glossary(write_section: SectionWriter, body: str = GLOSSARY) -> Path:
    write_section("start-here", "Start", 1, "Hello.\n")
    return write_section("glossary", "Glossary", 90, body)


def glossary_for(folder: Path) -> Glossary:
    return glossary_of(load_guide(folder))


def terms(glossary: Glossary, text: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.entry.term) for m in glossary.find(text)]


def test_entries_and_their_names(write_section: SectionWriter) -> None:
    glossary = glossary_for(write_glossary(write_section))
    names = {entry.term: entry.names for entry in glossary.entries}
    assert names == {
        "REMS": ("REMS", "Risk Evaluation and Mitigation Strategy"),
        "CADSS": ("CADSS",),  # a description in brackets is not a name
        "RCT": ("RCT",),  # its expansion has an entry of its own
        "WHO": ("WHO", "World Health Organization"),
        "Randomised controlled trial": (
            "Randomised controlled trial",
            "randomized controlled trial",
            "RCT study",
        ),
        "Off-label": ("Off-label",),
        "Class B": ("Class B",),
    }
    rems = glossary.entry(glossary.entries[0].anchor)
    assert rems is not None and rems.definition == "A US safety programme."


def test_names_match_whole_words_in_the_right_case(write_section: SectionWriter) -> None:
    glossary = glossary_for(write_glossary(write_section))
    text = "Who knows? The WHO and the REMS rules; off-label use, Class B not class b, rems."
    assert terms(glossary, text) == [
        ("WHO", "WHO"),
        ("REMS", "REMS"),
        ("off-label", "Off-label"),
        ("Class B", "Class B"),
    ]
    assert terms(glossary, "OFFLABEL, REMSA, labels, preREMS") == []


def test_plurals_possessives_and_the_longest_name_win(write_section: SectionWriter) -> None:
    glossary = glossary_for(write_glossary(write_section))
    text = "Two RCTs, the RCT's size, randomized controlled\n  trials, and an RCT study."
    assert terms(glossary, text) == [
        ("RCTs", "RCT"),
        ("RCT's", "RCT"),
        ("randomized controlled\n  trials", "Randomised controlled trial"),
        ("RCT study", "Randomised controlled trial"),
    ]
    # Words split by punctuation are not one name.
    assert terms(glossary, "randomized, controlled trial") == []


def test_a_guide_without_a_glossary_has_no_entries(small_guide: Path) -> None:
    glossary = glossary_for(small_guide)
    assert not glossary and glossary.find("REMS and WHO") == []


def test_check_reports_an_empty_name_and_a_name_two_entries_list(
    write_section: SectionWriter,
) -> None:
    body = GLOSSARY.replace(
        "Used in a way", "Also called: unlicensed use, , RCT study.\n\nUsed in a way"
    )
    folder = write_glossary(write_section, body)
    found = [p for p in check_guide(load_guide(folder), today=date(2026, 1, 1)) if not p.warning]
    messages = [(p.path.name, p.message) for p in found]
    assert ("glossary.md", "'Also called:' has an empty name") in messages
    assert (
        "glossary.md",
        "the name 'RCT study' also belongs to the entry 'Randomised controlled trial'",
    ) in messages


def test_the_bundled_glossary_is_clean_and_finds_its_terms() -> None:
    guide = load_guide()
    glossary = glossary_of(guide)
    assert len(glossary.entries) > 100 and glossary.problems == ()
    found = {m.entry.term for m in glossary.find("REMS and dissociation after an infusion")}
    assert found == {"REMS", "Dissociation", "Infusion"}


@cache
def bundled_glossary() -> Glossary:
    return glossary_of(load_guide())


@settings(deadline=None)  # the first example loads the guide
@given(text=st.text(max_size=300))
def test_any_text_gives_ordered_spans_of_real_names(text: str) -> None:
    glossary = bundled_glossary()
    last = 0
    for match in glossary.find(text):
        assert last <= match.start < match.end <= len(text)
        last = match.end
