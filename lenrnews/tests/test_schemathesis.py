"""The API fuzzed against its own OpenAPI schema (schemathesis), anonymously and with an editor's token.

Every operation gets a bounded number of generated requests, valid and invalid; none
may answer 5xx, and every answer must be documented in the schema (status code,
content type, headers and body). The whole run stays around a minute.
"""

import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from lenrnews.tests.api_support import RICH_ROWS, draft, editor
from lenrnews.wsgi import application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Bounded so the whole run takes a couple of minutes on two cores.
READER_EXAMPLES = 25
EDITOR_EXAMPLES = 15
ANONYMOUS_WRITE_EXAMPLES = 3


@pytest.fixture
def fuzz_data(db):
    """Rows of every resource (and a draft), and requests made in-process inside the test's transaction."""
    # The WSGI handler would close the test's connection after each request (Django's test client avoids it too).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    for make_row in RICH_ROWS.values():
        make_row()
    draft(slug="a-draft")
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


def fuzz_settings(examples):
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=os.environ.get("FUZZ_RANDOM") != "1",
        database=None,
        # Random generation only: schemathesis's coverage phase (which rides on hypothesis's explicit
        # phase) sends hundreds of boundary cases per operation, too slow for every run; no shrinking,
        # so a failing run is as short as a passing one.
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


@pytest.fixture
def editor_headers(fuzz_data):
    token, _ = Token.objects.get_or_create(user=editor())
    return {"Authorization": f"Token {token.key}"}


@schema.include(method="GET").parametrize()
@fuzz_settings(READER_EXAMPLES)
def test_api_conforms_to_its_schema_for_readers(case, fuzz_data):
    case.call_and_validate(checks=CHECKS)


@schema.exclude(method="GET").parametrize()
@fuzz_settings(ANONYMOUS_WRITE_EXAMPLES)
def test_anonymous_writes_conform_to_the_schema(case, fuzz_data):
    """Every anonymous write is refused (401, documented), whatever the payload."""
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@fuzz_settings(EDITOR_EXAMPLES)
def test_api_conforms_to_its_schema_for_an_editor(case, editor_headers):
    case.call_and_validate(headers=editor_headers, checks=CHECKS)
