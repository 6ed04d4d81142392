"""The HTML of `ketaguide serve`: the page that holds the reader, and the page for a full server.

Everything the page loads comes from the server itself: textual-serve's
`textual.js` and `xterm.css`, and the Roboto Mono font it ships, served under
/static/ (system monospace fonts stand in while it loads). textual-serve's own
template also loads a font from a third-party host; this one loads nothing
from anywhere else, has no inline script, and `CONTENT_SECURITY_POLICY` tells
the browser to refuse anything else.
"""

from __future__ import annotations

from html import escape

FONT_STACK = "'Roboto Mono', ui-monospace, Menlo, Consolas, 'DejaVu Sans Mono', monospace"

_STYLE = """
@font-face {
  font-family: "Roboto Mono";
  src: url("/static/fonts/RobotoMono-VariableFont_wght.ttf") format("truetype");
  font-display: swap;
}
body { background: #0c181f; margin: 0; color: rgba(255, 255, 255, 0.95);
       font-family: %(font)s; }
.dialog-container { position: absolute; width: 100vw; height: 100vh; display: flex;
                    align-items: center; justify-content: center; z-index: 10; }
.intro { width: 640px; max-width: 90vw; padding: 32px; font-size: 16px; text-align: center;
         background-color: #12232d; }
.intro a { display: inline-block; margin-top: 16px; padding: 12px 28px; color: inherit;
           background-color: #5e0ba7; text-decoration: none; }
body.-first-byte .intro-dialog { display: none; }
body .textual-terminal { opacity: 0; }
body.-first-byte .textual-terminal { opacity: 1; transition: opacity 0.3s ease-out; }
.closed-dialog { display: none; }
body.-closed .closed-dialog { display: flex; }
#terminal { position: absolute; inset: 0; }
"""


def content_security_policy(host: str) -> str:
    """Only this server: scripts, styles, fonts and the reader's websocket."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            # xterm.js styles its own elements.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            f"connect-src 'self' ws://{host} wss://{host}",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    )


def reader_page(title: str, websocket_url: str, font_size: int) -> str:
    """The page whose terminal runs one reader over the websocket at `websocket_url`."""
    name = escape(title)
    return f"""<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>{name}</title>
    <link rel="stylesheet" href="/static/css/xterm.css">
    <script src="/static/js/textual.js"></script>
    <style>{_STYLE % {"font": FONT_STACK}}</style>
  </head>
  <body>
    <div class="dialog-container intro-dialog">
      <div class="intro">{name}: starting the reader…</div>
    </div>
    <div class="dialog-container closed-dialog">
      <div class="intro">
        <div>The reader has closed.</div>
        <a href="/">Open it again</a>
      </div>
    </div>
    <div id="terminal" class="textual-terminal"
      data-session-websocket-url="{escape(websocket_url)}"
      data-font-size="{font_size}"></div>
  </body>
</html>
"""


def busy_page(title: str, limit: int) -> str:
    """What a visitor sees when every reader session is taken."""
    name = escape(title)
    return f"""<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>{name}: busy</title>
    <style>{_STYLE % {"font": FONT_STACK}}</style>
  </head>
  <body>
    <div class="dialog-container">
      <div class="intro">
        <div>{name} is serving as many readers as it allows ({limit}).
        Please try again when one of them has closed.</div>
        <a href="/">Try again</a>
      </div>
    </div>
  </body>
</html>
"""


BUSY_TERMINAL_TEXT = (
    "\r\n  ketaguide is serving as many readers as it allows.\r\n"
    "  Please try again when one of them has closed.\r\n"
)
"""Written into the page's terminal when a websocket arrives over the cap."""
