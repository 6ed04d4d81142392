"""Which reader starts: every row of the start-mode table, in the decision and for real.

The decision is checked row by row on made-up surroundings, then each row is
run: with pipes and no terminal at all (subprocess), and in a real terminal
(tmux) for `TERM=dumb`, `ACCESSIBLE=1`, `--linear`, output to a file and
standard error to a file. The README's table must be the module's own.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from test_terminal import Pane, tmux  # noqa: F401 - tmux is a fixture used here

from ketaguide_tui.start_mode import START_MODES, Mode, Surroundings, markdown_table, start_mode

README = Path(__file__).resolve().parents[1] / "README.md"
TERMINAL = Surroundings(
    linear_asked=False,
    stdin_tty=True,
    stdout_tty=True,
    stderr_tty=True,
    term="xterm-256color",
    accessible="",
    served=False,
)
"""An ordinary terminal: every stream a terminal, nothing asked for."""

CASES = [
    (replace(TERMINAL, served=True, stdin_tty=False, stdout_tty=False), 1, Mode.FULL_SCREEN),
    (replace(TERMINAL, linear_asked=True), 2, Mode.LINEAR),
    (replace(TERMINAL, linear_asked=True, stdout_tty=False), 2, Mode.LINEAR),
    (replace(TERMINAL, accessible="1"), 3, Mode.LINEAR),
    (replace(TERMINAL, accessible="0"), 8, Mode.FULL_SCREEN),
    (replace(TERMINAL, term="dumb"), 4, Mode.LINEAR),
    (replace(TERMINAL, stdout_tty=False), 5, Mode.PRINT),
    (replace(TERMINAL, stdin_tty=False), 6, Mode.LINEAR),
    (replace(TERMINAL, stdin_tty=False, stdout_tty=False, stderr_tty=False), 6, Mode.LINEAR),
    (replace(TERMINAL, stderr_tty=False), 7, Mode.LINEAR),
    (TERMINAL, 8, Mode.FULL_SCREEN),
]


@pytest.mark.parametrize(("surroundings", "row", "mode"), CASES)
def test_each_row_decides(surroundings: Surroundings, row: int, mode: Mode) -> None:
    chosen, chosen_row = start_mode(surroundings)
    assert (START_MODES.index(chosen_row) + 1, chosen) == (row, mode)


def test_every_row_is_reached_by_a_case() -> None:
    reached = {START_MODES.index(start_mode(case)[1]) for case, _, _ in CASES}
    assert reached == set(range(len(START_MODES)))


def test_the_readme_shows_this_table() -> None:
    assert markdown_table() in README.read_text(encoding="utf-8")


# ---- with pipes and no terminal --------------------------------------------------


def run_piped(
    ketaguide: Path, tmp_path: Path, stdin: bytes | None, *args: str
) -> tuple[int, bytes, bytes]:
    env = {
        **os.environ,
        "KETAGUIDE_STATE_DIR": str(tmp_path / "state"),
        "KETAGUIDE_CONFIG_DIR": str(tmp_path / "config"),
    }
    for name in ("ACCESSIBLE", "TEXTUAL_DRIVER"):
        env.pop(name, None)
    done = subprocess.run(
        [str(ketaguide), *args],
        input=stdin,
        stdin=subprocess.DEVNULL if stdin is None else None,
        capture_output=True,
        timeout=60,
        check=False,
        env=env,
        start_new_session=True,  # no controlling terminal at all
    )
    return done.returncode, done.stdout, done.stderr


def test_stdin_from_dev_null_prints_the_section_and_quits(ketaguide: Path, tmp_path: Path) -> None:
    code, out, err = run_piped(ketaguide, tmp_path, None)
    assert code == 0, err
    assert b"\x1b" not in out + err
    assert b"Heading level 1: Start here" in out
    assert out.rstrip().endswith(b"next time.")
    assert err == b""


def test_piped_choices_are_read_line_by_line(ketaguide: Path, tmp_path: Path) -> None:
    code, out, err = run_piped(ketaguide, tmp_path, b"3\n2\nquit\n")
    assert code == 0, err
    assert b"\x1b" not in out + err
    assert b"Contents: 25 sections." in out
    assert b"Heading level 1: What is ketamine?" in out
    # The place is kept: the next run opens there.
    _, again, _ = run_piped(ketaguide, tmp_path, None)
    assert b"Heading level 1: What is ketamine?" in again.split(b"Choices:")[0]


def test_invalid_bytes_on_stdin_do_not_end_the_reader(ketaguide: Path, tmp_path: Path) -> None:
    code, out, err = run_piped(ketaguide, tmp_path, b"\xff\xfe search \xc3\n\n3\n")
    assert code == 0, err
    assert b"Contents: 25 sections." in out
    assert b"Traceback" not in err


# ---- in a real terminal ----------------------------------------------------------


def everything(pane: Pane) -> str:
    """The pane's whole history: the linear reader's text scrolls past the screen."""
    return pane.tmux("capture-pane", "-p", "-J", "-S", "-", "-E", "-", "-t", pane.name)


Shell = Callable[[str], Pane]


@pytest.fixture
def shell(tmux: str, ketaguide: Path, tmp_path: Path) -> Iterator[Shell]:  # noqa: F811
    """Run a shell command line in a fresh 100x30 tmux pane, with raw output kept in
    tmp_path/raw; `{k}` in the line is the installed command."""
    socket_dir = Path(tempfile.mkdtemp(prefix="ketaguide-tmux-"))
    socket = str(socket_dir / "s")
    env = {**os.environ, "LANG": os.environ.get("LANG") or "C.UTF-8"}
    for name in ("TMUX", "ACCESSIBLE", "TEXTUAL_DRIVER"):
        env.pop(name, None)
    base = [tmux, "-u", "-S", socket, "-f", os.devnull]

    def start(line: str) -> Pane:
        pane = Pane(tmux, socket, "mode")
        go = tmp_path / "go"
        script = (
            f"while [ ! -e {go} ]; do sleep 0.05; done; "
            + line.format(k=ketaguide)
            + '; echo "[ketaguide exited with status $?]"'
        )
        subprocess.run(
            [
                *base,
                "start-server",
                ";",
                "set-option",
                "-g",
                "remain-on-exit",
                "on",
                ";",
                "new-session",
                "-d",
                "-s",
                pane.name,
                "-x",
                "100",
                "-y",
                "30",
                "-c",
                str(tmp_path),
                "-e",
                f"KETAGUIDE_STATE_DIR={tmp_path / 'state'}",
                "-e",
                f"KETAGUIDE_CONFIG_DIR={tmp_path / 'config'}",
                "--",
                "sh",
                "-c",
                script,
            ],
            env=env,
            check=True,
            timeout=15,
            capture_output=True,
        )
        pane.tmux("pipe-pane", "-O", "-t", pane.name, f"cat > {tmp_path / 'raw'}")
        go.touch()
        return pane

    try:
        yield start
    finally:
        subprocess.run([*base, "kill-server"], capture_output=True, timeout=15, check=False)


@pytest.mark.parametrize(
    "line",
    ["TERM=dumb {k}", "ACCESSIBLE=1 {k}", "{k} --linear"],
    ids=["dumb", "accessible", "flag"],
)
def test_linear_in_a_terminal(shell: Shell, tmp_path: Path, line: str) -> None:
    pane = shell(line)
    pane.wait_for("Choices:")
    assert "Heading level 1: Start here" in everything(pane)
    pane.type("3")
    pane.press("Enter")
    pane.wait_for("Contents: 25 sections.")
    pane.type("quit")
    pane.press("Enter")
    assert pane.wait_for_exit() == 0
    raw = (tmp_path / "raw").read_bytes()
    assert b"Heading level 1: Start here" in raw
    # No colour, no cursor movement, no alternate screen: not one escape code.
    assert b"\x1b" not in raw


def test_output_to_a_file_prints_the_section_once(shell: Shell, tmp_path: Path) -> None:
    pane = shell("{k} --section depression > out.txt")
    assert pane.wait_for_exit() == 0
    out = (tmp_path / "out.txt").read_text(encoding="utf-8")
    assert out.startswith("\nSection 5 of 25.\nHeading level 1: Depression\n")
    assert "Choices:" not in out and "\x1b" not in out
    assert "printed the open section only" in " ".join(everything(pane).split())


def test_stderr_to_a_file_reads_linear_on_the_terminal(shell: Shell, tmp_path: Path) -> None:
    pane = shell("{k} 2> err.txt")
    pane.wait_for("Choices:")
    assert "Heading level 1: Start here" in everything(pane)
    pane.type("q")
    pane.press("Enter")
    assert pane.wait_for_exit() == 0
    assert b"\x1b" not in (tmp_path / "raw").read_bytes()
    assert (tmp_path / "err.txt").read_bytes() == b""


def test_the_place_is_kept_per_content_folder(
    ketaguide: Path, tmp_path: Path, small_guide: Path
) -> None:
    code, out, err = run_piped(ketaguide, tmp_path, b"next\n", "--content", str(small_guide))
    assert code == 0 and b"Heading level 1: Effects" in out, err
    _, bundled, _ = run_piped(ketaguide, tmp_path, None)
    assert b"Heading level 1: Start here" in bundled.split(b"Choices:")[0]
    _, again, _ = run_piped(ketaguide, tmp_path, None, "--content", str(small_guide))
    assert b"Heading level 1: Effects" in again.split(b"Choices:")[0]
