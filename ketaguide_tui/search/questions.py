"""Reading a query as a person wrote it: which words carry the question and which are filler.

People type questions ("can I drive home after a session", "what happens if it
doesn't work") and everyday phrases. Question words, pronouns, auxiliaries,
articles and small linking words say how something is asked, not what about,
so the index does not require them to match: "can I drive home after a session"
is read as "drive home session". These are words of English, not of this guide,
so they live here and not with the content. A filler word inside a synonym
phrase ("feel sick", "out of body") or inside "quotes" is kept.
"""

from __future__ import annotations

_FILLER_WORDS = """
    a about all also am an and any anything are as at be been being but by can could did didn
    do does doesn doing don done even ever for from get gets getting got had has have having he
    her here him his how i if im in into is isn it its ive just know let lot lots many may me
    might more most much must my myself need needs no not now of off ok okay on one or our ours
    out over please really s shall she should so some someone something still t tell than that
    thats the their them then there these they thing things this those to too um very want
    wants was way we were what whats when where which while who whom whose why will with won
    would wouldn you your yours
"""
_EVERYDAY_WORDS = """
    work works working worked help helps helped helping take takes taking took taken use uses
    used using safe safely ok good bad best better try trying give given feel feels felt make
    makes made go goes going difference differences different between versus vs compare
    compared problem problems issue issues trouble stuff info information happen happens
    happened happening mean means meant
"""
FUNCTION_WORDS = frozenset(_FILLER_WORDS.split())
"""Words that say how a question is asked: question words, pronouns, auxiliaries and
linking words. All lower case, without accents; words typed with an apostrophe are
split by the index ("doesn't" is "doesn" and "t")."""
EVERYDAY_WORDS = frozenset(_EVERYDAY_WORDS.split())
"""Everyday verbs and nouns almost every passage could answer ("does it work", "is it
safe to take", "what happens"): left out too, unless nothing else is left."""

CONTRACTIONS = {
    "doesn": "does",
    "don": "do",
    "didn": "did",
    "isn": "is",
    "aren": "are",
    "wasn": "was",
    "weren": "were",
    "won": "will",
    "wouldn": "would",
    "couldn": "could",
    "shouldn": "should",
    "can": "can",
    "haven": "have",
    "hasn": "has",
}
"""The first half of a contraction whose second half is "t" ("doesn't": does not)."""


def filler_level(word: str) -> int:
    """2 for a function word ("can", "i", "the", "what"), 1 for an everyday word ("work",
    "safe"), 0 for a word that says what the question is about. Folded words."""
    return 2 if word in FUNCTION_WORDS else 1 if word in EVERYDAY_WORDS else 0


def is_filler(word: str) -> bool:
    """True for a folded query word that need not match."""
    return filler_level(word) > 0


QUESTION_PAIRS = {("how", "long"), ("how", "often"), ("how", "soon"), ("how", "far")}
"""A question word and the word that completes it: "long" in "how long" asks for a time."""


def asks_with(before: tuple[str, ...], word: tuple[str, ...]) -> bool:
    """True if `word` completes the question word just before it ("how" then "long")."""
    return len(before) == 1 and len(word) == 1 and (before[0], word[0]) in QUESTION_PAIRS


def spoken_words(typed: list[str]) -> set[str]:
    """The typed words with contractions spelt out ("doesn", "t" also gives "does", "not"),
    for comparing a question with a heading written in full ("If it does not work")."""
    found = set(typed)
    for first, second in zip(typed, typed[1:], strict=False):
        if second == "t" and first in CONTRACTIONS:
            found.update((CONTRACTIONS[first], "not"))
    return found
