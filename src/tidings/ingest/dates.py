"""Publication dates as YYYY-MM-DD, whatever form a file, feed or page gives them in."""

from __future__ import annotations

import email.utils
from datetime import date, datetime
from typing import Any


def normalise_date(value: Any) -> str | None:
    """Return ``value`` as YYYY-MM-DD, or None when it is not a full calendar date."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str) or not value.strip():
        return None
    s = value.strip()
    try:  # the common case; keeps the date as written rather than shifting time zones
        return datetime.fromisoformat(s).date().isoformat()
    except ValueError:
        pass
    try:  # RSS pubDate style: "Mon, 02 Jun 2025 10:00:00 GMT"
        return email.utils.parsedate_to_datetime(s).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    import dateparser  # slow import; only paid for unusual formats

    # English only: language auto-detection costs seconds, and the NLP pipeline is English
    parsed = dateparser.parse(s, languages=["en"], settings={"STRICT_PARSING": True})
    return parsed.date().isoformat() if parsed else None
