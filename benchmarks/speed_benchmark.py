"""Speed benchmark for the ketaguide reader, measured in a real terminal (a tmux pane, 100x30).

Run from the project root::

    python benchmarks/speed_benchmark.py            # 5 runs of everything (a few minutes)
    python benchmarks/speed_benchmark.py --runs 7 --out /tmp/speed.json
    python benchmarks/speed_benchmark.py --quick    # 1-2 runs of each: a smoke test

What it measures (docs/speed.md explains each figure and records one full run):

1. First paint: from process start until the sidebar, the section header (title and
   "Last reviewed") and the first paragraph of `start-here` are all on screen. The floor
   is `minimal_markdown_app.py` (an `App` with one `Markdown` widget) showing the same
   body, measured in the same run; Frogmouth, installed into a throwaway venv under
   `benchmarks/.cache/`, is the comparison ("n/a" when it cannot be installed).
2. Section switch: `]` through every section (first visits), then `[` back (revisits),
   each from the key press until the new section's title is painted in the viewer.
3. Search as you type: `/`, the query typed one key every 80 ms, then the time from the
   last key until the full query's first result is on screen; then the same query sent
   in one burst.
4. Memory: peak RSS (VmHWM) of the reader after first paint and every section visited,
   against the floor app's after its first paint.
5. Scale: a generated guide of 1,000 sections: first paint, and `]` a few times.
6. Large guides and the cache: 10,000 generated sections (search_benchmark.py's
   generator): first paint with an empty cache folder (a first launch) and with a warm
   one, the first ten page turns straight after the warm first paint, peak RSS, and
   `ketaguide list` and `ketaguide search` on it with a warm cache. The lowest floor,
   `minimal_static_app.py` (a Textual app painting one `Static` line), is measured in
   the same runs as the other floors, and so is `minimal_widgets_app.py` (the Textual
   widgets the reader's first screen is made of, with none of its work): not a budget,
   it splits the distance to the lowest floor into what those widgets cost and what
   the reader itself does.

How it watches the screen: it runs its own tmux server (a private socket, no user
config) and talks to it through one control-mode client (`tmux -C`), so a
`capture-pane` costs a fraction of a millisecond instead of the few milliseconds of a
`tmux` subprocess. The control client is attached to the pane being measured, so tmux
tells it (`%output`) whenever the app writes; the screen is captured right after each
write (and every 50 ms regardless), so nothing is missed and no CPU is burnt polling an
unchanged screen. Both round trips are measured and printed as the polling floor.

The app is started by a shell already waiting in the pane on a named pipe: the clock
starts when the benchmark writes to the pipe, and the shell `exec`s the app, so tmux's
own session set-up is not counted and the pane's process is the app itself.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import platform
import random
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
BUNDLED_CONTENT = PROJECT_DIR / "content"
MINIMAL_APP = BENCH_DIR / "minimal_markdown_app.py"
STATIC_APP = BENCH_DIR / "minimal_static_app.py"
WIDGETS_APP = BENCH_DIR / "minimal_widgets_app.py"
CACHE_DIR = BENCH_DIR / ".cache"
DEFAULT_OUT = BENCH_DIR / "results" / "speed.json"

WIDTH, HEIGHT = 100, 30
START_SECTION = "start-here"
FROGMOUTH_SPEC = "frogmouth==0.9.2"
"""Pinned so that runs on different days compare the same Frogmouth."""

SEARCH_QUERIES = ("blood pressure", "spravato rems", "nasal spray", "nitrous oxide")
"""Tried in order; the first whose top result differs from the top result of every
prefix typed on the way is used, so its marker can only be the full query's."""
KEY_GAP = 0.080
"""Seconds between keys when typing "at human speed"."""

SCALE_SECTIONS = 1000
SCALE_WORDS = 300
SCALE_SWITCHES = 10
EAGER_SWITCHES = 3
TENK_SECTIONS = 10_000
TENK_TURNS = 10
TENK_PAINT_TIMEOUT = 600.0
CLI_QUERY = "blood pressure"
"""Presses of `]` at scale straight after the first paint, before the app is idle."""

FIRST_PAINT_TIMEOUT = 30.0
SCALE_PAINT_TIMEOUT = 120.0
KEY_TIMEOUT = 5.0
FORCED_CAPTURE = 0.050
"""Capture at least this often (seconds) even without a `%output` notice: a safety net."""
IDLE_WINDOW = 0.15
"""An app counts as idle after this long (seconds) using at most one CPU clock tick."""
PHRASE_WORDS = 4

BUDGETS = {
    "first_paint_vs_floor": 1.2,
    "first_paint_vs_frogmouth": 0.5,
    "switch_first_p95_ms": 100.0,
    "switch_revisit_p95_ms": 30.0,
    "memory_vs_floor": 1.3,
    "scale_first_paint_vs_bundled": 2.0,
    "scale_switch_p95_ms": 100.0,
    "first_paint_vs_static": 1.3,
    "tenk_warm_vs_bundled": 1.5,
    "tenk_cold_vs_bundled": 4.0,
    "tenk_first_turns_max_ms": 60.0,
    "cli_search_ms": 300.0,
    "cli_list_ms": 300.0,
    "tenk_rss_vs_bundled": 3.0,
}
"""The issue's budgets. "Stays responsive" at scale uses the first-visit switch budget."""

BOX_GLYPHS = re.compile(r"[\u2500-\u259f\s]+$")
"""Box-drawing and block characters: borders and scrollbar thumbs at the end of a row."""
EDGE_PUNCTUATION = re.compile(r"^\W+|\W+$")
PLAIN_WORD = re.compile(r"^[A-Za-z]+[,.;:]?$")
SIDEBAR_BORDER = "\u2595"
"""`▕`: the sidebar's right border (`border-right: vkey`): splits a row into sidebar and viewer."""
RESULT_COUNT = re.compile(r"\b\d+ results?\b")


class BenchmarkError(Exception):
    """The benchmark cannot run at all (no tmux, no content): one line, exit code 2."""


# Statistics ---------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100) with linear interpolation, as numpy's default."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary(values: Sequence[float | None]) -> dict[str, Any]:
    """Median, p95, min, max and count of the values that were measured (None = timed out)."""
    measured = [v for v in values if v is not None]
    return {
        "n": len(measured),
        "timeouts": len(values) - len(measured),
        "median": percentile(measured, 50),
        "p95": percentile(measured, 95),
        "min": min(measured, default=None),
        "max": max(measured, default=None),
    }


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


# Content (read directly, so the benchmark needs nothing from the package) ---------


@dataclass(frozen=True)
class SectionInfo:
    """What the benchmark needs to know about one section to recognise it on screen."""

    id: str
    title: str
    order: int
    body: str
    toc_rows: int
    """H2 and H3 headings: at most this many sidebar rows open under the section."""


def split_front_matter(text: str) -> tuple[str, str] | None:
    """(front matter, body) of a section file, or None without `+++` front matter."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "+++":
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == "+++":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :])
    return None


def count_toc_rows(body: str) -> int:
    """H2 and H3 headings outside code fences: the most rows the sidebar opens for them."""
    rows, fenced = 0, False
    for line in body.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and (line.startswith("## ") or line.startswith("### ")):
            rows += 1
    return rows


def read_sections(folder: Path) -> list[SectionInfo]:
    """The folder's sections in reading order (files the reader would skip are skipped)."""
    sections = []
    for path in sorted(folder.glob("*.md")):
        parts = split_front_matter(path.read_text(encoding="utf-8-sig"))
        if parts is None:
            continue
        try:
            meta = tomllib.loads(parts[0])
        except tomllib.TOMLDecodeError:
            continue
        if not isinstance(meta.get("title"), str) or not isinstance(meta.get("order"), int):
            continue
        body = parts[1]
        sections.append(
            SectionInfo(path.stem, meta["title"].strip(), meta["order"], body, count_toc_rows(body))
        )
    sections.sort(key=lambda s: (s.order, s.id))
    return sections


