"""The linear reader: the guide as plain lines and numbered choices, for screen readers,
braille displays, limited terminals and pipes (`ketaguide --linear`)."""

from ketaguide_tui.linear.session import LinearReader

__all__ = ["LinearReader"]
