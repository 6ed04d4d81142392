"""End to end in tmux: signals end the reader cleanly, and escapes never reach the terminal.

The installed `ketaguide` runs in a tmux pane under a shell that lives on after
it (so the terminal's modes can be read once the reader is gone). SIGTERM,
SIGHUP and SIGINT must leave the terminal as it was (main screen, cursor shown,
mouse reporting off), and the next start must open where the reader was; a
reader stopped and continued (SIGTSTP, SIGCONT) must draw its screen again. A
hostile content folder must change neither the pane's title (OSC 0/2) nor
tmux's paste buffers (OSC 52, with tmux told to accept it).

Without tmux these tests skip, except under `CI=true`, where they fail. The
reader's process id is read from /proc, so they run on Linux only.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import open_section_title, system_tool
from test_terminal import Pane

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

HOSTILE = Path(__file__).parent / "hostile" / "content"
WAIT = 20.0
EXITED = re.compile(r"\[ketaguide exited with status (\d+)\]")
# The shell stays after the reader ends, so the pane's modes are the shell's view.
WRAPPER = '"$0" "$@"; echo "[ketaguide exited with status $?]"; exec sleep 600'
TITLE = "before-ketaguide"

Start = Callable[..., Pane]


@pytest.fixture
def start(ketaguide: Path, tmp_path: Path) -> Iterator[Start]:
    """Start a command (the reader by default) in a pane of a private tmux server."""
    tmux = system_tool("tmux", "terminal tests")
    socket_dir = Path(tempfile.mkdtemp(prefix="ketaguide-sig-"))
    socket = str(socket_dir / "s")
    env = {**os.environ, "LANG": os.environ.get("LANG") or "C.UTF-8"}
    env.pop("TMUX", None)
    sessions = 0

    def launch(*args: str, command: tuple[str, ...] | None = None) -> Pane:
        nonlocal sessions
        sessions += 1
        pane = Pane(tmux, socket, f"sig-{sessions}")
        run = command or ("sh", "-c", WRAPPER, str(ketaguide), *args)
        subprocess.run(
            [tmux, "-u", "-S", socket, "-f", os.devnull, "start-server", ";"]
            + ["set-option", "-g", "status", "off", ";"]
            # Accept OSC 52 from programs, so a leak would show as a paste buffer.
            + ["set-option", "-g", "set-clipboard", "on", ";"]
            + ["new-session", "-d", "-s", pane.name, "-x", "100", "-y", "30"]
            + ["-c", str(tmp_path), "-e", f"KETAGUIDE_STATE_DIR={tmp_path / 'state'}"]
            + ["-e", f"KETAGUIDE_CONFIG_DIR={tmp_path / 'config'}", "--", *run],
            env=env,
            check=True,
            timeout=15,
            capture_output=True,
        )
        pane.tmux("select-pane", "-t", pane.name, "-T", TITLE)
        return pane

    try:
        yield launch
    finally:
        subprocess.run(
            [tmux, "-S", socket, "kill-server"], capture_output=True, timeout=15, check=False
        )
        shutil.rmtree(socket_dir, ignore_errors=True)


def show(pane: Pane, fmt: str) -> str:
    return pane.tmux("display", "-p", "-t", pane.name, fmt).strip()


def reader_pid(pane: Pane) -> int:
    """The reader: the one child of the pane's shell."""
    shell = show(pane, "#{pane_pid}")
    children = Path(f"/proc/{shell}/task/{shell}/children").read_text().split()
    assert len(children) == 1, children
    return int(children[0])


def wait_for_reader(pane: Pane) -> str:
    return pane.wait_until(
        lambda screen: open_section_title(screen) is not None and "Get help" in screen,
        "the reader's first screen",
    )


def viewer_rows(screen: str) -> list[str]:
    """The text column's top rows (right of the sidebar): what the reader was looking at."""
    # The scrollbar's eighth-blocks are left out: its thumb is drawn a part-cell off at times.
    rows = (re.split(r"[▕│]", line)[-1] for line in screen.splitlines()[:12])
    return [row.rstrip().rstrip("▁▂▃▄▅▆▇█").rstrip() for row in rows]


