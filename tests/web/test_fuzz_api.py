"""Fuzzing the API from its own OpenAPI schema (schemathesis): every operation, with data
the schema allows and with data it forbids. No response may be a server error, break the
schema (status code, content type, body), reject schema-valid input with a 400, or accept
input the schema forbids.

The run is seeded (derandomized) and bounded, so it is repeatable and takes well under
three minutes in CI; TIDINGS_FUZZ_EXAMPLES raises the number of cases per operation and
mode for a deeper run by hand. (Schemathesis' own pytest plugin does not work with the
pytest here, so the operations are driven with plain Hypothesis.)
"""

from __future__ import annotations

import os
import sqlite3
import time

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis.generation.modes import GenerationMode  # noqa: E402

pytestmark = pytest.mark.slow

TOKEN = "fuzz-token"
EXAMPLES = int(os.environ.get("TIDINGS_FUZZ_EXAMPLES", "25"))


@pytest.fixture(scope="module")
def api_schema(corpus, tmp_path_factory):
    from tidings.web import create_app

    # a copy of the session corpus: documents POSTed while fuzzing must not change what
    # the other web tests count
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    source = sqlite3.connect(corpus.url.removeprefix("sqlite:///"))
    target = sqlite3.connect(path)
    with target:
        source.backup(target)  # a consistent copy, whatever is still in the WAL
    source.close()
    target.close()
    app = create_app(f"sqlite:///{path}", ingest_token=TOKEN)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def _fuzz(operation, mode: GenerationMode, failures: list[str]) -> int:
    calls = [0]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case) -> None:
        calls[0] += 1
        if mode is GenerationMode.POSITIVE and (case.query or {}).get("cursor"):
            # a cursor is opaque: only one the API issued is valid, whatever the pattern
            # allows, so a positive case pages on from a real one
            cursor = _real_cursor(case)
            if cursor:
                case.query["cursor"] = cursor
            else:
                del case.query["cursor"]
        if operation.method.upper() == "POST" and calls[0] % 2:
            # every other body with the right token, so coding and storing are fuzzed too
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {TOKEN}"}
        case.call_and_validate()

    try:
        run()
    except Unsatisfiable:  # nothing the schema forbids (e.g. a path id may be any text)
        assert mode is GenerationMode.NEGATIVE, operation.label
    except (Exception, BaseExceptionGroup) as exc:  # the shrunk failing case(s)
        failures.append(f"{operation.label} [{mode.value}]: {exc}"[:3000])
    return calls[0]


def _real_cursor(case) -> str | None:
    """The next_cursor of the first one-row page, in the case's sort order."""
    query = {"limit": 1}
    if case.query.get("sort"):
        query["sort"] = case.query["sort"]
    return case.operation.Case(query=query).call().json().get("next_cursor")


def test_every_operation_conforms_to_its_schema(api_schema):
    started = time.monotonic()
    failures: list[str] = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 12  # every API route is in the schema
    cases = 0
    for operation in operations:
        modes = [GenerationMode.POSITIVE]
        if len(operation.query) or operation.body:
            # a path id alone may be any text: there is nothing to break, only a 404
            modes.append(GenerationMode.NEGATIVE)
        for mode in modes:
            began = time.monotonic()
            cases += _fuzz(operation, mode, failures)
            print(f"{operation.label} [{mode.value}] {time.monotonic() - began:.1f}s")
    assert not failures, "\n\n".join(failures)
    assert cases >= len(operations) * 10
    assert time.monotonic() - started < 180  # the CI budget for this run
