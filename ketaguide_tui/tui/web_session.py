"""One web visitor's reader, as `ketaguide serve` starts it: with a state of its own.

`python -m ketaguide_tui.tui.web_session STATE_DIR [ketaguide arguments]` runs
the reader with its state and config folders set to STATE_DIR (a temporary
folder the server made for this session and deletes when it ends), so a web
visitor never reads or writes the serving user's state.json, and reads with
the default keys rather than the serving user's.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from ketaguide_tui.paths import CONFIG_DIR_ENV, STATE_DIR_ENV


def main(argv: Sequence[str]) -> int:
    """Run the reader for one web session; returns its exit code."""
    if not argv:
        print("usage: python -m ketaguide_tui.tui.web_session STATE_DIR [ARGS...]", file=sys.stderr)
        return 2
    folder, *rest = argv
    os.environ[STATE_DIR_ENV] = os.path.join(folder, "state")
    os.environ[CONFIG_DIR_ENV] = os.path.join(folder, "config")
    from ketaguide_tui.cli import main as run_ketaguide

    return run_ketaguide(rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
