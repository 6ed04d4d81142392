"""Hostile content folders through every command: no traceback, no control character out.

`tests/hostile/content` holds the files that can live in git (escapes in every
TOML string form, entity- and percent-encoded controls, markup, numbers and
nesting that crashed the loader, slow patterns); the cases git cannot hold
(file names with ESC or a newline, symbolic links, a named pipe, a device, a
folder called `x.md`, a file that is not UTF-8, a megabyte file) are added to a
copy at test time.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from ketaguide_tui.cli import main
from ketaguide_tui.guide.check import check_guide
from ketaguide_tui.guide.files import MAX_FILE_BYTES
from ketaguide_tui.guide.model import load_guide

CORPUS = Path(__file__).parent / "hostile" / "content"
UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
STYLING = re.compile(r"\x1b\[[0-9;]*m")
"""Select Graphic Rendition: the colours and bold the app itself sends."""
SECTION = '+++\ntitle = "{0}"\norder = 50\nsummary = "S."\nreviewed = 2026-01-15\n+++\n\n{1}\n'
ENVIRONMENTS = {
    "utf-8": {},
    "C locale": {"LC_ALL": "C", "PYTHONUTF8": "0"},
    "ascii stdout": {"PYTHONIOENCODING": "ascii"},
}


def hostile_folder(root: Path, huge: bool = False) -> Path:
    """A copy of the corpus with the cases git cannot hold added."""
    folder = root / "content"
    shutil.copytree(CORPUS, folder)
    (folder / "esc\x1b]0;T\x07name.md").write_text(SECTION.format("Esc name", "x"), "utf-8")
    (folder / "new\nline.md").write_text(SECTION.format("Newline name", "x"), "utf-8")
    (root / "secret.md").write_text(SECTION.format("Secret outside", "x"), "utf-8")
    (folder / "outside.md").symlink_to(root / "secret.md")
    (folder / "inside.md").symlink_to(folder / "ordinary.md")
    (folder / "dangling.md").symlink_to(folder / "nowhere")
    (folder / "loop.md").symlink_to(folder / "loop.md")
    if Path("/proc/kmsg").exists():
        (folder / "kmsg.md").symlink_to("/proc/kmsg")
    (folder / "zero.md").symlink_to("/dev/zero")
    with contextlib.suppress(PermissionError):  # making a device needs privileges
        os.mknod(folder / "device.md", stat.S_IFCHR | 0o600, os.makedev(1, 3))
    os.mkfifo(folder / "fifo.md")
    (folder / "not-utf8.md").write_bytes(b'+++\ntitle = "Caf\xe9"\n+++\n')
    (folder / "folder.md").mkdir()
    if huge:
        body = "Text " + "<!-- " * 100_000 + "\n\n" + "[]()" * 100_000 + "\n" + "[" * 400_000
        (folder / "huge.md").write_text(SECTION.format("Huge", body), "utf-8")
    return folder


def assert_clean(text: str, where: str) -> None:
    found = UNSAFE.search(text)
    context = text[max(0, found.start() - 40) : found.start() + 40] if found else ""
    assert found is None, f"{where}: {found.group()!r}: {context!r}"


def run_cli(args: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, **environment}
    return subprocess.run(
        [sys.executable, "-m", "ketaguide_tui", *args],
        capture_output=True,
        env=env,
        timeout=60,  # a command that waits on a special file fails here instead of hanging
        stdin=subprocess.DEVNULL,
    )


COMMANDS: list[tuple[list[str], int]] = [
    (["list"], 0),
    (["list", "--json"], 0),
    (["show", "ordinary"], 0),
    (["show", "decoded", "--plain"], 0),
    (["show", "raw-escapes", "--plain"], 0),
    (["show", "toml-escapes"], 0),
    (["show", "markup", "--plain"], 0),
    (["show", "slow-patterns", "--plain"], 0),
    (["show", "nope\x1b]0;T\x07"], 2),
    (["search", "nasal"], 0),
    (["search", "override", "--json"], 0),
    (["search", "pwned\x1b[2J"], 0),
]


def test_every_command_on_the_hostile_corpus(tmp_path: Path) -> None:
    folder = hostile_folder(tmp_path)
    runs = [
        (name, args + ["--content", str(folder)], code)
        for name in ENVIRONMENTS
        for args, code in (COMMANDS if name == "utf-8" else COMMANDS[::3])
    ] + [(name, ["check", str(folder)], 1) for name in ENVIRONMENTS]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda run: run_cli(run[1], ENVIRONMENTS[run[0]]), runs))
    for (name, args, code), result in zip(runs, results, strict=True):
        where = f"{name}: ketaguide {' '.join(args[:3])!r}"
        out, err = (
            result.stdout.decode("utf-8", "replace"),
            result.stderr.decode("utf-8", "replace"),
        )
        assert result.returncode == code, f"{where}: exit {result.returncode}\n{err}"
        assert "Traceback" not in err, f"{where}\n{err}"
        assert_clean(out, where)
        assert_clean(err, where)
        if name != "utf-8":
            assert result.stdout.isascii() and result.stderr.isascii(), where
        if args[0] == "list":
            assert "ordinary" in out and "Ordinary section" in out, where


def test_check_names_every_hostile_file(tmp_path: Path) -> None:
    folder = hostile_folder(tmp_path)
    guide = load_guide(folder)
    problems = check_guide(guide)
    text = "\n".join(str(problem) for problem in problems)
    assert_clean(text, "check")
    by_file: dict[str, str] = {}
    for problem in problems:
        by_file[problem.path.name] = by_file.get(problem.path.name, "") + problem.message
    assert "outside the content folder" in by_file["outside.md"]
    assert "named pipe" in by_file["fifo.md"]
    assert "a folder" in by_file["folder.md"]
    assert "outside the content folder" in by_file["zero.md"]
    if (folder / "device.md").exists():
        assert "a device" in by_file["device.md"]
    assert "cannot read" in by_file["dangling.md"] and "cannot read" in by_file["loop.md"]
    assert "rename it" in by_file["esc\x1b]0;T\x07name.md"]
    assert "rename it" in by_file["new\nline.md"]
    assert "esc\\x1b]0;T\\x07name.md" in text  # the name is shown, its controls as escapes
    assert "5001 digits" in by_file["big-order.md"]
    assert "nested too deeply" in by_file["deep-toml.md"]
    assert "not valid UTF-8" in by_file["not-utf8.md"]
    assert "'title'" in by_file["toml-escapes.md"] and "U+001B ESC" in by_file["toml-escapes.md"]
    assert "U+202E" in by_file["decoded.md"] and "U+000D CR" in by_file["decoded.md"]
    if Path("/proc/kmsg").exists():
        assert "outside the content folder" in by_file["kmsg.md"]
    # The rest still loads: the ordinary section, and one reached by a link inside the folder.
    assert guide.get("ordinary") is not None and guide.get("inside") is not None
    assert guide.get("outside") is None and guide.get("secret") is None


def test_decoded_front_matter_holds_no_control(tmp_path: Path) -> None:
    guide = load_guide(hostile_folder(tmp_path))
    section = guide.get("toml-escapes")
    assert section is not None
    assert section.title == "Safe x"
    assert section.summary == "Multiline summary"
    assert section.aliases == ("literal\\u001b stays text", "bell alias", "31m csi")
    for each in guide:
        assert_clean(" ".join([each.id, each.title, each.summary, *each.aliases]), each.id)


def test_a_megabyte_of_slow_patterns_is_cut_and_reported(tmp_path: Path) -> None:
    folder = hostile_folder(tmp_path, huge=True)
    for args, code in ((["list"], 0), (["show", "huge", "--plain"], 0), (["check"], 1)):
        full = [*args, str(folder)] if args[0] == "check" else [*args, "--content", str(folder)]
        result = run_cli(full, {})
        assert result.returncode == code and b"Traceback" not in result.stderr, args
    huge = load_guide(folder).get("huge")
    assert huge is not None and len(huge.body.encode()) < MAX_FILE_BYTES
    messages = [p.message for p in check_guide(load_guide(folder)) if p.path.name == "huge.md"]
    assert any("over 100 KB" in m for m in messages)
    assert any("over the 16 KB the reader shows" in m for m in messages)


@pytest.mark.parametrize("environment", ["C locale", "ascii stdout"])
def test_the_bundled_guide_under_an_ascii_locale(environment: str) -> None:
    for args in (["list"], ["search", "nasal", "spray"], ["show", "side-effects"], ["check"]):
        result = run_cli(args, ENVIRONMENTS[environment])
        # check exits 1 while the bundled content has problems; what matters here is the text.
        assert result.returncode in ((0, 1) if args == ["check"] else (0,)), result.stderr
        assert result.stdout.isascii() and b"Traceback" not in result.stderr
    listing = run_cli(["list"], ENVIRONMENTS[environment]).stdout.decode()
    assert "Side effects - " in listing  # the em dash, in its ASCII form
    rows = run_cli(["list", "--json"], ENVIRONMENTS[environment]).stdout
    assert rows.isascii() and b'"id": "start-here"' in rows


class FakeTerminal(io.StringIO):
    """Standard output that says it is a terminal, so `show` lays text out with Rich."""

    encoding = "utf-8"

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("section_id", ["decoded", "raw-escapes", "toml-escapes", "markup"])
def test_show_on_a_terminal_sends_only_its_own_styling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, section_id: str
) -> None:
    folder = hostile_folder(tmp_path)
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    monkeypatch.setenv("TERM", "xterm-256color")
    assert main(["show", section_id, "--content", str(folder)]) == 0
    out = terminal.getvalue()
    assert "\x1b[" in out  # styled: this went through the terminal path
    assert "\x1b]" not in out  # never an OSC sequence (title, clipboard, hyperlink)
    assert_clean(STYLING.sub("", out), section_id)
