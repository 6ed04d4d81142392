"""Tests for the search engine: ranking, prefixes, typos, synonyms, phrases, crisis, safety.

Most tests run against a small guide written to a temporary folder, so they do
not depend on the bundled content; a few at the end check the bundled guide and
are skipped until all of its sections exist.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketaguide_tui.guide.markdown_reading import markdown_parser
from ketaguide_tui.guide.model import (
    CRISIS_SECTION_ID,
    Guide,
    bundled_content_dir,
    load_guide,
)
from ketaguide_tui.search import SearchHit, SearchIndex, SearchResults, match_spans
from ketaguide_tui.search.crisis import CrisisDetector
from ketaguide_tui.search.passages import section_passages
from ketaguide_tui.search.query import parse_query
from ketaguide_tui.search.speller import Speller
from ketaguide_tui.search.synonyms import build_synonyms
from ketaguide_tui.search.terms import fold, word_base, words

# --- A small guide --------------------------------------------------------------------------------

SECTIONS: dict[str, tuple[str, list[str], str]] = {
    "side-effects": (
        "Side effects",
        ["adverse effects", "nausea", "high blood pressure", "anaesthetic", "anesthetic"],
        """Most effects pass within two hours of a session. Rest after an IV session.

## Dissociation

Feeling detached from your body or surroundings is common. It is the dissociative
effect the drug is known for, and it fades as the dose wears off.

## Blood pressure

Ketamine raises blood pressure for a while, so the clinic checks it before and after.
The anaesthetic effect is mild at these doses.

## Feeling sick

Nausea and vomiting are common. Eat lightly beforehand.
""",
    ),
    "esketamine-spravato": (
        "Esketamine (Spravato)",
        ["nasal spray"],
        """Esketamine is given as a nasal spray for treatment-resistant depression.

## Where it is approved

The spray is approved in the US and the EU, with a safety programme.
""",
    ),
    "depression": (
        "Depression",
        ["TRD", "treatment-resistant depression", "major depression"],
        """Ketamine can lift depression within hours. It has side effects too.

## Intravenous ketamine

