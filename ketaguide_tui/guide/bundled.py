"""Where the guide that ships with the package lives (a module of its own: the command
line finds it without importing the Markdown reader)."""

from __future__ import annotations

from pathlib import Path


def bundled_content_dir() -> Path:
    """Where the guide that ships with the package lives.

    In an installed wheel it sits inside the package; in a source checkout it is
    the top-level `content/` folder beside the package.
    """
    # The package's own folder (importlib.resources would say the same for a package on
    # disk, and costs 15 ms of imports at every start).
    packaged = Path(__file__).resolve().parents[1] / "content"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "content"