def first_paragraph_phrase(body: str, size: int = PHRASE_WORDS) -> tuple[str, ...]:
    """`size` consecutive plain words from the body's first paragraph.

    Plain words only (no `**`, links or code), so the rendered text is the source
    text in every viewer; matched word by word, so wrapping does not matter.
    """
    paragraph: list[str] = []
    for line in body.split("\n"):
        if not line.strip():
            if paragraph:
                break
            continue
        if line.lstrip().startswith(("#", "-", "*", "|", ">", "```", "+")):
            if paragraph:
                break
            continue
        paragraph.extend(line.split())
    for start in range(len(paragraph) - size + 1):
        window = paragraph[start : start + size]
        if all(PLAIN_WORD.match(word) for word in window):
            return tuple(EDGE_PUNCTUATION.sub("", word) for word in window)
    raise BenchmarkError(f"no {size} plain words in a row in the first paragraph")


def sidebar_marker(sections: Sequence[SectionInfo], start: int) -> str:
    """The title of the last section the sidebar shows on the first screen.

    The open section is expanded under its own row; counting every H2 and H3 as a
    row errs towards a section that is surely on screen.
    """
    rows = HEIGHT - 2  # the footer, and a spare row
    marker = sections[start].title
    for index, section in enumerate(sections):
        row = index + (sections[start].toc_rows if index > start else 0)
        if row < rows:
            marker = section.title
    return marker


# Reading the screen ---------------------------------------------------------


Screen = list[str]
Check = Callable[[Screen], bool]


def strip_glyphs(text: str) -> str:
    """A row without trailing borders, scrollbar thumbs and spaces."""
    return BOX_GLYPHS.sub("", text)


def split_row(row: str) -> tuple[str, str]:
    """(sidebar part, viewer part) of a reader row; ("", row) where there is no sidebar."""
    index = row.find(SIDEBAR_BORDER)
    return (row[:index], row[index + 1 :]) if index >= 0 else ("", row)


def body_rows(screen: Screen) -> list[str]:
    """The rows above the footer."""
    return screen[:-1]


def words_on(rows: Sequence[str]) -> list[str]:
    """Every word on these rows in reading order, punctuation and glyphs removed."""
    found = []
    for row in rows:
        for token in row.split():
            word = EDGE_PUNCTUATION.sub("", token)
            if word:
                found.append(word)
    return found


def contains_phrase(rows: Sequence[str], phrase: Sequence[str]) -> bool:
    found = words_on(rows)
    size = len(phrase)
    return any(tuple(found[i : i + size]) == tuple(phrase) for i in range(len(found) - size + 1))


def reader_header_check(title: str) -> Check:
    """The viewer shows `title` on one row and "Last reviewed" on the next."""

    def check(screen: Screen) -> bool:
        viewer = [strip_glyphs(split_row(row)[1]).strip() for row in body_rows(screen)]
        return any(
            viewer[i] == title and viewer[i + 1].startswith("Last reviewed")
            for i in range(len(viewer) - 1)
        )

    return check


def reader_sidebar_check(title: str) -> Check:
    """The sidebar (left of its border) lists `title` (labels may be cut at the border)."""
    shown = title[:24]
    return lambda screen: any(shown in split_row(row)[0] for row in body_rows(screen))


def reader_body_check(phrase: Sequence[str]) -> Check:
    return lambda screen: contains_phrase([split_row(r)[1] for r in body_rows(screen)], phrase)


def paint_checks(sections: Sequence[SectionInfo], index: int) -> dict[str, Check]:
    """The reader's first paint with `sections[index]` open: the sidebar down to its last
    title on the first screen, the section's header, and four words of its first paragraph."""
    section = sections[index]
    return {
        "sidebar": reader_sidebar_check(sidebar_marker(sections, index)),
        "header": reader_header_check(section.title),
        "body": reader_body_check(first_paragraph_phrase(section.body)),
    }


def plain_body_check(phrase: Sequence[str]) -> Check:
    return lambda screen: contains_phrase(screen, phrase)


def text_check(text: str) -> Check:
    return lambda screen: any(text in row for row in screen)


def search_result_check(where: str) -> Check:
    """The first row of results (after the "N results" status) starts with `where`."""
    expected = where[:50]

    def check(screen: Screen) -> bool:
        for index, row in enumerate(screen):
            if RESULT_COUNT.search(row):
                for following in screen[index + 1 :]:
                    text = EDGE_PUNCTUATION.sub("", strip_glyphs(following).strip("│▊▎ "))
                    if text:
                        return text.startswith(EDGE_PUNCTUATION.sub("", expected))
        return False

    return check


def input_check(typed: str) -> Check:
    """A row that is exactly the typed text inside the input's borders."""
    return lambda screen: any(row.strip("│▊▎ ").rstrip() == typed for row in screen)


# Processes ------------------------------------------------------------------


def cpu_ticks(pid: int) -> int | None:
    """User + system CPU clock ticks of a process (all its threads), None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])


def status_kib(pid: int, key: str) -> int | None:
    """A `VmHWM`-style line of /proc/PID/status, in KiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{key}:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def descendants(pid: int) -> list[int]:
    """The process and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        queue.extend(children.get(current, []))
    return found


def app_process(pane_pid: int) -> int:
    """The app under the pane: the pane's process or a descendant, whichever peaks highest.

    The pane's shell `exec`s the app, so this is normally the pane's own process;
    looking below it keeps the measure right for a launcher that forks instead.
    """
    candidates = descendants(pane_pid)
    return max(candidates, key=lambda pid: status_kib(pid, "VmHWM") or 0)


# tmux -------------------------------------------------------------------------


def tmux_quote(text: str) -> str:
    """Quote one argument for tmux's command parser (double quotes: \\, " and $ escaped)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$")
    return f'"{escaped}"'


@dataclass(frozen=True)
class Launch:
    """A command to start in a fresh pane."""

    name: str
    argv: Sequence[str]
    env: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Pane:
    """A running app in its own tmux session."""

    session: str
    pane_id: str
    pid: int
    started: float
    """perf_counter() when the app was released: time 0 of its first paint."""


@dataclass
class WaitResult:
    """When (ms after the reference time) each check first passed; None = timed out."""

    times: dict[str, float | None]
    screen: Screen

    @property
    def all_ms(self) -> float | None:
        """When every check had passed (the last of them)."""
        values = list(self.times.values())
        return None if any(v is None for v in values) else max(v for v in values if v is not None)