Most trials gave ketamine as a slow infusion. See the [trial list](https://example.org/trials)
and [the label][label].

[label]: https://example.org/label

## Relapse

Depression often returns within weeks once treatment stops.
""",
    ),
    "what-is-ketamine": (
        "What is ketamine?",
        ["Ketalar", "dissociative anaesthetic"],
        """Ketamine is an **anaesthetic** medicine first made in 1962. A review by
Guimarães and colleagues describes its history. Its code name was `CI-581`.

![A vial of ketamine](https://example.org/vial.png)

| Form | Route |
|---|---|
| Ketamine | Infusion |
| Esketamine | Spray |

<span class="note">Kept text</span> and <https://example.org/autolink> dropped.
""",
    ),
    "ways-it-is-given": (
        "Ways it is given",
        ["routes", "CRPS", "complex regional pain syndrome"],
        """There are several routes.

## Into a vein

An intravenous infusion puts all of the dose into the blood.

## Up the nose

The esketamine spray is used in a clinic. Blood tests are not needed, but the
pressure in the room can feel intense.

### At home

Products used at home are not monitored.
""",
    ),
    "pain": (
        "Chronic pain",
        ["worry"],
        """Some clinics treat complex regional pain syndrome with infusions.

## Anxiety

Anxiety about pain is common and worth talking about.
""",
    ),
    "get-help-now": (
        "Get help now",
        [
            "crisis",
            "suicide",
            "suicidal",
            "self-harm",
            "overdose",
            "emergency",
            "helpline",
            "988",
            "kill myself",
            "want to die",
            "hurt myself",
        ],
        """If you are in danger, call your local emergency number now.

## Crisis lines

In the US, call or text 988.
""",
    ),
    "glossary": (
        "Glossary",
        ["abbreviations"],
        """Terms used in this guide.

### TRD (treatment-resistant depression)

Depression that has not improved after two medicines.

### IV (intravenous)

Into a vein.

### BP (blood pressure)

The pressure of blood in the arteries.

### OD (overdose)

Too much of a drug at once.

### Dissociation

Feeling cut off from yourself.
""",
    ),
    "suicidal-thoughts": (
        "Suicidal thoughts",
        ["suicidal ideation"],
        """What the research says about ketamine and suicidal thoughts.
""",
    ),
}


def section_file(title: str, order: int, aliases: list[str], body: str) -> str:
    """A section file's text with its TOML front matter."""
    alias_list = ", ".join(f'"{alias}"' for alias in aliases)
    return (
        f'+++\ntitle = "{title}"\norder = {order}\nsummary = "About {title.lower()}."\n'
        f"reviewed = 2026-01-15\naliases = [{alias_list}]\n+++\n\n{body}"
    )


def write_guide(folder: Path, sections: dict[str, tuple[str, list[str], str]]) -> Guide:
    """Write `sections` (id -> title, aliases, body) as files and load them."""
    folder.mkdir(parents=True, exist_ok=True)
    for order, (section_id, (title, aliases, body)) in enumerate(sections.items(), 1):
        text = section_file(title, order * 10, aliases, body)
        (folder / f"{section_id}.md").write_text(text, encoding="utf-8")
    guide = load_guide(folder)
    assert not guide.problems
    return guide


@pytest.fixture(scope="module")
def guide(tmp_path_factory: pytest.TempPathFactory) -> Guide:
    return write_guide(tmp_path_factory.mktemp("guide"), SECTIONS)


@pytest.fixture(scope="module")
def index(guide: Guide) -> SearchIndex:
    return SearchIndex.build(guide)


def top(index: SearchIndex, query: str) -> str | None:
    """The section id of the best hit, or None."""
    hits = index.search(query).hits
    return hits[0].section_id if hits else None


def sections_found(index: SearchIndex, query: str) -> list[str]:
    return [hit.section_id for hit in index.search(query).hits]


def passages_found(index: SearchIndex, query: str) -> list[tuple[str, str | None]]:
    return [(hit.section_id, hit.heading) for hit in index.search(query).hits]


# --- Passages and plain text ----------------------------------------------------------------------


def test_every_section_is_split_at_its_h2_and_h3_headings(guide: Guide) -> None:
    for section in guide:
        passages = section_passages(section)
        assert passages[0].heading is None
        assert [p.heading for p in passages[1:]] == [
            h for h in section.headings if h.level in (2, 3)
        ]


HEADING_SHAPES = """Intro text.

## Plain heading

### With `code` and **bold** and a [link](other.md#x) ##

Setext heading
--------------

A paragraph that
spans two lines
===

> ## Quoted heading

```markdown
## Not a heading: inside a fence
```

    ## Not a heading: indented code

- ## In a list item

#hashtag is not a heading

## Plain heading

## Esketamine (Spravato) &amp; 5\\. escapes

#### Deep heading #

---

Text after a rule.
"""


def test_passages_split_at_the_headings_the_viewer_has(tmp_path: Path) -> None:
    guide = write_guide(tmp_path, {"shapes": ("Shapes", [], HEADING_SHAPES)})
    section = guide.get("shapes")
    assert section is not None
    ours = [passage.heading for passage in section_passages(section)[1:]]
    assert ours == list(section.toc)
    assert [h.anchor for h in ours if h is not None].count("plain-heading") == 1  # then "-1"
    assert "Not a heading" not in {h.text for h in ours if h is not None}


def test_lead_passage_holds_summary_and_text_before_the_first_heading(guide: Guide) -> None:
    section = guide.get("side-effects")
    assert section is not None
    lead = section_passages(section)[0]
    assert lead.body.startswith("About side effects. Most effects pass within two hours")
    assert "Dissociation" not in lead.body


def test_heading_text_is_not_repeated_in_the_body(guide: Guide) -> None:
    section = guide.get("side-effects")
    assert section is not None
    dissociation = section_passages(section)[1]
    assert dissociation.heading is not None and dissociation.heading.text == "Dissociation"
    assert dissociation.body.startswith("Feeling detached")


def test_plain_text_keeps_link_text_and_drops_addresses_and_markup(tmp_path: Path) -> None:
    body = (
        '# Title #\n\nSee [the label](https://example.org/x "t") and **bold** _it_ '
        "`code_span` ~~old~~ <b>tag</b> <https://auto.example> https://bare.example/x "
        "www.example.org snake_case &amp; \\*star\\*.\n\n"
        "> - 1. quoted list\n\n![alt words](pic.png)\n\n[ref]: https://example.org\n\n"
        "| a | b |\n|---|---|\n| c | d |\n\n```python\nprint('kept')\n```\n\n---\n"
    )
    section = write_guide(tmp_path, {"plain": ("Plain", [], body)}).get("plain")
    assert section is not None
    text = section_passages(section)[0].body
    assert "the label" in text and "bold" in text and "code_span" in text
    assert "snake_case" in text and "alt words" in text and "print('kept')" in text
    assert "quoted list" in text and "& *star*" in text
    for gone in ("http", "example.org", "**", "](", "<b>", "```", "|", "---", "#", "> ", "ref]"):
        assert gone not in text


def test_snippets_are_plain_text(index: SearchIndex) -> None:
    for query in ("ketamine", "trials", "anaesthetic", "vial", "kept text", "autolink"):
        for hit in index.search(query).hits:
            for markup in ("**", "](", "http", "<span", "`", "|"):
                assert markup not in hit.snippet, (query, hit.snippet)


def test_urls_are_not_searchable_but_link_text_is(index: SearchIndex) -> None:
    assert "depression" in sections_found(index, "trial list")
    assert index.search("example").hits == ()
    assert index.search("vial").hits[0].section_id == "what-is-ketamine"  # image alt text


def test_hits_point_at_real_headings(guide: Guide, index: SearchIndex) -> None:
    for query in ("ketamine", "blood", "spray", "depression", "infusion"):
        for hit in index.search(query).hits:
            section = guide.get(hit.section_id)
            assert section is not None and hit.section_title == section.title
            if hit.anchor is None:
                assert hit.heading is None
            else:
                heading = section.heading_for(hit.anchor)
                assert heading is not None and heading.text == hit.heading


def test_one_result_per_passage(index: SearchIndex) -> None:
    for query in ("ketamine", "pressure", "spray", "TRD"):
        keys = [(hit.section_id, hit.anchor) for hit in index.search(query, limit=100).hits]
        assert len(keys) == len(set(keys))


def test_scores_are_in_descending_order(index: SearchIndex) -> None:
    for query in ("ketamine", "side effects", "spravato", "worry", "suicidal", "keta"):
        scores = [hit.score for hit in index.search(query).hits]
        assert scores == sorted(scores, reverse=True), query


# --- Ranking --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("side effects", "side-effects"),
        ("Spravato", "esketamine-spravato"),
        ("esketamine", "esketamine-spravato"),
        ("depression", "depression"),
        ("ketamine", "what-is-ketamine"),
        ("adverse effects", "side-effects"),
        ("routes", "ways-it-is-given"),
        ("Ketalar", "what-is-ketamine"),
        ("glossary", "glossary"),
    ],
)
def test_the_expected_section_comes_first(index: SearchIndex, query: str, expected: str) -> None:
    hit = index.search(query).hits[0]
    assert hit.section_id == expected
    assert hit.heading is None  # the section itself, not one of its parts


