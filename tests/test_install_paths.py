"""The install paths the README gives: pip, pipx and uv, from this source folder.

Each is tried plain and with the `serve` extra, into a scratch folder: its own
virtual environment for pip; its own `PIPX_HOME`, `PIPX_BIN_DIR`, `UV_TOOL_DIR`
and `UV_TOOL_BIN_DIR` for pipx and uv, so the user's own tools are never
touched; and no interpreter downloads (`UV_PYTHON_DOWNLOADS=never`, the running
interpreter named). pipx (with both of its back ends, pip and uv) and uv are the
ones installed beside the interpreter running the tests, from the test extra.

The installed `ketaguide` then answers `--version` and `list`. Without the
extra, `ketaguide serve` names the command that adds it for that installer, and
that very command is run; after it, or with the extra installed from the
start, `serve` gets past the import (to the port check, so no server starts).

Without pipx or uv beside the interpreter these tests skip, except under
`CI=true`, where they fail.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import IN_CI

from ketaguide_tui import __version__
from ketaguide_tui.guide.model import bundled_content_dir

ROOT = Path(__file__).resolve().parent.parent
TOOLS = Path(sys.executable).parent
"""Where the test extra put pipx and uv: beside the running interpreter."""
TIMEOUT = 600
NO_TEXTUAL_SERVE = "ketaguide: serving needs textual-serve: "
PORT_REFUSED = "ketaguide: port 0 is out of range"


def venv_tool(name: str) -> Path:
    found = TOOLS / name
    if not found.exists():
        message = f"{name} is not installed beside {sys.executable} (pip install '.[test]')"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return found


@dataclass
class Scratch:
    """A scratch folder for one installer, and the environment its commands run in."""

    root: Path
    env: dict[str, str]

    def run(self, argv: list[str], expect: int | None = 0) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            argv,
            env=self.env,
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
        if expect is not None:
            assert done.returncode == expect, f"{shlex.join(argv)}\n{done.stdout}{done.stderr}"
        return done


@pytest.fixture
def scratch(tmp_path: Path) -> Scratch:
    env = dict(os.environ)
    env.update(
        {
            # pipx and uv from the test environment come first.
            "PATH": f"{TOOLS}{os.pathsep}{env.get('PATH', '')}",
            "PIPX_HOME": str(tmp_path / "pipx"),
            "PIPX_BIN_DIR": str(tmp_path / "bin"),
            "PIPX_MAN_DIR": str(tmp_path / "man"),
            "UV_TOOL_DIR": str(tmp_path / "uv-tools"),
            "UV_TOOL_BIN_DIR": str(tmp_path / "bin"),
            "UV_PYTHON_DOWNLOADS": "never",
            "KETAGUIDE_STATE_DIR": str(tmp_path / "state"),
            "KETAGUIDE_CONFIG_DIR": str(tmp_path / "config"),
        }
    )
    for name in ("VIRTUAL_ENV", "PIPX_DEFAULT_BACKEND", "UV_TOOL_DIR_OVERRIDE"):
        env.pop(name, None)
    return Scratch(tmp_path, env)


@dataclass(frozen=True)
class Installer:
    """One install path: how to install, where the command lands, what the hint says."""

    name: str
    install: Callable[[Scratch, str], Path]
    """Install the requirement; returns the installed `ketaguide` command."""
    hint: Callable[[Path], list[str]]
    """The serve hint expected, given the installed command."""


def pip_install(scratch: Scratch, requirement: str) -> Path:
    venv = scratch.root / "venv"
    scratch.run([sys.executable, "-m", "venv", str(venv)])
    scratch.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", requirement])
    return venv / "bin" / "ketaguide"


def pipx_install(backend: str) -> Callable[[Scratch, str], Path]:
    def install(scratch: Scratch, requirement: str) -> Path:
        pipx = str(venv_tool("pipx"))
        scratch.env["PIPX_DEFAULT_BACKEND"] = backend
        scratch.run([pipx, "install", "--python", sys.executable, requirement])
        return scratch.root / "bin" / "ketaguide"

    return install


def uv_tool_install(scratch: Scratch, requirement: str) -> Path:
    uv = str(venv_tool("uv"))
    scratch.run([uv, "tool", "install", "--python", sys.executable, requirement])
    return scratch.root / "bin" / "ketaguide"


def pip_hint(command: Path) -> list[str]:
    """The interpreter of the command's own environment, then pip."""
    return [str(command.parent / "python"), "-m", "pip", "install", f"{ROOT}[serve]"]


INSTALLERS = [
    Installer("pip", pip_install, pip_hint),
    Installer(
        "pipx (pip)",
        pipx_install("pip"),
        lambda _: ["pipx", "inject", "ketaguide", "textual-serve>=1.1"],
    ),
    Installer(
        "pipx (uv)",
        pipx_install("uv"),
        lambda _: ["pipx", "inject", "ketaguide", "textual-serve>=1.1"],
    ),
    Installer(
        "uv tool",
        uv_tool_install,
        lambda _: ["uv", "tool", "install", f"{ROOT}[serve]"],
    ),
]


def check_reads_the_guide(scratch: Scratch, command: Path) -> None:
    assert command.exists(), f"{command} was not installed"
    version = scratch.run([str(command), "--version"])
    assert version.stdout.strip() == f"ketaguide {__version__}"
    listing = scratch.run([str(command), "list"])
    assert listing.stdout.startswith("start-here ")
    assert len(listing.stdout.splitlines()) == len(list(bundled_content_dir().glob("*.md")))


def check_serve_gets_past_the_import(scratch: Scratch, command: Path) -> None:
    done = scratch.run([str(command), "serve", "--port", "0"], expect=2)
    assert done.stderr.strip() == PORT_REFUSED


@pytest.mark.parametrize("installer", INSTALLERS, ids=[i.name for i in INSTALLERS])
def test_plain_install_then_the_serve_hint_works(installer: Installer, scratch: Scratch) -> None:
    command = installer.install(scratch, str(ROOT))
    check_reads_the_guide(scratch, command)
    done = scratch.run([str(command), "serve", "--port", "0"], expect=2)
    assert done.stderr.startswith(NO_TEXTUAL_SERVE), done.stderr
    hint = shlex.split(done.stderr.removeprefix(NO_TEXTUAL_SERVE).strip())
    assert hint == installer.hint(command)
    # Run the command as printed; `pipx` and `uv` are found first on PATH.
    scratch.run(hint)
    check_serve_gets_past_the_import(scratch, command)


@pytest.mark.parametrize("installer", INSTALLERS, ids=[i.name for i in INSTALLERS])
def test_install_with_the_serve_extra(installer: Installer, scratch: Scratch) -> None:
    command = installer.install(scratch, f"{ROOT}[serve]")
    check_reads_the_guide(scratch, command)
    check_serve_gets_past_the_import(scratch, command)
