"""Test sessions on every supported Python: `nox` runs each, `nox -s tests-3.12` one.

A session installs the project with its test extra into a fresh virtual
environment of that interpreter and runs pytest there (arguments after `--` go
to pytest). Interpreters that are not found are skipped; `.ci/test` runs the
session of each one the machine has and says which it skipped. Lint and type
checks run once, on the main interpreter, in `.ci/test`.
"""

from __future__ import annotations

import nox

PYTHONS = ["3.11", "3.12", "3.13", "3.14"]
"""Supported interpreters (pyproject's classifiers name those tested so far)."""

nox.options.sessions = ["tests"]
nox.options.default_venv_backend = "venv"
nox.options.error_on_missing_interpreters = False


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The full test suite on one interpreter."""
    session.install("--upgrade", "pip")
    session.install(".[test]")
    session.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", *session.posargs)
