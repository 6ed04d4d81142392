"""The HTML edition (`ketaguide export --html DIR`): structure, links, safety, accessibility.

The pages are parsed with `html.parser` and checked the way a screen reader and
a browser would meet them: one `<h1>`, heading levels that never skip, a skip
link, "Get help now" first, every link between pages landing on a file and an
id, no request to anywhere, and content HTML never passed on as markup. Then
Chromium runs the offline search and axe-core checks the pages (axe-core comes
from npm; without npm or Chromium these skip, except under CI=true).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import IN_CI, SectionWriter, system_tool

from ketaguide_tui.cli import main
from ketaguide_tui.guide.model import load_guide
from ketaguide_tui.html_edition.export import export_html

GUIDE = load_guide()
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run")
FRAME_TAGS = {"html", "head", "meta", "title", "link", "body", "a", "header", "nav", "ul", "li"}
FRAME_TAGS |= {"main", "footer", "thead", "tbody", "tr", "th", "td", "strong", "br"}
DARK_PAGE = "rgb(22, 22, 22)"
"""The page colour of the dark scheme (`--page` in the style sheet)."""
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


class Page(HTMLParser):
    """What a page holds: its tags in order (with attributes), ids, headings and text."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: list[str] = []
        self.headings: list[int] = []
        self.text: list[str] = []
        self.feed(source)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append((tag, found))
        if found.get("id"):
            self.ids.append(str(found["id"]))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("edition")
    assert export_html(GUIDE, folder) == len(GUIDE) + 2
    return folder


def pages(folder: Path) -> Iterator[tuple[str, Page]]:
    for path in sorted(folder.glob("*.html")):
        yield path.name, Page(path.read_text(encoding="utf-8"))


def test_one_page_per_section_plus_contents_and_search(edition: Path) -> None:
    names = {path.name for path in edition.glob("*.html")}
    assert names == {f"{s.id}.html" for s in GUIDE} | {"index.html", "search.html"}
    source = (edition / "index.html").read_text(encoding="utf-8")
    contents = Page(source.split('<ol class="sections">')[1].split("</ol>")[0])
    assert [a["href"] for a in contents.all("a")] == [f"{s.id}.html" for s in GUIDE]


def test_every_page_has_the_frame_and_one_outline(edition: Path) -> None:
    for name, page in pages(edition):
        assert page.all("html")[0].get("lang") == "en", name
        assert page.headings.count(1) == 1 and page.headings[0] == 1, name
        for before, after in zip(page.headings, page.headings[1:], strict=False):
            assert after <= before + 1, f"{name}: h{before} then h{after}"
        links = page.all("a")
        skip, crisis = links[0], links[1]
        assert skip["href"] == "#Text" and "Text" in page.ids, name
        assert crisis["href"] == "get-help-now.html", name
        assert "Get help now" in "".join(page.text), name
        assert len(page.all("main")) == 1, name
        assert len(page.ids) == len(set(page.ids)), f"{name}: duplicate ids"


def test_section_pages_say_when_they_were_reviewed(edition: Path) -> None:
    for section in GUIDE:
        text = " ".join(Page((edition / f"{section.id}.html").read_text("utf-8")).text)
        assert section.reviewed_text in text
        if section.next_review is not None:
            due = f"{section.next_review.day} {section.next_review:%B %Y}"
            assert f"Next review due {due}" in text or f"Review overdue since {due}" in text


def test_every_link_between_pages_lands_on_a_file_and_an_id(edition: Path) -> None:
    checked = 0
    for name, page in pages(edition):
        for attrs in page.all("a"):
            href = str(attrs["href"])
            parts = urlsplit(href)
            if parts.scheme in ("http", "https"):
                continue
            assert not parts.scheme and not parts.netloc, f"{name}: {href}"
            target = parts.path or name
            assert (edition / target).is_file(), f"{name}: {href}"
            if parts.fragment:
                ids = Page((edition / target).read_text("utf-8")).ids
                assert unquote(parts.fragment) in ids, f"{name}: {href}"
            checked += 1
    assert checked > 500  # the guide links to its references everywhere


def test_tables_have_header_cells(edition: Path) -> None:
    page = Page((edition / "side-effects.html").read_text("utf-8"))
    tags = [tag for tag, _ in page.tags]
    assert tags.count("table") >= 2
    assert tags.count("thead") == tags.count("table")
    assert all(attrs.get("scope") == "col" for attrs in page.all("th"))
    assert "Effect" in page.text and "Esketamine" in page.text


