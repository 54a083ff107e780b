"""schemathesis against the OpenAPI document, over real HTTP, anonymous and with a negotiator token: no 500,
every answer's status, content type and body match what the document declares. Bounded: a fixed number of
examples per operation. On its own copy of the store: a negotiator's generated writes must not reach the
store other tests read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from api.app import create_app
from kg.auth.access import Role
from kg.auth.tokens import TokenFile
from kg.settings import Settings
from kg.store import EmbeddedStore
from tests.conftest import serve

EXAMPLES = 50  # per operation, each sent anonymously and with a negotiator token
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@dataclass
class Target:
    url: str
    token: str


@pytest.fixture(scope="module")
def target(tmp_path_factory, reference_store) -> Iterator[Target]:
    tmp = tmp_path_factory.mktemp("fuzz")
    token = TokenFile(tmp / "tokens.json").create(Role.negotiator, "fuzz")[0]
    store = EmbeddedStore(tmp / "store")
    store.bulk_add(reference_store.quads())
    store.flush()
    cfg = Settings(store=tmp / "store", tokens_file=tmp / "tokens.json", query_timeout=2.0, max_rows=200,
                   sparql_per_client=4)  # fmt: skip
    with serve(create_app(cfg, store)) as url:
        yield Target(url, token)
    store.close()


def test_the_api_keeps_its_openapi_promises(target: Target):
    schema = schemathesis.openapi.from_url(f"{target.url}/openapi.json")
    operations = [op.ok() for op in schema.get_all_operations()]
    assert len(operations) > 10
    for operation in operations:

        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=operation.as_strategy())
        def call(case) -> None:
            for headers in ({}, {"Authorization": f"Bearer {target.token}"}):  # anonymous, then a negotiator
                case.call_and_validate(base_url=target.url, headers=headers, checks=CHECKS)

        call()
