"""The guide as data: sections loaded from Markdown files, their headings, links and text.

Reading, checking and cleaning content happens here, with no terminal or UI code, so the
command line, the reader and the tests all see one model of the guide.
"""
