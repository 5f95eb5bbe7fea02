"""Property-based fuzzing of every operation in docs/openapi.json (schemathesis), correctly signed,
with data that fits the schema and data that does not (negative mode):

- never a server error, always the contract's error shape and X-Server-Time;
- every answer conforms to the document (status codes and response schemas);
- data the document calls invalid is refused (4xx);
- data the document calls valid is never refused as malformed (``bad_request``) or too large: the
  document is as strict as the service, so such a refusal is a real mismatch. Refusals on the merits
  (unknown service, expired session …) are counted, not failures.

Marked slow (1½–2 minutes on two cores). The figures are printed at the end of the module (``-s``).
Skipped where schemathesis is not installed (it is a dev dependency)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, settings

from cloud.embedded import EmbeddedCloud
from tests.cloud.signed import SignedClient, enrol
from tests.cloud.test_openapi import DOC

schemathesis = pytest.importorskip("schemathesis")
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

# The kiosk contract (/v1); the platform's own API has its own tests.
schema = schemathesis.openapi.from_dict(json.loads(DOC.read_text("utf-8"))).include(path_regex="^/v1/")
schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
AUTH_HEADERS = {"x-device-id", "x-timestamp", "x-nonce", "x-signature"}
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, negative_data_rejection]
# Refusals of schema-valid data that no JSON Schema can express, each with the reason it cannot.
CONTRACT_RULES = {
    # "exactly one of session and offline": both properties are optional in the schema.
    ("POST /v1/redemptions", "session: give exactly one of session and offline"),
}
FIGURES: Counter[str] = Counter()
REFUSED_ON_MERITS: Counter[str] = Counter()


@pytest.fixture(scope="module")
def kiosk(cloud: EmbeddedCloud) -> Iterator[SignedClient]:
    client = enrol(cloud.url, cloud.admin.enrolment_code("st-nanguan").code)
    yield client
    client.close()
    print(f"\nschemathesis: {FIGURES['calls']} calls ({FIGURES['positive']} schema-valid, {FIGURES['negative']} not), "
          f"{FIGURES['5xx']} server errors, {FIGURES['violations']} schema violations, "
          f"{FIGURES['mismatches']} schema-valid rejections as malformed, {FIGURES['contract_rules']} refused by "
          f"rules no schema states, {sum(REFUSED_ON_MERITS.values())} schema-valid refusals on the merits: "
          f"{dict(REFUSED_ON_MERITS)}")


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
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_service_is_as_strict_as_its_document(case: Any, kiosk: SignedClient) -> None:
    resp = _send(kiosk, case)
    positive = case.meta is None or not case.meta.generation.mode.is_negative
    FIGURES["calls"] += 1
    FIGURES["positive" if positive else "negative"] += 1
    FIGURES["5xx"] += resp.status_code >= 500
    assert resp.status_code < 500, (case.method, case.formatted_path, case.body, resp.text)
    assert "X-Server-Time" in resp.headers
    if resp.status_code >= 400:
        error = resp.json()["error"]
        assert isinstance(error["code"], str) and isinstance(error["message"], str)
        if positive:
            operation = f"{case.method.upper()} {case.operation.path}"
            malformed = error["code"] in ("bad_request", "body_too_large", "headers_too_large")
            if malformed and (operation, error["message"]) in CONTRACT_RULES:
                FIGURES["contract_rules"] += 1
            elif malformed:
                FIGURES["mismatches"] += 1
                raise AssertionError(f"schema-valid data refused as malformed: {operation} {case.body!r} "
                                     f"{case.query!r} → {resp.text}")
            else:
                REFUSED_ON_MERITS[error["code"]] += 1
    try:
        case.validate_response(resp, checks=CHECKS)
    except Exception:
        FIGURES["violations"] += 1
        raise
