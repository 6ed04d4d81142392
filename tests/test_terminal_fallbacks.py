"""Limited terminals, end to end in tmux: an ASCII locale, NO_COLOR, and 16 colours.

Each test starts the installed `ketaguide` in a private tmux server with the
environment under test, opens the search dialog too (it has the most chrome),
and reads back what tmux holds: the characters (`capture-pane -p`) and the
colours and attributes it was sent (`capture-pane -e`, as SGR sequences).
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import system_tool

WAIT = 20.0
SGR = re.compile(r"\x1b\[([0-9;:]*)m")
COLOUR_PARAMS = {*range(30, 38), 38, *range(40, 48), 48, *range(90, 98), *range(100, 108)}
"""SGR parameters that set a colour (39 and 49, "default colour", are not among them)."""
RED_PARAMS = {31, 41, 91, 101}
SEARCH_BOX_WITH_COST = re.compile(r"[│|] +cost\b")


class Terminal:
    """A tmux server running one reader; closed by the fixture."""

    def __init__(self, tmux: str, socket: str) -> None:
        self.tmux_path = tmux
        self.socket = socket

    def tmux(self, *args: str) -> str:
        done = subprocess.run(
            [self.tmux_path, "-u", "-S", self.socket, *args],
            capture_output=True,
            text=True,
            timeout=15,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def start(self, ketaguide: Path, home: Path, env: dict[str, str]) -> None:
        settings = [f"{name}={value}" for name, value in env.items()]
        command = [
            "env",
            "-u",
            "COLORTERM",
            f"KETAGUIDE_STATE_DIR={home / 'state'}",
            f"KETAGUIDE_CONFIG_DIR={home / 'config'}",
            *settings,
            str(ketaguide),
        ]
        self.tmux(
            "-f", "/dev/null", "new-session", "-d", "-s", "r", "-x", "100", "-y", "30", *command
        )

    def screen(self, escapes: bool = False) -> str:
        return self.tmux("capture-pane", "-p", *(["-e"] if escapes else []), "-t", "r")

    def wait_for(self, text: str) -> str:
        return self.wait_until(re.compile(re.escape(text)))

    def wait_until(self, pattern: re.Pattern[str]) -> str:
        deadline = time.monotonic() + WAIT
        while not pattern.search(screen := self.screen()):
            assert "Traceback" not in screen, screen
            assert time.monotonic() < deadline, f"no {pattern.pattern!r}; the screen:\n{screen}"
            time.sleep(0.1)
        return screen

    def settled(self, escapes: bool) -> str:
        """The screen once it stops changing (two captures 0.2 s apart agree)."""
        deadline = time.monotonic() + WAIT
        last = self.screen(escapes)
        while True:
            time.sleep(0.2)
            now = self.screen(escapes)
            if now == last or time.monotonic() > deadline:
                return now
            last = now

    def press(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "r", *keys)


@pytest.fixture
def terminal(ketaguide: Path) -> Iterator[Terminal]:
    tmux = system_tool("tmux", "terminal tests")
    folder = Path(tempfile.mkdtemp(prefix="ketaguide-tmux-"))
    term = Terminal(tmux, str(folder / "s"))
    try:
        yield term
    finally:
        subprocess.run([tmux, "-S", term.socket, "kill-server"], capture_output=True, check=False)


def _reader_and_search(terminal: Terminal) -> list[str]:
    """The opening screen, then the search dialog with results: both as tmux holds them."""
    terminal.wait_for("Get help now")
    screens = [terminal.settled(escapes=False), terminal.screen(escapes=True)]
    terminal.press("/")
    terminal.tmux("send-keys", "-t", "r", "-l", "cost")
    terminal.wait_until(SEARCH_BOX_WITH_COST)
    screens += [terminal.settled(escapes=False), terminal.screen(escapes=True)]
    return screens


def _sgr_params(screen: str) -> set[int]:
    return {int(p) for match in SGR.findall(screen) for p in re.split("[;:]", match) if p}


def test_an_ascii_locale_gets_only_ascii(
    terminal: Terminal, ketaguide: Path, tmp_path: Path
) -> None:
    terminal.start(ketaguide, tmp_path, {"LANG": "C", "LC_ALL": "C"})
    plain = _reader_and_search(terminal)[::2]
    for screen in plain:
        strays = sorted({c for c in screen if not c.isascii()})
        assert strays == [], f"non-ASCII {strays} on:\n{screen}"
    # Tree arrows, the sidebar's edge and the dialog's box have ASCII stand-ins.
    assert ">   What is ketamine?" in plain[0] and "|" in plain[0]
    assert "+---" in plain[1] and "|" in plain[1]


def test_no_color_sends_no_colour(terminal: Terminal, ketaguide: Path, tmp_path: Path) -> None:
    terminal.start(ketaguide, tmp_path, {"NO_COLOR": "1", "TERM": "xterm-256color"})
    escaped = _reader_and_search(terminal)[1::2]
    for screen in escaped:
        assert _sgr_params(screen) & COLOUR_PARAMS == set(), screen
        assert 7 in _sgr_params(screen)  # reverse marks the current item instead


def test_sixteen_colours_are_calm(terminal: Terminal, ketaguide: Path, tmp_path: Path) -> None:
    terminal.start(ketaguide, tmp_path, {"TERM": "linux"})
    escaped = _reader_and_search(terminal)[1::2]
    for screen in escaped:
        params = _sgr_params(screen)
        assert 38 not in params and 48 not in params  # only the 16 colours are sent
        assert params & RED_PARAMS == set(), "red on an ordinary screen"
