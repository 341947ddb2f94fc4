"""Request dependencies and helpers the routers share.

They live apart from ``tidings.web.app`` so that the routers (``api``, ``pages``) need not
import the module that includes them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, TypeVar

from fastapi import Depends, HTTPException, Request
from sqlalchemy import Connection


def connection(request: Request) -> Iterator[Connection]:
    """One read connection per request."""
    with request.app.state.engine.connect() as conn:
        yield conn


Conn = Annotated[Connection, Depends(connection)]


Found = TypeVar("Found")


def found_or_404(found: Found | None, what: str) -> Found:
    """``found``, or a 404 saying there is no ``what`` (e.g. "event 'x'")."""
    if found is None:
        raise HTTPException(404, f"no {what}")
    return found
