"""`ketaguide serve`: the same reader as a web page, via textual-serve.

Binds to loopback unless told otherwise, and says so when it does not.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def reader_command(content: Path | None) -> str:
    """The shell command textual-serve runs for each browser session."""
    parts = [sys.executable, "-m", "ketaguide_tui"]
    if content is not None:
        parts += ["--content", str(content.resolve())]
    return shlex.join(parts)


def serve(content: Path | None, host: str, port: int) -> int:
    """Serve the reader until interrupted. Returns an exit code."""
    try:
        from textual_serve.server import Server
    except ImportError:
        from ketaguide_tui.install_source import install_extra_command

        print(
            f"ketaguide: serving needs textual-serve: {install_extra_command('serve')}",
            file=sys.stderr,
        )
        return 2
    if not 0 < port < 65536:
        print(f"ketaguide: port {port} is out of range", file=sys.stderr)
        return 2
    if host not in LOOPBACK:
        print(
            f"ketaguide: warning: serving on {host} lets other machines reach the reader",
            file=sys.stderr,
        )
    print(f"Serving ketaguide on http://{host}:{port} (Ctrl+C stops)", flush=True)
    Server(reader_command(content), host=host, port=port, title="ketaguide").serve()
    return 0
