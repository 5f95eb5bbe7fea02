"""The platform's scheduled work, run by ``kiosk-cloud jobs run`` (e.g. from a systemd timer),
``POST /api/jobs/run``, and now and then by the service itself. Each job is idempotent: running it
twice does nothing more."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

from cloud import ledger, routing, vouchers


def run_due(conn: Connection, at: float) -> dict[str, Any]:
    return {
        "escalated_orders": routing.escalate_overdue(conn, at),
        "expired_points": ledger.expire_all(conn, at),
        "expired_vouchers": vouchers.expire_unclaimed(conn, at),
    }
