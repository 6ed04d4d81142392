"""Full-text search over the guide: passages indexed in SQLite FTS5 and queries read as typed.

Builds on the guide model and imports no UI code; the command line and the reader both use it.
"""
