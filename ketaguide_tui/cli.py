"""The `ketaguide` command line: the reader by default, plus list / show / search / check /
serve / export / keys / questions.

Textual is imported only when the reader itself starts, so the other commands
stay quick. Every failure ends in one clear line on stderr and a non-zero exit
code, never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ketaguide_tui import __version__
from ketaguide_tui.guide.problems import ContentError
from ketaguide_tui.search_output import write_list
from ketaguide_tui.terminal_text import write, write_json

if TYPE_CHECKING:
    from ketaguide_tui.guide.model import Guide, Section

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2

today: Callable[[], date] = date.today
"""Today's date for review status (tests put a fixed date here)."""


class CliError(Exception):
    """A user-facing failure: printed as one line, exit code 2."""


def _add_content_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--content",
        metavar="DIR",
        type=Path,
        default=argparse.SUPPRESS,
        help="read sections from this folder instead of the bundled guide",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        default=argparse.SUPPRESS,
        help="read every file again and keep nothing in the cache folder (for debugging)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and the README)."""
    parser = argparse.ArgumentParser(
        prog="ketaguide",
        description="Read an evidence-based guide to ketamine therapy in the terminal.",
        epilog="In a crisis, call your local emergency number; see: ketaguide show get-help-now",
    )
    parser.add_argument("--version", action="version", version=f"ketaguide {__version__}")
    _add_content_option(parser)
    parser.add_argument(
        "--section", metavar="ID[#HEADING]", help="open the reader at this section (and heading)"
    )
    parser.add_argument(
        "--search", metavar="QUERY", help="open the reader with this search showing"
    )
    parser.add_argument(
        "--linear",
        action="store_true",
        help="read as plain lines with numbered choices (for screen readers and pipes)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    listing = commands.add_parser(
        "list", help="print the sections (id, title, summary, review dates)"
    )
    _add_content_option(listing)
    listing.add_argument("--json", action="store_true", help="print JSON")

    show = commands.add_parser("show", help="print a section")
    _add_content_option(show)
    show.add_argument("id", metavar="ID", help="section id, as `ketaguide list` prints it")
    show.add_argument(
        "--plain", action="store_true", help="plain text (for pipes and screen readers)"
    )

    search = commands.add_parser("search", help="search the guide")
    _add_content_option(search)
    search.add_argument("query", metavar="QUERY", nargs="+", help="words to look for")
    search.add_argument("--limit", type=int, default=10, metavar="N", help="at most N results")
    search.add_argument("--json", action="store_true", help="print JSON")

    check = commands.add_parser("check", help="validate a content folder")
    check.add_argument("dir", metavar="DIR", type=Path, nargs="?", help="folder (default: bundled)")
    check.add_argument(
        "--strict", action="store_true", help="exit 1 on warnings too (such as an overdue review)"
    )

    serve = commands.add_parser("serve", help="serve the reader as a web page")
    _add_content_option(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument(
        "--max-sessions",
        type=int,
        default=8,
        metavar="N",
        help="readers served at once (default 8); more visitors are asked to wait",
    )

    commands.add_parser("keys", help="print an example key configuration file")

    export = commands.add_parser("export", help="write the guide as web pages that work offline")
    _add_content_option(export)
    export.add_argument(
        "--html", metavar="DIR", type=Path, required=True, help="folder to write the pages into"
    )

    questions = commands.add_parser(
        "questions", help="print your questions, or write a sheet to take to an appointment"
    )
    questions.add_argument(
        "--export",
        metavar="FILE",
        type=Path,
        help="write a printable sheet: Markdown, HTML or plain text by ending (.md/.html/.txt)",
    )
    _add_content_option(questions)
    return parser


def _load_any(content: Path | None, use_cache: bool = False, save_now: bool = True) -> Guide:
    """The guide in `content`, even with no valid section (for `check`, which reads every
    file itself: it is what authors run to see their folder as it is)."""
    try:
        if use_cache:
            from ketaguide_tui.guide.cache import load_guide_cached

            return load_guide_cached(content, save_now=save_now)
        from ketaguide_tui.guide.model import load_guide

        return load_guide(content)
    except ContentError as error:
        raise CliError(str(error)) from error


def _load(content: Path | None, use_cache: bool, save_now: bool = True) -> Guide:
    """The guide in `content`, with at least one section to read."""
    guide = _load_any(content, use_cache, save_now)
    if not guide.sections:
        raise CliError(f"no readable sections in {guide.root} (run `ketaguide check` for details)")
    return guide


def _find_section(guide: Guide, section_id: str) -> Section:
    section = guide.get(section_id)
    if section is None:
        close = guide.closest_ids(section_id)
        if close:
            hint = f" Did you mean: {', '.join(close)}?"
        else:
            some = [s.id for s in guide.sections[:5]]
            hint = f" Sections include: {', '.join(some)}…"
        raise CliError(f"no section '{section_id}'.{hint} (`ketaguide list` shows them all)")
    return section


def _cmd_list_cached(content: Path | None) -> int | None:
    """`list` from the cache's listing, when it holds one for the folder as it is now
    (see `guide.cache_listing`); None when the guide must be loaded."""
    from ketaguide_tui.guide.bundled import bundled_content_dir
    from ketaguide_tui.guide.cache_listing import cached_listing

    try:
        listed = cached_listing(bundled_content_dir() if content is None else content)
    except ContentError as error:
        raise CliError(str(error)) from error
    if listed is None:
        return None
    write_list(listed)
    return EXIT_OK


def _cmd_list(guide: Guide, as_json: bool) -> int:
    from ketaguide_tui.guide.review_status import review_fields

    if as_json:
        now = today()
        write_json(
            [
                {"id": s.id, "title": s.title, "summary": s.summary} | review_fields(s, now)
                for s in guide
            ]
        )
        return EXIT_OK
    write_list([(s.id, s.title, s.summary) for s in guide])
    return EXIT_OK


def _cmd_show(guide: Guide, section_id: str, plain: bool) -> int:
    section = _find_section(guide, section_id)
    if plain or not sys.stdout.isatty():
        from ketaguide_tui.guide.plain_text import section_plain_text

        write(section_plain_text(section, today()), end="")
        return EXIT_OK
    from rich.console import Console
    from rich.markdown import Markdown
    from rich.segment import Segment, Segments
    from rich.text import Text

    from ketaguide_tui.terminal_text import printable

    console = Console(highlight=False, emoji=False)
    console.print(Text(printable(section.title, sys.stdout), style="bold"))
    from ketaguide_tui.guide.review_status import review_lines

    for line in review_lines(section, today()):
        console.print(Text(line, style="dim"))
    # Links are printed as text, not as terminal hyperlinks: nothing opens unseen.
    # Rich decodes entities in the body again, so its output is cleaned, segment by segment.
    segments = console.render(Markdown(section.body, hyperlinks=False))
    console.print(
        Segments(
            segment
            if segment.control
            else Segment(printable(segment.text, sys.stdout), segment.style)
            for segment in segments
        )
    )
    return EXIT_OK


def _cmd_search(guide: Guide | None, args: argparse.Namespace) -> int:
    """Search the guide; with no `guide`, the index opened from the cache without loading
    it, when the cache matches the folder (`index_cache.open_cached_index`)."""
    from ketaguide_tui.search.index_cache import cached_index, open_cached_index
    from ketaguide_tui.search_output import write_results

    if args.limit < 1:
        raise CliError("--limit must be at least 1")
    content: Path | None = getattr(args, "content", None)
    index = None
    if guide is None:
        from ketaguide_tui.guide.bundled import bundled_content_dir

        try:
            index = open_cached_index(bundled_content_dir() if content is None else content)
        except ContentError as error:
            raise CliError(str(error)) from error
        if index is None:
            guide = _load(content, use_cache=True)
    if index is None:
        assert guide is not None
        index = cached_index(guide)  # in memory when the guide was loaded without the cache
    query = " ".join(args.query)
    write_results(index.search(query, limit=args.limit), query, args.json)
    return EXIT_OK


def _cmd_check(folder: Path | None, strict: bool) -> int:
    from datetime import date

    from ketaguide_tui.guide.check import check_guide
    from ketaguide_tui.search.synonym_file import synonym_problems

    guide = _load_any(folder)
    found = sorted(
        check_guide(guide, today=date.today()) + synonym_problems(guide.root),
        key=lambda p: (str(p.path), p.line),
    )
    for problem in found:
        write(str(problem))
    problems = sum(1 for p in found if not p.warning)
    warnings = len(found) - problems
    summary = f"{_count(len(guide), 'section')} checked, {_count(problems, 'problem')}"
    if warnings:
        summary += f", {_count(warnings, 'warning')}"
    failed = bool(problems or strict and warnings)
    write(f"{summary}.", sys.stderr if failed else sys.stdout)
    return EXIT_PROBLEMS if failed else EXIT_OK


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _cmd_keys() -> int:
    from ketaguide_tui.commands import default_keymap
    from ketaguide_tui.settings import config_dir, example_config

    print(f"# Save as {config_dir() / 'config.toml'}")
    print(example_config(default_keymap()), end="")
    return EXIT_OK


def _cmd_serve(content: Path | None, host: str, port: int, max_sessions: int) -> int:
    from ketaguide_tui.tui.serve import serve

    return serve(content, host, port, max_sessions)


def _cmd_export(guide: Guide, folder: Path) -> int:
    from ketaguide_tui.html_edition.export import ExportError, export_html

    try:
        written = export_html(guide, folder)
    except ExportError as error:
        raise CliError(str(error)) from error
    write(f"Wrote {_count(written, 'page')} to {folder} (open index.html in a browser).")
    return EXIT_OK


def _cmd_read(guide: Guide, section: str | None, search: str | None, linear: bool) -> int:
    target_id, anchor = None, None
    if section:
        target_id, _, anchor_text = section.partition("#")
        found = _find_section(guide, target_id)
        anchor = anchor_text.strip().lower() or None
        if anchor and anchor not in found.anchors:
            raise CliError(
                f"section '{found.id}' has no heading '#{anchor}'"
                f" (headings: {', '.join(h.anchor for h in found.toc) or 'none'})"
            )
    from ketaguide_tui.start_mode import Mode, Surroundings, start_mode

    mode, _ = start_mode(Surroundings.now(linear_asked=linear))
    if mode is not Mode.FULL_SCREEN:
        from ketaguide_tui.linear.start import read_linear

        gc.enable()

        return read_linear(guide, target_id, anchor, search, interactive=mode is Mode.LINEAR)
    from ketaguide_tui.tui.app import KetaguideApp

    app = KetaguideApp(guide, section_id=target_id, anchor=anchor, search=search)
    app.run()
    return app.return_code or EXIT_OK


def run(argv: Sequence[str] | None = None) -> int:
    """Parse arguments and run one command; returns the exit code."""
    args = build_parser().parse_args(argv)
    content: Path | None = getattr(args, "content", None)
    command: str | None = args.command
    if command == "check":
        return _cmd_check(args.dir or content, args.strict)
    if command == "keys":
        return _cmd_keys()
    if command == "serve":
        return _cmd_serve(content, args.host, args.port, args.max_sessions)
    # The reader writes the cache after its first frame (in its search index's worker).
    use_cache = not getattr(args, "no_cache", False)
    if command == "list" and use_cache and not args.json:
        listed = _cmd_list_cached(content)
        if listed is not None:
            return listed
    if command == "search" and use_cache:
        return _cmd_search(None, args)  # the cached index, opened without the guide if it can
    if command is None:
        # No garbage collection until the reader is made and keeps the loaded guide out of
        # collections (`tui.frame_timing`): one over 10,000 sections takes tenths of a second.
        gc.disable()
    guide = _load(content, use_cache, save_now=command is not None)
    if command == "list":
        return _cmd_list(guide, args.json)
    if command == "show":
        return _cmd_show(guide, args.id, args.plain)
    if command == "search":
        return _cmd_search(guide, args)
    if command == "export":
        return _cmd_export(guide, args.html)
    if command == "questions":
        from ketaguide_tui.question_sheet import run_questions

        try:
            return run_questions(guide, args.export, today())
        except ValueError as error:
            raise CliError(str(error)) from error
    return _cmd_read(guide, args.section, args.search, args.linear)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `ketaguide` command."""
    try:
        return run(argv)
    except CliError as error:
        write(f"ketaguide: {error}", sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error worth a message.
        sys.stderr.close()
        return EXIT_OK