def test_title_match_beats_a_passing_mention(index: SearchIndex) -> None:
    found = sections_found(index, "side effects")
    # "depression" mentions side effects once in its lead; it must come later.
    assert found[0] == "side-effects"
    assert found.index("depression") > 0


def test_heading_match_beats_a_body_mention(index: SearchIndex) -> None:
    found = passages_found(index, "intravenous")
    assert found.index(("depression", "Intravenous ketamine")) < found.index(
        ("ways-it-is-given", "Into a vein")
    )


# --- Prefixes -------------------------------------------------------------------------------------


def test_last_word_is_a_prefix_while_typing(index: SearchIndex) -> None:
    results = index.search("keta")
    assert results.hits and results.hits[0].section_id == "what-is-ketamine"
    assert "ketamine" in results.hits[0].terms
    assert results.suggestion is None
    assert index.explain("keta") == '"keta"*'


def test_only_the_last_word_is_a_prefix(index: SearchIndex) -> None:
    assert index.explain("blood press") == '"blood" AND "press"*'
    assert top(index, "blood press") in {"side-effects", "glossary"}


def test_a_finished_word_that_is_no_word_still_finds_its_completions(index: SearchIndex) -> None:
    assert index.explain("esketa spray") == '"esketa"* AND "spray"*'
    assert top(index, "esketa spray") == "esketamine-spravato"


def test_one_typed_letter_after_other_words_is_ignored(index: SearchIndex) -> None:
    assert index.explain("nausea v") == '"nausea"'
    assert index.explain("v") == '"v"'  # alone, it is looked for as a word


# --- Typos ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected", "suggestion"),
    [
        ("ketamne", "what-is-ketamine", "ketamine"),
        ("depresssion", "depression", "depression"),
        ("esketamin", "esketamine-spravato", None),  # a prefix of esketamine, no typo needed
        ("esketamin ", "esketamine-spravato", None),
        ("spravatto", "esketamine-spravato", "spravato"),
        ("disociative", "what-is-ketamine", "dissociative"),
        ("nasl spray", "esketamine-spravato", "nasal spray"),
        ("side efects", "side-effects", "side effects"),
        ("Ketamne SIDE", "side-effects", "ketamine SIDE"),
    ],
)
def test_typos_find_the_right_section(
    index: SearchIndex, query: str, expected: str, suggestion: str | None
) -> None:
    results = index.search(query)
    assert results.hits and results.hits[0].section_id == expected
    assert results.suggestion == suggestion


def test_corrections_respect_the_edit_distance_limits() -> None:
    speller = Speller({"ketamine": 5, "nasal": 2, "spray": 3, "dose": 4, "rose": 1})
    assert speller.corrections("ketamne") == ("ketamine",)  # 1 edit
    assert speller.corrections("ketmne") == ("ketamine",)  # 2 edits, long word
    assert speller.corrections("kxtmne") == ()  # 3 edits
    assert speller.corrections("nsal") == ("nasal",)  # 1 edit, 4 letters
    assert speller.corrections("sprya") == ("spray",)  # a swap counts as one edit
    assert speller.corrections("xose") == ("dose", "rose")  # both 1 edit; more passages first
    assert speller.corrections("doxx") == ()  # 2 edits is too many for 4 letters
    assert speller.corrections("ds") == ()  # too short to correct


