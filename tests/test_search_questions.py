"""Search answers questions as people type them: the examples of the search issue, one by one.

A small guide is written to a temporary folder with a `synonyms.toml` and a
crisis section that has `places`, so each test shows one behaviour a reader
would notice: a question read without its filler words, everyday and clinical
words meeting, a country finding its crisis lines, sources ranking after the
prose that answers, a section found by its alias listed once, and a count of
results that says how many there are.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketaguide_tui.guide.model import CRISIS_SECTION_ID, Guide, load_guide
from ketaguide_tui.search import SearchIndex
from ketaguide_tui.search.citations import looks_like_citation
from ketaguide_tui.search.places import PlaceNames

SECTIONS: dict[str, tuple[str, list[str], list[str], str]] = {
    # id: (title, aliases, places, body)
    "what-to-expect": (
        "What to expect",
        ["session", "getting home"],
        [],
        """What happens before and after a session.

## Getting home

Plan for someone to take you home after every session. Do not drive yourself.

## Maintenance

Some people keep having a session every few weeks.

## Sources

- [Home 2020](references.md#home-2020)
""",
    ),
    "at-home": (
        "At-home treatment",
        ["home use", "can I use it at home"],
        [],
        """Some services post ketamine to your home, and you can use it there.

## Staying safer at home

Have a sober adult at home with you. You can ask them to call for help.
""",
    ),
    "side-effects": (
        "Side effects",
        ["nausea", "blood pressure"],
        [],
        """What people notice during and after a session.

## Blood pressure

Ketamine can cause high blood pressure for a while, so the clinic checks it.

## Feeling sick

Nausea and vomiting are common.

## Sources

- [Blood pressure 2019](references.md#blood-pressure-2019), blood pressure after ketamine
- [Blood pressure label](references.md#blood-pressure-label), blood pressure warnings
""",
    ),
    "references": (
        "References",
        ["citations"],
        [],
        """Every source this guide cites.

## Blood pressure 2019

Smith J. 2019. Blood pressure and heart rate after ketamine: blood pressure rises.

## Home 2020

Jones K. 2020. Getting home safely after day treatment.
""",
    ),
    "depression": (
        "Depression",
        ["ESCAPE-TRD", "treatment-resistant depression", "worry"],
        [],
        """What the trials show for depression that has not improved.

## The esketamine trials

A trial named ESCAPE-TRD compared esketamine with quetiapine in 676 people.

## Relapse

Depression often returns within weeks once treatment stops.

## How long it lasts

The benefit of one dose fades within a week.
""",
    ),
    "esketamine-spravato": (
        "Esketamine (Spravato)",
        ["nasal spray"],
        [],
        """The approved nasal spray.

## Other countries

Health Canada approved the spray. In Australia it was approved in 2021.
""",
    ),
    "cost-and-access": (
        "Cost and access",
        ["price"],
        [],
        """Who pays for treatment.

## In the UK

NICE did not recommend the spray for the NHS in England.

## In the US

Insurers usually ask for prior authorization.
""",
    ),
    "get-help-now": (
        "Get help now",
        ["crisis", "suicide", "suicidal", "want to die", "kill myself", "end my life", "988"],
        ["australia", "australian", "canada", "canadian", "new zealand", "nz", "ireland"],
        """In danger now? Call the emergency number.

## Australia

Call Lifeline on 13 11 14.

## Canada

Call or text 988.

## New Zealand

Call or text 1737.
""",
    ),
}

SYNONYMS = """
[[group]]
words = ["high blood pressure", "hypertension"]

[[group]]
words = ["vomiting", "throw up"]

[[group]]
words = ["drive", "driving"]

[[group]]
words = ["new zealand", "nz"]
"""


def write_guide(folder: Path) -> Guide:
    """The guide above, with its synonyms file, written to `folder` and loaded."""
    folder.mkdir(parents=True, exist_ok=True)
    for order, (section_id, (title, aliases, places, body)) in enumerate(SECTIONS.items(), 1):
        quoted = ", ".join(f'"{alias}"' for alias in aliases)
        where = ", ".join(f'"{place}"' for place in places)
        front = (
            f'title = "{title}"\norder = {order * 10}\nsummary = "About {title.lower()}."\n'
            f"reviewed = 2026-01-01\naliases = [{quoted}]\nplaces = [{where}]\n"
        )
        (folder / f"{section_id}.md").write_text(f"+++\n{front}+++\n\n{body}", encoding="utf-8")
    (folder / "synonyms.toml").write_text(SYNONYMS, encoding="utf-8")
    guide = load_guide(folder)
    assert not guide.problems
    return guide


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    return SearchIndex.build(write_guide(tmp_path_factory.mktemp("questions")))


def places(index: SearchIndex, query: str, limit: int = 20) -> list[str]:
    """The hits as "section#anchor" ("section" for a lead), best first."""
    hits = index.search(query, limit=limit).hits
    return [f"{hit.section_id}#{hit.anchor}" if hit.anchor else hit.section_id for hit in hits]


# --- Questions and everyday words -----------------------------------------------------------------


def test_a_question_is_read_without_its_filler_words(index: SearchIndex) -> None:
    # Every word required would find nothing: "can", "I" and "a" are in no passage
    # together with the rest. Read as a person wrote it, the question finds its answer.
    results = index.search("can I drive home after a session")
    assert results.read_as == "drive home after session"
    assert places(index, "can I drive home after a session")[0] == "what-to-expect#getting-home"


def test_more_hits_than_shown_are_counted(index: SearchIndex) -> None:
    results = index.search("session", limit=2)
    assert len(results.hits) == 2 < results.total == len(index.search("session", 1000).hits)


def test_a_query_searched_as_typed_is_not_said_to_be_read_otherwise(index: SearchIndex) -> None:
    results = index.search("blood pressure")
    assert results.read_as is None and not results.partial


def test_when_no_passage_has_every_word_those_with_most_come_first(index: SearchIndex) -> None:
    results = index.search("relapse weeks esketamine quetiapine")
    assert results.partial
    assert set(places(index, "relapse weeks esketamine quetiapine")[:2]) == {
        "depression#the-esketamine-trials",  # esketamine, quetiapine
        "depression#relapse",  # relapse, weeks
    }


def test_a_query_of_only_filler_words_is_searched_as_typed(index: SearchIndex) -> None:
    assert index.explain("can you") == '"can" AND "you"*'


def test_a_filler_word_in_capitals_is_an_abbreviation(tmp_path: Path) -> None:
    folder = tmp_path / "who"
    write_guide(folder)
    (folder / "glossary.md").write_text(
        '+++\ntitle = "Glossary"\norder = 900\nsummary = "Terms."\nreviewed = 2026-01-01\n+++\n\n'
        "## WHO (World Health Organization)\n\nA United Nations agency.\n",
        encoding="utf-8",
    )
    index = SearchIndex.build(load_guide(folder))
    assert index.explain("WHO agency") == '("who" OR "world health organization") AND "agency"*'
    assert index.explain("who agency") == '"agency"*'


def test_hyphenated_words_are_a_phrase(index: SearchIndex) -> None:
    assert index.explain("ESCAPE-TRD") == '"escape trd"*'
    assert places(index, "ESCAPE-TRD")[0] == "depression#the-esketamine-trials"


# --- Everyday and clinical words meet -------------------------------------------------------------


def test_hypertension_finds_high_blood_pressure(index: SearchIndex) -> None:
    # The guide says "raises blood pressure"; the vocabulary file says hypertension
    # is high blood pressure, and the section's alias says blood pressure.
    assert places(index, "hypertension")[0] in {"side-effects#blood-pressure", "side-effects"}


def test_everyday_words_find_the_clinical_ones(index: SearchIndex) -> None:
    assert places(index, "throw up")[0] == "side-effects#feeling-sick"


def test_without_a_synonyms_file_nothing_is_widened(tmp_path: Path) -> None:
    guide = write_guide(tmp_path / "plain")
    (tmp_path / "plain" / "synonyms.toml").unlink()
    assert SearchIndex.build(load_guide(guide.root)).search("hypertension").hits == ()


# --- Places ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("australia", "get-help-now#australia"),
        ("Australian", "get-help-now#australia"),
        ("canada", "get-help-now#canada"),
        ("nz", "get-help-now#new-zealand"),
        ("new zealand", "get-help-now#new-zealand"),
        ("ireland", "get-help-now"),  # a place with no heading of its own: the lead
    ],
)
def test_a_country_finds_the_crisis_lines_for_it(
    index: SearchIndex, query: str, expected: str
) -> None:
    assert places(index, query)[0] == expected


@pytest.mark.parametrize("query", ["spravato canada", "nice uk", "approved in australia"])
def test_places_do_not_make_other_queries_crisis_queries(index: SearchIndex, query: str) -> None:
    assert not places(index, query)[0].startswith(CRISIS_SECTION_ID)


def test_place_names_are_matched_word_by_word() -> None:
    names = PlaceNames([("help", ["new zealand", "nz", "canada"]), ("other", [])])
    assert names.section_for(("new", "zealand")) == "help"
    assert names.section_for(("canada", "nz")) == "help"
    assert names.section_for(("cana",), last_is_prefix=True) == "help"
    assert names.section_for(("can",), last_is_prefix=True) is None  # too short to tell
    assert names.section_for(("spravato", "canada")) is None
    assert names.section_for(("zealand",)) is None


# --- Crisis ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["I want to die", "i want to die", "end my life", "kill myself", "I want to end my life"],
)
def test_crisis_phrasings_made_of_filler_words_put_get_help_now_first(
    index: SearchIndex, query: str
) -> None:
    # "I", "want", "to", "my" are filler words; the crisis reading uses what was typed.
    assert places(index, query)[0] == CRISIS_SECTION_ID


def test_a_crisis_query_that_names_a_place_opens_at_its_lines(index: SearchIndex) -> None:
    assert places(index, "crisis canada")[0] == "get-help-now#canada"


@pytest.mark.parametrize("query", ["crisis canada", "australia", "nz"])
def test_lines_for_a_place_are_followed_by_the_numbers_for_everywhere(
    index: SearchIndex, query: str
) -> None:
    # Opened at a country's heading, the section's top (emergency numbers) is next.
    found = places(index, query)
    assert found[1] == CRISIS_SECTION_ID
    assert found.count(CRISIS_SECTION_ID) == 1


def test_a_crisis_query_is_not_given_its_lead_twice(index: SearchIndex) -> None:
    found = places(index, "kill myself")
    assert found[0] == CRISIS_SECTION_ID
    assert found.count(CRISIS_SECTION_ID) == 1


# --- Results that point at the answer -------------------------------------------------------------


def test_sources_rank_below_the_prose_that_answers(index: SearchIndex) -> None:
    # The Sources list and the reference say "blood pressure" most often, so plain
    # BM25 ranks them first; the paragraph with the answer comes first here.
    raw = index.raw_match('"blood" AND "pressure"', 1)
    assert index.passages[raw[0][0] - 1].reference
    found = places(index, "blood pressure")
    assert found[0] in {"side-effects#blood-pressure", "side-effects"}
    sources = [
        found.index(place) for place in found if "sources" in place or "references#" in place
    ]
    prose = [found.index(place) for place in found if place not in {found[i] for i in sources}]
    assert sources and max(prose) < min(sources)


@pytest.mark.parametrize("query", ["Smith 2019", "blood pressure 2019", "smith et al"])
def test_a_query_that_looks_like_a_citation_ranks_sources_with_prose(
    index: SearchIndex, query: str
) -> None:
    assert places(index, query)[0] == "references#blood-pressure-2019"


def test_citations_are_told_by_a_year_a_doi_or_a_trial_name() -> None:
    for query in ("Murrough 2013", "2019", "doi 10.1176/appi", "ESCAPE-TRD", "KetECT", "et al"):
        assert looks_like_citation(query), query
    for query in ("escape-trd", "blood pressure", "988", "side effects", "TRD"):
        assert not looks_like_citation(query), query


def test_an_alias_match_lists_the_section_once_at_its_best_passage(index: SearchIndex) -> None:
    # "worry" is an alias of Depression only: the section is listed once, at its lead.
    assert [place.split("#")[0] for place in places(index, "worry")].count("depression") == 1
    # "ESCAPE-TRD" is an alias too, and also in one passage's text: that passage
    # takes the lead's place, and the lead is not listed as well.
    found = places(index, "ESCAPE-TRD")
    assert found[0] == "depression#the-esketamine-trials" and "depression" not in found


def test_a_title_match_does_not_list_every_heading_of_the_section(index: SearchIndex) -> None:
    # "Cost and access" is the context of each of its passages; "cost" is in none
    # of their texts, so only the lead is a hit.
    assert places(index, "cost") == ["cost-and-access"]


# --- An honest count ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["session", "home", "blood pressure", "can I drive home after a session", "australia", "keta"],
)
def test_the_count_is_of_every_hit_the_reading_has(index: SearchIndex, query: str) -> None:
    everything = index.search(query, limit=1000)
    first = index.search(query, limit=2)
    assert everything.total == len(everything.hits) == first.total
    assert len(first.hits) == min(2, first.total)
    assert places(index, query, 2) == places(index, query, 1000)[:2]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from("abcdeiklmnoprstuy -'\"AUSTRLIO9"), max_size=30))
def test_any_query_gets_an_honest_list(index: SearchIndex, query: str) -> None:
    results = index.search(query, limit=5)
    found = [(hit.section_id, hit.anchor) for hit in results.hits]
    assert len(found) == len(set(found)) <= 5
    assert results.total >= len(found)
    if len(found) < 5:
        assert results.total == len(found)


# --- The bundled guide ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> SearchIndex:
    return SearchIndex.build(load_guide())


# Each query lists the passages that answer it; the first result must be one of them.
@pytest.mark.parametrize(
    ("query", "answers"),
    [
        ("can I drive home after a session", {"what-to-expect#getting-home"}),
        ("hypertension", {"side-effects#blood-pressure"}),
        ("pee", {"risks-and-who-should-avoid#bladder", "side-effects#over-weeks-or-months"}),
        ("throw up", {"side-effects#common-effects"}),
        (
            "feel spaced out",
            {"side-effects#common-effects", "side-effects#dissociation-and-sedation"},
        ),
        # Pills and tablets are how ketamine is taken by mouth (one vocabulary group).
        ("ketamine pills", {"ways-it-is-given#by-mouth"}),
        ("tablets", {"ways-it-is-given#by-mouth"}),
    ],
)
def test_bundled_everyday_questions(bundled: SearchIndex, query: str, answers: set[str]) -> None:
    assert places(bundled, query)[0] in answers


@pytest.mark.parametrize("query", ["I want to die", "end my life", "kill myself"])
def test_bundled_crisis_phrasings(bundled: SearchIndex, query: str) -> None:
    assert places(bundled, query)[0] == CRISIS_SECTION_ID
