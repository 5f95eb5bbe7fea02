"""The stations' hierarchy 中心 → 所 (街道/镇) → 站 (社区/村), from ``stations.parent_id``: a 所's staff
act for its 站 too, and reports roll up along it."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from cloud.db import stations


def chains(conn: Connection) -> dict[str, list[str]]:
    """Each station with itself and its ancestors, nearest first (a loop in the data stops the walk)."""
    parents = dict(conn.execute(sa.select(stations.c.id, stations.c.parent_id)).all())
    out = {}
    for sid in parents:
        chain, cur = [], sid
        while cur is not None and cur not in chain:
            chain.append(cur)
            cur = parents.get(cur)
        out[sid] = chain
    return out


def ancestry(conn: Connection, station_id: str | None) -> frozenset[str]:
    """The station and everything above it (empty for None or an unknown station)."""
    return frozenset(chains(conn).get(station_id, [])) if station_id else frozenset()


def under(conn: Connection, station_id: str) -> list[str]:
    """The station and everything below it."""
    return sorted(sid for sid, chain in chains(conn).items() if station_id in chain)
