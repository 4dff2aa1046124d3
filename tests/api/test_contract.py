"""The API keeps its published contract: schemathesis sends every operation of the OpenAPI
document generated requests — valid ones and deliberately invalid ones, including the
document's own examples and the boundaries of each field — in-process, on each backend, with
an admin API key. No answer may be a server error, and every answer must have a declared
status code, content type, headers and body shape. Invalid input must be refused with a 4xx.

Deterministic (a fixed derandomised search, no example database), so CI sees the same
requests every run; the examples per operation are few enough to keep each backend within
about a minute."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.meta import ParameterLocation
from schemathesis.python.asgi import shutdown_lifespans
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ordnung.api import create_app
from ordnung.core.db import Database
from ordnung.core.settings import Settings
from tests.api.seed import seed_contract_shop

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
EXAMPLES_PER_OPERATION = 25


# The document needs no database: an app that never starts serves it. Each test then sends
# its requests to the app of its backend.
_document_app = create_app(Settings(database_url="sqlite://"))
schema = schemathesis.openapi.from_asgi("/openapi.json", _document_app)
schema.config.generation.update(
    modes=["positive", "negative"],
    max_examples=EXAMPLES_PER_OPERATION,
    deterministic=True,
    database="none",
)


@pytest.fixture(scope="session")
def contract_app(session_db: Database, database_url: str) -> Iterator[FastAPI]:
    # One app per backend; schemathesis starts its lifespan on the first request.
    yield create_app(Settings(database_url=database_url, webhook_allow_private=True), session_db)
    # Ended here, before the backend's database is dropped, rather than when the process ends.
    shutdown_lifespans()


@pytest.fixture
def admin_token(db: Database) -> str:
    return seed_contract_shop(db)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_its_contract_says(
    case: schemathesis.Case, contract_app: FastAPI, admin_token: str
) -> None:
    # In-process, through schemathesis's ASGI transport, to this backend's app. A case whose
    # headers were made invalid on purpose (a missing Authorization among them) is sent as
    # generated: adding the token to it would make its "invalid" request a valid one.
    headers = {"Authorization": f"Bearer {admin_token}"}
    if case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER):
        headers = {}
    response = case.call(headers=headers, app=contract_app)
    case.validate_response(response, checks=CHECKS)
