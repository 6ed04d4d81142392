"""What the reader remembers between runs: place, bookmarks, read marks and theme.

Kept in one JSON file, written atomically under a lock, salvaged when damaged; no UI code.
"""