def scrolled_into_a_section(pane: Pane) -> list[str]:
    """Open the second section and page into it, past its first heading."""
    first = wait_for_reader(pane)
    pane.press("]")
    pane.wait_until(lambda s: open_section_title(s) != open_section_title(first), "next section")
    before = pane.screen()
    pane.press("space")
    screen = pane.wait_until(lambda s: viewer_rows(s) != viewer_rows(before), "a page turn")
    time.sleep(0.3)  # let the frame settle
    return viewer_rows(pane.screen()) or viewer_rows(screen)


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_signal_restores_the_terminal_and_keeps_the_place(
    start: Start, tmp_path: Path, signame: str
) -> None:
    pane = start()
    seen = scrolled_into_a_section(pane)
    assert show(pane, "#{alternate_on}") == "1"
    signum = getattr(signal, signame)
    # At once, before the reader would save the place by itself.
    os.kill(reader_pid(pane), signum)
    text = pane.wait_for("[ketaguide exited with status")
    match = EXITED.search(text)
    assert match is not None and int(match.group(1)) == 128 + signum, text
    assert "Traceback" not in text
    assert show(pane, "#{alternate_on} #{cursor_flag} #{mouse_any_flag}") == "0 1 0"

    saved = json.loads((tmp_path / "state" / "state.json").read_text(encoding="utf-8"))
    assert saved["last_place"]["anchor"], saved["last_place"]
    again = start()
    assert again.wait_until(lambda s: viewer_rows(s) == seen, "the same place", timeout=WAIT)


def test_a_closed_terminal_keeps_the_place(start: Start, tmp_path: Path) -> None:
    pane = start()
    seen = scrolled_into_a_section(pane)
    pid = reader_pid(pane)
    pane.tmux("kill-pane", "-t", pane.name)  # the window goes away: SIGHUP
    deadline = time.monotonic() + WAIT
    while Path(f"/proc/{pid}").exists() and Path(f"/proc/{pid}/cmdline").read_bytes():
        assert time.monotonic() < deadline, "the reader outlived its terminal"
        time.sleep(0.05)
    again = start()
    assert again.wait_until(lambda s: viewer_rows(s) == seen, "the same place", timeout=WAIT)


def test_a_reader_stopped_and_continued_draws_its_screen_again(start: Start) -> None:
    # As after Ctrl+Z and `fg` in a shell: the terminal shows the shell while the reader
    # is stopped, and the reader must draw all of its screen again when it continues.
    pane = start()
    seen = scrolled_into_a_section(pane)
    pid = reader_pid(pane)
    os.kill(pid, signal.SIGTSTP)
    pane.wait_until(lambda _: show(pane, "#{alternate_on}") == "0", "the shell's screen")
    assert viewer_rows(pane.screen()) != seen
    os.kill(pid, signal.SIGCONT)
    pane.wait_until(lambda s: viewer_rows(s) == seen, "the same place drawn again")
    assert "Get help" in pane.screen()
    pane.press("q")
    assert pane.wait_for("[ketaguide exited with status 0]")


def assert_terminal_untouched(pane: Pane) -> None:
    assert show(pane, "#{pane_title}") == TITLE
    assert pane.tmux("list-buffers") == ""


def test_the_probe_sees_a_title_and_a_clipboard_write(start: Start) -> None:
    # The check below must be able to fail: raw OSC 2 and OSC 52 do show up.
    printf = r"sleep 1; printf '\033]2;pwned\007\033]52;c;cGF5bG9hZA==\007'; exec sleep 600"
    pane = start(command=("sh", "-c", printf))
    pane.wait_until(lambda _: show(pane, "#{pane_title}") == "pwned", "the title to change")
    assert pane.tmux("list-buffers") != ""


@pytest.mark.parametrize("section", ["raw-escapes", "toml-escapes", "decoded", "markup"])
def test_escapes_in_content_never_reach_the_terminal(start: Start, section: str) -> None:
    pane = start("--content", str(HOSTILE), "--section", section)
    wait_for_reader(pane)
    pane.press("o")  # the link list shows link text and targets too
    time.sleep(0.5)
    pane.press("Escape")
    time.sleep(0.5)  # Escape then q at once would read as Alt+q
    pane.press("q")
    text = pane.wait_for("[ketaguide exited with status")
    assert "Traceback" not in text
    assert_terminal_untouched(pane)