class Tmux:
    """A private tmux server and one control-mode client to drive it.

    Private (its own socket, `-f /dev/null`), so a user's tmux and configuration
    neither disturb the figures nor get disturbed; `close()` kills the whole server.
    """

    def __init__(self, workdir: Path) -> None:
        if shutil.which("tmux") is None:
            raise BenchmarkError("tmux is not installed (apt-get install tmux)")
        self.workdir = workdir
        self.socket = f"ketaguide-speed-{os.getpid()}"
        self.env = clean_environment()
        self._count = 0
        self._buffer = b""
        self._dirty = False
        # A holding session keeps the server up between the measured ones.
        self._run("new-session", "-d", "-s", "hold", "-x", str(WIDTH), "-y", str(HEIGHT))
        self.socket_path = Path(self._run("display-message", "-p", "#{socket_path}").strip())
        self.client = subprocess.Popen(
            ["tmux", "-u", "-L", self.socket, "-C", "attach-session", "-t", "hold"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=self.env,
        )
        assert self.client.stdin is not None and self.client.stdout is not None
        self._stdin = self.client.stdin
        self._fd = self.client.stdout.fileno()
        try:
            self._configure()
        except BaseException:
            self.close()
            raise

    def _configure(self) -> None:
        token = f"ready-{os.getpid()}"
        if self.command(f"display-message -p {token}") != [token]:
            raise BenchmarkError("the tmux control client answered out of turn")
        # No status line, so the pane is the whole 100x30; panes run their command
        # with /bin/sh; a client whose session ends moves on instead of exiting.
        for option in (
            "status off",
            "default-shell /bin/sh",
            "detach-on-destroy off",
            "default-terminal tmux-256color" if has_terminfo("tmux-256color") else "",
        ):
            if option:
                self.command(f"set-option -g {option}")

    def _run(self, *args: str) -> str:
        """A tmux subprocess (only to start the server and to measure its cost)."""
        done = subprocess.run(
            ["tmux", "-u", "-L", self.socket, "-f", os.devnull, *args],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=10,
            check=False,
        )
        if done.returncode != 0:
            raise BenchmarkError(f"tmux {args[0]} failed: {done.stderr.strip()}")
        return done.stdout

    # The control-mode protocol -------------------------------------------------

    def _read_more(self, timeout: float) -> bool:
        """Read what the client has sent, waiting up to `timeout`; False if nothing came."""
        ready, _, _ = select.select([self._fd], [], [], max(0.0, timeout))
        if not ready:
            return False
        chunk = os.read(self._fd, 1 << 20)
        if not chunk:
            raise BenchmarkError("the tmux control client exited")
        self._buffer += chunk
        return True

    def _next_line(self, deadline: float) -> bytes:
        while b"\n" not in self._buffer:
            if not self._read_more(deadline - time.monotonic()) and time.monotonic() > deadline:
                raise BenchmarkError("tmux did not answer in time")
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line

    def _notice(self, line: bytes) -> None:
        """A line outside any command's answer: note that the screen may have changed."""
        if line.startswith(b"%output"):
            self._dirty = True
        elif line.startswith(b"%exit"):
            raise BenchmarkError("the tmux control client was detached")

    def command(self, text: str, timeout: float = 10.0) -> list[str]:
        """Run one tmux command; its output lines. Raises on a tmux error."""
        self._stdin.write(text.encode() + b"\n")
        self._stdin.flush()
        deadline = time.monotonic() + timeout
        while True:
            line = self._next_line(deadline)
            if not line.startswith(b"%begin"):
                self._notice(line)
                continue
            # `%begin TIME NUMBER FLAGS`: flags 1 marks an answer to this client's command;
            # others (the attach's own empty answer) are read past.
            _, _, tag, flags = line.split()
            output: list[bytes] = []
            while True:
                line = self._next_line(deadline)
                parts = line.split()
                if len(parts) == 4 and parts[0] in (b"%end", b"%error") and parts[2] == tag:
                    break
                output.append(line)
            if flags != b"1":
                continue
            lines = [item.decode("utf-8", "replace") for item in output]
            if parts[0] == b"%error":
                raise BenchmarkError(f"tmux: {text.split()[0]}: {' '.join(lines)}")
            return lines

    def pump(self, seconds: float) -> None:
        """Wait, reading notices meanwhile (a control client left unread falls behind)."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if self._read_more(left):
                *complete, self._buffer = self._buffer.split(b"\n")
                for line in complete:
                    self._notice(line)

    # Panes ------------------------------------------------------------------

    def launch(self, launch: Launch) -> Pane:
        """Start `launch` in a fresh 100x30 session; the clock starts as it is released."""
        self._count += 1
        session = f"bench{self._count}"
        gate = self.workdir / f"gate-{self._count}"
        os.mkfifo(gate)
        # The shell waits on the pipe, then becomes the app (exec): tmux's own
        # set-up is not timed, and the pane's process is the app.
        command = " ".join(shell_quote(arg) for arg in launch.argv)
        shell = f"read _ < {shell_quote(str(gate))}; exec {command}"
        env = " ".join(f"-e {tmux_quote(f'{k}={v}')}" for k, v in launch.env.items())
        out = self.command(
            f"new-session -d -P -F '#{{pane_id}} #{{pane_pid}}' -s {session}"
            f" -x {WIDTH} -y {HEIGHT} -c {tmux_quote(str(self.workdir))} {env} {tmux_quote(shell)}"
        )
        pane_id, pid = out[0].split()
        pane = Pane(session, pane_id, int(pid), 0.0)
        try:
            self.command(f"switch-client -t {session}")
            size = self.command(
                f"display-message -p -t {pane_id} '#{{pane_width}}x#{{pane_height}}'"
            )
            if size != [f"{WIDTH}x{HEIGHT}"]:
                raise BenchmarkError(f"the pane is {size}, not {WIDTH}x{HEIGHT}")
            pane.started = self._release(gate)
        except BaseException:
            self.kill(pane)
            raise
        return pane

    def _release(self, gate: Path) -> float:
        """Open the pipe the pane's shell waits on; the time just before the open that worked."""
        deadline = time.monotonic() + 10
        while True:
            attempt = time.perf_counter()
            try:
                # Succeeds only once the shell has the pipe open for reading.
                fd = os.open(gate, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as error:
                if error.errno != errno.ENXIO or time.monotonic() > deadline:
                    raise BenchmarkError(f"the pane's shell did not start: {error}") from error
                self.pump(0.005)
                continue
            os.write(fd, b"go\n")
            os.close(fd)
            self._dirty = True
            return attempt

    def capture(self, pane: Pane) -> Screen:
        return self.command(f"capture-pane -p -t {pane.pane_id}")

    def send(self, pane: Pane, keys: str, literal: bool = True) -> float:
        """Send keys (literal text, or tmux key names such as `C-u`); the time sent."""
        sent = time.perf_counter()
        flag = "-l " if literal else ""
        self.command(f"send-keys -t {pane.pane_id} {flag}{tmux_quote(keys)}")
        return sent

    def wait_for(
        self, pane: Pane, checks: Mapping[str, Check], since: float, timeout: float
    ) -> WaitResult:
        """Capture after every write of the app until every check passes (or `timeout`).

        Times are taken when the capture that shows the check passing returns, so
        they include at most one capture round trip (the polling floor).
        """
        times: dict[str, float | None] = dict.fromkeys(checks)
        deadline = since + timeout
        screen: Screen = []
        next_forced = 0.0
        self._dirty = True
        while True:
            now = time.perf_counter()
            if self._dirty or now >= next_forced:
                self._dirty = False
                screen = self.capture(pane)
                captured = time.perf_counter()
                for name, check in checks.items():
                    if times[name] is None and check(screen):
                        times[name] = (captured - since) * 1000
                if all(value is not None for value in times.values()):
                    break
                next_forced = captured + FORCED_CAPTURE
            if now > deadline:
                break
            if self._read_more(min(next_forced, deadline) - time.perf_counter()):
                *complete, self._buffer = self._buffer.split(b"\n")
                for line in complete:
                    self._notice(line)
        return WaitResult(times, screen)

    def wait_idle(self, pid: int, timeout: float) -> float | None:
        """Seconds until the app stops using CPU (None if it never did within `timeout`)."""
        began = time.monotonic()
        history: list[tuple[float, int]] = []
        while time.monotonic() - began < timeout:
            ticks = cpu_ticks(pid)
            if ticks is None:
                return None
            now = time.monotonic()
            history.append((now, ticks))
            window = [t for when, t in history if now - when <= IDLE_WINDOW]
            if now - history[0][0] >= IDLE_WINDOW and window[-1] - window[0] <= 1:
                return now - began - IDLE_WINDOW
            self.pump(0.02)
        return None

    def kill(self, pane: Pane) -> None:
        """End the pane's session and make sure its app is gone."""
        with contextlib.suppress(BenchmarkError):
            self.command("switch-client -t hold")
        with contextlib.suppress(BenchmarkError):
            self.command(f"kill-session -t {pane.session}")
        deadline = time.monotonic() + 3
        while Path(f"/proc/{pane.pid}").exists() and time.monotonic() < deadline:
            self.pump(0.02)
        if Path(f"/proc/{pane.pid}").exists():
            # Our own child of our own tmux server, by its id: it ignored the hangup.
            with contextlib.suppress(ProcessLookupError):
                os.kill(pane.pid, signal.SIGKILL)

    # Polling floor ------------------------------------------------------------

    def capture_round_trips(self, count: int = 200) -> list[float]:
        """ms per control-mode `capture-pane` of the idle holding pane."""
        times = []
        for _ in range(count):
            began = time.perf_counter()
            self.command("capture-pane -p -t hold")
            times.append((time.perf_counter() - began) * 1000)
        return times

    def subprocess_round_trips(self, count: int = 20) -> list[float]:
        """ms per `tmux capture-pane` run as a subprocess (what a shell script pays)."""
        times = []
        for _ in range(count):
            began = time.perf_counter()
            self._run("capture-pane", "-p", "-t", "hold")
            times.append((time.perf_counter() - began) * 1000)
        return times

    def close(self) -> None:
        """Kill the private server (every session in it) and the control client."""
        with contextlib.suppress(BenchmarkError, OSError):
            self._stdin.write(b"kill-server\n")
            self._stdin.flush()
        try:
            self.client.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.client.kill()
            self.client.wait(timeout=5)
        with contextlib.suppress(BenchmarkError, subprocess.TimeoutExpired):
            self._run("kill-server")
        # tmux leaves its socket file behind; it is ours alone (named after this process).
        with contextlib.suppress(OSError):
            self.socket_path.unlink()


def shell_quote(text: str) -> str:
    """Single-quote for /bin/sh when needed."""
    if re.fullmatch(r"[\w@%+=:,./-]+", text):
        return text
    return "'" + text.replace("'", "'\"'\"'") + "'"


def has_terminfo(name: str) -> bool:
    return (
        shutil.which("infocmp") is not None
        and subprocess.run(["infocmp", name], capture_output=True, check=False).returncode == 0
    )


def clean_environment() -> dict[str, str]:
    """The environment for the private tmux server and so for every app in it.

    Without the caller's Textual, ketaguide, colour and tmux variables, so a developer's
    shell does not change the figures; a UTF-8 locale and a truecolor terminal, like
    a modern terminal emulator.
    """
    dropped = ("TEXTUAL", "KETAGUIDE", "NO_COLOR", "FORCE_COLOR", "TMUX", "PYTHON", "COLUMNS")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped) and k != "LINES"}
    if "UTF-8" not in env.get("LANG", "").upper().replace("UTF8", "UTF-8"):
        env["LANG"] = "C.UTF-8"
    env["COLORTERM"] = "truecolor"
    return env


