"""End to end: `ketaguide serve` seen from headless Chromium, and bound to loopback.

The installed command serves the reader through textual-serve. Its page is an
HTML shell; the reader itself arrives over a websocket and is drawn by xterm.js
on a canvas, so `--dump-dom` shows the shell but none of the reader's text. To
read the screen the browser is shown, these tests drive Chromium over the
DevTools protocol (with aiohttp, which textual-serve depends on): a script
added before the page loads keeps a reference to the page's xterm.js terminal,
whose rows are then read as text, as `capture-pane` reads tmux.

Without Chromium (`chromium` on PATH) the browser tests skip, except under
`CI=true`, where they fail.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import open_section_title, system_tool

WAIT = 30.0
"""Seconds to wait for the server, the browser or the reader before failing."""

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,800",
)

# Runs before the page's own scripts. xterm.js's Terminal sets `_addonManager`
# on itself once, in its constructor: a setter of that name on Object.prototype
# sees the new terminal and keeps it. As a fallback (should xterm.js change),
# the text the server sends over the websocket is kept too.
PAGE_HOOK = r"""
(() => {
  Object.defineProperty(Object.prototype, "_addonManager", {
    configurable: true,
    set(value) {
      Object.defineProperty(this, "_addonManager", {
        value, writable: true, configurable: true, enumerable: false,
      });
      window.__ketaguideTerminal = this;
    },
  });
  window.__ketaguideStream = "";
  const decoder = new TextDecoder();
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        if (typeof event.data !== "string") {
          window.__ketaguideStream += decoder.decode(event.data, {stream: true});
        }
      });
    }
  };
})();
"""

# The terminal's visible rows as text, or null before the terminal exists.
READ_SCREEN = r"""
(() => {
  const term = window.__ketaguideTerminal;
  if (!term || !term.buffer) return null;
  const buffer = term.buffer.active;
  const rows = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\n");
})()
"""

ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")


@pytest.fixture
def chromium() -> str:
    """The Chromium binary; missing means skip, or fail under CI=true."""
    return system_tool("chromium", "web tests")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def can_connect(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def stop(process: subprocess.Popen[bytes]) -> None:
    """End a process started in its own session, and everything it started."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
    # Children (the reader under textual-serve, Chromium's helpers) go too.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]
    output: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def printed(self) -> str:
        return self.output.read_text(encoding="utf-8", errors="replace")


