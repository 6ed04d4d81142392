"""The serve hint names the command for how ketaguide was installed (PEP 610 direct_url.json)."""

from __future__ import annotations

import json
import sys
from importlib import metadata
from pathlib import Path

import pytest

from ketaguide_tui.install_source import (
    InstallSource,
    environment_manager,
    extra_command,
    extra_requirements,
    install_extra_command,
    installed_distribution,
    location_from_direct_url,
    read_install_source,
)

PYTHON = "/env/bin/python"
REQUIRES = (
    "Requires-Dist: textual>=8.2\n"
    "Requires-Dist: textual-serve>=1.1; extra == 'serve'\n"
    'Requires-Dist: pytest>=8; extra == "test"\n'
)


def fake_distribution(
    tmp_path: Path, direct_url: object = None, installer: str | None = "pip"
) -> metadata.Distribution:
    """An installed ketaguide's metadata folder, with these files."""
    info = tmp_path / "site" / "ketaguide-0.1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.4\nName: ketaguide\nVersion: 0.1.0\n{REQUIRES}", encoding="utf-8"
    )
    if installer is not None:
        (info / "INSTALLER").write_text(f"{installer}\n", encoding="utf-8")
    if direct_url is not None:
        text = direct_url if isinstance(direct_url, str) else json.dumps(direct_url)
        (info / "direct_url.json").write_text(text, encoding="utf-8")
    return metadata.PathDistribution(info)


def environment(tmp_path: Path, marker: str | None = None) -> Path:
    prefix = tmp_path / "env"
    prefix.mkdir()
    if marker:
        (prefix / marker).write_text("{}\n", encoding="utf-8")
    return prefix


def hint(tmp_path: Path, direct_url: object, installer: str = "pip", marker: str = "") -> str:
    distribution = fake_distribution(tmp_path, direct_url, installer)
    source = read_install_source(distribution, environment(tmp_path, marker))
    added = extra_requirements(distribution.requires, "serve")
    return extra_command(source, "serve", added, PYTHON)


def test_from_an_index_names_the_project() -> None:
    assert InstallSource("pip").requirement("serve") == "ketaguide[serve]"


def test_pip_from_an_index(tmp_path: Path) -> None:
    assert hint(tmp_path, None) == f"{PYTHON} -m pip install 'ketaguide[serve]'"


def test_pip_from_a_folder(tmp_path: Path) -> None:
    direct_url = {"url": "file:///home/me/ketaguide", "dir_info": {}}
    assert hint(tmp_path, direct_url) == f"{PYTHON} -m pip install '/home/me/ketaguide[serve]'"


def test_pip_from_a_folder_with_a_space_stays_editable(tmp_path: Path) -> None:
    direct_url = {"url": "file:///home/me/my%20guide", "dir_info": {"editable": True}}
    assert hint(tmp_path, direct_url) == f"{PYTHON} -m pip install -e '/home/me/my guide[serve]'"


def test_pip_from_a_wheel_file(tmp_path: Path) -> None:
    url = "file:///tmp/dist/ketaguide-0.1.0-py3-none-any.whl"
    direct_url = {"url": url, "archive_info": {"hashes": {"sha256": "00"}}}
    assert hint(tmp_path, direct_url) == f"{PYTHON} -m pip install 'ketaguide[serve] @ {url}'"


def test_pip_from_a_repository(tmp_path: Path) -> None:
    direct_url = {
        "url": "https://example.org/ketaguide.git",
        "vcs_info": {"vcs": "git", "commit_id": "abc123", "requested_revision": "main"},
    }
    assert hint(tmp_path, direct_url) == (
        f"{PYTHON} -m pip install 'ketaguide[serve] @ git+https://example.org/ketaguide.git@abc123'"
    )


def test_uv_pip_into_a_virtual_environment(tmp_path: Path) -> None:
    direct_url = {"url": "file:///src/ketaguide", "dir_info": {}}
    assert hint(tmp_path, direct_url, installer="uv") == (
        f"uv pip install --python {PYTHON} '/src/ketaguide[serve]'"
    )