# The apps under test -----------------------------------------------------------


@dataclass(frozen=True)
class Apps:
    """How to start each app, and what each must show."""

    ketaguide: Callable[..., Launch]
    """(content folder, section id, fresh temp folder[, cache folder]) -> the reader."""
    minimal: Launch
    static: Launch
    widgets: Launch
    """Textual's widgets that the reader's first screen is made of, and none of its work."""
    frogmouth: Launch | None
    ketaguide_mode: str


def ketaguide_launcher(mode: str) -> Callable[..., Launch]:
    """The reader from this checkout (`-m ketaguide_tui`) or the installed `ketaguide`.

    Its cache folder is `cache`, else a fresh one in `scratch` (a first launch)."""

    def launch(content: Path, section: str, scratch: Path, cache: Path | None = None) -> Launch:
        state, config = scratch / "state", scratch / "config"
        state.mkdir(parents=True, exist_ok=True)
        config.mkdir(parents=True, exist_ok=True)
        env = {
            "KETAGUIDE_STATE_DIR": str(state),
            "KETAGUIDE_CONFIG_DIR": str(config),
            "KETAGUIDE_CACHE_DIR": str(cache or scratch / "cache"),
        }
        if mode == "installed":
            argv = [str(Path(sys.executable).parent / "ketaguide")]
        else:
            # PYTHONPATH, not the working folder: the pane runs in a scratch folder.
            env["PYTHONPATH"] = str(PROJECT_DIR)
            argv = [sys.executable, "-m", "ketaguide_tui"]
        args = ["--section", section]
        if content != BUNDLED_CONTENT:
            args = ["--content", str(content), *args]
        return Launch("ketaguide", [*argv, *args], env)

    return launch


