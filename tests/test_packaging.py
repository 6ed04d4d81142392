"""What a release ships: the wheel and sdist hold what the package uses, and nothing else.

The files expected are read off the source tree, not listed here: every file of
the package (modules, the stylesheet and any other data beside them) and every
file of the guide in `content/`, which the wheel carries as
`ketaguide_tui/content/`. Nothing from `tests/` or `benchmarks/` may reach the
wheel.

The sdist and the wheel are built once for this module with `python -m build`
(which builds the wheel from the sdist, as an index's users would), or taken
from the folder named by `KETAGUIDE_DIST` when `.ci/test` has built them already.
Also here: the changelog's latest release is the package's version.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from email.parser import HeaderParser
from pathlib import Path

import pytest
from conftest import IN_CI

from ketaguide_tui import __version__

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "ketaguide_tui"
DIST_ENV = "KETAGUIDE_DIST"
"""A folder holding one sdist and the wheel built from it (set by .ci/test)."""
SKIPPED_PARTS = {"__pycache__"}
SKIPPED_SUFFIXES = {".pyc", ".pyo"}


@dataclass(frozen=True)
class Dists:
    sdist: Path
    wheel: Path


def source_files(folder: Path) -> set[str]:
    """Files under `folder` that a build takes, relative to it (caches left out)."""
    return {
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file()
        and not SKIPPED_PARTS.intersection(path.relative_to(folder).parts)
        and path.suffix not in SKIPPED_SUFFIXES
    }


def expected_package_files() -> set[str]:
    """Every file the installed package should have, as paths inside the wheel."""
    package = {f"{PACKAGE}/{name}" for name in source_files(ROOT / PACKAGE)}
    content = {f"{PACKAGE}/content/{name}" for name in source_files(ROOT / "content")}
    return package | content


def one(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern))
    assert len(found) == 1, f"expected one {pattern} in {folder}, found {found}"
    return found[0]


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dists]:
    """The sdist and the wheel built from it: the ones .ci/test built, or new ones."""
    given = os.environ.get(DIST_ENV)
    if given:
        folder = Path(given)
    else:
        try:
            import build  # noqa: F401
        except ImportError:
            message = "the build frontend is not installed (pip install '.[test]')"
            if IN_CI:
                pytest.fail(message)
            pytest.skip(message)
        folder = tmp_path_factory.mktemp("dist")
        done = subprocess.run(
            [sys.executable, "-m", "build", "--outdir", str(folder), str(ROOT)],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    yield Dists(
        sdist=one(folder, f"ketaguide-{__version__}.tar.gz"),
        wheel=one(folder, f"ketaguide-{__version__}-py3-none-any.whl"),
    )


@pytest.fixture(scope="module")
def wheel_names(dists: Dists) -> list[str]:
    with zipfile.ZipFile(dists.wheel) as wheel:
        return [name for name in wheel.namelist() if not name.endswith("/")]


@pytest.fixture(scope="module")
def wheel_metadata(dists: Dists) -> dict[str, list[str]]:
    """The wheel's METADATA headers, each with all its values."""
    with zipfile.ZipFile(dists.wheel) as wheel:
        text = wheel.read(f"ketaguide-{__version__}.dist-info/METADATA").decode("utf-8")
    message = HeaderParser().parsestr(text)
    headers: dict[str, list[str]] = {}
    for key, value in message.items():
        headers.setdefault(key, []).append(value)
    return headers


def test_the_source_tree_has_the_files_the_package_uses() -> None:
    """Guards the derivation below: the stylesheet and the guide are found."""
    expected = expected_package_files()
    assert f"{PACKAGE}/tui/ketaguide.tcss" in expected
    assert f"{PACKAGE}/content/start-here.md" in expected
    assert len([name for name in expected if name.startswith(f"{PACKAGE}/content/")]) >= 21


def test_wheel_holds_every_package_file_and_content_file(wheel_names: list[str]) -> None:
    shipped = {name for name in wheel_names if name.startswith(f"{PACKAGE}/")}
    expected = expected_package_files()
    assert sorted(expected - shipped) == [], "missing from the wheel"
    assert sorted(shipped - expected) == [], "in the wheel but not in the source tree"


