"""The HTML edition's style sheet and search script, written next to its pages.

Nothing is fetched from anywhere: system fonts, no images, no third-party code.
The search script reads the index that `search-index.js` defines (a script
file, not JSON, because browsers refuse to fetch files next to a page opened
from disk) and builds results with `textContent` only, so content never
becomes markup there either.
"""

from __future__ import annotations

STYLE_CSS = """\
:root { color-scheme: light dark; --text: #1b1b1b; --muted: #4a4a4a; --page: #ffffff;
  --link: #0b4f8a; --line: #8a8a8a; --head: #eef2f6; --crisis-bg: #fff1e0;
  --crisis-text: #4d2600; --focus: #b35900; }
@media (prefers-color-scheme: dark) {
  :root { --text: #ececec; --muted: #c4c4c4; --page: #161616; --link: #9cc7ff;
    --line: #7a7a7a; --head: #262c33; --crisis-bg: #3a2410; --crisis-text: #ffe2c2;
    --focus: #ffb866; }
}
html { font-size: 112.5%; }
body { margin: 0 auto; max-width: 44rem; padding: 0 1rem 3rem; color: var(--text);
  background: var(--page); font-family: system-ui, -apple-system, "Segoe UI", sans-serif;
  line-height: 1.6; }
a { color: var(--link); text-underline-offset: 0.15em; }
a:focus-visible, input:focus-visible, button:focus-visible, [tabindex]:focus-visible {
  outline: 3px solid var(--focus); outline-offset: 2px; }
.skip-link { position: absolute; left: 0.5rem; top: -3rem; padding: 0.5rem 1rem;
  background: var(--page); color: var(--link); z-index: 1; }
.skip-link:focus { top: 0.5rem; }
.crisis { margin: 0 -1rem; padding: 0.6rem 1rem; background: var(--crisis-bg);
  color: var(--crisis-text); }
.crisis a { color: var(--crisis-text); font-weight: 700; }
header nav ul, footer nav ul { list-style: none; padding: 0; margin: 0.75rem 0;
  display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; }
.reviewed { color: var(--muted); margin-top: -0.5rem; }
h1, h2, h3, h4 { line-height: 1.25; }
table { border-collapse: collapse; margin: 1rem 0; width: 100%; }
th, td { border: 1px solid var(--line); padding: 0.35rem 0.5rem; text-align: left;
  vertical-align: top; }
th { background: var(--head); }
pre { overflow-x: auto; padding: 0.75rem; border: 1px solid var(--line); }
code { font-family: ui-monospace, "Cascadia Mono", Menlo, Consolas, monospace; }
blockquote { margin-left: 0; padding-left: 1rem; border-left: 4px solid var(--line); }
.sections li { margin-bottom: 0.75rem; }
.summary, .result-snippet { margin: 0.1rem 0 0; }
.search-form input { font: inherit; padding: 0.3rem 0.5rem; width: min(100%, 24rem); }
.search-form button { font: inherit; padding: 0.3rem 0.9rem; }
.crisis-result { padding: 0.6rem 1rem; background: var(--crisis-bg); color: var(--crisis-text); }
.crisis-result a { color: var(--crisis-text); font-weight: 700; }
@media print {
  :root { --text: #000; --page: #fff; --link: #000; --line: #555; --head: #eee;
    --crisis-bg: #fff; --crisis-text: #000; }
  html { font-size: 11pt; }
  body { max-width: none; padding: 0; }
  .skip-link, header nav, footer nav, .search-form { display: none; }
  .crisis { border: 1px solid #000; margin: 0 0 1rem; }
  a { text-decoration: none; }
  a.web::after { content: " (" attr(href) ")"; font-size: 90%; word-break: break-all; }
  h1, h2, h3, h4 { break-after: avoid; }
  tr, li, pre, blockquote { break-inside: avoid; }
}
"""

SEARCH_JS = """\
(function () {
  "use strict";
  var data = window.KETAGUIDE_SEARCH || { passages: [], crisis: null };
  var SHOWN = 30;
  function fold(text) {
    return text.normalize("NFD").replace(/[\\u0300-\\u036f]/g, "").toLowerCase();
  }
  function words(text) { return fold(text).match(/[\\p{L}\\p{N}]+/gu) || []; }
  var passages = data.passages.map(function (p) {
    return { p: p, words: words(p.title + " " + (p.heading || "") + " " + p.text),
             titleWords: words(p.title + " " + (p.heading || "")) };
  });
  function matches(list, word) {
    for (var i = 0; i < list.length; i++) { if (list[i].indexOf(word) === 0) { return true; } }
    return false;
  }
  function isCrisis(query) {
    if (!data.crisis) { return false; }
    var padded = " " + words(query).join(" ") + " ";
    return data.crisis.names.some(function (name) {
      var phrase = words(name).join(" ");
      return phrase && padded.indexOf(" " + phrase + " ") !== -1;
    });
  }
  function snippet(text, queryWords) {
    var all = text.split(/\\s+/);
    var at = 0;
    for (var i = 0; i < all.length; i++) {
      var found = words(all[i]).some(function (w) {
        return queryWords.some(function (q) { return w.indexOf(q) === 0; });
      });
      if (found) { at = i; break; }
    }
    var start = Math.max(0, at - 10);
    var part = all.slice(start, start + 30).join(" ");
    return (start > 0 ? "\\u2026 " : "") + part + (start + 30 < all.length ? " \\u2026" : "");
  }
  function run(query) {
    var list = document.getElementById("results");
    var status = document.getElementById("search-status");
    list.textContent = "";
    var queryWords = words(query);
    if (!queryWords.length) { status.textContent = "Type words to search for."; return; }
    var scored = passages.map(function (entry) {
      var found = 0, inTitle = 0;
      queryWords.forEach(function (q) {
        if (matches(entry.words, q)) { found += 1; }
        if (matches(entry.titleWords, q)) { inTitle += 1; }
      });
      return { entry: entry, found: found, score: found * 10 + inTitle * 3 };
    });
    var every = scored.filter(function (s) { return s.found === queryWords.length; });
    var some = every.length ? every : scored.filter(function (s) { return s.found > 0; });
    some.sort(function (a, b) { return b.score - a.score; });
    if (isCrisis(query)) {
      var item = document.createElement("li");
      item.className = "crisis-result";
      var link = document.createElement("a");
      link.href = data.crisis.page;
      link.textContent = "Get help now";
      item.appendChild(link);
      item.appendChild(document.createTextNode(": " + data.crisis.text));
      list.appendChild(item);
    }
    some.slice(0, SHOWN).forEach(function (s) {
      var p = s.entry.p;
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = p.page + (p.anchor ? "#" + p.anchor : "");
      link.textContent = p.heading ? p.title + ": " + p.heading : p.title;
      var text = document.createElement("p");
      text.className = "result-snippet";
      text.textContent = snippet(p.text, queryWords);
      item.appendChild(link);
      item.appendChild(text);
      list.appendChild(item);
    });
    var count = some.length;
    var note = every.length || !count ? "" : " No passage has every word; these have some.";
    var shown = count > SHOWN ? ", the first " + SHOWN + " shown." : ".";
    status.textContent = (count ? count + (count === 1 ? " result" : " results") : "No results")
      + " for \\u201c" + query + "\\u201d" + shown + note;
  }
  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  form.addEventListener("submit", function (event) { event.preventDefault(); run(input.value); });
  var asked = new URLSearchParams(window.location.search).get("q");
  if (asked) { input.value = asked; run(asked); }
})();
"""
