"""The reading screen's widgets: the section viewer, the sidebar of sections, the match status.

Widgets show what the screen gives them and post messages about what the
reader did (a heading reached, a link clicked); they never open anything.
"""
