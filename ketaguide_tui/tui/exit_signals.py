"""Ending on SIGTERM, SIGHUP or SIGINT the way `q` does: place saved, terminal restored.

Without this, Python's default handling ends the process on the spot (SIGTERM,
SIGHUP) or raises KeyboardInterrupt somewhere in the event loop (SIGINT): the
reading place is not saved and the terminal is left on the alternate screen,
with mouse reporting on and the cursor hidden.

The handlers are added to the running asyncio loop (`loop.add_signal_handler`),
so they run on the app's own thread between events, where it is safe to save
the state and call `App.exit`; Textual's driver then leaves the alternate
screen, turns mouse reporting off and shows the cursor, as on any exit.

A closed terminal (SIGHUP after the window went away) can make that clean exit
hang on a write nobody reads, so a watchdog thread ends the process after a
few seconds if it is still running; by then the place is already on disk.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections.abc import Callable

EXIT_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name)
)
"""The signals that end the reader (SIGHUP does not exist on Windows)."""

GRACE_SECONDS = 5.0
"""How long a clean exit may take after a signal before the process is ended."""


def exit_code(signum: int) -> int:
    """The shell's convention for a process ended by a signal: 128 + its number."""
    return 128 + signum


class ExitSignals:
    """Calls `on_signal(signum)` once, on the loop's thread, for the first exit signal."""

    def __init__(self, on_signal: Callable[[int], None]) -> None:
        self.on_signal = on_signal
        self.grace_seconds: float | None = GRACE_SECONDS
        """Seconds before the watchdog ends the process (None: no watchdog)."""
        self.received: int | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def install(self) -> bool:
        """Handle the exit signals in the running loop; False where that is not possible.

        Only the main thread may handle signals, and Windows' loops cannot.
        """
        loop = asyncio.get_running_loop()
        try:
            for signum in EXIT_SIGNALS:
                loop.add_signal_handler(signum, self.handle, signum)
        except (NotImplementedError, RuntimeError, ValueError):
            return False
        self._loop = loop
        return True

    def uninstall(self) -> None:
        """Give the signals back to Python's default handling."""
        if self._loop is not None and not self._loop.is_closed():
            for signum in EXIT_SIGNALS:
                self._loop.remove_signal_handler(signum)
        self._loop = None

    def handle(self, signum: int) -> None:
        """The first exit signal ends the app; later ones wait for that exit."""
        if self.received is not None:
            return
        self.received = signum
        if self.grace_seconds is not None:
            watchdog = threading.Timer(self.grace_seconds, os._exit, args=(exit_code(signum),))
            watchdog.daemon = True
            watchdog.start()
        self.on_signal(signum)
