"""Shared fixtures: small content folders written on the fly, and isolated state/config."""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

KETAGUIDE = Path(sys.executable).parent / "ketaguide"
"""The installed command beside the interpreter running the tests."""
IN_CI = os.environ.get("CI") == "true"

SectionWriter = Callable[..., Path]


def section_text(
    title: str,
    order: int,
    body: str,
    summary: str = "A test section.",
    aliases: tuple[str, ...] = (),
    reviewed: str = "2026-01-15",
) -> str:
    """A section file's text with TOML front matter."""
    alias_list = ", ".join(f'"{a}"' for a in aliases)
    return (
        f'+++\ntitle = "{title}"\norder = {order}\nsummary = "{summary}"\n'
        f"reviewed = {reviewed}\naliases = [{alias_list}]\n+++\n\n{body}"
    )


@pytest.fixture
def write_section(tmp_path: Path) -> SectionWriter:
    """Write a section into tmp_path/content and return the folder."""
    folder = tmp_path / "content"
    folder.mkdir(exist_ok=True)

    def write(section_id: str, title: str, order: int, body: str, **extra: object) -> Path:
        text = section_text(title, order, body, **extra)  # type: ignore[arg-type]
        (folder / f"{section_id}.md").write_text(text, encoding="utf-8")
        return folder

    return write


@pytest.fixture
def small_guide(write_section: SectionWriter) -> Path:
    """A three-section guide with headings and links between sections."""
    write_section(
        "start-here",
        "Start here",
        10,
        "Welcome. See [effects](effects.md#common-effects) or [help](get-help-now.md).\n\n"
        "## How to read\n\nUse the keys.\n\n## Sources\n\n- [Site](https://example.org)\n",
    )
    body = "\n\n".join(
        f"## Part {n}\n\n" + " ".join(f"Line {n}.{i} about effects." for i in range(12))
        for n in range(1, 9)
    )
    write_section(
        "effects",
        "Effects",
        20,
        "Intro text.\n\n## Common effects\n\nDizziness and nausea are common.\n\n"
        "### Blood pressure\n\nIt can rise for a while.\n\n" + body + "\n\n## Sources\n\n"
        "- [Back to start](start-here.md)\n",
        aliases=("side effects", "adverse effects"),
    )
    return write_section(
        "get-help-now",
        "Get help now",
        30,
        "In danger: call 999.\n\n## Crisis lines\n\nCall 988 in the US.\n",
        aliases=("crisis", "suicide", "emergency"),
    )


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read or write the real user's state, config or cache."""
    monkeypatch.setenv("KETAGUIDE_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("KETAGUIDE_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("KETAGUIDE_CACHE_DIR", str(tmp_path / "cache"))


def system_tool(name: str, purpose: str) -> str:
    """A program the end-to-end tests need: skip without it, or fail under CI=true."""
    found = shutil.which(name)
    if found is None:
        if IN_CI:
            pytest.fail(f"{name} is required for the {purpose} under CI=true; install {name}")
        pytest.skip(f"{name} is not installed")
    return found


@pytest.fixture
def ketaguide() -> Path:
    """The installed command, or a skip when this interpreter has none."""
    if not KETAGUIDE.exists():
        pytest.skip(f"{KETAGUIDE} is not installed (pip install . first)")
    return KETAGUIDE


def open_section_title(screen: str) -> str | None:
    """The title shown in the reader's section header: the text just above "Last reviewed"."""
    lines = screen.splitlines()
    for number, line in enumerate(lines):
        if "Last reviewed" in line and number > 0:
            # With the sidebar showing, the header is the right-hand part of the row.
            return re.split(r"[▕│]", lines[number - 1])[-1].strip()
    return None