def test_uv_tool_from_a_folder(tmp_path: Path) -> None:
    direct_url = {"url": "file:///src/ketaguide", "dir_info": {}}
    command = hint(tmp_path, direct_url, installer="uv", marker="uv-receipt.toml")
    assert command == "uv tool install '/src/ketaguide[serve]'"


def test_uv_tool_from_an_index(tmp_path: Path) -> None:
    command = hint(tmp_path, None, installer="uv", marker="uv-receipt.toml")
    assert command == "uv tool install 'ketaguide[serve]'"


@pytest.mark.parametrize("installer", ["pip", "uv"])
def test_pipx_injects_what_the_extra_adds_whatever_unpacked_it(
    tmp_path: Path, installer: str
) -> None:
    direct_url = {"url": "file:///src/ketaguide", "dir_info": {}}
    command = hint(tmp_path, direct_url, installer=installer, marker="pipx_metadata.json")
    assert command == "pipx inject ketaguide 'textual-serve>=1.1'"


def test_pipx_without_the_extras_requirements_reinstalls_with_the_extra() -> None:
    source = InstallSource("pipx", "/src/ketaguide", is_folder=True)
    command = extra_command(source, "serve", [], PYTHON)
    assert command == "pipx install --force '/src/ketaguide[serve]'"


def test_no_distribution_is_taken_as_an_index_install(tmp_path: Path) -> None:
    assert read_install_source(None, environment(tmp_path)) == InstallSource("pip")


@pytest.mark.parametrize(
    "text",
    ["not json", "[]", '{"url": 3, "dir_info": {}}', '{"url": "https://x.org/k", "dir_info": {}}'],
)
def test_unreadable_direct_url_is_taken_as_an_index_install(tmp_path: Path, text: str) -> None:
    assert hint(tmp_path, text) == f"{PYTHON} -m pip install 'ketaguide[serve]'"


def test_direct_url_without_a_known_info_key() -> None:
    assert location_from_direct_url({"url": "https://x.org/k.whl"}) == (None, False, False)
    assert location_from_direct_url({"url": "https://x.org/k", "vcs_info": {}}) == (
        None,
        False,
        False,
    )


def test_environment_manager_reads_the_markers(tmp_path: Path) -> None:
    assert environment_manager(environment(tmp_path), None) == "pip"
    assert environment_manager(tmp_path / "env", "uv\n") == "uv"
    (tmp_path / "env" / "uv-receipt.toml").write_text("[tool]\n", encoding="utf-8")
    assert environment_manager(tmp_path / "env", "uv") == "uv tool"
    (tmp_path / "env" / "pipx_metadata.json").write_text("{}", encoding="utf-8")
    assert environment_manager(tmp_path / "env", "uv") == "pipx"


def test_extra_requirements_only_of_that_extra() -> None:
    requires = [
        "textual>=8.2",
        "textual-serve>=1.1; extra == 'serve'",
        'pytest>=8; extra == "test"',
        "aiohttp; python_version >= '3.11' and extra == \"serve\"",
    ]
    assert extra_requirements(requires, "serve") == ["textual-serve>=1.1", "aiohttp"]
    assert extra_requirements(None, "serve") == []


def test_installed_copy_is_read_without_arguments() -> None:
    """The real installed distribution: this checkout's own install, or a tested wheel's."""
    distribution = installed_distribution()
    assert distribution is not None
    source = read_install_source(distribution)
    command = install_extra_command("serve")
    if source.location is None:
        assert command.endswith("'ketaguide[serve]'") or "textual-serve" in command
    elif source.is_folder:
        assert Path(source.location).is_dir()
        assert f"{source.location}[serve]" in command


def test_serve_without_textual_serve_prints_the_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ketaguide_tui.tui.serve import serve

    monkeypatch.setitem(sys.modules, "textual_serve.app_service", None)  # import fails
    assert serve(None, "127.0.0.1", 8000) == 2
    err = capsys.readouterr().err
    assert err == f"ketaguide: serving needs textual-serve: {install_extra_command('serve')}\n"