def test_nothing_is_requested_from_anywhere(edition: Path) -> None:
    for name, page in pages(edition):
        for tag, attrs in page.tags:
            for attribute in ("src", "href"):
                value = attrs.get(attribute)
                if value is None or (tag == "a" and attribute == "href"):
                    continue
                assert not urlsplit(value).scheme and not value.startswith("//"), (name, value)
            assert tag not in ("img", "iframe", "object", "embed"), name
    style = (edition / "style.css").read_text("utf-8")
    assert "url(" not in style and "@import" not in style
    assert "@media print" in style
    for script in ("search.js", "search-index.js"):
        code = (edition / script).read_text("utf-8")
        assert "fetch(" not in code and "XMLHttpRequest" not in code and "import(" not in code


def test_content_html_never_becomes_markup(write_section: SectionWriter, tmp_path: Path) -> None:
    folder = write_section(
        "start-here",
        "Start <b onclick=x()>here</b>\u001b]0;T\u0007",
        10,
        '<script>alert("block")</script>\n\nText <img src=x onerror=alert(2)> and '
        "<a href=javascript:alert(3)>tag</a> &lt;i&gt;kept as text&lt;/i&gt; &#x1b;[31m.\n\n"
        "[bad](javascript:alert(4)) [far](../../etc/passwd.md) `<code>`\n\n"
        "| <th>A</th> | B |\n|---|---|\n| x | y |\n",
    )
    out = tmp_path / "out"
    export_html(load_guide(folder), out)
    page = (out / "start-here.html").read_text("utf-8")
    assert "<script>" not in page and "<b " not in page and "<img" not in page
    assert "alert(2)" not in page and "alert(3)" not in page and "block" not in page
    assert "&lt;i&gt;kept as text&lt;/i&gt;" in page
    assert "<title>Start &lt;b onclick=x()&gt;here&lt;/b&gt; - " in page
    assert "<code>&lt;code&gt;</code>" in page
    for path in out.iterdir():
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", path.read_text("utf-8"))
    # No get-help-now section here: the page says the numbers, and search still knows a crisis.
    assert "In danger now? Call an emergency number:" in page
    index = (out / "search-index.js").read_text("utf-8")
    assert '"suicide"' in index and '"took too much"' in index
    parsed = Page(page)
    assert {tag for tag, _ in parsed.tags} <= {*FRAME_TAGS, "h1", "p", "code", "span", "table"}
    assert not [name for _, attrs in parsed.tags for name in attrs if name.startswith("on")]
    values = [str(value) for _, attrs in parsed.tags for value in attrs.values()]
    assert not [value for value in values if "javascript" in value or "passwd" in value]


def test_export_into_a_file_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("not a folder")
    assert main(["export", "--html", str(blocker)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ketaguide: cannot write the pages into") and err.count("\n") == 1


def test_export_command_says_what_it_wrote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "--html", str(tmp_path / "site")]) == 0
    assert capsys.readouterr().out.startswith(f"Wrote {len(GUIDE) + 2} pages to ")
    index = (tmp_path / "site" / "search-index.js").read_text("utf-8")
    data = json.loads(index.removeprefix("window.KETAGUIDE_SEARCH = ").rstrip().rstrip(";"))
    assert {p["page"] for p in data["passages"]} == {f"{s.id}.html" for s in GUIDE}


# ---- in Chromium ----------------------------------------------------------------


@pytest.fixture
def chromium() -> str:
    return system_tool("chromium", "HTML edition tests")


