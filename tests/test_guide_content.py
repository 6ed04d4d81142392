"""The bundled guide meets its editorial standards: complete, sourced, linked, plain, no hype."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pytest

from ketaguide_tui.guide.check import check_guide
from ketaguide_tui.guide.links import SectionLink, resolve_link
from ketaguide_tui.guide.model import Guide, Link, Section, load_guide

EXPECTED_ORDER = [
    "start-here",
    "what-is-ketamine",
    "history",
    "how-it-works",
    "depression",
    "suicidal-thoughts",
    "esketamine-spravato",
    "ptsd",
    "chronic-pain",
    "other-uses",
    "ways-it-is-given",
    "ketamine-assisted-therapy",
    "at-home-and-telehealth",
    "what-to-expect",
    "side-effects",
    "risks-and-who-should-avoid",
    "special-groups",
    "stopping-and-misuse",
    "cost-and-access",
    "questions-to-ask",
    "future",
    "myths-and-facts",
    "glossary",
    "references",
    "get-help-now",
]
MARKETING_WORDS = re.compile(
    r"\b(breakthrough|unparalleled|miracle|revolution\w*|game[- ]changer|groundbreaking|"
    r"remarkable|beacon|ray of hope|transformative|cutting[- ]edge|wonder drug|life[- ]changing|"
    r"amazing)\b",
    re.IGNORECASE,
)
# All-capital tokens such as TRD, HAM-D or SUSTAIN-1.
ABBREVIATION = re.compile(r"\b[A-Z][A-Z0-9]+(?:-[A-Z0-9]+)*\b")
# Everyday abbreviations a reader needs no entry for, and "SPRAVATO": a brand name, not an
# abbreviation, kept in capitals inside exact quotes from its label.
EVERYDAY = {"US", "UK", "EU", "SPRAVATO"}
LINK_TARGET = re.compile(r"\]\([^)]*\)")
INLINE_CODE = re.compile(r"`[^`]*`")


@pytest.fixture(scope="module")
def guide() -> Guide:
    return load_guide()


def reference_anchors(
    section: Section, guide: Guide, links: Iterable[Link] | None = None
) -> set[str]:
    """Entries in `references` that these links (all the section's by default) point to."""
    cited = set()
    for link in section.links if links is None else links:
        target = resolve_link(link.href, section.id, guide)
        if isinstance(target, SectionLink) and target.section_id == "references" and target.anchor:
            cited.add(target.anchor)
    return cited


def test_all_sections_in_order(guide: Guide) -> None:
    assert [s.id for s in guide] == EXPECTED_ORDER


def test_check_is_clean(guide: Guide) -> None:
    assert [str(p) for p in check_guide(guide)] == []


def test_every_section_has_a_review_date_and_ends_with_its_sources(guide: Guide) -> None:
    for section in guide:
        assert section.reviewed.year >= 2025, section.id
        if section.id == "references":
            continue
        last_h2 = [h for h in section.headings if h.level == 2][-1]
        assert last_h2.text == "Sources", f"{section.id} does not end with its sources"
        assert section.sources, f"{section.id} lists no sources"


def test_sources_list_matches_the_citations(guide: Guide) -> None:
    for section in guide:
        if section.id == "references":
            continue
        listed = reference_anchors(section, guide, section.sources)
        in_text = reference_anchors(
            section, guide, [link for link in section.links if link not in section.sources]
        )
        assert in_text == listed, f"{section.id}: cited but not listed, or listed but not cited"


def test_every_citation_points_to_a_reference_and_every_reference_is_cited(
    guide: Guide,
) -> None:
    references = guide.get("references")
    assert references is not None
    entries = {h.anchor for h in references.headings if h.level == 3}
    cited: set[str] = set()
    for section in guide:
        if section.id != "references":
            cited |= reference_anchors(section, guide)
    assert cited - entries == set(), "citations to missing references"
    assert entries - cited == set(), "references never cited"


def test_every_abbreviation_is_in_the_glossary(guide: Guide) -> None:
    glossary = guide.get("glossary")
    assert glossary is not None
    defined = {h.text.split(" (")[0] for h in glossary.headings if h.level == 3}
    missing: dict[str, str] = {}
    for section in guide:
        text = INLINE_CODE.sub("", LINK_TARGET.sub("]", section.body))
        if section.id == "references":
            # DOIs are identifiers, not words: their capitals need no definition.
            text = re.sub(r"\[doi:[^\]]*\]", "", text)
        for token in ABBREVIATION.findall(text + " " + " ".join(section.aliases)):
            if token not in defined and token not in EVERYDAY:
                missing.setdefault(token, section.id)
    assert missing == {}


def test_no_marketing_words(guide: Guide) -> None:
    for section in guide:
        found = MARKETING_WORDS.findall(" ".join([section.title, section.summary, section.body]))
        assert not found, f"{section.id}: {found}"


def test_clinical_sections_say_to_decide_with_a_clinician(guide: Guide) -> None:
    clinical = EXPECTED_ORDER[4:20]
    for section_id in clinical:
        section = guide.get(section_id)
        assert section is not None
        assert re.search(r"clinician|doctor|prescriber", section.body, re.I), section_id


def test_sections_link_onward(guide: Guide) -> None:
    for section in guide:
        if section.id in ("references",):
            continue
        targets = {
            t.section_id
            for link in section.links
            if isinstance(t := resolve_link(link.href, section.id, guide), SectionLink)
        } - {"references", section.id}
        assert targets, f"{section.id} links to no other section"


def test_crisis_section_has_the_lines(guide: Guide) -> None:
    help_now = guide.get("get-help-now")
    assert help_now is not None
    lines = (
        # Emergency numbers: US and Canada, UK, EU and Ireland, Australia, New Zealand.
        "911",
        "999",
        "112",
        "000",
        "111",
        # Crisis lines: US and Canada, UK and Ireland, Northern Ireland, Ireland, Australia, NZ.
        "988",
        "116 123",
        "0808 808 8000",
        "1800 247 247",
        "13 11 14",
        "1737",
        # Text services: Crisis Text Line (US), Shout (UK), 50808 (Ireland).
        "741741",
        "85258",
        "50808",
        # US Poison Help, and drug advice lines: FRANK (UK), SAMHSA (US).
        "1-800-222-1222",
        "0300 123 6600",
        "1-800-662-4357",
        "findahelpline.com",
    )
    for number in lines:
        assert number in help_now.body, number


def test_sections_are_long_enough_to_answer(guide: Guide) -> None:
    for section in guide:
        words = len(re.findall(r"\w+", LINK_TARGET.sub("]", section.body)))
        floor = 250 if section.id in ("get-help-now", "questions-to-ask") else 400
        assert words >= floor, f"{section.id} has only {words} words"
