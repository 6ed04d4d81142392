"""The reader's screens: the reading screen, and the dialogs over it (search, help, bookmarks).

Each is given what it shows (services, a list, a callback) and reports back by
message or by its dismiss result; none of them imports the app.
"""