def test_wheel_holds_nothing_else(wheel_names: list[str]) -> None:
    dist_info = f"ketaguide-{__version__}.dist-info/"
    others = [n for n in wheel_names if not n.startswith((f"{PACKAGE}/", dist_info))]
    assert others == []
    for name in wheel_names:
        parts = set(name.split("/"))
        assert not parts & {"tests", "benchmarks", "__pycache__"}, name
        assert not name.endswith(".pyc"), name


def test_wheel_metadata_for_an_index(
    wheel_names: list[str], wheel_metadata: dict[str, list[str]]
) -> None:
    assert f"ketaguide-{__version__}.dist-info/licenses/LICENSE" in wheel_names
    assert wheel_metadata["License-Expression"] == ["MIT"]
    assert wheel_metadata["License-File"] == ["LICENSE"]
    assert wheel_metadata["Requires-Python"] == [">=3.11"]
    classifiers = wheel_metadata["Classifier"]
    # An index refuses a license classifier beside a license expression (PEP 639).
    assert not [c for c in classifiers if c.startswith("License ::")]
    assert "Environment :: Console" in classifiers
    assert "Topic :: Scientific/Engineering :: Medical Science Apps." in classifiers
    assert any("serve" in extra for extra in wheel_metadata["Provides-Extra"])
    assert not [key for key in wheel_metadata if key.startswith("Project-URL")]


def test_wheel_entry_point(dists: Dists) -> None:
    with zipfile.ZipFile(dists.wheel) as wheel:
        text = wheel.read(f"ketaguide-{__version__}.dist-info/entry_points.txt").decode()
    assert "[console_scripts]\nketaguide = ketaguide_tui.cli:main" in text


def test_sdist_holds_the_source_license_and_changelog(dists: Dists) -> None:
    top = f"ketaguide-{__version__}/"
    with tarfile.open(dists.sdist) as sdist:
        names = {name.removeprefix(top) for name in sdist.getnames()}
    for name in ("pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md", "PKG-INFO"):
        assert name in names
    assert {f"{PACKAGE}/{n}" for n in source_files(ROOT / PACKAGE)} <= names
    assert {f"content/{n}" for n in source_files(ROOT / "content")} <= names
    assert not [name for name in names if name.startswith(("benchmarks/", ".venv/", "dist/"))]


def python_classifier_versions() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    found = set()
    for classifier in project["classifiers"]:
        match = re.fullmatch(r"Programming Language :: Python :: (3\.\d+)", classifier)
        if match:
            found.add(match.group(1))
    return found


def nox_pythons() -> list[str]:
    """The interpreters noxfile.py tests on (its PYTHONS list), read without importing nox."""
    tree = ast.parse((ROOT / "noxfile.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "PYTHONS" for target in node.targets
        ):
            value = ast.literal_eval(node.value)
            assert isinstance(value, list)
            return [str(v) for v in value]
    raise AssertionError("noxfile.py has no PYTHONS list")


def test_python_classifiers_are_the_versions_tested() -> None:
    classified = python_classifier_versions()
    assert "3.11" in classified  # requires-python's minimum
    assert classified <= set(nox_pythons())


def released_versions(changelog: str) -> list[str]:
    """Versions of the changelog's release headings, newest first (Unreleased left out)."""
    return re.findall(r"^## \[(\d+\.\d+\.\d+[^\]]*)\] - \d{4}-\d{2}-\d{2}$", changelog, re.M)


def test_changelog_latest_release_is_the_package_version() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## \[([^\]]+)\]", changelog, re.M)
    assert headings[0] == "Unreleased"
    versions = released_versions(changelog)
    assert versions, "no released version in CHANGELOG.md"
    assert versions[0] == __version__
    assert headings[1:] == versions, "every release heading needs a date: ## [X.Y.Z] - YYYY-MM-DD"


def test_released_versions_are_read_newest_first() -> None:
    text = "# Changelog\n\n## [Unreleased]\n\n## [0.2.0] - 2027-01-02\n\n## [0.1.0] - 2026-12-02\n"
    assert released_versions(text) == ["0.2.0", "0.1.0"]
