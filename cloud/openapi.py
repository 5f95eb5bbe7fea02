"""Prints the OpenAPI document of the service (committed as docs/openapi.json):
``python -m cloud.openapi > docs/openapi.json``."""

from __future__ import annotations

import json
import sys
from typing import Any

import sqlalchemy as sa

from cloud.app import create_app


def document() -> dict[str, Any]:
    # The schema does not depend on the data; an engine that is never connected is enough.
    spec: dict[str, Any] = create_app(sa.create_engine("sqlite://")).openapi()
    return spec


def render() -> str:
    return json.dumps(document(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main() -> None:
    sys.stdout.write(render())


if __name__ == "__main__":
    main()
