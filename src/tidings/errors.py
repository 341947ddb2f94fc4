"""Errors that mean "what you gave cannot work", as opposed to a bug.

The command line prints a ``TidingsError`` as one line and exits with status 2 (usage
error); anything else that escapes a command is printed as one line too and exits with 1,
with the traceback only under ``tidings --debug``.
"""

from __future__ import annotations


class TidingsError(Exception):
    """A mistake in the user's input or setup, explained by its message."""


class StoreError(TidingsError):
    """The database cannot be opened: not a URL, does not exist, or does not answer."""