def test_a_known_word_is_never_corrected(index: SearchIndex) -> None:
    assert index.search("relapse").suggestion is None


def test_no_suggestion_when_nothing_is_close(index: SearchIndex) -> None:
    results = index.search("zqxjv")
    assert results.hits == () and results.suggestion is None


def test_did_you_mean_is_offered_even_when_nothing_matches(index: SearchIndex) -> None:
    # "ketamne" corrects to ketamine, which with "zqxjv" (in no passage) matches
    # nothing even after falling back to any word; the correction is still offered.
    results = index.search('"ketamne zqxjv"')
    assert results.hits == ()
    assert results.suggestion == '"ketamine zqxjv"'


def test_a_word_in_no_passage_does_not_hide_the_others(index: SearchIndex) -> None:
    assert top(index, "nausea zqxjv") == "side-effects"


# --- Synonyms -------------------------------------------------------------------------------------


def test_synonyms_come_from_glossary_titles_and_aliases(guide: Guide) -> None:
    strong, loose = build_synonyms(guide)
    trd = ("treatment", "resistant", "depression")
    assert trd in strong[("trd",)] and ("trd",) in strong[trd]  # glossary and acronym alias
    assert ("intravenous",) in strong[("iv",)]
    assert ("blood", "pressure") in strong[("bp",)]
    assert ("spravato",) in strong[("esketamine",)]  # title "Esketamine (Spravato)"
    assert ("complex", "regional", "pain", "syndrome") in strong[("crps",)]
    assert ("anesthetic",) in strong[("anaesthetic",)]  # spelling variants in one section
    assert ("dissociation",) not in strong  # a glossary term without an expansion
    assert ("nausea",) not in strong and ("side", "effects") in loose[("nausea",)]


def test_abbreviation_finds_its_expansion(index: SearchIndex) -> None:
    # The Spravato section says "treatment-resistant depression", never "TRD".
    assert "esketamine-spravato" in sections_found(index, "TRD")
    assert ("ways-it-is-given", "Into a vein") in passages_found(index, "IV")
    assert ("side-effects", "Blood pressure") in passages_found(index, "BP")
    assert ("pain", None) in passages_found(index, "CRPS")


def test_expansion_finds_its_abbreviation(index: SearchIndex) -> None:
    # The side effects lead says "IV", never "intravenous".
    hit = next(h for h in index.search("intravenous").hits if h.section_id == "side-effects")
    assert hit.heading is None and "iv" in hit.terms


def test_brand_name_finds_the_generic_name(index: SearchIndex) -> None:
    # "Up the nose" says esketamine, never Spravato.
    results = index.search("spravato")
    assert ("ways-it-is-given", "Up the nose") in [(h.section_id, h.heading) for h in results.hits]
    hit = next(h for h in results.hits if h.heading == "Up the nose")
    assert "esketamine" in hit.terms


def test_spelling_variants_find_each_other(index: SearchIndex) -> None:
    assert "what-is-ketamine" in sections_found(index, "anesthetic")


def test_loose_alias_synonyms_only_add_hits_after_direct_ones(index: SearchIndex) -> None:
    results = index.search("worry")
    found = [(hit.section_id, hit.heading) for hit in results.hits]
    assert found[0] == ("pain", None)  # the alias itself
    # "chronic pain", the section's title, is the context of every passage of the
    # section, but the section is listed once, not once per heading.
    assert [section for section, _ in found].count("pain") == 1
    nausea = index.search("nausea").hits
    direct = [hit for hit in nausea if "nausea" in hit.terms]
    related = [hit for hit in nausea if "nausea" not in hit.terms]
    assert direct and related
    assert min(hit.score for hit in direct) > max(hit.score for hit in related)


# --- Phrases, case and accents --------------------------------------------------------------------


def test_quoted_phrase_must_appear_in_order(index: SearchIndex) -> None:
    loose = passages_found(index, "blood pressure")
    phrase = passages_found(index, '"blood pressure"')
    # "Up the nose" has blood and pressure apart: a match for the words only.
    assert ("ways-it-is-given", "Up the nose") in loose
    assert ("ways-it-is-given", "Up the nose") not in phrase
    assert ("side-effects", "Blood pressure") in phrase


def test_phrase_is_highlighted_as_a_whole(index: SearchIndex) -> None:
    hit = next(h for h in index.search('"blood pressure"').hits if h.heading == "Blood pressure")
    marked = [hit.snippet[start:end].lower() for start, end in hit.highlights]
    assert "blood pressure" in marked


@pytest.mark.parametrize("query", ["KETAMINE", "Ketamine", "kétamine", "KeTaMiNe"])
def test_case_does_not_matter(index: SearchIndex, query: str) -> None:
    assert sections_found(index, query) == sections_found(index, "ketamine")


