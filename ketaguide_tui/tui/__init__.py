"""The terminal reader on Textual: the app, its messages, palette, screens, widgets, styles, serve.

The only package that imports Textual: it is given the guide, search and saved state
(`services`), shows them, and turns keys into messages that the app saves.
"""