def start_server(ketaguide: Path, tmp_path: Path, *args: str) -> Server:
    """`ketaguide serve --port PORT ARGS` from a scratch folder, once it listens.

    Its state folder is tmp_path/state and its temporary files go to
    tmp_path/tmp, so tests can see what the server and its readers write.
    """
    port = free_port()
    output = tmp_path / f"serve-{port}.log"
    (tmp_path / "tmp").mkdir(exist_ok=True)
    env = {
        **os.environ,
        "KETAGUIDE_STATE_DIR": str(tmp_path / "state"),
        "KETAGUIDE_CONFIG_DIR": str(tmp_path / "config"),
        "TMPDIR": str(tmp_path / "tmp"),
    }
    with output.open("wb") as sink:
        process = subprocess.Popen(
            [str(ketaguide), "serve", "--port", str(port), *args],
            cwd=tmp_path,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    running = Server(port, process, output)
    deadline = time.monotonic() + WAIT
    while not can_connect("127.0.0.1", port):
        if process.poll() is not None:
            pytest.fail(f"the server exited ({process.returncode}):\n{running.printed()}")
        if time.monotonic() > deadline:
            stop(process)
            pytest.fail(f"the server did not listen within {WAIT:.0f} s:\n{running.printed()}")
        time.sleep(0.1)
    return running


@pytest.fixture
def server(ketaguide: Path, tmp_path: Path) -> Iterator[Server]:
    """`ketaguide serve --port PORT`, default host, run from a scratch folder."""
    running = start_server(ketaguide, tmp_path)
    try:
        yield running
    finally:
        stop(running.process)


def non_loopback_address() -> str | None:
    """This machine's address on its default route, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1; a UDP connect sends nothing
        except OSError:
            return None
        address: str = probe.getsockname()[0]
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def test_serve_listens_on_loopback_by_default(server: Server) -> None:
    assert f"Serving ketaguide on http://127.0.0.1:{server.port}" in server.printed()
    assert "warning" not in server.printed().lower()
    assert can_connect("127.0.0.1", server.port)
    if sys.platform.startswith("linux"):
        # All of 127/8 reaches this machine: only a socket bound to 127.0.0.1
        # itself (not 0.0.0.0) refuses 127.0.0.2.
        assert not can_connect("127.0.0.2", server.port), "the server listens beyond 127.0.0.1"
    address = non_loopback_address()
    if address is not None:
        assert not can_connect(address, server.port), f"the server answers on {address}"


def test_page_shell_loads_in_chromium(server: Server, chromium: str, tmp_path: Path) -> None:
    command = [
        chromium,
        *CHROMIUM_FLAGS,
        f"--user-data-dir={tmp_path / 'chromium-dump'}",
        "--virtual-time-budget=15000",
        "--dump-dom",
        server.url,
    ]
    browser = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        out, _ = browser.communicate(timeout=60)
    finally:
        stop(browser)
    dom = out.decode("utf-8", errors="replace")
    assert "ketaguide" in dom, dom[:2000]
    # The shell connects its terminal to this server's websocket.
    assert f'data-session-websocket-url="ws://127.0.0.1:{server.port}/ws"' in dom, dom[:2000]
    assert "textual-terminal" in dom


class DevTools:
    """A minimal Chrome DevTools protocol client over one page's websocket."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.last_id = 0
        self.requested: list[str] = []
        """Every address the page asked for (Network.requestWillBeSent, once enabled)."""

    async def call(self, method: str, **params: object) -> dict[str, Any]:
        self.last_id += 1
        await self.ws.send_json({"id": self.last_id, "method": method, "params": params})
        while True:
            message: dict[str, Any] = await self.ws.receive_json()
            if message.get("method") == "Network.requestWillBeSent":
                self.requested.append(message["params"]["request"]["url"])
            if message.get("id") == self.last_id:
                if "error" in message:
                    raise AssertionError(f"{method} failed: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result

    async def evaluate(self, expression: str) -> Any:
        reply = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in reply:
            raise AssertionError(f"page script failed: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    async def screen(self) -> str:
        """The reader's screen as the page shows it."""
        rows = await self.evaluate(READ_SCREEN)
        if isinstance(rows, str):
            return rows
        stream = await self.evaluate("window.__ketaguideStream || ''")
        return ANSI.sub("", stream if isinstance(stream, str) else "")

    async def wait_for(self, *texts: str, timeout: float = WAIT) -> str:
        deadline = time.monotonic() + timeout
        while True:
            shown = await self.screen()
            if all(text in shown for text in texts):
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"{texts!r} not shown within {timeout:.0f} s:\n{shown}")
            await asyncio.sleep(0.25)


def start_browser(chromium: str, profile: Path) -> tuple[subprocess.Popen[bytes], int]:
    """Headless Chromium with DevTools on a port it picks; returns it and the port."""
    log = profile.parent / "chromium.log"
    with log.open("wb") as sink:
        browser = subprocess.Popen(
            [
                chromium,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    port_file = profile / "DevToolsActivePort"
    deadline = time.monotonic() + WAIT
    while True:
        lines = port_file.read_text().splitlines() if port_file.exists() else []
        if len(lines) >= 2 and lines[0].isdigit():
            return browser, int(lines[0])
        if browser.poll() is not None or time.monotonic() > deadline:
            stop(browser)
            tail = log.read_text(errors="replace")[-3000:]
            raise AssertionError(f"Chromium did not open its DevTools port:\n{tail}")
        time.sleep(0.1)


async def read_reader_in_browser(devtools_port: int, url: str) -> tuple[str, str, str, list[str]]:
    """Open the page; return the first screen, the screen after `]`, the body's classes,
    and every address the page requested."""
    import aiohttp

    async with aiohttp.ClientSession() as session:
        async with session.get(f"http://127.0.0.1:{devtools_port}/json/list") as reply:
            targets = await reply.json()
        page = next(target for target in targets if target.get("type") == "page")
        async with session.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            devtools = DevTools(ws)
            await devtools.call("Page.enable")
            await devtools.call("Network.enable")
            await devtools.call("Page.addScriptToEvaluateOnNewDocument", source=PAGE_HOOK)
            await devtools.call("Page.navigate", url=url)
            first = await devtools.wait_for("Start here", "Last reviewed", "Get help now")
            classes = await devtools.evaluate("document.body.className")
            # Keys typed in the page reach the reader: `]` opens the next section.
            await devtools.evaluate("document.querySelector('.xterm-helper-textarea').focus()")
            await devtools.call("Input.insertText", text="]")
            deadline = time.monotonic() + WAIT
            while True:
                after = await devtools.screen()
                if open_section_title(after) == "What is ketamine?":
                    break
                if time.monotonic() > deadline:
                    raise AssertionError(f"`]` did not open the next section:\n{after}")
                await asyncio.sleep(0.25)
            return first, after, str(classes), devtools.requested


def test_reader_draws_in_the_browser(server: Server, chromium: str, tmp_path: Path) -> None:
    browser, devtools_port = start_browser(chromium, tmp_path / "chromium-profile")
    try:
        first, after, classes, requested = asyncio.run(
            asyncio.wait_for(read_reader_in_browser(devtools_port, server.url), 2 * WAIT)
        )
    finally:
        stop(browser)
    assert open_section_title(first) == "Start here", first
    assert "Get help now" in first and "Esketamine (Spravato)" in first
    assert "-first-byte" in classes.split(), classes  # the page shows the terminal
    assert open_section_title(after) == "What is ketamine?", after
    # Nothing comes from anywhere but this server (no web fonts from elsewhere).
    assert requested and all(
        address.startswith((server.url, f"ws://127.0.0.1:{server.port}/")) for address in requested
    ), requested


# --------------------------------------------------------------------------
# Safe by default: clear errors, a session cap, clamped sizes, state apart


def run_serve(ketaguide: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KETAGUIDE_STATE_DIR": str(tmp_path / "state")}
    return subprocess.run(
        [str(ketaguide), "serve", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=WAIT,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def test_a_taken_port_is_one_clear_line_before_anything_is_served(
    ketaguide: Path, tmp_path: Path
) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_serve(ketaguide, tmp_path, "--port", str(port))
    assert done.returncode == 2
    assert "Serving" not in done.stdout
    assert done.stderr == (
        f"ketaguide: port {port} is already in use on 127.0.0.1; choose another with --port\n"
    )


@pytest.mark.parametrize(
    ("host", "says"),
    [
        ("no-such-host.invalid", "can't find the address 'no-such-host.invalid'"),
        ("", "--host is empty, which would serve every network interface"),
        ("   ", "--host is empty"),
        ("203.0.113.7", "'203.0.113.7' is not an address of this computer"),
    ],
)
def test_a_bad_host_is_one_clear_line(
    ketaguide: Path, tmp_path: Path, host: str, says: str
) -> None:
    done = run_serve(ketaguide, tmp_path, "--host", host, "--port", str(free_port()))
    assert done.returncode == 2, done
    assert "Serving" not in done.stdout and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"ketaguide: {says}") and done.stderr.count("\n") == 1


def test_the_page_asks_for_nothing_from_elsewhere(server: Server) -> None:
    import urllib.request

    with urllib.request.urlopen(server.url, timeout=WAIT) as reply:
        page = reply.read().decode()
        policy = reply.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    addresses = re.findall(r'(?:src|href)="([^"]*)"|url\("?([^")]*)', page)
    loaded = [a or b for a, b in addresses]
    assert loaded and all(address.startswith("/") for address in loaded), loaded
    # The only full address is this server's own websocket.
    assert re.findall(r"\w+://[^\s\"']+", page) == [f"ws://127.0.0.1:{server.port}/ws"]
    # Nor do the files it loads (xterm.css names its authors' site in a comment only).
    checks = {"js/textual.js": r"https?://", "css/xterm.css": r"(url\(|@import)\s*['\"]?\w+://"}
    for asset, loads_from_elsewhere in checks.items():
        with urllib.request.urlopen(f"{server.url}static/{asset}", timeout=WAIT) as reply:
            text = reply.read().decode(errors="replace")
        assert not re.search(loads_from_elsewhere, text), asset


@pytest.mark.parametrize("folder", ["static/", "static/js/", "static/fonts/", "static"])
def test_static_folders_are_never_listed(server: Server, folder: str) -> None:
    import urllib.error
    import urllib.request

    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(server.url + folder, timeout=WAIT)
    assert refused.value.code in (403, 404)
    with urllib.request.urlopen(f"{server.url}static/js/textual.js", timeout=WAIT) as reply:
        assert reply.status == 200


def terminal_text(data: bytes) -> str:
    return ANSI.sub("", data.decode("utf-8", errors="replace"))


async def open_reader(session: Any, server: Server, query: str = "") -> tuple[Any, bytes]:
    """A websocket to the server, as the page opens it; waits for the first screen."""
    ws = await session.ws_connect(
        f"ws://127.0.0.1:{server.port}/ws{query}",
        headers={"Origin": server.url.rstrip("/")},
        max_msg_size=0,
    )
    received = b""
    deadline = time.monotonic() + WAIT
    while "Get help now" not in terminal_text(received):
        assert time.monotonic() < deadline, terminal_text(received)[-2000:]
        message = await ws.receive(timeout=WAIT)
        if isinstance(message.data, bytes):
            received += message.data
    return ws, received


async def read_more(ws: Any, seconds: float) -> bytes:
    received = b""
    deadline = time.monotonic() + seconds
    with contextlib.suppress(asyncio.TimeoutError):
        while time.monotonic() < deadline:
            message = await ws.receive(timeout=max(0.05, deadline - time.monotonic()))
            if isinstance(message.data, bytes):
                received += message.data
    return received


def test_sessions_over_the_cap_are_told_to_wait(ketaguide: Path, tmp_path: Path) -> None:
    import aiohttp

    running = start_server(ketaguide, tmp_path, "--max-sessions", "1")

    async def visit() -> None:
        async with aiohttp.ClientSession() as session:
            first, _ = await open_reader(session, running)
            async with session.get(running.url) as reply:
                assert reply.status == 503
                assert "as many readers as it allows (1)" in await reply.text()
            second = await session.ws_connect(
                f"ws://127.0.0.1:{running.port}/ws", headers={"Origin": running.url.rstrip("/")}
            )
            told = await second.receive(timeout=WAIT)
            assert "as many readers as it allows" in terminal_text(told.data)
            closed = await second.receive(timeout=WAIT)
            assert closed.type == aiohttp.WSMsgType.CLOSE and closed.data == 1013
            await first.close()
            deadline = time.monotonic() + WAIT
            while True:  # the place is free again once the first reader has ended
                async with session.get(running.url) as reply:
                    if reply.status == 200:
                        break
                assert time.monotonic() < deadline, "the first session never ended"
                await asyncio.sleep(0.2)

    try:
        asyncio.run(asyncio.wait_for(visit(), 3 * WAIT))
    finally:
        stop(running.process)


CURSOR_MOVE = re.compile(rb"\x1b\[(\d+);(\d+)H")


def test_an_oversized_terminal_is_clamped(server: Server) -> None:
    import aiohttp

    async def visit() -> bytes:
        async with aiohttp.ClientSession() as session:
            ws, drawn = await open_reader(session, server, "?width=10000&height=5000")
            resize = {"width": 10**9, "height": 10**9}
            await ws.send_json(["resize", resize])
            drawn += await read_more(ws, 3)
            await ws.close()
            return drawn

    drawn = asyncio.run(asyncio.wait_for(visit(), 3 * WAIT))
    moves = [(int(row), int(column)) for row, column in CURSOR_MOVE.findall(drawn)]
    assert moves, "the reader drew nothing with cursor moves"
    assert max(row for row, _ in moves) == 200
    assert max(column for _, column in moves) <= 500


def test_another_sites_page_cannot_open_a_reader(server: Server) -> None:
    import aiohttp

    async def visit() -> int:
        async with aiohttp.ClientSession() as session:
            try:
                await session.ws_connect(
                    f"ws://127.0.0.1:{server.port}/ws", headers={"Origin": "https://evil.example"}
                )
            except aiohttp.WSServerHandshakeError as refused:
                return refused.status
            return 101

    assert asyncio.run(asyncio.wait_for(visit(), WAIT)) == 403


def test_web_readers_never_touch_the_serving_users_state(server: Server, tmp_path: Path) -> None:
    import aiohttp

    from ketaguide_tui.state import Place, ReaderState, StateStore, add_bookmark

    owner = StateStore(tmp_path / "state")
    owner.save(add_bookmark(ReaderState(), "The owner's own", Place("dosing"))[0])
    before = owner.path.read_bytes()
    sessions = tmp_path / "tmp"

    async def visit() -> list[str]:
        async with aiohttp.ClientSession() as session:
            ws, _ = await open_reader(session, server)
            await ws.send_json(["stdin", "m"])
            await read_more(ws, 1)
            await ws.send_json(["stdin", "\r"])
            await read_more(ws, 1)
            # The session bookmarked in a state folder of its own.
            saved = [
                [b.title for b in StateStore(folder / "state").load()[0].bookmarks]
                for folder in sessions.glob("ketaguide-web-*")
            ]
            await ws.send_json(["stdin", "q"])
            await read_more(ws, 2)
            await ws.close()
            return [title for titles in saved for title in titles]

    titles = asyncio.run(asyncio.wait_for(visit(), 3 * WAIT))
    assert titles == ["Start here"]
    assert owner.path.read_bytes() == before
    deadline = time.monotonic() + WAIT
    while list(sessions.glob("ketaguide-web-*")):
        assert time.monotonic() < deadline, "the session's state folder was left behind"
        time.sleep(0.1)