def test_accents_do_not_matter(index: SearchIndex) -> None:
    assert sections_found(index, "guimaraes") == sections_found(index, "Guimarães")
    assert sections_found(index, "GUIMARÃES")[0] == "what-is-ketamine"


# --- Crisis ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "suicidal",
        "suicide",
        "I want to kill myself",
        "want to die",
        "self harm",
        "self-harm",
        "hurt myself",
        "overdose",
        "overdosed on ketamine",
        "od",
        "crisis",
        "emergency",
        "988",
        "suici",  # still typing
        "SUICIDAL THOUGHTS",
        "ketamine suicidal thoughts",
        "sucidal",  # a typo
    ],
)
def test_crisis_queries_put_get_help_now_first(index: SearchIndex, query: str) -> None:
    hits = index.search(query).hits
    assert hits[0].section_id == CRISIS_SECTION_ID
    assert hits[0].score >= max(hit.score for hit in hits)


@pytest.mark.parametrize("query", ["side effects", "nausea", "ketamine", "emerald"])
def test_other_queries_do_not(index: SearchIndex, query: str) -> None:
    assert top(index, query) != CRISIS_SECTION_ID


def test_crisis_vocabulary_comes_from_the_sections_aliases(tmp_path: Path) -> None:
    sections = {
        "get-help-now": ("Get help now", ["panic attack"], "Call someone.\n"),
        "anxiety": ("Anxiety", [], "A panic attack passes. Breathing slowly helps.\n"),
    }
    assert top(SearchIndex.build(write_guide(tmp_path / "a", sections)), "panic attack") == (
        "get-help-now"
    )
    sections["get-help-now"] = ("Get help now", [], "Call someone.\n")
    assert top(SearchIndex.build(write_guide(tmp_path / "b", sections)), "panic attack") == (
        "anxiety"
    )


def test_crisis_words_match_by_stem() -> None:
    detector = CrisisDetector(["suicide", "self-harm", "988", "want to die"])
    assert detector.matches(("suicidal",))
    assert detector.matches(("i", "am", "self", "harming"))
    assert detector.matches(("i", "wanted", "to", "die"))
    assert detector.matches(("self", "h"), last_is_prefix=True)
    assert not detector.matches(("self", "h"))
    assert not detector.matches(("suit",))
    assert not detector.matches(("9888",))
    assert not CrisisDetector([])


def test_crisis_section_is_pinned_even_when_it_does_not_match(tmp_path: Path) -> None:
    sections = {
        "get-help-now": ("Get help now", ["self-harm"], "Call 999.\n"),
        "coping": ("Coping", [], "Thoughts of self harming can pass.\n"),
    }
    index = SearchIndex.build(write_guide(tmp_path, sections))
    # "self" AND "harming": only "coping" has both, but "harming" shares a stem
    # with the alias "self-harm", so the crisis section is put first anyway.
    hits = index.search("self harming").hits
    assert [hit.section_id for hit in hits] == ["get-help-now", "coping"]
    assert hits[0].heading is None and hits[0].snippet == "About get help now. Call 999."
    assert hits[0].score > hits[1].score


def test_without_a_crisis_section_nothing_is_pinned(tmp_path: Path) -> None:
    sections = {k: v for k, v in SECTIONS.items() if k != CRISIS_SECTION_ID}
    index = SearchIndex.build(write_guide(tmp_path, sections))
    assert top(index, "suicidal") == "suicidal-thoughts"


# --- Highlights and match_spans -------------------------------------------------------------------


def test_highlights_point_at_the_query_words(index: SearchIndex) -> None:
    for query in ("side effects", "blood pressure", "ketamine", "keta", "nausea", "intravenous"):
        query_words = words(query)
        for hit in index.search(query).hits:
            spans = list(hit.highlights)
            assert spans == sorted(spans)
            for start, end in spans:
                assert 0 <= start < end <= len(hit.snippet)
                marked = fold(hit.snippet[start:end])
                assert any(marked.startswith(term) for term in hit.terms), (query, marked)
                assert re.fullmatch(r"\w+(\W+\w+)*", marked)
            if hit.section_id == "side-effects" and query == "side effects":
                # The query's words, maybe in another form ("effect" for "effects").
                marked_words = {word_base(fold(hit.snippet[s:e])) for s, e in spans}
                assert marked_words <= {word_base(word) for word in query_words}


def test_snippet_shows_the_match(index: SearchIndex) -> None:
    hit = next(h for h in index.search("vomiting").hits if h.heading == "Feeling sick")
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["vomiting"]


