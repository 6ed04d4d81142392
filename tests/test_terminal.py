"""End to end: the installed `ketaguide` command in a real terminal, driven through tmux.

Each test starts the command that sits next to the running interpreter (what
`pip install .` put on PATH) in its own tmux server and session, 100x30 unless
the test needs another size, from a scratch folder (so the guide must come from
inside the installed package) and with its state and config folders in
`tmp_path`. Keys go in with `send-keys`; the screen is read with
`capture-pane`, polled against a deadline rather than slept on.

Without tmux these tests skip, except under `CI=true`, where they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import open_section_title, system_tool

WAIT = 20.0
"""Seconds to wait for the screen to show something before failing."""

# The command runs under a tiny shell wrapper so that, once it exits, the pane
# (kept by remain-on-exit) shows its exit status.
EXIT_LINE = re.compile(r"\[ketaguide exited with status (\d+)\]")
WRAPPER = '"$0" "$@"; echo "[ketaguide exited with status $?]"'
SIDEBAR_NODE = re.compile(r"^\s*[▶▼]\s{2,}\S", re.MULTILINE)
RESULT_COUNT = re.compile(r"\b\d+ results?\b")


@pytest.fixture
def tmux() -> str:
    """The tmux binary; missing means skip, or fail under CI=true."""
    return system_tool("tmux", "terminal tests")


@dataclass
class Pane:
    """One tmux session running the reader, with helpers to type and to read the screen."""

    tmux_path: str
    socket: str
    name: str

    def tmux(self, *args: str) -> str:
        done = subprocess.run(
            [self.tmux_path, "-u", "-S", self.socket, *args],
            capture_output=True,
            text=True,
            timeout=15,
            check=False,
        )
        if done.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def screen(self) -> str:
        """The visible screen, one line per row, trailing blanks kept off."""
        return self.tmux("capture-pane", "-p", "-t", self.name)

    def press(self, *keys: str) -> None:
        """Send tmux key names (`Enter`, `]`, `q`...)."""
        self.tmux("send-keys", "-t", self.name, *keys)

    def type(self, text: str) -> None:
        """Send text literally, character by character as typed."""
        self.tmux("send-keys", "-t", self.name, "-l", text)

    def resize(self, width: int, height: int) -> None:
        self.tmux("resize-window", "-t", self.name, "-x", str(width), "-y", str(height))

    def size(self) -> tuple[int, int]:
        shown = self.tmux("display", "-p", "-t", self.name, "#{pane_width} #{pane_height}")
        width, height = shown.split()
        return int(width), int(height)

    def is_dead(self) -> bool:
        """True once the reader (and its wrapper shell) has exited."""
        return self.tmux("display", "-p", "-t", self.name, "#{pane_dead}").strip() == "1"

    def wait_until(self, check: Callable[[str], bool], what: str, timeout: float = WAIT) -> str:
        """Poll the screen until `check` passes; returns that screen or fails showing it."""
        deadline = time.monotonic() + timeout
        while True:
            text = self.screen()
            if check(text):
                return text
            if "Traceback" in text:
                raise AssertionError(f"the reader crashed while waiting for {what}:\n{text}")
            if time.monotonic() > deadline:
                raise AssertionError(f"no {what} within {timeout:.0f} s; the screen:\n{text}")
            time.sleep(0.1)

    def wait_for(self, *texts: str, timeout: float = WAIT) -> str:
        """Wait until every one of `texts` is on the screen."""
        return self.wait_until(
            lambda screen: all(text in screen for text in texts), repr(texts), timeout
        )

    def wait_for_section(self, title: str, timeout: float = WAIT) -> str:
        """Wait until `title` is the open section (the line above "Last reviewed")."""
        return self.wait_until(
            lambda screen: open_section_title(screen) == title, f"open section {title!r}", timeout
        )

    def wait_for_exit(self, timeout: float = WAIT) -> int:
        """Wait for the reader to exit; returns its exit status."""
        deadline = time.monotonic() + timeout
        while not self.is_dead():
            if time.monotonic() > deadline:
                raise AssertionError(f"the reader did not exit; the screen:\n{self.screen()}")
            time.sleep(0.05)
        # What the reader printed last may have scrolled into the pane's history.
        text = self.tmux("capture-pane", "-p", "-S", "-", "-E", "-", "-t", self.name)
        assert "Traceback" not in text, text
        match = EXIT_LINE.search(text)
        assert match is not None, f"no exit status shown:\n{text}"
        return int(match.group(1))


def row(screen: str, number: int) -> str:
    """One row of the screen (0 is the top), or "" past the end."""
    rows = screen.splitlines()
    return rows[number] if 0 <= number < len(rows) else ""


def footer_on_row(number: int) -> Callable[[str], bool]:
    """A screen check: the footer ("! Get help", cut short when narrow) is on row `number`."""
    return lambda screen: "! Get help" in row(screen, number)


def footer(screen: str) -> str:
    """The last non-blank row: the key footer while the reader runs."""
    rows = [line for line in screen.splitlines() if line.strip()]
    return rows[-1] if rows else ""


Launch = Callable[..., Pane]


@pytest.fixture
def launch(ketaguide: Path, tmux: str, tmp_path: Path) -> Iterator[Launch]:
    """Start `ketaguide ARGS` in a new tmux session of its own; all are killed afterwards."""
    # A private server on a socket of our own (short path: sockets allow ~100 bytes).
    socket_dir = Path(tempfile.mkdtemp(prefix="ketaguide-tmux-"))
    socket = str(socket_dir / "s")
    env = {**os.environ, "LANG": os.environ.get("LANG") or "C.UTF-8"}
    env.pop("TMUX", None)  # a tmux running these tests must not be the one we talk to
    state_dir, config_dir = tmp_path / "state", tmp_path / "config"
    sessions = 0

    def start(*args: str, width: int = 100, height: int = 30) -> Pane:
        nonlocal sessions
        sessions += 1
        pane = Pane(tmux, socket, f"ketaguide-{socket_dir.name[-8:]}-{sessions}")
        # remain-on-exit is set before the session exists, so even a reader that
        # dies at once leaves its pane (and its last words) to be read.
        command = [
            tmux,
            "-u",
            "-S",
            socket,
            "-f",
            os.devnull,
            "start-server",
            ";",
            "set-option",
            "-g",
            "remain-on-exit",
            "on",
            ";",
            "set-option",
            "-g",
            "status",
            "off",
            ";",
            "new-session",
            "-d",
            "-s",
            pane.name,
            "-x",
            str(width),
            "-y",
            str(height),
            "-c",
            str(tmp_path),
            "-e",
            f"KETAGUIDE_STATE_DIR={state_dir}",
            "-e",
            f"KETAGUIDE_CONFIG_DIR={config_dir}",
            "--",
            "sh",
            "-c",
            WRAPPER,
            str(ketaguide),
            *args,
        ]
        subprocess.run(command, env=env, check=True, timeout=15, capture_output=True)
        assert pane.size() == (width, height)
        return pane

    try:
        yield start
    finally:
        subprocess.run(
            [tmux, "-S", socket, "kill-server"], capture_output=True, timeout=15, check=False
        )
        shutil.rmtree(socket_dir, ignore_errors=True)


def start_reader(launch: Launch, *args: str, width: int = 100, height: int = 30) -> Pane:
    """Launch the reader and wait until it has drawn its first screen."""
    pane = launch(*args, width=width, height=height)
    pane.wait_until(
        lambda screen: open_section_title(screen) is not None and "Get help now" in footer(screen),
        "reader with a section header and a footer",
    )
    return pane


def test_reader_opens_on_the_bundled_guide(launch: Launch, tmp_path: Path) -> None:
    pane = start_reader(launch)
    screen = pane.wait_for_section("Start here")
    bar = footer(screen)
    assert "Get help now" in bar and "Search" in bar
    # The sidebar lists the guide's sections; nothing was read from the working folder.
    assert "What is ketamine?" in screen and "Esketamine (Spravato)" in screen
    assert list(tmp_path.glob("*.md")) == [] and not (tmp_path / "content").exists()


def test_next_section_key_opens_what_is_ketamine(launch: Launch) -> None:
    pane = start_reader(launch)
    pane.press("]")
    pane.wait_for_section("What is ketamine?")


def test_search_forgives_a_typo_and_opens_the_result(launch: Launch) -> None:
    pane = start_reader(launch)
    pane.press("/")
    # Type once the search box is up, as a person would after seeing it.
    pane.wait_for("Search the guide", "Type to search")
    pane.type("spravatto")

    def result_listed(screen: str) -> bool:
        # The results cover the sidebar, whose rows start with ▶ / ▼; a row naming
        # the section that is not a sidebar row is a search result.
        hits = [
            line
            for line in screen.splitlines()
            if "Esketamine (Spravato)" in line and not re.search(r"[▶▼]\s+Esketamine", line)
        ]
        return "spravatto" in screen and RESULT_COUNT.search(screen) is not None and bool(hits)

    pane.wait_until(result_listed, "a search result for Esketamine (Spravato)")
    pane.press("Enter")
    screen = pane.wait_for_section("Esketamine (Spravato)")
    assert "spravatto" not in screen, "the search box should be closed"


def test_search_typed_in_one_burst_keeps_every_key(launch: Launch) -> None:
    pane = start_reader(launch)
    # `/` and the query arrive together, before the search box exists.
    pane.type("/nose spray")
    pane.wait_until(
        lambda screen: "nose spray" in screen and RESULT_COUNT.search(screen) is not None,
        "the whole query in the search box, with results",
    )


def test_find_typed_in_one_burst_keeps_every_key(launch: Launch) -> None:
    pane = start_reader(launch)
    pane.press("]")
    pane.wait_for_section("What is ketamine?")
    # `f` and the word arrive together, before the find box exists: every letter must
    # reach the box (`a` alone would open a dialog, `n` step to a match).
    pane.type("fanaesthetic")
    pane.wait_until(
        lambda screen: "anaesthetic" in screen and re.search(r"match 1 of \d+", screen) is not None,
        "the whole word in the find box, with its matches counted",
    )


def test_get_help_now_key_shows_crisis_lines(launch: Launch) -> None:
    pane = start_reader(launch)
    pane.press("!")
    pane.wait_for_section("Get help now")
    # The page opens with emergency numbers by country, then the crisis lines and the
    # fallback for everywhere else: all on the first screen, with no scrolling.
    pane.wait_for(
        "911 in the US and Canada",
        "999 in the UK",
        "112 in the EU",
        "000 in Australia",
        "111 in New Zealand",
        "988",
        "116 123",
        "findahelpline.com",
    )


def test_quit_ends_the_process_and_relaunch_resumes(launch: Launch, tmp_path: Path) -> None:
    pane = start_reader(launch)
    pane.press("]")
    pane.wait_for_section("What is ketamine?")
    pane.press("]")
    pane.wait_for_section("History")
    pane.press("q")
    assert pane.wait_for_exit() == 0
    assert pane.is_dead()
    assert "Traceback" not in pane.screen()
    # The place was written to the state folder named by KETAGUIDE_STATE_DIR.
    assert (tmp_path / "state" / "state.json").is_file()

    again = start_reader(launch)
    again.wait_for_section("History")
    again.press("q")
    assert again.wait_for_exit() == 0


def test_unknown_section_is_one_line_and_exit_2(ketaguide: Path, tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(ketaguide), *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )

    done = run("--section", "nosuch")
    assert done.returncode == 2, done
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("ketaguide: ") and "'nosuch'" in lines[0]
    assert "ketaguide list" in lines[0]

    # A near miss names the ids it might have meant, still on one line.
    done = run("--section", "side-efects")
    assert done.returncode == 2, done
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert "side-effects" in lines[0]
    assert "Traceback" not in done.stderr


def test_tiny_terminal_survives_sidebar_toggle_and_resizing(launch: Launch) -> None:
    pane = start_reader(launch, width=40, height=12)
    screen = pane.wait_for_section("Start here")
    # Below 70 columns the sidebar starts hidden; `t` calls it back.
    assert SIDEBAR_NODE.search(screen) is None, screen
    pane.press("t")
    pane.wait_until(lambda text: SIDEBAR_NODE.search(text) is not None, "the sidebar")

    for width, height in ((100, 30), (24, 6), (70, 20), (40, 12)):
        pane.resize(width, height)
        assert pane.size() == (width, height)
        # Redrawn for the new size: the footer sits on the new last row.
        pane.wait_until(footer_on_row(height - 1), f"the footer redrawn at {width}x{height}")
        assert not pane.is_dead()

    # Still alive and answering keys: it quits cleanly.
    pane.wait_for_section("Start here")
    pane.press("q")
    assert pane.wait_for_exit() == 0
    assert "Traceback" not in pane.screen()
