"""A seeded demo database made once and copied, instead of seeding at every demo start.

The template is the SQLite file the ordinary seeding (:meth:`cloud.admin.Admin.seed`) produces, kept
in a cache folder under a name derived from what it was made from: the seed files, the seeding code,
the schema's DDL, and the day (the seed dates its orders and history relative to now). A change to any
of them makes a new name, so the next start builds afresh; older templates are removed then.

Two demos starting at once each build into a private file and move it into place atomically, so
neither ever copies a half-written template.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import sqlite3
import time
import uuid
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

log = logging.getLogger(__name__)

_PREFIX = "cloud-seeded-"


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "station-kiosk" / "demo"


def schema_ddl() -> str:
    """The CREATE statements of the cloud's schema, as SQLite gets them."""
    import sqlalchemy as sa
    from sqlalchemy.dialects import sqlite

    from cloud.db import SCHEMA_VERSION, metadata

    dialect = sqlite.dialect()
    statements = [f"-- schema_version {SCHEMA_VERSION}"]
    for table in metadata.sorted_tables:
        statements.append(str(sa.schema.CreateTable(table).compile(dialect=dialect)))
        statements += [str(sa.schema.CreateIndex(index).compile(dialect=dialect)) for index in table.indexes]
    return "\n".join(statements)


def template_key(package: Traversable | None = None, day: str | None = None) -> str:
    """What the template depends on, hashed: seed files, seeding code, schema, day (local)."""
    root = package or resources.files("cloud")
    digest = hashlib.sha256()
    seed_dir = root.joinpath("seed")
    for entry in sorted(seed_dir.iterdir(), key=lambda e: e.name):
        if entry.is_file():
            digest.update(entry.name.encode() + b"\0" + entry.read_bytes() + b"\0")
    digest.update(root.joinpath("seeding.py").read_bytes())
    digest.update(schema_ddl().encode())
    digest.update((day or time.strftime("%Y-%m-%d")).encode())
    return digest.hexdigest()[:20]


def _build(path: Path) -> None:
    """Seed a new database at ``path`` with the ordinary seeding, left as one self-contained file."""
    from cloud.admin import Admin
    from cloud.db import make_engine
    from cloud.settings import Settings

    engine = make_engine(path)
    try:
        Admin(engine, Settings()).seed()
    finally:
        engine.dispose()
    # Out of WAL mode, so the file alone is the whole database (no -wal beside it to copy).
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")


def template(cache_dir: Path | None = None) -> Path:
    """The current template, built first if there is none for today's key."""
    folder = cache_dir or default_cache_dir()
    final = folder / f"{_PREFIX}{template_key()}.sqlite3"
    if final.exists():
        return final
    folder.mkdir(parents=True, exist_ok=True)
    building = folder / f".building-{uuid.uuid4().hex}.sqlite3"
    try:
        started = time.monotonic()
        _build(building)
        os.replace(building, final)  # atomic: a concurrent start sees no template or a whole one
        log.info("seeded demo template %s built in %.2f s", final.name, time.monotonic() - started)
    finally:
        for leftover in folder.glob(f"{building.name}*"):
            leftover.unlink(missing_ok=True)
    for old in folder.glob(f"{_PREFIX}*.sqlite3"):
        if old != final:
            old.unlink(missing_ok=True)  # a start copying it still reads its open file
    return final


def seeded_copy(target: Path, cache_dir: Path | None = None) -> None:
    """Make ``target`` (which must not exist) a seeded demo database, copied from the template."""
    if target.exists():
        raise FileExistsError(f"{target} exists; a seeded copy goes only where there is no database")
    source = template(cache_dir)
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex}")
    try:
        shutil.copyfile(source, partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