def test_long_passage_snippet_is_a_window_with_ellipses(tmp_path: Path) -> None:
    body = (
        " ".join(f"word{n}" for n in range(200))
        + " nausea "
        + " ".join(f"w{n}" for n in range(200))
    )
    guide = write_guide(tmp_path, {"long": ("Long", [], body + "\n")})
    hit = SearchIndex.build(guide).search("nausea").hits[0]
    assert hit.snippet.startswith("… ") and hit.snippet.endswith(" …")
    assert 20 <= len(hit.snippet.split()) <= 30
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["nausea"]


def test_terms_are_lower_case_index_words(index: SearchIndex) -> None:
    hit = index.search("KETA").hits[0]
    assert "ketamine" in hit.terms
    assert all(term == term.lower() and " " not in term for term in hit.terms)


def test_terms_leave_out_single_letters(tmp_path: Path) -> None:
    # The viewer marks terms as prefixes: "d" would mark every word starting with d.
    sections: dict[str, tuple[str, list[str], str]] = {
        "glossary": ("Glossary", [], "### NMDA (N-methyl-D-aspartate)\n\nA receptor.\n"),
        "brain": ("Brain", [], "The N-methyl-D-aspartate receptor is blocked.\n"),
    }
    hits = SearchIndex.build(write_guide(tmp_path, sections)).search("NMDA").hits
    brain = next(hit for hit in hits if hit.section_id == "brain")
    assert set(brain.terms) == {"methyl", "aspartate"}
    assert [brain.snippet[s:e] for s, e in brain.highlights] == ["N-methyl-D-aspartate"]
    assert all(len(term) > 1 for hit in hits for term in hit.terms)


def test_match_spans_finds_word_prefixes_ignoring_case_and_accents() -> None:
    text = "Ketamine and esketamine. KETAMINE's cousin; Guimarães wrote it."
    spans = match_spans(text, ["keta", "guimaraes"])
    assert [text[s:e] for s, e in spans] == ["Ketamine", "KETAMINE", "Guimarães"]


def test_match_spans_handles_phrases_and_odd_terms() -> None:
    text = "High blood  pressure, blood tests."
    assert [text[s:e] for s, e in match_spans(text, ["blood pressure"])] == ["blood  pressure"]
    assert match_spans(text, []) == []
    assert match_spans(text, ["", "  ", "(", '"']) == []
    assert match_spans("", ["blood"]) == []
    assert [text[s:e] for s, e in match_spans(text, ["BLOOD", "blood"])] == ["blood", "blood"]


def test_index_match_spans_is_the_same_function(index: SearchIndex) -> None:
    assert index.match_spans("Ketamine", ["ket"]) == [(0, 8)]


# --- Safety ---------------------------------------------------------------------------------------

DANGEROUS = [
    "",
    " ",
    '"',
    '""',
    '"unbalanced',
    "AND",
    "OR",
    "NOT",
    "ketamine AND",
    "OR ketamine",
    "NOT NOT",
    "foo-bar",
    "C++",
    "don't",
    "a:b",
    "title:x",
    "{title body}: ketamine",
    "^x",
    "*",
    "keta*",
    "(",
    ")",
    "((ketamine",
    "NEAR(a b)",
    "NEAR(ketamine spray, 2)",
    "-x",
    "+x",
    "\\",
    "'",
    "\x00",
    "\x1b[31mred",
    "🙂",
    "ketamine 🙂 spray",
    "\u202eevil",
    "x" * 10_000,
    "ketamine " * 2_000,
    '"' * 1_001,
    "( " * 5_000,
    "ab" * 5_000,
]


@pytest.mark.parametrize("query", DANGEROUS, ids=lambda q: repr(q[:20]))
def test_dangerous_input_is_safe(index: SearchIndex, query: str) -> None:
    results = index.search(query)
    assert isinstance(results, SearchResults) and results.query == query
    assert_valid_expression(index, query)


def test_operators_are_searched_as_words(index: SearchIndex) -> None:
    # "and" and "not" are filler words: read as words and left out, never as operators.
    assert index.explain("ketamine AND spray") == '"ketamine" AND "spray"*'
    assert index.explain("NOT ketamine") == '"ketamine"*'
    assert index.explain("ketamine NEAR spray") == '"ketamine" AND "near" AND "spray"*'
    assert index.explain("^x") == '"x"'  # one letter: too short to be a prefix
    assert index.explain("C++") == '"c"'
    assert index.explain("") is None and index.search("").hits == ()
    # title:x must not search the title column only: it is two plain words.
    assert ":" not in outside_strings(index.explain("title:x") or "")


def test_long_input_is_cut_to_twelve_words(index: SearchIndex) -> None:
    expression = index.explain("ketamine " * 2_000)
    assert expression is not None and expression.count('"ketamine"') == 12


def test_an_empty_guide_finds_nothing_without_failing() -> None:
    index = SearchIndex.build(Guide(Path("."), ()))
    assert len(index) == 0
    for query in ("ketamne", "suicidal", '"blood pressure"', "x"):
        assert index.search(query) == SearchResults(query, (), None)


