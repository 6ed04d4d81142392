"""`ketaguide serve`: the same reader as a web page, safe by default.

Why ketaguide serves the page itself rather than with textual-serve's
`Server`: that class loads a font from a third-party host, lists the files
under /static/, starts a reader for every websocket without limit, passes on
any terminal size a client asks for, lets every visitor's reader share the
serving user's state.json, and reports a taken port with a traceback after
saying it is serving. The fixes would have to override its private methods
(`_make_app`, `_process_messages`), which may change in any release. So the
page and its websocket are served here with aiohttp (a dependency of
textual-serve), and only textual-serve's public `AppService` (one reader
process per websocket) and its static files are used (`tui.web_app`).

Here: the address is checked and the port bound *before* "Serving…" is
printed, so a bad host or a taken port is one clear line and exit code 2.
Loopback is the default; an empty `--host` is refused (it would mean every
interface), and any other address is served with a warning.
"""

from __future__ import annotations

import asyncio
import errno
import signal
import socket
import sys
from contextlib import suppress
from pathlib import Path

LOOPBACK = ("127.0.0.1", "localhost", "::1")
DEFAULT_MAX_SESSIONS = 8
"""Readers served at once by default: each is a process of about 55 MB."""


class ServeError(Exception):
    """Serving cannot start; the message is one line for the user."""


def listening_sockets(host: str, port: int) -> list[socket.socket]:
    """Sockets bound to every address `host` names, listening on `port`."""
    if not host.strip():
        raise ServeError(
            "--host is empty, which would serve every network interface; leave it out to "
            "serve this computer only (127.0.0.1), or name the address to serve on"
        )
    if not 0 < port < 65536:
        raise ServeError(f"port {port} is out of range")
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as error:
        reason = error.strerror if isinstance(error, socket.gaierror) else "not a valid name"
        raise ServeError(f"can't find the address {host!r} to serve on ({reason})") from None
    sockets: list[socket.socket] = []
    try:
        for family, kind, protocol, _, address in dict.fromkeys(
            (f, k, p, "", a) for f, k, p, _, a in found
        ):
            sockets.append(_bind(family, kind, protocol, address, host, port))
    except BaseException:
        for bound in sockets:
            bound.close()
        raise
    return sockets


def _bind(
    family: socket.AddressFamily,
    kind: socket.SocketKind,
    protocol: int,
    address: tuple[str, int] | tuple[str, int, int, int] | tuple[int, bytes],
    host: str,
    port: int,
) -> socket.socket:
    listener = socket.socket(family, kind, protocol)
    try:
        if sys.platform != "win32":
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            listener.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        listener.bind(address)
        listener.listen(100)
        listener.setblocking(False)
    except OSError as error:
        listener.close()
        where = address[0] if isinstance(address[0], str) else host
        if error.errno == errno.EADDRINUSE:
            message = f"port {port} is already in use on {where}; choose another with --port"
        elif error.errno in (errno.EACCES, errno.EPERM):
            message = f"not allowed to serve on port {port} (ports below 1024 need privileges)"
        elif error.errno == errno.EADDRNOTAVAIL:
            message = f"{host!r} is not an address of this computer"
        else:
            message = f"can't serve on {where} port {port}: {error.strerror or error}"
        raise ServeError(message) from None
    return listener


def serve(
    content: Path | None, host: str, port: int, max_sessions: int = DEFAULT_MAX_SESSIONS
) -> int:
    """Serve the reader until interrupted. Returns an exit code."""
    try:
        import textual_serve.app_service  # noqa: F401  (checked here to say how to install it)
    except ImportError:
        from ketaguide_tui.install_source import install_extra_command

        print(
            f"ketaguide: serving needs textual-serve: {install_extra_command('serve')}",
            file=sys.stderr,
        )
        return 2
    if max_sessions < 1:
        print("ketaguide: --max-sessions must be at least 1", file=sys.stderr)
        return 2
    try:
        sockets = listening_sockets(host, port)
    except ServeError as error:
        print(f"ketaguide: {error}", file=sys.stderr)
        return 2
    if host not in LOOPBACK:
        print(
            f"ketaguide: warning: serving on {host} lets other machines reach the reader",
            file=sys.stderr,
        )
    shown = f"[{host}]" if ":" in host else host
    print(
        f"Serving ketaguide on http://{shown}:{port} "
        f"(at most {max_sessions} readers at once; Ctrl+C stops)",
        flush=True,
    )
    with suppress(KeyboardInterrupt):
        asyncio.run(_run(sockets, content, max_sessions))
    return 0


async def _run(sockets: list[socket.socket], content: Path | None, max_sessions: int) -> None:
    from aiohttp import web

    from ketaguide_tui.tui.web_app import WebReader

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    runner = web.AppRunner(WebReader(content, max_sessions).application(), access_log=None)
    await runner.setup()
    try:
        for listener in sockets:
            await web.SockSite(runner, listener).start()
        await stop.wait()
    finally:
        await runner.cleanup()
