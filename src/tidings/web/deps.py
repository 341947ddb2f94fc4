"""Request dependencies the routers share.

They live apart from ``tidings.web.app`` so that the routers (``api``, ``pages``) need not
import the module that includes them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Connection


def connection(request: Request) -> Iterator[Connection]:
    """One read connection per request."""
    with request.app.state.engine.connect() as conn:
        yield conn


Conn = Annotated[Connection, Depends(connection)]