def test_limit_is_respected(index: SearchIndex) -> None:
    assert len(index.search("ketamine", limit=1).hits) == 1
    assert index.search("ketamine", limit=0).hits == ()
    assert index.search("ketamine", limit=-5).hits == ()
    assert index.search("suicidal", limit=1).hits[0].section_id == CRISIS_SECTION_ID


def outside_strings(expression: str) -> str:
    """An FTS5 expression with its string literals removed."""
    return re.sub(r'"(?:[^"]|"")*"', " ", expression)


def assert_valid_expression(index: SearchIndex, query: str) -> None:
    """The FTS5 expression for `query` is only quoted words and operators, and runs."""
    expression = index.explain(query)
    if expression is None:
        return
    assert set(outside_strings(expression).split()) <= {"AND", "OR", "(", ")", "*"} | {
        token for token in re.findall(r"[()*]+", expression)
    }
    index.raw_match(expression, 5)  # raises if FTS5 cannot parse it


OPERATOR_PIECES = st.sampled_from(
    ['"', "AND", "OR", "NOT", "NEAR", "(", ")", "*", "^", ":", "-", "+", "{", "}", ",", "'"]
    + ["title:", "body:", "ketamine", "spray", "blood pressure", "é", "🙂", "\x00", " "]
)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_is_safe(index: SearchIndex, query: str) -> None:
    results = index.search(query)
    assert isinstance(results, SearchResults)
    assert all(isinstance(hit, SearchHit) for hit in results.hits)
    assert_valid_expression(index, query)


@settings(max_examples=300, deadline=None)
@given(st.lists(OPERATOR_PIECES, max_size=20).map("".join))
def test_any_mix_of_fts5_syntax_is_safe(index: SearchIndex, query: str) -> None:
    results = index.search(query)
    assert isinstance(results, SearchResults)
    assert_valid_expression(index, query)


@settings(max_examples=200, deadline=None)
@given(st.text(), st.lists(st.text(max_size=12), max_size=5))
def test_match_spans_never_raises(index: SearchIndex, text: str, terms: list[str]) -> None:
    for start, end in index.match_spans(text, terms):
        assert 0 <= start < end <= len(text)


def test_parse_query_reads_phrases_and_marks_the_prefix() -> None:
    parts = parse_query('"blood pressure" ketamine spr')
    assert [(p.quoted, [w.text for w in p.words]) for p in parts] == [
        (True, ["blood", "pressure"]),
        (False, ["ketamine"]),
        (False, ["spr"]),
    ]
    assert [w.prefix for p in parts for w in p.words] == [False, False, False, True]
    assert parse_query("“blood pressure”")[0].quoted  # typographic quotes count too
    assert not parse_query("spr ")[0].words[0].prefix


# --- Threads --------------------------------------------------------------------------------------


def test_index_built_in_one_thread_is_searched_from_others(guide: Guide) -> None:
    built: list[SearchIndex] = []
    worker = threading.Thread(target=lambda: built.append(SearchIndex.build(guide)))
    worker.start()
    worker.join()
    errors: list[BaseException] = []

    def search_many() -> None:
        try:
            for query in ("ketamine", "side eff", "ketamne", "suicidal", '"blood pressure"') * 20:
                built[0].search(query)
        except (sqlite3.Error, RuntimeError) as error:  # pragma: no cover - the failure case
            errors.append(error)

    threads = [threading.Thread(target=search_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


# --- The bundled guide ----------------------------------------------------------------------------

BUNDLED_READY = len(list(bundled_content_dir().glob("*.md"))) >= 21
needs_bundled = pytest.mark.skipif(not BUNDLED_READY, reason="the bundled guide is not complete")


@pytest.fixture(scope="module")
def bundled() -> SearchIndex:
    return SearchIndex.build(load_guide())


@needs_bundled
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("side effects", "side-effects"),
        ("Spravato", "esketamine-spravato"),
        ("esketamine", "esketamine-spravato"),
        ("keta", "what-is-ketamine"),
        ("ketamne", "what-is-ketamine"),
        ("depresssion", "depression"),
        ("esketamin", "esketamine-spravato"),
        ("spravatto", "esketamine-spravato"),
        ("disociative", "what-is-ketamine"),
        ("PTSD", "ptsd"),
        ("chronic pain", "chronic-pain"),
        ("history", "history"),
        ("how it works", "how-it-works"),
    ],
)
def test_bundled_ranking(bundled: SearchIndex, query: str, expected: str) -> None:
    assert top(bundled, query) == expected


@needs_bundled
@pytest.mark.parametrize(
    "query",
    [
        "suicidal",
        "suicide",
        "self harm",
        "overdose",
        "crisis",
        "emergency",
        "988",
        "kill myself",
        "want to die",
        "hurt myself",
        "od",
    ],
)
def test_bundled_crisis_queries(bundled: SearchIndex, query: str) -> None:
    # The crisis vocabulary is the section's aliases (and glossary synonyms): a
    # phrasing people use that they do not cover is a content gap to fix there.
    assert top(bundled, query) == CRISIS_SECTION_ID


