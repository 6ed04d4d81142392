"""The bundled guide reads plainly: Flesch-Kincaid grade per section, with SMOG beside it.

Every section except `references` and `glossary` is measured on its prose: the body
rendered as plain text without web addresses (what a reader sees), with the
`## Sources` list cut off. Quoted label text stays in: a reader has to read it too.
The targets: a median Flesch-Kincaid grade of at most 8, and no section above 9.5.
SMOG is reported, not enforced.

The scores come from textstat 0.7.3, pinned in the test dependencies: it scores
offline, whereas recent textstat releases download a dictionary at run time, and
another version may score the same text differently.

The table prints on every run (outside pytest's capture) and is attached to the
test's report, so a failure shows which sections to rewrite.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from importlib.metadata import version

import pytest
import textstat

from ketaguide_tui.guide.model import Guide, load_guide
from ketaguide_tui.guide.plain_text import markdown_to_plain

TEXTSTAT_VERSION = "0.7.3"
MEDIAN_FK_AT_MOST = 8.0
SECTION_FK_AT_MOST = 9.5
NOT_PROSE = ("references", "glossary")
SOURCES_HEADING = re.compile(r"^## Sources[ \t]*$", re.MULTILINE)


# Plain text keeps a web link's address in brackets after its text; an address is not prose.
WEB_ADDRESS = re.compile(r" ?\(https?://[^\s)]*\)")


@dataclass(frozen=True)
class Score:
    section: str
    fk: float
    smog: float


def prose(body: str) -> str:
    """A section body as plain text, without its `## Sources` part or web addresses."""
    match = SOURCES_HEADING.search(body)
    if match:
        body = body[: match.start()]
    return WEB_ADDRESS.sub("", markdown_to_plain(body))


@pytest.fixture(scope="module")
def scores() -> list[Score]:
    guide: Guide = load_guide()
    textstat.set_lang("en_US")
    measured = []
    for section in guide:
        if section.id in NOT_PROSE:
            continue
        text = prose(section.body)
        measured.append(
            Score(section.id, textstat.flesch_kincaid_grade(text), textstat.smog_index(text))
        )
    return measured


def table(scores: list[Score]) -> str:
    width = max(len("section"), *(len(score.section) for score in scores))
    lines = [f"{'section':<{width}}  {'FK':>5}  {'SMOG':>5}"]
    lines += [f"{s.section:<{width}}  {s.fk:>5.1f}  {s.smog:>5.1f}" for s in scores]
    median_fk = statistics.median(score.fk for score in scores)
    median_smog = statistics.median(score.smog for score in scores)
    lines.append(f"{'median':<{width}}  {median_fk:>5.1f}  {median_smog:>5.1f}")
    return "\n".join(lines)


def test_the_readability_library_is_the_pinned_offline_version() -> None:
    # textstat 0.7.3 reports its own __version__ wrongly, so ask the installed metadata.
    assert version("textstat") == TEXTSTAT_VERSION


def test_sections_read_at_the_target_grade(
    scores: list[Score],
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
) -> None:
    report = table(scores)
    request.node.add_report_section("call", "readability", report)
    with capsys.disabled():
        print(f"\nReadability of the bundled guide (textstat {TEXTSTAT_VERSION}):\n{report}")

    assert len(scores) > 0
    assert not {score.section for score in scores} & set(NOT_PROSE)
    too_hard = {s.section: s.fk for s in scores if s.fk > SECTION_FK_AT_MOST}
    assert too_hard == {}, f"sections above grade {SECTION_FK_AT_MOST}: {too_hard}"
    median_fk = statistics.median(score.fk for score in scores)
    assert median_fk <= MEDIAN_FK_AT_MOST, f"median grade {median_fk:.1f}"
