"""The guide as static web pages (`ketaguide export --html DIR`): accessible, printable,
searchable offline, with no request to anywhere."""
