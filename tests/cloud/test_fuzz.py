"""Property-based fuzzing of every operation in docs/openapi.json (schemathesis): whatever a kiosk sends,
correctly signed, the service answers without a server error, in the contract's error shape, with
X-Server-Time. Marked slow (about a minute: schemathesis also walks each schema's boundary values).
Skipped where schemathesis is not installed (it is not a project dependency)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, settings

from cloud.embedded import EmbeddedCloud
from cloud.seeding import DEMO_STATION
from tests.cloud.signed import SignedClient, enrol
from tests.cloud.test_openapi import DOC

schemathesis = pytest.importorskip("schemathesis")
schema = schemathesis.openapi.from_dict(json.loads(DOC.read_text("utf-8")))
AUTH_HEADERS = {"x-device-id", "x-timestamp", "x-nonce", "x-signature"}


@pytest.fixture(scope="module")
def kiosk(cloud: EmbeddedCloud) -> Iterator[SignedClient]:
    client = enrol(cloud.url, cloud.admin.enrolment_code(DEMO_STATION).code)
    yield client
    client.close()


def _send(kiosk: SignedClient, case: Any) -> httpx.Response:
    headers = {k: v for k, v in (case.headers or {}).items() if k.lower() not in AUTH_HEADERS}
    body = b""
    if isinstance(case.body, bytes):
        body = case.body
    elif case.body is not None and not isinstance(case.body, schemathesis.core.NotSet):
        body = json.dumps(case.body, ensure_ascii=False).encode()
        headers["Content-Type"] = "application/json"
    request = kiosk.http.build_request(case.method, case.formatted_path, params=case.query or None,
                                       content=body or None, headers=headers)
    path_with_query = request.url.raw_path.decode("ascii")
    request.headers.update(kiosk.signed_headers(case.method.upper(), path_with_query, body))
    return kiosk.http.send(request)


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_errors_and_contract_error_shape(case: Any, kiosk: SignedClient) -> None:
    resp = _send(kiosk, case)
    assert resp.status_code < 500, (case.method, case.formatted_path, case.body, resp.text)
    assert "X-Server-Time" in resp.headers
    if resp.status_code >= 400:
        error = resp.json()["error"]
        assert isinstance(error["code"], str) and isinstance(error["message"], str)
