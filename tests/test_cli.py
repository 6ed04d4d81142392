"""The command line: list, show, search, check, keys and the error paths."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ketaguide_tui import __version__
from ketaguide_tui.cli import main
from ketaguide_tui.guide.model import bundled_content_dir


def bundled_section_ids() -> list[str]:
    """The ids of the bundled guide's sections: one per `*.md` file in its content folder."""
    return sorted(path.stem for path in bundled_content_dir().glob("*.md"))


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_list_prints_every_section(small_guide: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["list", "--content", str(small_guide)], capsys)
    assert code == 0
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == ["start-here", "effects", "get-help-now"]
    assert "Effects — A test section." in lines[1]


def test_list_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["list", "--json"], capsys)
    rows = json.loads(out)
    assert code == 0
    assert rows[0] == {
        "id": "start-here",
        "title": rows[0]["title"],
        "summary": rows[0]["summary"],
        "reviewed": rows[0]["reviewed"],
        "next_review": rows[0]["next_review"],
        "overdue": rows[0]["overdue"],
    }
    ids = bundled_section_ids()
    assert len(rows) == len(ids) and rows[-1]["id"] == "get-help-now"
    assert sorted(row["id"] for row in rows) == ids


def test_show_plain(small_guide: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--content", str(small_guide), "show", "start-here", "--plain"], capsys)
    assert code == 0
    assert out.startswith("Start here\n==========\nLast reviewed 15 January 2026\n")
    assert "Site (https://example.org)" in out
    assert "](" not in out and "##" not in out


def test_show_unknown_id_suggests_close_ids(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["show", "side-efects"], capsys)
    assert code == 2
    assert err.startswith("ketaguide: no section 'side-efects'. Did you mean: side-effects")
    assert "Traceback" not in err


def test_unknown_section_for_the_reader(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["--section", "spravato"], capsys)
    assert code == 2
    assert "esketamine-spravato" in err
    code, _, err = run(["--section", "side-effects#nope"], capsys)
    assert code == 2 and "no heading '#nope'" in err


@pytest.mark.parametrize("make", ["missing", "empty", "file"])
def test_bad_content_folder_is_one_line_and_exit_2(
    tmp_path: Path, make: str, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "content"
    if make == "empty":
        target.mkdir()
    elif make == "file":
        target.write_text("not a folder")
    code, out, err = run(["--content", str(target), "list"], capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and err.startswith("ketaguide: ")
    assert out == ""


def test_check_reports_file_line_message(
    write_section: object, capsys: pytest.CaptureFixture[str]
) -> None:
    folder: Path = write_section("a", "A", 1, "Text [x](b.md).\n")  # type: ignore[operator]
    code, out, err = run(["check", str(folder)], capsys)
    assert code == 1
    assert out.strip() == f"{folder / 'a.md'}:9: broken link 'b.md': there is no section 'b'"
    assert "1 problem" in err


def test_check_bundled_guide_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["check"], capsys)
    assert code == 0
    count = len(bundled_section_ids())
    assert count > 0
    assert out.strip() == f"{count} sections checked, 0 problems."


def test_search_json_shape_and_ranking(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["search", "nose", "spray", "--json", "--limit", "3"], capsys)
    found = json.loads(out)
    assert code == 0
    assert set(found) == {"query", "read_as", "suggestion", "total", "results"}
    assert found["query"] == "nose spray" and found["read_as"] is None
    rows = found["results"]
    assert 1 <= len(rows) <= 3 < found["total"]  # the count is of all, not of those shown
    assert set(rows[0]) >= {"section", "title", "heading", "anchor", "snippet", "score"}
    assert rows[0]["section"] in {"esketamine-spravato", "ways-it-is-given"}


def test_search_without_matches_is_an_empty_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["search", "zzqxv", "--json"], capsys)
    found = json.loads(out)
    assert (code, found["results"], found["total"]) == (0, [], 0)


def test_keys_prints_an_example_config(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["keys"], capsys)
    assert code == 0
    assert "[keys]" in out and "get_help_now" in out


@pytest.mark.parametrize("argv", [["--version"], ["list"], ["--help"]])
def test_python_dash_m_behaves_as_the_command(ketaguide: Path, argv: list[str]) -> None:
    """`python -m ketaguide_tui` and the installed console script: same output, same code."""
    outcomes = [
        subprocess.run([*command, *argv], capture_output=True, text=True, timeout=60, check=False)
        for command in ([str(ketaguide)], [sys.executable, "-m", "ketaguide_tui"])
    ]
    script, module = ((done.returncode, done.stdout, done.stderr) for done in outcomes)
    assert script == module
    assert script[0] == 0 and script[1]
