"""How this copy of ketaguide was installed, and so the command that adds an extra to it.

An installer that installs a package from a folder, an archive or a repository,
rather than by name from an index, records where it came from in
`direct_url.json` beside the package's metadata (PEP 610). With that, the hint
for a missing extra can name something that works: `python -m pip install
'/path/to/ketaguide[serve]'` for a copy installed from a source folder, and
`python -m pip install 'ketaguide[serve]'` only for one installed from an index.
The interpreter named is the one running, so the extra lands in the same
environment.

The tool that manages the environment is told by what it leaves there:
pipx writes `pipx_metadata.json` and `uv tool` writes `uv-receipt.toml` at the
top of the environment. (The `INSTALLER` metadata names the program that
unpacked the files, which for pipx may be pip or uv, so it only tells plain
`uv pip` installs from pip ones.)

No Textual import: a core module, asked before serving starts.
"""

from __future__ import annotations

import json
import re
import shlex
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Literal
from urllib.parse import urlparse
from urllib.request import url2pathname

DISTRIBUTION = "ketaguide"
"""The distribution's name on an index (the package itself is `ketaguide_tui`)."""

Manager = Literal["pip", "uv", "pipx", "uv tool"]
"""What manages the environment the package is installed in."""

PIPX_MARKER = "pipx_metadata.json"
UV_TOOL_MARKER = "uv-receipt.toml"


@dataclass(frozen=True)
class InstallSource:
    """Where the distribution came from, and what installed it."""

    manager: Manager
    location: str | None = None
    """A local folder, or a URL as a direct reference takes it (`git+https://...@commit`);
    None when installed by name from an index (or when that is unknown)."""
    is_folder: bool = False
    editable: bool = False

    def requirement(self, extra: str) -> str:
        """What to install to get the package with `extra`, from the same source."""
        if self.location is None:
            return f"{DISTRIBUTION}[{extra}]"
        if self.is_folder:
            return f"{self.location}[{extra}]"
        return f"{DISTRIBUTION}[{extra}] @ {self.location}"


def location_from_direct_url(data: Mapping[str, object]) -> tuple[str | None, bool, bool]:
    """The parsed `direct_url.json`: (location, is a local folder, editable).

    Anything unexpected gives (None, False, False), as for an index install.
    """
    url = data.get("url")
    if not isinstance(url, str) or not url:
        return None, False, False
    dir_info = data.get("dir_info")
    if isinstance(dir_info, dict):
        parsed = urlparse(url)
        if parsed.scheme != "file":
            return None, False, False
        folder = url2pathname(parsed.path)
        return folder, True, dir_info.get("editable") is True
    vcs_info = data.get("vcs_info")
    if isinstance(vcs_info, dict):
        vcs = vcs_info.get("vcs")
        if not isinstance(vcs, str):
            return None, False, False
        revision = vcs_info.get("commit_id") or vcs_info.get("requested_revision")
        location = f"{vcs}+{url}"
        if isinstance(revision, str) and revision:
            location += f"@{revision}"
        return location, False, False
    if isinstance(data.get("archive_info"), dict):
        return url, False, False
    return None, False, False


def environment_manager(prefix: Path, installer: str | None) -> Manager:
    """The tool managing the environment at `prefix`, given the INSTALLER metadata."""
    if (prefix / PIPX_MARKER).is_file():
        return "pipx"
    if (prefix / UV_TOOL_MARKER).is_file():
        return "uv tool"
    if installer is not None and installer.strip() == "uv":
        return "uv"
    return "pip"


def extra_requirements(requires: list[str] | None, extra: str) -> list[str]:
    """The requirements that `extra` adds, from the `Requires-Dist` metadata."""
    marker = re.compile(rf"""extra\s*==\s*["']{re.escape(extra)}["']""")
    found = []
    for requirement in requires or []:
        spec, _, markers = requirement.partition(";")
        if marker.search(markers):
            found.append(spec.strip())
    return found


def installed_distribution() -> metadata.Distribution | None:
    """The installed ketaguide's metadata, or None when it is not installed."""
    try:
        return metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return None


def read_install_source(
    distribution: metadata.Distribution | None, prefix: Path | None = None
) -> InstallSource:
    """How `distribution` came to be installed in the environment at `prefix`
    (by default, this interpreter's)."""
    prefix = Path(sys.prefix) if prefix is None else prefix
    if distribution is None:
        return InstallSource(environment_manager(prefix, None))
    manager = environment_manager(prefix, distribution.read_text("INSTALLER"))
    direct_url = distribution.read_text("direct_url.json")
    if direct_url is None:
        return InstallSource(manager)
    try:
        data = json.loads(direct_url)
    except ValueError:
        return InstallSource(manager)
    if not isinstance(data, dict):
        return InstallSource(manager)
    location, is_folder, editable = location_from_direct_url(data)
    return InstallSource(manager, location, is_folder, editable)


def extra_command(source: InstallSource, extra: str, added: list[str], python: str) -> str:
    """The shell command that adds `extra` (which brings the requirements `added`)
    to an installation from `source`; `python` is the environment's interpreter."""
    requirement = source.requirement(extra)
    editable = ["-e"] if source.editable else []
    if source.manager == "pipx":
        if added:
            return shlex.join(["pipx", "inject", DISTRIBUTION, *added])
        return shlex.join(["pipx", "install", "--force", *editable, requirement])
    if source.manager == "uv tool":
        return shlex.join(["uv", "tool", "install", *editable, requirement])
    if source.manager == "uv":
        return shlex.join(["uv", "pip", "install", "--python", python, *editable, requirement])
    return shlex.join([python, "-m", "pip", "install", *editable, requirement])


def install_extra_command(extra: str) -> str:
    """The command that adds `extra` to this installation of ketaguide."""
    distribution = installed_distribution()
    source = read_install_source(distribution)
    added = extra_requirements(distribution.requires if distribution else None, extra)
    return extra_command(source, extra, added, sys.executable)
