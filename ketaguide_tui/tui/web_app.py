"""The web application behind `ketaguide serve`: the page, the reader's websocket, the static files.

Served with aiohttp (which textual-serve depends on). From textual-serve only
public parts are used: `AppService`, which runs one reader process behind one
websocket, and the files under its `static/` folder; `tests/test_serve.py`
fails clearly if either changes. What the server adds, and why:

* at most `max_sessions` readers at once (each is a process of its own): the
  page says the server is busy, and a websocket over the cap is told so in
  its terminal and closed;
* the terminal size a client asks for is clamped to `MAX_COLUMNS` x `MAX_ROWS`
  (a 10000x5000 terminal grows a reader past 500 MB);
* each session runs with a temporary state folder of its own, deleted when it
  ends (`tui.web_session`): a visitor never touches the serving user's state;
* a websocket from another site's page (a different Origin) is refused;
* /static/ serves files, never folder listings.
"""

from __future__ import annotations

import json
import shlex
import shutil
import sys
import tempfile
from collections.abc import AsyncIterable, Awaitable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from aiohttp import WSMsgType, web

from ketaguide_tui.tui.web_page import (
    BUSY_TERMINAL_TEXT,
    busy_page,
    content_security_policy,
    reader_page,
)

MAX_COLUMNS = 500
MAX_ROWS = 200
"""The largest terminal a client may ask for: wider than any screen's text."""
MAX_MESSAGE_BYTES = 64 * 1024
"""A websocket message is a key press, a paste or a resize; nothing needs more."""
DEFAULT_SIZE = (80, 24)
PAGE_TITLE = "ketaguide"


def clamp_size(width: object, height: object) -> tuple[int, int]:
    """A terminal size a client asked for, made whole and kept within bounds."""
    return (
        _clamp(width, DEFAULT_SIZE[0], MAX_COLUMNS),
        _clamp(height, DEFAULT_SIZE[1], MAX_ROWS),
    )


def _clamp(value: object, default: int, largest: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return default
    try:
        number = int(value)
    except (ValueError, OverflowError):
        return default
    return max(1, min(number, largest))


class ReaderProcess(Protocol):
    """What the websocket relay needs of textual-serve's `AppService`."""

    def send_bytes(self, data: bytes) -> Awaitable[bool]: ...
    def set_terminal_size(self, width: int, height: int) -> Awaitable[None]: ...
    def blur(self) -> Awaitable[None]: ...
    def focus(self) -> Awaitable[None]: ...


class PongSender(Protocol):
    def __call__(self, payload: object) -> Awaitable[None]: ...


async def relay(
    messages: AsyncIterable[tuple[WSMsgType, str]],
    reader: ReaderProcess,
    pong: PongSender,
) -> None:
    """Hand the page's messages to the reader; anything malformed is ignored."""
    async for kind, data in messages:
        if kind != WSMsgType.TEXT:
            continue
        try:
            envelope = json.loads(data)
        except ValueError:
            continue
        if not isinstance(envelope, list) or not envelope:
            continue
        name, payload = envelope[0], envelope[1] if len(envelope) > 1 else None
        if name == "stdin" and isinstance(payload, str):
            await reader.send_bytes(payload.encode("utf-8", errors="replace"))
        elif name == "resize" and isinstance(payload, dict):
            await reader.set_terminal_size(*clamp_size(payload.get("width"), payload.get("height")))
        elif name == "ping":
            await pong(payload)
        elif name == "blur":
            await reader.blur()
        elif name == "focus":
            await reader.focus()


async def _messages(ws: web.WebSocketResponse) -> AsyncIterable[tuple[WSMsgType, str]]:
    async for message in ws:
        yield message.type, message.data if isinstance(message.data, str) else ""


def textual_serve_static() -> Path:
    """textual-serve's static files (textual.js, xterm.css, the Roboto Mono font)."""
    import textual_serve

    return Path(textual_serve.__file__).parent / "static"


def same_origin(request: web.Request) -> bool:
    """False for a websocket opened by another site's page (browsers send Origin)."""
    origin = request.headers.get("Origin")
    return origin is None or urlsplit(origin).netloc == request.host


@dataclass
class WebReader:
    """The served reader: settings, and the sessions open now."""

    content: Path | None
    max_sessions: int
    sessions: int = 0

    def command(self, folder: Path) -> str:
        """The shell command that runs one session's reader with its own state folder."""
        parts = [sys.executable, "-m", "ketaguide_tui.tui.web_session", str(folder)]
        if self.content is not None:
            parts += ["--content", str(self.content.resolve())]
        return shlex.join(parts)

    def application(self) -> web.Application:
        app = web.Application()
        app.add_routes(
            [
                web.get("/", self.page),
                web.get("/ws", self.websocket),
                web.static("/static", textual_serve_static(), show_index=False),
            ]
        )
        app.on_response_prepare.append(_security_headers)
        return app

    @property
    def full(self) -> bool:
        return self.sessions >= self.max_sessions

    async def page(self, request: web.Request) -> web.Response:
        if self.full:
            return web.Response(
                status=503,
                text=busy_page(PAGE_TITLE, self.max_sessions),
                content_type="text/html",
                headers={"Retry-After": "30"},
            )
        font_size = _clamp(request.query.get("fontsize"), 16, 64)
        scheme = "wss" if request.secure else "ws"
        page = reader_page(PAGE_TITLE, f"{scheme}://{request.host}/ws", font_size)
        return web.Response(text=page, content_type="text/html")

    async def websocket(self, request: web.Request) -> web.StreamResponse:
        if not same_origin(request):
            return web.Response(status=403, text="This reader only answers its own page.\n")
        ws = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE_BYTES)
        await ws.prepare(request)
        if self.full:
            await ws.send_bytes(BUSY_TERMINAL_TEXT.encode())
            await ws.close(code=1013, message=b"too many readers open")
            return ws
        self.sessions += 1
        folder = Path(tempfile.mkdtemp(prefix="ketaguide-web-"))
        try:
            await self._run_reader(request, ws, folder)
        finally:
            self.sessions -= 1
            shutil.rmtree(folder, ignore_errors=True)
        return ws

    async def _run_reader(
        self, request: web.Request, ws: web.WebSocketResponse, folder: Path
    ) -> None:
        from textual_serve.app_service import AppService
        from textual_serve.download_manager import DownloadManager

        async def close() -> None:
            await ws.close()

        reader = AppService(
            self.command(folder),
            write_bytes=ws.send_bytes,
            write_str=ws.send_str,
            close=close,
            download_manager=DownloadManager(),
        )
        width, height = clamp_size(request.query.get("width"), request.query.get("height"))

        async def pong(payload: object) -> None:
            await ws.send_json(["pong", payload])

        await reader.start(width, height)
        try:
            await relay(_messages(ws), reader, pong)
        finally:
            await reader.stop()


async def _security_headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers["Content-Security-Policy"] = content_security_policy(request.host)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