@needs_bundled
@pytest.mark.parametrize("query", ["TRD", "IV", "BP"])
def test_bundled_abbreviations_expand(bundled: SearchIndex, query: str) -> None:
    expression = bundled.explain(query)
    assert expression is not None and " OR " in expression


@needs_bundled
def test_bundled_hits_point_at_real_headings(bundled: SearchIndex) -> None:
    guide = load_guide()
    for query in ("ketamine", "blood pressure", "trial", "REMS", "myth", "988"):
        for hit in bundled.search(query, limit=50).hits:
            section = guide.get(hit.section_id)
            assert section is not None
            if hit.anchor is not None:
                heading = section.heading_for(hit.anchor)
                assert heading is not None and heading.text == hit.heading


@needs_bundled
def test_bundled_passages_split_at_the_sidebars_headings() -> None:
    for section in load_guide():
        headings = [passage.heading for passage in section_passages(section)[1:]]
        assert headings == list(section.toc), section.id


@needs_bundled
def test_bundled_passages_hold_the_words_markdown_it_sees() -> None:
    # Every word of a section is indexed once: in a passage's text or heading
    # (the lead's body also starts with the summary), as a token walk sees it.
    for section in load_guide():
        passages = section_passages(section)
        indexed = Counter(words(" ".join(p.body for p in passages)))
        indexed.update(words(" ".join(p.heading.text for p in passages if p.heading)))
        indexed.subtract(words(section.summary))
        assert indexed == Counter(words(markdown_it_text(section.body))), section.id


def markdown_it_text(markdown: str) -> str:
    """Visible text by markdown-it tokens: link text kept, web addresses dropped."""
    out: list[str] = []
    for token in markdown_parser().parse(markdown):
        if token.type in ("fence", "code_block"):
            out.append(token.content)
        children = token.children or []
        hidden = False
        for position, child in enumerate(children):
            if child.type == "link_open" and child.markup in ("autolink", "linkify"):
                # A bare domain ("988lifeline.org") reads as text; an address with a
                # scheme or www. is dropped, as the index does.
                label = children[position + 1].content if position + 1 < len(children) else ""
                hidden = bool(re.match(r"[a-z][a-z0-9+.-]*://|www\.", label, re.IGNORECASE))
            elif child.type == "link_close":
                hidden = False
            elif not hidden and child.type in ("text", "code_inline", "image"):
                out.append(re.sub(r"https?://\S+|www\.\S+", " ", child.content))
            elif child.type in ("softbreak", "hardbreak"):
                out.append(" ")
        out.append("\n")
    return "".join(out)


# --- Very common words ----------------------------------------------------------------------------


def test_a_query_matching_too_many_passages_ranks_the_section_leads(
    guide: Guide, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ketaguide_tui.search.fts as fts

    monkeypatch.setattr(fts, "MAX_RANKED", 3)
    index = SearchIndex.build(guide)
    hits = index.search("ketamine", limit=30).hits
    assert hits[0].section_id == "what-is-ketamine"
    leads = [hit.heading is None for hit in hits]
    assert leads == sorted(leads, reverse=True)  # every lead before any other passage
    assert False in leads  # and the other passages still fill the list
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)


def test_acronyms_are_only_paired_with_names_they_spell(tmp_path: Path) -> None:
    sections = {
        "one": ("One", ["FDA", "FDA approval", "EMA", "esketamine nasal spray", "NICE"], "x\n"),
        "two": ("Two", ["PTSD", "post-traumatic stress disorder", "ECT"], "y\n"),
        "three": ("Three", ["ECT", "electroconvulsive therapy", "ESCAPE-TRD", "REMS"], "z\n"),
        "four": ("Four", ["REMS", "Risk Evaluation and Mitigation Strategy"], "w\n"),
    }
    strong, _ = build_synonyms(write_guide(tmp_path, sections))
    assert ("fda",) not in strong and ("ema",) not in strong and ("nice",) not in strong
    assert strong[("ptsd",)] == (("post", "traumatic", "stress", "disorder"),)
    assert strong[("ect",)] == (("electroconvulsive", "therapy"),)
    assert strong[("rems",)] == (("risk", "evaluation", "and", "mitigation", "strategy"),)


def test_the_benchmark_corpus_generator_writes_valid_sections(tmp_path: Path) -> None:
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "benchmarks" / "search_benchmark.py"
    spec = importlib.util.spec_from_file_location("search_benchmark", path)
    assert spec is not None and spec.loader is not None
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    benchmark.write_corpus(tmp_path, 5)
    guide = load_guide(tmp_path)
    assert not guide.problems
    assert sum(section.id.startswith("generated-") for section in guide) == 5
    assert SearchIndex.build(guide).search("ketamine").hits
