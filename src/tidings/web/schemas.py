"""The API's request and error bodies, so the OpenAPI schema states what is sent back.

Errors have two shapes: a parameter that is malformed in a way the server checks itself
is a 400 with ``{"detail": "<parameter>: <what is wrong>"}``; a value that FastAPI
rejects against its declared type (and a POST body that is malformed or cannot be coded)
is a 422 with one entry per problem: ``{"detail": [{"loc", "msg", "type"}]}``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from tidings.confidence import DEFAULT_MIN_CONFIDENCE
from tidings.web.params import schema_pattern

NO_NUL = r"^[^\x00]*$"
# something besides whitespace, and no NUL (PostgreSQL cannot store it)
SOME_TEXT = r"^[^\x00]*[^\x00 \t\n\r\f\v][^\x00]*$"
# an id is part of the document's address: no path or URL syntax, no spaces or controls
DOCUMENT_ID = r"^[^/\\?#%\x00-\x20\x7f]{1,200}$"
TEXT_MAX_CHARS = 2_000_000


class Problem(BaseModel):
    detail: str = Field(description="What is wrong, naming the parameter.")


class FieldProblem(BaseModel):
    loc: list[str | int] = Field(description="Where: body, query or path, then the field.")
    msg: str
    type: str = Field(description="A short code, e.g. string_too_long or coding_failed.")


class ValidationProblem(BaseModel):
    detail: list[FieldProblem]


class DocumentIn(BaseModel):
    text: str = Field(min_length=1, max_length=TEXT_MAX_CHARS, pattern=SOME_TEXT,
                      description="The article text (not only whitespace, no NUL).")
    title: str | None = Field(None, max_length=1000, pattern=NO_NUL)
    published: str | None = Field(None, pattern=schema_pattern("date"),
                                  description="YYYY-MM-DD; anchors relative dates.")
    source: str | None = Field(None, max_length=200, pattern=NO_NUL)
    url: str | None = Field(None, max_length=2000, pattern=NO_NUL)
    id: str | None = Field(None, pattern=DOCUMENT_ID,
                           description="Your id for the document (default: from its text).")
    min_confidence: float = Field(
        DEFAULT_MIN_CONFIDENCE, ge=0.0, le=1.0,
        description="Store only events whose calibrated confidence is at least this.")


class IngestResult(BaseModel):
    id: str
    saved: bool = Field(description="False when the same text was already stored.")
    events: int = Field(description="Events stored (0 when the text was already stored: "
                                    "it is not coded again).")


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "A parameter is malformed (the message names it)"},
    422: {"model": ValidationProblem,
          "description": "A value does not have the declared type or range"},
}

_FILE = {"schema": {"type": "string", "format": "binary"}}
EXPORT_CONTENT: dict[str, Any] = {
    "text/csv": {"schema": {"type": "string"}},
    "text/tab-separated-values": {"schema": {"type": "string"}},  # gdelt, phoenix
    "application/x-ndjson": {"schema": {"type": "string"}},
    "application/vnd.apache.parquet": _FILE,
}
# /api/events: a JSON page, or with format=... one of the files
EVENTS_CONTENT: dict[str, Any] = {"application/json": {"schema": {"type": "object"}},
                                  **EXPORT_CONTENT}
