"""The terminal reader, built on Textual: the app, its screens, widgets, styles and web serving.

The only package that imports Textual; it is given the guide, search and state to show.
"""
