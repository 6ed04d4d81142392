"""Ranking: headings that echo a question's wording, and places that name what was asked."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_search import write_guide

from ketaguide_tui.guide.model import load_guide
from ketaguide_tui.search import SearchIndex
from ketaguide_tui.search.echoes import echo_expression
from ketaguide_tui.search.planner import Plan, make_plan, read_query
from ketaguide_tui.search.speller import Speller
from ketaguide_tui.search.synonyms import SynonymTable
from ketaguide_tui.search.widen import missing_factor

SPELLER = Speller({"ketamine": 50, "take": 10, "drive": 3, "home": 4, "session": 9}, 100)


def plan_of(query: str) -> Plan:
    reading = read_query(query, SPELLER)
    assert reading is not None
    table: SynonymTable = {}
    return make_plan(reading, table, 1)


@pytest.fixture(scope="module")
def bundled() -> SearchIndex:
    return SearchIndex.build(load_guide())


def places(index: SearchIndex, query: str, limit: int = 5) -> list[str]:
    hits = index.search(query, limit=limit).hits
    return [f"{hit.section_id}#{hit.anchor}" if hit.anchor else hit.section_id for hit in hits]


def test_a_question_asked_with_filler_words_finds_the_heading_that_echoes_them() -> None:
    typed = plan_of("who should not take ketamine ")
    expression = echo_expression(typed, typed.meaningful())
    assert expression is not None
    assert '"who should not"' in expression
    assert expression.startswith("{heading title}")


def test_runs_mostly_of_meaningful_words_are_not_echoes() -> None:
    # "after a session" is found by its own words; only "a" was left out of it.
    typed = plan_of("drive home after a session ")
    assert echo_expression(typed, typed.meaningful()) is None


def test_a_query_with_nothing_left_out_has_no_echoes() -> None:
    typed = plan_of("ketamine nasal spray dose")
    assert echo_expression(typed, typed) is None


@given(st.text(max_size=80))
def test_any_text_gives_a_valid_echo_expression_or_none(bundled: SearchIndex, text: str) -> None:
    reading = read_query(text, SPELLER)
    if reading is None:
        return
    typed = make_plan(reading, {}, 1)
    expression = echo_expression(typed, typed.meaningful())
    if expression is not None:
        bundled.raw_match(expression, 1)  # valid FTS5: raises otherwise


def test_rarity_counts_rare_words_for_more() -> None:
    assert SPELLER.rarity("drive") > SPELLER.rarity("session") > SPELLER.rarity("ketamine")


def test_who_should_not_take_it_reaches_a_who_should_not_heading(bundled: SearchIndex) -> None:
    hits = bundled.search("who should not take ketamine", limit=3).hits
    assert any(hit.heading and hit.heading.startswith("Who should not") for hit in hits)


@pytest.mark.parametrize(
    ("query", "answer"),
    [
        # The heading names every word asked, before "How long they last" in Side effects.
        ("how long does the effect last", "depression#how-long-the-effects-last"),
        ("can I drive home after a session", "what-to-expect#getting-home"),
        ("what happens if it does not work", "what-to-expect#if-it-does-not-work"),
    ],
)
def test_the_passage_whose_place_says_what_was_asked_comes_first(
    bundled: SearchIndex, query: str, answer: str
) -> None:
    assert places(bundled, query)[0] == answer


def test_crisis_questions_still_put_get_help_now_first(bundled: SearchIndex) -> None:
    for query in ("who should not be alone if I want to die", "how do I end my life"):
        assert places(bundled, query)[0].startswith("get-help-now")


@pytest.mark.parametrize(
    ("query", "entry"),
    [
        ("off-label", "glossary#off-label"),
        ("REMS", "glossary#rems-risk-evaluation-and-mitigation-strategy"),
        ("NMDA receptor", "glossary#nmdar-nmda-receptor"),  # the expansion of NMDAR
        ("what is esketamine", "glossary#esketamine"),
        ("disociation", "glossary#dissociation"),  # corrected, then exact
    ],
)
def test_an_exact_glossary_term_puts_its_definition_in_the_first_two(
    bundled: SearchIndex, query: str, entry: str
) -> None:
    assert entry in places(bundled, query, limit=2)


def test_the_prose_answer_stays_first_before_the_definition(bundled: SearchIndex) -> None:
    found = places(bundled, "what is esketamine", limit=2)
    assert found == ["esketamine-spravato", "glossary#esketamine"]


def test_a_query_that_only_mentions_a_term_does_not_move_its_definition(
    bundled: SearchIndex,
) -> None:
    # "off-label ketamine" is not the glossary term "off-label" alone.
    assert "glossary#off-label" not in places(bundled, "off-label ketamine prices", limit=2)


def test_a_title_that_says_only_a_common_word_of_the_question_does_not_lead(
    bundled: SearchIndex,
) -> None:
    # "What is ketamine" says "ketamine", in half the guide, and nothing else asked.
    hits = bundled.search("who should not take ketamine", limit=1).hits
    assert hits[0].heading is not None and hits[0].heading.startswith("Who should not")


def test_a_heading_that_names_both_things_compared_is_in_the_first_three(
    bundled: SearchIndex,
) -> None:
    found = places(bundled, "what is the difference between ketamine and esketamine", limit=3)
    assert "esketamine-spravato#racemic-ketamine-or-esketamine" in found


# --- A strict reading that finds little is widened (widen.py) ------------------------------------


def test_missing_a_common_part_costs_less_than_missing_a_rare_one() -> None:
    weights = [4.0, 1.0]  # a rare word, then a word in many passages
    assert missing_factor(weights, []) == 1.0
    assert missing_factor(weights, [1]) > missing_factor(weights, [0])
    assert missing_factor(weights, [0, 1]) < missing_factor(weights, [0])


def test_a_passage_missing_only_a_common_word_can_answer(bundled: SearchIndex) -> None:
    # Five passages say "sleepy" (or a synonym), "after" and "treatment"; the one that
    # answers is headed Dissociation and sedation and does not say "treatment".
    found = places(bundled, "sleepy after treatment", limit=3)
    assert "side-effects#dissociation-and-sedation" in found


def widening_guide(folder: Path) -> SearchIndex:
    common = "Ketamine treatment is discussed here in general terms."
    sections = {
        f"topic-{n}": (f"Topic {n}", [], f"{common}\n\n## Part {n}\n\n{common} Nothing else.\n")
        for n in range(8)
    }
    sections["effects"] = (
        "Effects",
        [],
        "What people notice.\n\n## Drowsiness\n\nFeeling drowsy after a dose is common.\n",
    )
    sections["after"] = (
        "After treatment",
        [],
        "Drowsy people wait after treatment until they feel well.\n\n"
        "## Planning\n\nPlan the drowsy hours after treatment.\n\n"
        "## Travel\n\nDo not drive while drowsy after treatment.\n",
    )
    return SearchIndex.build(write_guide(folder, sections))


def test_widening_lets_in_a_passage_that_misses_a_common_word(tmp_path: Path) -> None:
    index = widening_guide(tmp_path / "guide")
    found = [(hit.section_id, hit.anchor) for hit in index.search("drowsy after treatment").hits]
    # Three passages say all three words; the one headed Drowsiness misses "treatment",
    # a word in most passages here, and is listed with them.
    assert {("after", "planning"), ("after", "travel")} <= set(found)
    assert ("effects", "drowsiness") in found


def test_when_no_passage_has_every_word_more_parts_matched_still_come_first(
    tmp_path: Path,
) -> None:
    index = widening_guide(tmp_path / "guide")
    results = index.search("drowsiness general", limit=10)
    assert results.partial
    # Nothing says both; the heading that says the rare word comes before passages
    # that say only the common one, however strong their titles.
    assert (results.hits[0].section_id, results.hits[0].anchor) == ("effects", "drowsiness")


# --- A heading with no text: its H3s are its answer (settle.py) ---------------------------------


def test_the_other_parts_of_a_heading_with_no_text_follow_its_best_part(
    bundled: SearchIndex,
) -> None:
    # "During a session" has no text of its own: a Spravato session, then an infusion.
    found = places(bundled, "what happens during a session", limit=5)
    assert "what-to-expect#a-spravato-session" in found
    assert "what-to-expect#an-infusion-into-a-vein" in found


def test_a_heading_with_no_text_brings_its_parts_in_order(tmp_path: Path) -> None:
    body = (
        "Lead text.\n\n## When to avoid it\n\n### Ketamine\n\nAvoid it with heart disease.\n\n"
        "### The spray\n\nNot after recent bleeding in the brain.\n"
    )
    index = SearchIndex.build(write_guide(tmp_path / "guide", {"risks": ("Risks", [], body)}))
    found = [hit.anchor for hit in index.search("avoid", limit=5).hits]
    # "The spray" does not say "avoid", but it is the rest of the heading's answer.
    assert found[:2] == ["ketamine", "the-spray"]
    assert "when-to-avoid-it" not in found


def test_a_definition_that_ranks_first_gives_way_to_prose(bundled: SearchIndex) -> None:
    # The entry for NHS matches best, but the reader asked about getting treatment there.
    hits = bundled.search("can I get it on the NHS", limit=3).hits
    assert hits[0].section_id != "glossary"
    assert (hits[1].section_id, hits[1].anchor) == ("glossary", "nhs-national-health-service")
