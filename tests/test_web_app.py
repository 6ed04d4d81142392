"""The served reader's websocket relay: whatever a client sends, nothing breaks or grows."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from aiohttp import WSMsgType
from hypothesis import given
from hypothesis import strategies as st

from ketaguide_tui.tui.web_app import MAX_COLUMNS, MAX_ROWS, clamp_size, relay

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
_sizes = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12) | _json


class FakeReader:
    def __init__(self) -> None:
        self.sizes: list[tuple[int, int]] = []
        self.typed = b""

    async def send_bytes(self, data: bytes) -> bool:
        self.typed += data
        return True

    async def set_terminal_size(self, width: int, height: int) -> None:
        self.sizes.append((width, height))

    async def blur(self) -> None:
        pass

    async def focus(self) -> None:
        pass


async def _pong(payload: object) -> None:
    pass


def run_relay(messages: list[tuple[WSMsgType, str]]) -> FakeReader:
    reader = FakeReader()

    async def stream() -> AsyncIterator[tuple[WSMsgType, str]]:
        for message in messages:
            yield message

    asyncio.run(relay(stream(), reader, _pong))
    return reader


@given(width=_sizes, height=_sizes)
def test_any_requested_size_is_whole_and_within_bounds(width: object, height: object) -> None:
    columns, rows = clamp_size(width, height)
    assert 1 <= columns <= MAX_COLUMNS and 1 <= rows <= MAX_ROWS


def test_a_huge_resize_is_clamped_and_a_normal_one_kept() -> None:
    reader = run_relay(
        [
            (WSMsgType.TEXT, json.dumps(["resize", {"width": 10000, "height": 5000}])),
            (WSMsgType.TEXT, json.dumps(["resize", {"width": 120, "height": 40}])),
        ]
    )
    assert reader.sizes == [(MAX_COLUMNS, MAX_ROWS), (120, 40)]


@given(
    messages=st.lists(
        st.one_of(
            st.text(max_size=40).map(lambda text: (WSMsgType.TEXT, text)),
            _json.map(lambda value: (WSMsgType.TEXT, json.dumps(value))),
            st.tuples(
                st.sampled_from(["stdin", "resize", "ping", "blur", "focus", "x"]), _json
            ).map(lambda pair: (WSMsgType.TEXT, json.dumps(list(pair)))),
            st.just((WSMsgType.BINARY, "")),
        ),
        max_size=8,
    )
)
def test_no_message_breaks_the_relay(messages: list[tuple[WSMsgType, str]]) -> None:
    reader = run_relay(messages)
    assert all(1 <= w <= MAX_COLUMNS and 1 <= h <= MAX_ROWS for w, h in reader.sizes)


def test_textual_serve_still_offers_what_the_server_uses() -> None:
    # `ketaguide serve` uses only textual-serve's AppService and static files;
    # if a release changes them, this says what to look at.
    import inspect

    from textual_serve.app_service import AppService

    from ketaguide_tui.tui.web_app import textual_serve_static

    parameters = inspect.signature(AppService).parameters
    for name in ("command", "write_bytes", "write_str", "close", "download_manager"):
        assert name in parameters, f"AppService() no longer takes {name}="
    for method in ("start", "stop", "send_bytes", "set_terminal_size", "blur", "focus"):
        assert callable(getattr(AppService, method, None)), f"AppService.{method} is gone"
    static = textual_serve_static()
    for asset in ("js/textual.js", "css/xterm.css", "fonts/RobotoMono-VariableFont_wght.ttf"):
        assert (static / asset).is_file(), f"textual-serve no longer ships static/{asset}"
    script = (static / "js" / "textual.js").read_text(encoding="utf-8")
    assert "dataset.sessionWebsocketUrl" in script, "the page's websocket attribute changed"
