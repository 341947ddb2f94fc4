"""CSV cells that a spreadsheet cannot run: every CSV writer in tidings goes through here.

Event fields come from news text, which anyone can write. A cell that starts with ``=``,
``+``, ``-`` or ``@`` (or a tab or carriage return, which some spreadsheets skip before
reading a formula) is read as a formula by Excel, LibreOffice and Google Sheets when the
file is opened: ``=HYPERLINK(...)`` or ``=cmd|...`` from an article would run on the
analyst's machine. As OWASP recommends, such a cell gets a leading single quote, which
spreadsheets show as text; the ``csv`` module quotes cells that hold separators, quotes
or line breaks. Numbers are left alone (a negative Goldstein score stays a number).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value, with a ``'`` in front if it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_row(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: safe_cell(v) for k, v in row.items()}


class SafeDictWriter(csv.DictWriter):
    """``csv.DictWriter`` whose rows are neutralised (the header is ours and left as is)."""

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow(safe_row(rowdict))

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        for row in rowdicts:
            self.writerow(row)
