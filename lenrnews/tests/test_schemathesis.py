"""The API fuzzed against its own OpenAPI schema (schemathesis), anonymously, with an editor's token, and statefully.

Every operation gets a bounded number of generated requests, valid and invalid; none
may answer 5xx, and every answer must be documented in the schema (status code,
content type, headers and body). A read that succeeds without credentials must say so
(``ignored_auth``: the schema declares reads open to anyone). The stateful run chains
operations through the links schemathesis infers from the schema (create, then read,
change and delete what was created) as an editor, and covers every operation.

The rows every test reads are made once for the module, in a transaction rolled back at
its end; each test rolls back its own writes. The whole module runs in under a minute.
"""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    use_after_free,
)

from lenrnews.tests.api_support import API, RICH_ROWS, client_for, draft, editor
from lenrnews.wsgi import application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    ignored_auth,
]
# Every operation runs with these: the module's tests take 54 s on one quiet core (plus the 15 s of making the
# test database, which the whole suite shares); 30 reader and 6 editor examples took 67 s.
READER_EXAMPLES = 20
EDITOR_EXAMPLES = 5
ANONYMOUS_WRITE_EXAMPLES = 3
WORKFLOWS = 10
WORKFLOW_STEPS = 6


@pytest.fixture(scope="module")
def fuzz_data(django_db_setup, django_db_blocker):
    """Rows of every resource (and a draft), made once, and requests made in-process inside the transaction."""
    # The WSGI handler would close the test's connection after each request (Django's test client avoids it too).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock(), transaction.atomic():
        for make_row in RICH_ROWS.values():
            make_row()
        draft(slug="a-draft")
        token = Token.objects.create(user=editor()).key
        yield {"Authorization": f"Token {token}"}
        transaction.set_rollback(True)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def editor_headers(fuzz_data, db):
    return fuzz_data


@pytest.fixture
def reader(fuzz_data, db):
    pass


schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
# The workflows send valid requests (the stateless tests send invalid ones too): more of them succeed,
# so more links lead on to the next operation.
schema.config.phases.stateful.generation.update(modes=[GenerationMode.POSITIVE])


def fuzz_settings(examples, **extra):
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
        **extra,
    )


@schema.include(method="GET").parametrize()
@fuzz_settings(READER_EXAMPLES)
def test_api_conforms_to_its_schema_for_readers(case, reader):
    case.call_and_validate(checks=CHECKS)


@schema.exclude(method="GET").parametrize()
@fuzz_settings(ANONYMOUS_WRITE_EXAMPLES)
def test_anonymous_writes_conform_to_the_schema(case, reader):
    """Every anonymous write is refused (401, documented), whatever the payload."""
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@fuzz_settings(EDITOR_EXAMPLES)
def test_api_conforms_to_its_schema_for_an_editor(case, editor_headers):
    case.call_and_validate(headers=editor_headers, checks=CHECKS)


def _operations(some_schema):
    return {(result.ok().method.upper(), result.ok().path) for result in some_schema.get_all_operations()}


# One state machine per resource: its list, create, read, change and delete, linked by the links schemathesis
# infers (a created or listed row's slug or id goes on to the next call), so every operation is reached.
RESOURCES = sorted({path.split("/")[3] for path in schema.raw_schema["paths"]})
# A resource with records to read, change and delete; a list alone (deletions) has nothing to chain and is
# covered by the stateless tests.
WORKFLOW_RESOURCES = sorted({path.split("/")[3] for path in schema.raw_schema["paths"] if "{" in path})


# Aggregates: no link leads to or from them, so a state machine has no step for them (schemathesis makes
# rules from links only); the stateless tests above call them, as a reader and as an editor.
STANDALONE = {("GET", f"{API}investments/summary/")}


@pytest.mark.parametrize("resource", WORKFLOW_RESOURCES)
def test_editor_workflows_conform_to_the_schema(editor_headers, resource):
    """Create, read, change and delete through the schema's links, as an editor: every operation is reached."""
    resource_schema = schema.include(path_regex=f"^{API}{resource}/")
    reached = set()

    class EditorWorkflow(resource_schema.as_state_machine()):
        # Each scenario starts from the same rows: hypothesis replays scenarios and expects the same answers.
        def setup(self):
            self.savepoint = transaction.savepoint_create()

        def teardown(self):
            transaction.savepoint_rollback(self.savepoint)
            cache.clear()

        def get_call_kwargs(self, case):
            return {"headers": editor_headers}

        def after_call(self, response, case):
            reached.add((case.method.upper(), case.path))

        def validate_response(self, response, case, additional_checks=None, headers=None, **kwargs):
            case.validate_response(response, checks=[*CHECKS, use_after_free], headers=headers, transport_kwargs=kwargs)

    # Two scenarios per operation: the more a resource has, the more scenarios it takes to reach each.
    operations = _operations(resource_schema) - STANDALONE
    scenarios = max(WORKFLOWS, 2 * len(operations))
    EditorWorkflow.run(settings=fuzz_settings(scenarios, stateful_step_count=WORKFLOW_STEPS))

    assert sorted(operations - reached) == []


def test_the_workflows_cover_every_operation_of_a_resource_with_records():
    covered = set().union(*(_operations(schema.include(path_regex=f"^{API}{r}/")) for r in WORKFLOW_RESOURCES))
    lists_alone = {("GET", f"{API}{r}/") for r in set(RESOURCES) - set(WORKFLOW_RESOURCES)}
    assert covered | lists_alone == _operations(schema)


# --- What the schema says, said plainly ---


def _schema():
    return client_for().get("/api/schema/?format=json").json()


@pytest.mark.django_db
def test_reads_are_declared_open_to_anyone_and_writes_not():
    for path, operations in _schema()["paths"].items():
        for method, operation in operations.items():
            anyone = {} in operation["security"]
            # An article's mention state is the newsroom's working data: writers and editors only.
            reads_public_data = method == "get" and not path.endswith("/mentions/")
            assert anyone == reads_public_data, f"{method.upper()} {path}"
            assert {"tokenAuth": []} in operation["security"]


@pytest.mark.django_db
def test_slug_filters_declare_the_slug_pattern():
    schema = _schema()

    def parameters(resource):
        return {p["name"]: p["schema"] for p in schema["paths"][f"{API}{resource}/"]["get"]["parameters"]}

    # A party or a technology is named by its name, an alias or its slug: a text of bounded length.
    for name in ("investor", "recipient", "technology"):
        assert parameters("investments")[name]["maxLength"] == 200, name
    assert parameters("events")["deal"]["pattern"] == "^[-a-zA-Z0-9_]+$"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "organizations/?approach=",
        "organizations/?ordering=",
        "organizations/?min_confidence=",
        "organizations/?technology=",
        "organizations/?has_deals=",
        "organizations/?founded_min=",
        "articles/?month=",
    ],
)
def test_an_empty_filter_value_is_no_filter(query):
    """An enum, slug, number or yes/no parameter sent empty filters nothing, as on the pages (every filter of
    every list: test_api_strict.py)."""
    path, _ = query.split("?")

    response = client_for().get(f"{API}{query}")

    assert response.status_code == 200
    assert response.json()["count"] == client_for().get(f"{API}{path}").json()["count"]
