"""The content's vocabulary file, synonyms.toml: read, cleaned, and checked by `ketaguide check`."""

from __future__ import annotations

from pathlib import Path

import pytest

from ketaguide_tui.cli import main
from ketaguide_tui.guide.model import bundled_content_dir
from ketaguide_tui.search.synonym_file import SYNONYMS_FILE, load_synonym_file

SECTION = '+++\ntitle = "One"\norder = 1\nsummary = "One."\nreviewed = 2026-01-01\n+++\n\nText.\n'


def write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "one.md").write_text(SECTION, encoding="utf-8")
    path = folder / SYNONYMS_FILE
    path.write_text(text, encoding="utf-8")
    return path


def messages(path: Path) -> list[tuple[int, str]]:
    return [(problem.line, problem.message) for problem in load_synonym_file(path).problems]


def test_groups_are_read_in_order_and_cleaned(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[group]]\nwords = ["high  blood\\tpressure", "hypertension"]\n\n'
        '[[group]]\nwords = ["pee", "urinate", "pee"]\n',
    )
    found = load_synonym_file(path)
    assert found.groups == (("high blood pressure", "hypertension"), ("pee", "urinate"))
    assert found.problems == ()


def test_a_missing_file_is_no_vocabulary_and_no_problem(tmp_path: Path) -> None:
    found = load_synonym_file(tmp_path / SYNONYMS_FILE)
    assert (found.groups, found.problems) == ((), ())


def test_bad_toml_is_one_problem_on_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[[group]]\nwords = ["a", "b"]\n\n[[group]]\nwords = ["c",\n')
    [(line, message)] = messages(path)
    assert line >= 5 and message.startswith("bad TOML")
    assert load_synonym_file(path).groups == ()


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('words = ["a", "b"]\n', 1, "unknown key 'words' (expected [[group]] tables)"),
        ("group = 3\n", 1, "'group' must be written as [[group]] tables"),
        ('\n\n[[group]]\nwords = "a b"\n', 3, "'words' must be a list of strings"),
        ("[[group]]\nwords = [1, 2]\n", 1, "'words' must be a list of strings"),
        ('[[group]]\nwords = ["alone"]\n', 1, "a group needs at least two different words"),
        ('[[group]]\nwords = ["same", "Same"]\n', 1, "a group needs at least two different words"),
        ('[[group]]\nwords = ["a", "b"]\nnote = "x"\n', 1, "unknown key 'note' in a group"),
        ('[[group]]\nwords = ["a", "--", "b"]\n', 1, "a word or phrase has no letters or digits"),
    ],
)
def test_a_group_of_the_wrong_shape_is_a_problem(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    assert (line, message) in messages(write(tmp_path, text))


def test_the_valid_groups_are_kept_when_others_are_not(tmp_path: Path) -> None:
    path = write(tmp_path, '[[group]]\nwords = ["alone"]\n\n[[group]]\nwords = ["a", "b"]\n')
    assert load_synonym_file(path).groups == (("a", "b"),)
    assert messages(path) == [(1, "a group needs at least two different words")]


def test_control_characters_are_removed_and_reported(tmp_path: Path) -> None:
    path = write(tmp_path, '[[group]]\nwords = ["pee\x1b[31m", "urinate"]\n')
    found = load_synonym_file(path)
    assert found.groups == (("pee", "urinate"),)
    assert messages(path) == [(1, "control characters or terminal escape sequences were removed")]


def test_a_file_that_is_not_utf8_is_a_problem(tmp_path: Path) -> None:
    path = write(tmp_path, "")
    path.write_bytes(b'[[group]]\nwords = ["caf\xe9", "coffee"]\n')
    assert messages(path) == [(2, "the file is not valid UTF-8")]


def test_check_prints_the_problem_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, '[[group]]\nwords = ["alone"]\n')
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"{tmp_path / SYNONYMS_FILE}:1: a group needs at least two different words" in out


def test_the_bundled_vocabulary_is_clean_and_covers_the_everyday_words() -> None:
    found = load_synonym_file(bundled_content_dir() / SYNONYMS_FILE)
    assert found.problems == ()
    words = {word for group in found.groups for word in group}
    for word in (
        "hypertension",
        "high blood pressure",
        "throw up",
        "vomiting",
        "feel sick",
        "nausea",
        "pee",
        "urinate",
        "spaced out",
        "dissociation",
        "anesthetic",
        "anaesthetic",
        "anemia",
        "behavior",
        "esophagus",
        "randomized",
        "pediatric",
        "hematuria",
        "pregnant",
        "depressed",
        "urinary",
        "pill",
        "driving",
        "afford",
        "teen",
    ):
        assert word in words, word
