"""`check`'s content rules: traceable references, cited figures, review dates, new fields.

Each rule is shown failing on a small broken folder and passing once mended.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import SectionWriter

from ketaguide_tui.cli import main
from ketaguide_tui.guide.check import check_guide
from ketaguide_tui.guide.model import load_guide
from ketaguide_tui.guide.reference_rules import first_figure, has_version_date, is_label

TODAY = date(2026, 6, 1)
CITED = "Cited [a](references.md#a-2020), [b](references.md#b-2021)."


def references(*entries: str) -> str:
    return "Intro.\n\n## Papers\n\n" + "\n\n".join(entries) + "\n"


def entry(name: str, text: str) -> str:
    return f"### {name}\n\n{text}"


def problems_in(folder: Path) -> list[tuple[str, int, str]]:
    return [(p.path.stem, p.line, p.message) for p in check_guide(load_guide(folder), TODAY)]


def messages(folder: Path) -> str:
    return "\n".join(message for _, _, message in problems_in(folder))


def guide_with(write_section: SectionWriter, *entries: str, body: str = CITED) -> Path:
    write_section("references", "References", 100, references(*entries))
    return write_section("a-section", "A section", 1, body)


GOOD_A = entry("A 2020", "Paper. [doi:10.1/x](https://doi.org/10.1000/x)")
GOOD_B = entry("B 2021", "Paper. [PMID 123](https://pubmed.ncbi.nlm.nih.gov/12345678/)")


def test_a_folder_that_follows_every_rule_has_no_problems(write_section: SectionWriter) -> None:
    assert problems_in(guide_with(write_section, GOOD_A, GOOD_B)) == []


@pytest.mark.parametrize(
    ("link", "why"),
    [
        ("[search](https://pubmed.ncbi.nlm.nih.gov/?term=b+2021)", "links only a PubMed search"),
        ("[WHO](https://www.who.int)", "links only a home page"),
        ("[WHO](https://www.who.int/)", "links only a home page"),
        ("no link at all", "has no link"),
    ],
)
def test_a_reference_needs_a_doi_a_pubmed_record_or_an_exact_page(
    write_section: SectionWriter, link: str, why: str
) -> None:
    folder = guide_with(write_section, GOOD_A, entry("B 2021", f"Paper. {link}"))
    found = problems_in(folder)
    assert len(found) == 1
    stem, line, message = found[0]
    assert (stem, line) == ("references", 17)  # the entry's heading
    assert message.startswith("reference 'B 2021' needs a DOI, a PubMed record or an exact page")
    assert why in message


@pytest.mark.parametrize(
    "link",
    [
        "[page](https://www.fda.gov/drugs/spravato)",
        "[record](https://pubmed.ncbi.nlm.nih.gov/31109201)",
        "[doi](https://doi.org/10.1176/appi.ajp.2019.19020172)",
        "[home](https://988lifeline.org) <!-- check: home-page -->",
        "[home](https://988lifeline.org)\n\n<!-- check: home-page -->",
    ],
)
def test_traceable_addresses_and_marked_home_pages_pass(
    write_section: SectionWriter, link: str
) -> None:
    assert problems_in(guide_with(write_section, GOOD_A, entry("B 2021", link))) == []


def test_a_drug_label_gives_its_version_date(write_section: SectionWriter) -> None:
    page = "[Drugs@FDA](https://www.accessdata.fda.gov/label/2025/x.pdf)"
    folder = guide_with(write_section, GOOD_A, entry("B 2021", f"Spravato label. {page}"))
    assert messages(folder) == (
        "reference 'B 2021' is a drug label: give its version date"
        " (a month and year, or a date such as 2025-01-31)"
    )
    for dated in ("revised January 2025", "revised 1/2025 (Jan 2025)", "version 2025-01-21"):
        write_section(
            "references",
            "References",
            100,
            references(GOOD_A, entry("B 2021", f"Label, {dated}. {page}")),
        )
        assert problems_in(folder) == [], dated


def test_label_and_date_words() -> None:
    assert is_label("Spravato label") and is_label("US labelling") and is_label("LABELS")
    assert not is_label("off-label use of ketamine") and not is_label("labelled jars")
    assert has_version_date("21 January 2025") and has_version_date("Sept 2024")
    assert has_version_date("January 21, 2025") and has_version_date("2025-01-21")
    assert (
        not has_version_date("2025")
        and not has_version_date("January")
        and not has_version_date("may 5")
    )


def test_sources_items_lead_to_references_entries(write_section: SectionWriter) -> None:
    body = (
        f"{CITED}\n\n## Sources\n\n- [A 2020](references.md#a-2020)\n"
        "- [Elsewhere](https://example.org/paper)\n- [Gone](references.md#gone-1999)\n"
        "- Just a name\n"
    )
    folder = guide_with(write_section, GOOD_A, GOOD_B, body=body)
    found = [(line, message) for _, line, message in problems_in(folder)]
    assert (14, "source 'Elsewhere' does not link an entry of the references section") in found
    assert (15, "source 'Gone' does not link an entry of the references section") in found
    assert (16, "source 'Just a name' does not link an entry of the references section") in found
    assert any("broken link 'references.md#gone-1999'" in message for _, message in found)


def test_every_reference_is_cited_somewhere(write_section: SectionWriter) -> None:
    folder = guide_with(write_section, GOOD_A, GOOD_B, body="Cited [a](references.md#a-2020).")
    assert problems_in(folder) == [
        ("references", 17, "reference 'B 2021' is not cited by any section")
    ]


@pytest.mark.parametrize(
    ("body", "line", "where"),
    [
        ("Half of people (50%) feel it.", 9, "a paragraph"),
        ("- A dose of 56 mg.\n- Cited [a](references.md#a-2020).", 9, "a list item"),
        ("| Effect | Share |\n|---|---|\n| Dizziness | 29% |", 9, "a table"),
        ("> Quoted: 0.5 mg per kilogram.", 9, "a paragraph"),
    ],
)
def test_a_figure_needs_a_citation_where_it_is(
    write_section: SectionWriter, body: str, line: int, where: str
) -> None:
    folder = guide_with(write_section, GOOD_A, GOOD_B, body=f"{body}\n\n{CITED}")
    found = [(stem, n, m) for stem, n, m in problems_in(folder)]
    assert len(found) == 1, found
    stem, number, message = found[0]
    assert (stem, number) == ("a-section", line)
    assert message.startswith("figure '") and f"in {where} without a citation" in message


@pytest.mark.parametrize(
    "body",
    [
        "Half of people (50%) feel it [a](references.md#a-2020).",
        "- A dose of 56 mg ([b](references.md#b-2021)).",
        "| Effect | Share |\n|---|---|\n| Dizziness | 29% |\n| From | [a](references.md#a-2020) |",
        "A year, 2026, and a mgmt word are not figures.",
        "A drip into a vein counts as 100%. <!-- check: no-citation -->",
        "- Given as 100%,\n  the measure of the rest.\n  <!-- check: no-citation -->",
    ],
)
def test_cited_figures_pass(write_section: SectionWriter, body: str) -> None:
    assert problems_in(guide_with(write_section, GOOD_A, GOOD_B, body=f"{body}\n\n{CITED}")) == []


def test_figures_are_found_in_linear_time_shapes() -> None:
    assert first_figure("41% of people") == "41%"
    assert first_figure("0.5 mg/kg") == "0.5 mg"
    assert first_figure("2,000mg a day") == "2,000mg"
    assert first_figure("omg 5 mgmt") is None
    assert first_figure("1" * 100_000) is None  # a long run of digits is no trap


def test_reference_rules_only_apply_with_a_references_section(
    write_section: SectionWriter,
) -> None:
    folder = write_section(
        "a", "A", 1, "Half (50%).\n\n## Sources\n\n- [Paper](https://example.org/p)\n"
    )
    assert problems_in(folder) == []


# --- Front matter: next_review and places; review warnings --------------------------------------


def write_dated(folder: Path, reviewed: str, next_review: str | None, extra: str = "") -> None:
    due = f"next_review = {next_review}\n" if next_review else ""
    (folder / "dated.md").write_text(
        f'+++\ntitle = "Dated"\norder = 1\nsummary = "S."\nreviewed = {reviewed}\n{due}{extra}'
        "+++\n\nText.\n",
        encoding="utf-8",
    )


def test_next_review_and_places_are_read(tmp_path: Path) -> None:
    write_dated(tmp_path, "2026-01-15", "2027-01-10", 'places = ["Canada", "Canadian", " "]\n')
    section = load_guide(tmp_path).get("dated")
    assert section is not None
    assert section.next_review == date(2027, 1, 10)
    assert section.places == ("Canada", "Canadian")
    write_dated(tmp_path, "2026-01-15", None)
    section = load_guide(tmp_path).get("dated")
    assert section is not None and section.next_review is None and section.places == ()


def test_wrong_types_for_the_new_fields(tmp_path: Path) -> None:
    write_dated(tmp_path, "2026-01-15", '"soon"', 'places = "Canada"\n')
    guide = load_guide(tmp_path)
    found = {(p.line, p.message) for p in guide.problems}
    assert (6, "'next_review' has the wrong type (expected a date such as 2026-01-31)") in found
    assert (7, "'places' has the wrong type (expected a list of strings)") in found


@pytest.mark.parametrize(
    ("reviewed", "due", "expected"),
    [
        ("2026-01-15", "2026-12-01", []),
        ("2026-01-15", "2026-05-31", ["the review was due on 2026-05-31"]),
        ("2025-06-01", "2026-06-02", ["more than 12 months after reviewed 2025-06-01"]),
        ("2024-02-29", "2025-02-28", ["the review was due on 2025-02-28"]),
        ("2024-02-29", "2025-03-01", ["due on 2025-03-01", "more than 12 months"]),
    ],
)
def test_review_dates_give_warnings(
    tmp_path: Path, reviewed: str, due: str, expected: list[str]
) -> None:
    write_dated(tmp_path, reviewed, due)
    found = check_guide(load_guide(tmp_path), TODAY)
    assert all(p.warning and p.line == 6 for p in found)
    text = " | ".join(p.message for p in found)
    assert len(found) == len(expected) and all(part in text for part in expected), text


def test_a_next_review_before_reviewed_is_a_problem(tmp_path: Path) -> None:
    write_dated(tmp_path, "2026-01-15", "2025-01-15")
    found = check_guide(load_guide(tmp_path), TODAY)
    assert [(p.warning, p.message) for p in found] == [
        (False, "next_review 2025-01-15 is before reviewed")
    ]


def test_check_exits_0_on_warnings_and_1_with_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_dated(tmp_path, "2020-01-15", "2020-06-01")  # long overdue, whatever today is
    assert main(["check", str(tmp_path)]) == 0
    out, _ = capsys.readouterr()
    assert f"{tmp_path / 'dated.md'}:6: warning: the review was due on 2020-06-01" in out
    assert "1 section checked, 0 problems, 1 warning." in out
    assert main(["check", "--strict", str(tmp_path)]) == 1
    _, err = capsys.readouterr()
    assert "0 problems, 1 warning." in err
