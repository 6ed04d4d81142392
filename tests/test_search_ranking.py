"""Ranking: headings that echo a question's wording, and places that name what was asked."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ketaguide_tui.guide.model import load_guide
from ketaguide_tui.search import SearchIndex
from ketaguide_tui.search.echoes import echo_expression
from ketaguide_tui.search.planner import Plan, make_plan, read_query
from ketaguide_tui.search.speller import Speller
from ketaguide_tui.search.synonyms import SynonymTable

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