def frogmouth_command(body_file: Path, scratch: Path, log: list[str]) -> Launch | None:
    """Frogmouth from a throwaway venv under benchmarks/.cache/ (made on first use)."""
    venv = CACHE_DIR / "frogmouth-venv"
    binary = venv / "bin" / "frogmouth"
    stamp = venv / f"installed-{FROGMOUTH_SPEC}"
    if not stamp.exists():
        shutil.rmtree(venv, ignore_errors=True)
        print(f"installing {FROGMOUTH_SPEC} into {venv.relative_to(PROJECT_DIR)} ...", flush=True)
        steps = [
            [sys.executable, "-m", "venv", str(venv)],
            [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", FROGMOUTH_SPEC],
        ]
        for step in steps:
            try:
                done = subprocess.run(step, capture_output=True, text=True, timeout=600)
            except (OSError, subprocess.TimeoutExpired) as error:
                log.append(f"frogmouth: {error}")
                return None
            if done.returncode != 0:
                errors = [line for line in done.stderr.splitlines() if "ERROR" in line]
                log.append(f"frogmouth not installed: {(errors or ['pip failed'])[-1]}")
                return None
        stamp.touch()
    # Frogmouth keeps history and bookmarks under the XDG folders: keep them in scratch.
    env = {"XDG_DATA_HOME": str(scratch / "data"), "XDG_CONFIG_HOME": str(scratch / "config")}
    return Launch("frogmouth", [str(binary), str(body_file)], env)


# Generated content for the scale test ---------------------------------------------


def generate_content(folder: Path, count: int, words: int, seed: int = 7) -> None:
    """`count` valid sections of about `words` words: a lead, three H2s, an H3, a list, sources.

    Words are made up from syllables (a seeded RNG, so every run reads the same
    text), with common English glue words so paragraphs wrap like prose.
    """
    rng = random.Random(seed)
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
    vocabulary = ["".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(3000)]
    glue = ["the", "of", "and", "a", "to", "in", "is", "it", "for", "with", "not", "that"]

    def text(n: int) -> str:
        out = [
            rng.choice(glue) if rng.random() < 0.35 else rng.choice(vocabulary) for _ in range(n)
        ]
        return " ".join(out).capitalize() + "."

    folder.mkdir(parents=True, exist_ok=True)
    share = max(1, (words - 40) // 4)
    for number in range(1, count + 1):
        section_id = f"section-{number:04d}"
        previous = f"section-{max(1, number - 1):04d}.md"
        title = f"Section {number:04d} {rng.choice(vocabulary).title()}"
        heads = [rng.choice(vocabulary).title() for _ in range(4)]
        body = "\n\n".join(
            [
                f"Generated section number {number} opens here. {text(34)}",
                f"## {heads[0]} one\n\n{text(share)}",
                f"## {heads[1]} two\n\n{text(share // 2)}\n\n### {heads[2]} detail\n\n"
                f"{text(share // 2)}",
                f"## {heads[3]} three\n\n" + "\n".join(f"- {text(share // 5)}" for _ in range(5)),
                f"## Sources\n\n- [Previous section]({previous})",
            ]
        )
        (folder / f"{section_id}.md").write_text(
            "+++\n"
            f'title = "{title}"\n'
            f"order = {number * 10}\n"
            f'summary = "Generated section {number} for the scale benchmark."\n'
            "reviewed = 2026-01-15\n"
            f'aliases = ["{heads[0].lower()}"]\n'
            f"+++\n\n{body}\n",
            encoding="utf-8",
        )


# Search query choice ---------------------------------------------------------------


@dataclass(frozen=True)
class SearchPlan:
    query: str
    first_result: str
    """"Title › Heading" of the full query's first result."""


def plan_search(candidates: Sequence[str]) -> SearchPlan | None:
    """The first query whose first result no prefix of it shares (so only it shows it).

    Asks the project's own search engine, in this process: the benchmark runs from
    the checkout, as search_benchmark.py does.
    """
    if str(PROJECT_DIR) not in sys.path:
        sys.path.insert(0, str(PROJECT_DIR))
    from ketaguide_tui.guide.model import load_guide
    from ketaguide_tui.search import SearchIndex

    index = SearchIndex.build(load_guide(BUNDLED_CONTENT))

    def top(query: str) -> str | None:
        hits = index.search(query, limit=30).hits
        if not hits:
            return None
        hit = hits[0]
        return hit.section_title + (f" › {hit.heading}" if hit.heading else "")

    for query in candidates:
        full = top(query)
        if full is not None and all(top(query[:i]) != full for i in range(1, len(query))):
            return SearchPlan(query, full)
    return None


# The scenarios --------------------------------------------------------------------


@dataclass
class Results:
    """Every sample, kept for the JSON file."""

    first_paint: dict[str, list[float | None]] = field(default_factory=dict)
    header_paint: list[float | None] = field(default_factory=list)
    settle_s: list[float | None] = field(default_factory=list)
    switch_first: list[float | None] = field(default_factory=list)
    switch_revisit: list[float | None] = field(default_factory=list)
    switch_first_body: list[float | None] = field(default_factory=list)
    switch_revisit_body: list[float | None] = field(default_factory=list)
    search_last_key: list[float | None] = field(default_factory=list)
    search_burst: list[float | None] = field(default_factory=list)
    search_echo: list[float | None] = field(default_factory=list)
    search_open: list[float | None] = field(default_factory=list)
    memory_kib: dict[str, list[int | None]] = field(default_factory=dict)
    scale_first_paint: list[float | None] = field(default_factory=list)
    scale_settle_s: list[float | None] = field(default_factory=list)
    scale_switch: list[float | None] = field(default_factory=list)
    scale_switch_body: list[float | None] = field(default_factory=list)
    scale_switch_eager: list[float | None] = field(default_factory=list)
    tenk_bundled_paint: list[float | None] = field(default_factory=list)
    tenk_cold_paint: list[float | None] = field(default_factory=list)
    tenk_warm_paint: list[float | None] = field(default_factory=list)
    tenk_turns: list[float | None] = field(default_factory=list)
    tenk_slowest_turn: list[float | None] = field(default_factory=list)
    tenk_rss_kib: list[int | None] = field(default_factory=list)
    cli_list_ms: list[float | None] = field(default_factory=list)
    cli_search_ms: list[float | None] = field(default_factory=list)
    cli_search_cold_ms: list[float | None] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@contextlib.contextmanager
def running(tmux: Tmux, launch: Launch) -> Iterator[Pane]:
    """A launched pane that is killed whatever happens."""
    pane = tmux.launch(launch)
    try:
        yield pane
    finally:
        tmux.kill(pane)


def measure_floor(tmux: Tmux, launch: Launch, phrase: Sequence[str], results: Results) -> None:
    with running(tmux, launch) as pane:
        paint = tmux.wait_for(pane, {"body": plain_body_check(phrase)}, pane.started, 30.0)
        results.first_paint.setdefault(launch.name, []).append(paint.all_ms)
        if launch.name == "minimal":
            tmux.wait_idle(pane.pid, timeout=3.0)
            hwm = status_kib(app_process(pane.pid), "VmHWM")
            results.memory_kib.setdefault("minimal", []).append(hwm)


def switch_through(
    tmux: Tmux, pane: Pane, key: str, targets: Sequence[SectionInfo], settle: bool = True
) -> tuple[list[float | None], list[float | None]]:
    """Press `key` once per target: ms from each press to the target's title in the viewer,
    and to its title and first paragraph (a title painted over an empty page is not read)."""
    titles, bodies = [], []
    for target in targets:
        checks = {"title": reader_header_check(target.title)}
        with contextlib.suppress(BenchmarkError):
            checks["body"] = reader_body_check(first_paragraph_phrase(target.body))
        sent = tmux.send(pane, key)
        result = tmux.wait_for(pane, checks, sent, KEY_TIMEOUT)
        titles.append(result.times["title"])
        bodies.append(result.all_ms)
        if settle:
            # Let the switch finish its deferred work, so the next press is timed alone.
            tmux.wait_idle(pane.pid, timeout=1.0)
    return titles, bodies


def measure_search(tmux: Tmux, pane: Pane, plan: SearchPlan, results: Results) -> None:
    """Type the query at human speed, then all at once; time the full query's results."""
    sent = tmux.send(pane, "/")
    opened = tmux.wait_for(pane, {"open": text_check("Type to search")}, sent, KEY_TIMEOUT)
    results.search_open.append(opened.all_ms)
    tmux.wait_idle(pane.pid, timeout=1.0)
    marker = {"results": search_result_check(plan.first_result)}
    began = time.perf_counter()
    sent = began
    for index, char in enumerate(plan.query):
        tmux.pump(max(0.0, began + index * KEY_GAP - time.perf_counter()))
        sent = tmux.send(pane, char)
        typed = plan.query[: index + 1]
        is_last = index == len(plan.query) - 1
        if not typed.endswith(" ") and not is_last:
            # Echo of this key in the box, watched only until the next key is due.
            left = began + (index + 1) * KEY_GAP - time.perf_counter()
            echo = tmux.wait_for(pane, {"echo": input_check(typed)}, sent, max(0.0, left))
            results.search_echo.append(echo.all_ms)
    final = tmux.wait_for(pane, marker, sent, KEY_TIMEOUT)
    results.search_last_key.append(final.all_ms)
    # Empty the box (Ctrl+U), then the whole query as one burst of keys.
    sent = tmux.send(pane, "C-u", literal=False)
    tmux.wait_for(pane, {"empty": text_check("Type to search")}, sent, KEY_TIMEOUT)
    tmux.wait_idle(pane.pid, timeout=1.0)
    sent = tmux.send(pane, plan.query)
    burst = tmux.wait_for(pane, marker, sent, KEY_TIMEOUT)
    results.search_burst.append(burst.all_ms)
    tmux.send(pane, "Escape", literal=False)


def measure_ketaguide(
    tmux: Tmux,
    launch: Launch,
    sections: Sequence[SectionInfo],
    plan: SearchPlan | None,
    results: Results,
    full: bool,
) -> None:
    """One reader session: first paint; then (full) switching, memory and search."""
    start = next(i for i, s in enumerate(sections) if s.id == START_SECTION)
    checks = paint_checks(sections, start)
    with running(tmux, launch) as pane:
        paint = tmux.wait_for(pane, checks, pane.started, FIRST_PAINT_TIMEOUT)
        results.first_paint.setdefault("ketaguide", []).append(paint.all_ms)
        sidebar_ms, header_ms = paint.times["sidebar"], paint.times["header"]
        both = None if sidebar_ms is None or header_ms is None else max(sidebar_ms, header_ms)
        results.header_paint.append(both)
        if paint.all_ms is None:
            results.notes.append(f"ketaguide first paint timed out; screen: {paint.screen}")
            return
        settle = tmux.wait_idle(pane.pid, timeout=15.0)
        results.settle_s.append(None if settle is None else settle + paint.all_ms / 1000)
        hwm = status_kib(app_process(pane.pid), "VmHWM")
        results.memory_kib.setdefault("ketaguide_after_first_paint", []).append(hwm)
        if not full:
            return
        ahead, behind = sections[start + 1 :], list(reversed(sections[start:-1]))
        for key, targets, titles, bodies in (
            ("]", ahead, results.switch_first, results.switch_first_body),
            ("[", behind, results.switch_revisit, results.switch_revisit_body),
        ):
            title_ms, body_ms = switch_through(tmux, pane, key, targets)
            titles.extend(title_ms)
            bodies.extend(body_ms)
        hwm = status_kib(app_process(pane.pid), "VmHWM")
        results.memory_kib.setdefault("ketaguide", []).append(hwm)
        if plan is not None:
            measure_search(tmux, pane, plan, results)


def measure_scale(
    tmux: Tmux, apps: Apps, folder: Path, scratch: Path, results: Results, switches: int
) -> None:
    sections = read_sections(folder)
    checks = paint_checks(sections, 0)
    with running(tmux, apps.ketaguide(folder, sections[0].id, scratch)) as pane:
        paint = tmux.wait_for(pane, checks, pane.started, SCALE_PAINT_TIMEOUT)
        results.scale_first_paint.append(paint.all_ms)
        if paint.all_ms is None:
            results.notes.append(f"scale first paint timed out; screen: {paint.screen}")
            return
        settle = tmux.wait_idle(pane.pid, timeout=60.0)
        results.scale_settle_s.append(None if settle is None else settle + paint.all_ms / 1000)
        title_ms, body_ms = switch_through(tmux, pane, "]", sections[1 : 1 + switches])
        results.scale_switch.extend(title_ms)
        results.scale_switch_body.extend(body_ms)
    # A reader does not wait for the search index: `]` straight after the first paint,
    # while the startup work goes on (its own launch, so "busy until" above is not moved).
    with running(tmux, apps.ketaguide(folder, sections[0].id, scratch / "eager")) as pane:
        paint = tmux.wait_for(pane, checks, pane.started, SCALE_PAINT_TIMEOUT)
        if paint.all_ms is not None:
            eager = sections[1 : 1 + EAGER_SWITCHES]
            title_ms, _ = switch_through(tmux, pane, "]", eager, settle=False)
            results.scale_switch_eager.extend(title_ms)


def cli_ms(command: Sequence[str], cache: Path) -> float | None:
    """Wall-clock ms of one `ketaguide` command run to the end (None if it failed)."""
    env = clean_environment() | {"KETAGUIDE_CACHE_DIR": str(cache), "PYTHONPATH": str(PROJECT_DIR)}
    began = time.perf_counter()
    done = subprocess.run(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=900
    )
    elapsed = (time.perf_counter() - began) * 1000
    return elapsed if done.returncode == 0 else None


def ketaguide_argv(mode: str) -> list[str]:
    if mode == "installed":
        return [str(Path(sys.executable).parent / "ketaguide")]
    return [sys.executable, "-m", "ketaguide_tui"]


def measure_tenk(
    tmux: Tmux,
    apps: Apps,
    tenk: tuple[Path, Sequence[SectionInfo], Path],
    bundled: tuple[Sequence[SectionInfo], Path],
    scratch: Path,
    results: Results,
) -> None:
    """10,000 sections: first paint with an empty cache and a warm one, the first page turns
    straight after the warm first paint, peak RSS, and the command line with a warm cache.

    `tenk` is the large guide's folder, sections and warm cache folder; `bundled` the bundled
    guide's sections and warm cache folder. The bundled guide's first paint is measured again
    between the large guide's launches, so the ratios divide by a launch made in the same
    minute rather than by one made before the large guide was written (the machine's load can
    change a lot in between)."""
    folder, sections, warm_cache = tenk
    bundled_sections, bundled_cache = bundled
    checks = paint_checks(sections, 0)
    with running(tmux, apps.ketaguide(folder, sections[0].id, scratch / "cold")) as pane:
        paint = tmux.wait_for(pane, checks, pane.started, TENK_PAINT_TIMEOUT)
        results.tenk_cold_paint.append(paint.all_ms)
    start = next(i for i, s in enumerate(bundled_sections) if s.id == START_SECTION)
    bundled_checks = paint_checks(bundled_sections, start)
    launch = apps.ketaguide(BUNDLED_CONTENT, START_SECTION, scratch / "bundled", bundled_cache)
    with running(tmux, launch) as pane:
        paint = tmux.wait_for(pane, bundled_checks, pane.started, FIRST_PAINT_TIMEOUT)
        results.tenk_bundled_paint.append(paint.all_ms)
    launch = apps.ketaguide(folder, sections[0].id, scratch / "warm", cache=warm_cache)
    with running(tmux, launch) as pane:
        paint = tmux.wait_for(pane, checks, pane.started, TENK_PAINT_TIMEOUT)
        results.tenk_warm_paint.append(paint.all_ms)
        if paint.all_ms is None:
            results.notes.append(f"10,000 sections: warm first paint timed out: {paint.screen}")
            return
        turns, _ = switch_through(tmux, pane, "]", sections[1 : 1 + TENK_TURNS], settle=False)
        results.tenk_turns.extend(turns)
        timed = [turn for turn in turns if turn is not None]
        results.tenk_slowest_turn.append(max(timed) if len(timed) == len(turns) else None)
        tmux.wait_idle(pane.pid, timeout=120.0)
        results.tenk_rss_kib.append(status_kib(app_process(pane.pid), "VmHWM"))
    argv = ketaguide_argv(apps.ketaguide_mode)
    results.cli_list_ms.append(cli_ms([*argv, "list", "--content", str(folder)], warm_cache))
    search = [*argv, "search", "--content", str(folder), CLI_QUERY]
    results.cli_search_ms.append(cli_ms(search, warm_cache))


def write_tenk_content(folder: Path, count: int) -> None:
    """search_benchmark.py's generated guide: the bundled sections and `count` more."""
    if str(BENCH_DIR) not in sys.path:
        sys.path.insert(0, str(BENCH_DIR))
    if str(PROJECT_DIR) not in sys.path:
        sys.path.insert(0, str(PROJECT_DIR))
    from search_benchmark import write_corpus

    folder.mkdir(parents=True, exist_ok=True)
    write_corpus(folder, count)


# Report -----------------------------------------------------------------------------


def verdict(value: float | None, budget: float) -> str:
    if value is None:
        return "n/a"
    return "PASS" if value <= budget else "FAIL"


def analyse(results: Results, floors: dict[str, Any]) -> dict[str, Any]:
    """Summaries, ratios and verdicts from the raw samples."""
    paint = {name: summary(values) for name, values in results.first_paint.items()}
    kg = paint.get("ketaguide", {}).get("median")
    floor = paint.get("minimal", {}).get("median")
    frog = paint.get("frogmouth", {}).get("median")
    memory = {name: summary(values) for name, values in results.memory_kib.items()}
    mem_ratio = ratio(
        memory.get("ketaguide", {}).get("median"), memory.get("minimal", {}).get("median")
    )
    first, revisit = summary(results.switch_first), summary(results.switch_revisit)
    scale = summary(results.scale_first_paint)
    scale_switch = summary(results.scale_switch)
    static = paint.get("static", {}).get("median")
    widgets = paint.get("widgets", {}).get("median")
    tenk_cold, tenk_warm = summary(results.tenk_cold_paint), summary(results.tenk_warm_paint)
    # The 10,000-section ratios divide by the bundled launches interleaved with them.
    tenk_bundled = summary(results.tenk_bundled_paint)
    tenk_base = tenk_bundled["median"] if tenk_bundled["median"] is not None else kg
    slowest = summary(results.tenk_slowest_turn)
    cli_list, cli_search = summary(results.cli_list_ms), summary(results.cli_search_ms)
    tenk_rss = summary(results.tenk_rss_kib)
    bundled_rss = memory.get("ketaguide_after_first_paint", {}).get("median")
    checks = [
        ("first paint / floor", ratio(kg, floor), BUDGETS["first_paint_vs_floor"], "x"),
        ("first paint / Frogmouth", ratio(kg, frog), BUDGETS["first_paint_vs_frogmouth"], "x"),
        ("switch p95, first visit", first["p95"], BUDGETS["switch_first_p95_ms"], "ms"),
        ("switch p95, revisit", revisit["p95"], BUDGETS["switch_revisit_p95_ms"], "ms"),
        ("peak RSS / floor", mem_ratio, BUDGETS["memory_vs_floor"], "x"),
        (
            "1,000 sections: first paint / bundled",
            ratio(scale["median"], kg),
            BUDGETS["scale_first_paint_vs_bundled"],
            "x",
        ),
        ("1,000 sections: switch p95", scale_switch["p95"], BUDGETS["scale_switch_p95_ms"], "ms"),
        ("first paint / bare Static app", ratio(kg, static), BUDGETS["first_paint_vs_static"], "x"),
        (
            "10,000 sections warm: paint / bundled",
            ratio(tenk_warm["median"], tenk_base),
            BUDGETS["tenk_warm_vs_bundled"],
            "x",
        ),
        (
            "10,000 sections cold: paint / bundled",
            ratio(tenk_cold["median"], tenk_base),
            BUDGETS["tenk_cold_vs_bundled"],
            "x",
        ),
        (
            "10,000: slowest of first 10 turns",
            slowest["median"],
            BUDGETS["tenk_first_turns_max_ms"],
            "ms",
        ),
        ("10,000: `ketaguide search`, warm", cli_search["median"], BUDGETS["cli_search_ms"], "ms"),
        ("10,000: `ketaguide list`, warm", cli_list["median"], BUDGETS["cli_list_ms"], "ms"),
        (
            "10,000: peak RSS / bundled",
            ratio(tenk_rss["median"], bundled_rss),
            BUDGETS["tenk_rss_vs_bundled"],
            "x",
        ),
    ]
    burst = summary(results.search_burst)
    return {
        "first_paint_ms": paint,
        "first_paint_header_and_sidebar_ms": summary(results.header_paint),
        "settle_s": summary(results.settle_s),
        "switch_first_visit_ms": first,
        "switch_revisit_ms": revisit,
        "switch_first_visit_with_body_ms": summary(results.switch_first_body),
        "switch_revisit_with_body_ms": summary(results.switch_revisit_body),
        "search_open_ms": summary(results.search_open),
        "search_echo_ms": summary(results.search_echo),
        "search_last_key_to_results_ms": summary(results.search_last_key),
        "search_burst_to_results_ms": burst,
        "search_burst_results_shown": bool(results.search_burst) and burst["timeouts"] == 0,
        "peak_rss_kib": memory,
        "scale_first_paint_ms": scale,
        "scale_settle_s": summary(results.scale_settle_s),
        "scale_switch_ms": scale_switch,
        "scale_switch_with_body_ms": summary(results.scale_switch_body),
        "scale_switch_before_idle_ms": summary(results.scale_switch_eager),
        "tenk_bundled_first_paint_ms": tenk_bundled,
        "tenk_cold_first_paint_ms": tenk_cold,
        "tenk_warm_first_paint_ms": tenk_warm,
        "tenk_turns_ms": summary(results.tenk_turns),
        "tenk_slowest_turn_ms": slowest,
        "tenk_peak_rss_kib": tenk_rss,
        "cli_list_ms": cli_list,
        "cli_search_ms": cli_search,
        "cli_search_cold_ms": summary(results.cli_search_cold_ms),
        "polling_floor_ms": floors,
        # Not budgets: how far the reader's Textual widgets alone are from the bare app,
        # and how far the reader is from them (its own work).
        "first_paint_ratios": {
            "widgets / bare Static app": ratio(widgets, static),
            "ketaguide / widgets": ratio(kg, widgets),
        },
        "budgets": [
            {"name": name, "value": value, "budget": budget, "unit": unit}
            | {"verdict": verdict(value, budget)}
            for name, value, budget, unit in checks
        ],
    }


def fmt(value: float | None, unit: str = "", digits: int = 0) -> str:
    return "—" if value is None else f"{value:,.{digits}f}{unit}"


def print_report(analysis: dict[str, Any], context: dict[str, Any]) -> None:
    paint = analysis["first_paint_ms"]
    print()
    print(
        f"ketaguide speed, tmux {WIDTH}x{HEIGHT}, {context['runs']} runs,"
        f" ketaguide from {context['ketaguide_mode']}"
    )
    print(f"{'measure':<44}{'median':>10}{'p95':>10}{'min':>10}{'max':>10}{'n':>5}")

    def row(
        label: str,
        stats: dict[str, Any],
        unit: str = " ms",
        digits: int = 0,
        missing_means: str = "timed out",
    ) -> None:
        cells = [fmt(stats.get(key), unit, digits) for key in ("median", "p95", "min", "max")]
        missing = f" ({stats['timeouts']} {missing_means})" if stats.get("timeouts") else ""
        print(f"{label:<44}" + "".join(f"{c:>10}" for c in cells) + f"{stats['n']:>5}{missing}")

    for name, label in (
        ("ketaguide", "first paint: ketaguide"),
        ("minimal", "first paint: floor (one Markdown widget)"),
        ("frogmouth", "first paint: Frogmouth"),
        ("static", "first paint: bare Static app"),
        ("widgets", "first paint: the reader's Textual widgets"),
    ):
        if name in paint:
            row(label, paint[name])
        else:
            print(f"{label:<44}{'n/a':>10}")
    row("  ketaguide sidebar + header (no body yet)", analysis["first_paint_header_and_sidebar_ms"])
    row("  ketaguide busy until (startup work done)", analysis["settle_s"], " s", 2)
    row("switch ] first visit (title)", analysis["switch_first_visit_ms"])
    row("  title and first paragraph", analysis["switch_first_visit_with_body_ms"])
    row("switch [ revisit (title)", analysis["switch_revisit_ms"])
    row("  title and first paragraph", analysis["switch_revisit_with_body_ms"])
    row("search: / to dialog", analysis["search_open_ms"])
    row(
        "search: key echo while typing",
        analysis["search_echo_ms"],
        missing_means=f"not shown before the next key, {KEY_GAP * 1000:.0f} ms later",
    )
    row("search: last key to full results", analysis["search_last_key_to_results_ms"])
    row("search: burst to full results", analysis["search_burst_to_results_ms"])
    memory = analysis["peak_rss_kib"]
    for name, label in (
        ("ketaguide", "peak RSS: ketaguide, every section visited"),
        ("ketaguide_after_first_paint", "  ketaguide after first paint"),
        ("minimal", "peak RSS: floor"),
    ):
        if name in memory:
            stats = {
                k: (v / 1024 if isinstance(v, int | float) else v) for k, v in memory[name].items()
            }
            row(label, stats | {"n": memory[name]["n"]}, " MiB", 1)
    row("1,000 sections: first paint", analysis["scale_first_paint_ms"])
    row("1,000 sections: busy until", analysis["scale_settle_s"], " s", 2)
    row("1,000 sections: switch ] (title)", analysis["scale_switch_ms"])
    row("  title and first paragraph", analysis["scale_switch_with_body_ms"])
    row("  straight after first paint (still busy)", analysis["scale_switch_before_idle_ms"])
    row("10,000 sections: bundled first paint between", analysis["tenk_bundled_first_paint_ms"])
    row("10,000 sections: first paint, empty cache", analysis["tenk_cold_first_paint_ms"])
    row("10,000 sections: first paint, warm cache", analysis["tenk_warm_first_paint_ms"])
    row("  each of the first 10 turns (title)", analysis["tenk_turns_ms"])
    row("  slowest of the first 10 turns, per run", analysis["tenk_slowest_turn_ms"])
    rss = analysis["tenk_peak_rss_kib"]
    row(
        "10,000 sections: peak RSS",
        {k: (v / 1024 if isinstance(v, int | float) else v) for k, v in rss.items()}
        | {"n": rss["n"]},
        " MiB",
        1,
    )
    row("10,000: `ketaguide list`, warm cache", analysis["cli_list_ms"])
    row("10,000: `ketaguide search`, warm cache", analysis["cli_search_ms"])
    row("10,000: `ketaguide search`, empty cache", analysis["cli_search_cold_ms"])
    floors = analysis["polling_floor_ms"]
    row("polling floor: capture (control mode)", floors["control_mode"], " ms", 2)
    row("  capture as a tmux subprocess (reference)", floors["subprocess"], " ms", 2)
    for name, value in analysis.get("first_paint_ratios", {}).items():
        print(f"{'first paint: ' + name:<44}{fmt(value, 'x', 2):>10}")
    print()
    print(f"{'budget':<44}{'value':>10}{'budget':>10}  verdict")
    for check in analysis["budgets"]:
        digits = 2 if check["unit"] == "x" else 0
        value = fmt(check["value"], check["unit"], digits)
        budget = fmt(check["budget"], check["unit"], digits)
        print(f"{check['name']:<44}{value:>10}{budget:>10}  {check['verdict']}")
    shown = "yes" if analysis["search_burst_results_shown"] else "NO"
    print(f"{'search burst: full results shown':<44}{shown:>10}")


# Main -----------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each measurement (5)")
    parser.add_argument("--quick", action="store_true", help="1-2 runs of each: a smoke test")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON results file")
    parser.add_argument(
        "--ketaguide",
        choices=("source", "installed"),
        default="source",
        help="this checkout (python -m ketaguide_tui, the default) or the installed command",
    )
    parser.add_argument("--no-frogmouth", action="store_true", help="skip Frogmouth")
    parser.add_argument(
        "--no-10k", action="store_true", help="skip the 10,000-section guide (several minutes)"
    )
    parser.add_argument(
        "--large-sections",
        type=int,
        default=TENK_SECTIONS,
        metavar="N",
        help=f"generated sections in the large guide ({TENK_SECTIONS:,}; fewer for a smoke test)",
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def run(args: argparse.Namespace) -> dict[str, Any]:
    runs = 2 if args.quick else args.runs
    full_runs = 1 if args.quick else runs
    switches = 3 if args.quick else SCALE_SWITCHES
    results = Results()
    if args.ketaguide == "installed" and not (Path(sys.executable).parent / "ketaguide").exists():
        raise BenchmarkError(f"no ketaguide command beside {sys.executable}: pip install .")
    sections = read_sections(BUNDLED_CONTENT)
    if not any(s.id == START_SECTION for s in sections):
        raise BenchmarkError(f"no '{START_SECTION}' section in {BUNDLED_CONTENT}")
    start = next(s for s in sections if s.id == START_SECTION)
    phrase = first_paragraph_phrase(start.body)
    try:
        plan = plan_search(SEARCH_QUERIES)
    except Exception as error:  # the checkout may be mid-edit: measure the rest
        plan = None
        results.notes.append(f"search not measured: the query could not be planned: {error!r}")
    if plan is None:
        results.notes.append("no search query with a marker only the full query shows")
    with tempfile.TemporaryDirectory(prefix="ketaguide-speed-") as temp:
        scratch = Path(temp)
        body_file = scratch / f"{START_SECTION}.md"
        body_file.write_text(start.body, encoding="utf-8")
        frogmouth = None
        if not args.no_frogmouth:
            frogmouth = frogmouth_command(body_file, scratch / "frogmouth", results.notes)
        apps = Apps(
            ketaguide=ketaguide_launcher(args.ketaguide),
            minimal=Launch("minimal", [sys.executable, str(MINIMAL_APP), START_SECTION]),
            static=Launch("static", [sys.executable, str(STATIC_APP), *phrase]),
            widgets=Launch("widgets", [sys.executable, str(WIDGETS_APP), *phrase]),
            frogmouth=frogmouth,
            ketaguide_mode=args.ketaguide,
        )
        scale_folder = scratch / "scale-content"
        generate_content(scale_folder, SCALE_SECTIONS, SCALE_WORDS)
        tmux = Tmux(scratch)
        try:
            floors = {"control_mode": summary(tmux.capture_round_trips())}
            floors["subprocess"] = summary(tmux.subprocess_round_trips())
            others = [apps.minimal, apps.static, apps.widgets] + (
                [apps.frogmouth] if apps.frogmouth else []
            )
            # The bundled guide is read with a warm cache, as on every start but the first.
            bundled_cache = scratch / "bundled-cache"
            # One unmeasured launch of each first: byte-code compiled, files in the page cache.
            print("warming up ...", flush=True)
            for launch in others:
                measure_floor(tmux, launch, phrase, Results())
            measure_ketaguide(
                tmux,
                apps.ketaguide(BUNDLED_CONTENT, START_SECTION, scratch / "warm", bundled_cache),
                sections,
                None,
                Results(),
                full=False,
            )
            # Interleaved, so that a noisy moment on the machine hits every app alike.
            for number in range(runs):
                print(f"run {number + 1}/{runs} ...", flush=True)
                for launch in others:
                    measure_floor(tmux, launch, phrase, results)
                launch = apps.ketaguide(
                    BUNDLED_CONTENT, START_SECTION, scratch / f"run{number}", bundled_cache
                )
                measure_ketaguide(tmux, launch, sections, plan, results, full=number < full_runs)
            for number in range(runs):
                print(f"1,000 sections, run {number + 1}/{runs} ...", flush=True)
                measure_scale(
                    tmux, apps, scale_folder, scratch / f"scale{number}", results, switches
                )
            if not args.no_10k:
                bundled = (sections, bundled_cache)
                measure_tenk_runs(tmux, apps, scratch, bundled, results, runs, args.large_sections)
            floors["control_mode_after"] = summary(tmux.capture_round_trips())
        finally:
            tmux.close()
    analysis = analyse(results, floors)
    context = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "runs": runs,
        "quick": args.quick,
        "terminal": f"tmux {WIDTH}x{HEIGHT}",
        "ketaguide_mode": args.ketaguide,
        "ketaguide_version": ketaguide_version(args.ketaguide),
        "textual": metadata.version("textual"),
        "frogmouth": FROGMOUTH_SPEC if apps.frogmouth else None,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "machine": platform.platform(),
        "tmux": subprocess.run(["tmux", "-V"], capture_output=True, text=True).stdout.strip(),
        "search_query": plan.query if plan else None,
        "search_first_result": plan.first_result if plan else None,
        "first_paint_phrase": " ".join(phrase),
        "scale_sections": SCALE_SECTIONS,
        "large_sections": None if args.no_10k else args.large_sections,
    }
    print_report(analysis, context)
    for note in results.notes:
        print(f"note: {note}")
    report = {"context": context, "summary": analysis, "samples": results.__dict__}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}")
    return report


SETTLE_S = 2.5
"""Seconds the written guide is left alone before its cache is made (the cache's own
settling time is two seconds: `guide.cache.SETTLING_NS`)."""


def measure_tenk_runs(
    tmux: Tmux,
    apps: Apps,
    scratch: Path,
    bundled: tuple[Sequence[SectionInfo], Path],
    results: Results,
    runs: int,
    count: int,
) -> None:
    """The 10,000-section guide: written, its cache made once by `ketaguide search` (timed:
    the command line with an empty cache), then `runs` runs, each with a bundled launch."""
    folder = scratch / "tenk-content"
    print(f"writing {count:,} sections ...", flush=True)
    write_tenk_content(folder, count)
    sections = read_sections(folder)
    # The cache does not trust a file changed in the last two seconds (its key could miss
    # a second change), so a cache made at once would read the newest files again on the
    # first warm launch. A guide being read is seldom that fresh: let it settle first.
    time.sleep(SETTLE_S)
    warm_cache = scratch / "tenk-cache"
    print("10,000 sections: first `ketaguide search` (makes the cache) ...", flush=True)
    argv = ketaguide_argv(apps.ketaguide_mode)
    search = [*argv, "search", "--content", str(folder), CLI_QUERY]
    results.cli_search_cold_ms.append(cli_ms(search, warm_cache))
    for number in range(runs):
        print(f"10,000 sections, run {number + 1}/{runs} ...", flush=True)
        tenk = (folder, sections, warm_cache)
        measure_tenk(tmux, apps, tenk, bundled, scratch / f"tenk{number}", results)


def ketaguide_version(mode: str) -> str | None:
    if mode == "installed":
        with contextlib.suppress(metadata.PackageNotFoundError):
            return metadata.version("ketaguide")
        return None
    init = (PROJECT_DIR / "ketaguide_tui" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r"__version__\s*=\s*[\"']([^\"']+)", init)
    return found.group(1) if found else None


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    # Killed or hung up: unwind like Ctrl+C, so the tmux server and its apps are ended.
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGHUP, _stop)
    try:
        run(args)
    except BenchmarkError as error:
        print(f"speed_benchmark: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