def dump_dom(chromium: str, url: str, profile: Path, *flags: str) -> str:
    """The page's DOM after its scripts ran (virtual time lets promises settle)."""
    done = subprocess.run(
        [
            chromium,
            *CHROMIUM_FLAGS,
            *flags,
            f"--user-data-dir={profile}",
            "--virtual-time-budget=10000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        timeout=90,
        check=False,
        start_new_session=True,
    )
    return done.stdout.decode("utf-8", errors="replace")


def test_offline_search_finds_places_and_puts_crisis_help_first(
    edition: Path, chromium: str, tmp_path: Path
) -> None:
    dom = dump_dom(chromium, (edition / "search.html").as_uri() + "?q=blood+pressure", tmp_path)
    results = Page(dom.split('id="results"')[1])
    hrefs = [str(a["href"]) for a in results.all("a")]
    assert hrefs and all((edition / h.partition("#")[0]).is_file() for h in hrefs)
    assert any(h.endswith("#blood-pressure") for h in hrefs)
    assert re.search(r"\d+ results for \u201cblood pressure\u201d", dom)
    dom = dump_dom(chromium, (edition / "search.html").as_uri() + "?q=want+to+die", tmp_path)
    first, link = Page(dom.split('id="results"')[1]).tags[:2]
    assert first == ("li", {"class": "crisis-result"})
    assert link == ("a", {"href": "get-help-now.html"})


@pytest.fixture(scope="session")
def axe_script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """axe-core's script, installed from npm for this run."""
    npm = shutil.which("npm")
    reason = "npm is not installed" if npm is None else ""
    folder = tmp_path_factory.mktemp("axe")
    if npm is not None:
        done = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--prefix", str(folder), "axe-core@4"],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        reason = f"npm could not install axe-core: {done.stderr.strip()[-300:]}"
    script = folder / "node_modules" / "axe-core" / "axe.min.js"
    if not script.is_file():
        if IN_CI:
            pytest.fail(f"axe-core is required under CI=true; {reason}")
        pytest.skip(reason)
    return script


def axe_violations(
    chromium: str, axe: Path, page: Path, profile: Path, scheme: str = "light"
) -> list[dict[str, object]]:
    """axe-core's violations on `page` (WCAG 2.1 A and AA, and best practice), with the
    browser preferring a light or a dark colour scheme."""
    checked = page.with_name("axe-" + page.name)
    runner = (
        '<script src="axe.min.js"></script><script>'
        f"axe.run(document, {{runOnly: {{type: 'tag', values: {json.dumps(AXE_TAGS)}}}}})"
        ".then(function (r) { var p = document.createElement('pre'); p.id = 'axe-result';"
        " p.textContent = JSON.stringify({background:"
        " getComputedStyle(document.body).backgroundColor,"
        " violations: r.violations.map(function (v) {"
        " return {id: v.id, nodes: v.nodes.map(function (n) { return n.html; })}; })});"
        " document.documentElement.appendChild(p); });</script>"
    )
    shutil.copy(axe, page.parent / "axe.min.js")
    checked.write_text(page.read_text("utf-8").replace("</body>", runner + "</body>"), "utf-8")
    try:
        # Blink's preferred colour scheme: 0 is dark, 1 is light.
        setting = f"--blink-settings=preferredColorScheme={0 if scheme == 'dark' else 1}"
        dom = dump_dom(chromium, checked.as_uri(), profile, setting)
    finally:
        checked.unlink()
    match = re.search(r'<pre id="axe-result">(.*?)</pre>', dom, re.S)
    assert match is not None, f"axe did not run on {page.name}"
    result = json.loads(
        match.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    )
    # The scheme asked for is the one checked (the style sheet's page colours).
    assert result["background"] == DARK_PAGE if scheme == "dark" else "rgb(255, 255, 255)"
    violations: list[dict[str, object]] = result["violations"]
    return violations


def test_axe_finds_a_planted_problem(
    edition: Path, chromium: str, axe_script: Path, tmp_path: Path
) -> None:
    """The check can fail: a page with an image without a description is caught."""
    bad = tmp_path / "bad.html"
    html = (
        (edition / "index.html").read_text("utf-8").replace("</main>", '<img src="x.png"></main>')
    )
    bad.write_text(html, "utf-8")
    ids = [v["id"] for v in axe_violations(chromium, axe_script, bad, tmp_path / "profile")]
    assert "image-alt" in ids


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", ["index.html", "side-effects.html", "get-help-now.html"])
def test_axe_finds_no_problem(
    edition: Path, chromium: str, axe_script: Path, tmp_path: Path, name: str, scheme: str
) -> None:
    found = axe_violations(chromium, axe_script, edition / name, tmp_path / "profile", scheme)
    assert found == []


def test_axe_finds_no_problem_on_search_results(
    edition: Path, chromium: str, axe_script: Path, tmp_path: Path
) -> None:
    page = edition / "search.html"
    results = tmp_path / "search.html"
    # The same page with a query, so the results it builds are checked too.
    html = page.read_text("utf-8").replace('name="q" ', 'name="q" value="nausea" ')
    for name in ("style.css", "search-index.js"):
        shutil.copy(edition / name, tmp_path / name)
    script = (edition / "search.js").read_text("utf-8")
    (tmp_path / "search.js").write_text(
        script.replace("if (asked)", "asked = 'nausea'; if (asked)")
    )
    results.write_text(html, "utf-8")
    assert axe_violations(chromium, axe_script, results, tmp_path / "profile") == []


def test_the_hostile_corpus_exports_clean(tmp_path: Path) -> None:
    from test_hostile import assert_clean, hostile_folder

    guide = load_guide(hostile_folder(tmp_path))
    out = tmp_path / "out"
    assert export_html(guide, out) == len(guide) + 2
    content_tags = {"h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "blockquote", "pre"}
    content_tags |= {"code", "em", "strong", "del", "br", "hr", "span", "table", "h1"}
    for path in out.iterdir():
        text = path.read_text("utf-8")
        assert_clean(text, path.name)
        if path.suffix == ".html":
            page = Page(text)
            search = {"script", "noscript", "form", "label", "input", "button"}
            assert {tag for tag, _ in page.tags} <= FRAME_TAGS | content_tags | search, path
            assert not [n for _, attrs in page.tags for n in attrs if n.startswith("on")], path
            if path.name != "search.html":
                assert "script" not in {tag for tag, _ in page.tags}, path
