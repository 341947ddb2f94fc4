"""CSV cells that a spreadsheet cannot run: every CSV writer in tidings
(``tidings.formats.tabular.delimited``) goes through here.

Event fields come from news text, which anyone can write. A cell that starts with ``=``,
``+``, ``-`` or ``@`` (or a tab or carriage return, which some spreadsheets skip before
reading a formula) is read as a formula by Excel, LibreOffice and Google Sheets when the
file is opened: ``=HYPERLINK(...)`` or ``=cmd|...`` from an article would run on the
analyst's machine. As OWASP recommends, such a cell gets a leading single quote, which
spreadsheets show as text; the ``csv`` module quotes cells that hold separators, quotes
or line breaks. Numbers are left alone (a negative Goldstein score stays a number).
"""

from __future__ import annotations

from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value, with a ``'`` in front if it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
