"""docs/openapi.json is the machine-readable contract: it must be what the service generates, and a
structurally valid OpenAPI 3 document covering every endpoint of docs/api.md."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from cloud.authz import MATRIX
from cloud.openapi import render

DOC = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
ENDPOINTS = {
    ("get", "/v1/time"), ("post", "/v1/devices/enrol"), ("get", "/v1/catalogue"), ("get", "/v1/images/{name}"),
    ("post", "/v1/orders"), ("get", "/v1/orders/{code}"), ("post", "/v1/orders/{code}/rating"),
    ("get", "/v1/keys"), ("post", "/v1/members/resolve"), ("post", "/v1/redemptions"),
    ("post", "/v1/heartbeat"), ("get", "/v1/config"),
}
# The platform API: the authorisation matrix's endpoints and the three that come before a session.
PLATFORM_ENDPOINTS = {(a.method.lower(), a.path) for a in MATRIX.values()} | {
    ("post", "/api/activate"), ("post", "/api/sign-in"), ("post", "/api/sign-out")}


def test_committed_document_is_the_generated_one() -> None:
    assert DOC.read_text("utf-8") == render(), "regenerate: python -m cloud.openapi > docs/openapi.json"


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def test_document_is_structurally_valid_openapi_3() -> None:
    doc = json.loads(DOC.read_text("utf-8"))
    assert re.fullmatch(r"3\.\d+\.\d+", doc["openapi"])
    assert doc["info"]["title"] and doc["info"]["version"]
    operation_ids = []
    for path, item in doc["paths"].items():
        assert path.startswith("/")
        for method, op in item.items():
            assert method in HTTP_METHODS
            assert op["responses"], (method, path)
            for status in op["responses"]:
                assert status == "default" or re.fullmatch(r"[1-5]\d\d", status)
            for param in op.get("parameters", []):
                assert param["in"] in ("path", "query", "header", "cookie") and param["name"]
                if param["in"] == "path":
                    assert param["required"] is True and f"{{{param['name']}}}" in path
            operation_ids.append(op["operationId"])
    assert len(operation_ids) == len(set(operation_ids))
    schemas = doc["components"]["schemas"]
    for ref in _refs(doc):
        assert ref.startswith("#/components/schemas/") and ref.split("/")[-1] in schemas, ref


def test_document_covers_the_contract() -> None:
    doc = json.loads(DOC.read_text("utf-8"))
    assert {(m, p) for p, item in doc["paths"].items() for m in item} == ENDPOINTS | PLATFORM_ENDPOINTS
    orders = doc["paths"]["/v1/orders"]["post"]
    headers = {p["name"] for p in orders["parameters"] if p["in"] == "header"}
    assert {"Idempotency-Key", "x-device-id", "x-timestamp", "x-nonce", "x-signature"} <= {
        h if h == "Idempotency-Key" else h.lower() for h in headers}
    for status in ("400", "401", "403", "409", "429"):
        assert orders["responses"][status]["content"]["application/json"]["schema"]["$ref"].endswith("ErrorBody")
