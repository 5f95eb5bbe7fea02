"""Schema migrations, applied in order; ``PRAGMA user_version`` records how many have run.

Never edit a migration that has shipped: append a new one.
"""

MIGRATIONS: list[str] = [
    # 1: the first schema.
    """
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE audit_log (
        id     INTEGER PRIMARY KEY,
        at     REAL NOT NULL,
        actor  TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT ''
    );
    -- Everything that must reach the cloud, written in the same transaction as the thing itself.
    CREATE TABLE outbox (
        id              INTEGER PRIMARY KEY,
        kind            TEXT NOT NULL,
        idempotency_key TEXT NOT NULL UNIQUE,
        payload         TEXT NOT NULL,
        state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'rejected')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at REAL NOT NULL DEFAULT 0,
        last_error      TEXT NOT NULL DEFAULT '',
        result          TEXT,
        created_at      REAL NOT NULL,
        done_at         REAL
    );
    CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
    -- Receipts to print; the state survives a crash so nothing prints twice or silently not at all.
    CREATE TABLE print_jobs (
        id         INTEGER PRIMARY KEY,
        kind       TEXT NOT NULL,
        ref        TEXT NOT NULL DEFAULT '',
        document   TEXT NOT NULL,
        state      TEXT NOT NULL DEFAULT 'queued'
                   CHECK (state IN ('queued', 'printing', 'printed', 'failed')),
        reason     TEXT NOT NULL DEFAULT '',
        reprint_of INTEGER REFERENCES print_jobs(id),
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL
    );
    CREATE INDEX print_jobs_state ON print_jobs(state);
    -- Cached cloud documents (catalogue, public keys) with their ETag, for offline start.
    CREATE TABLE cache (
        name       TEXT PRIMARY KEY,
        etag       TEXT NOT NULL DEFAULT '',
        body       TEXT NOT NULL,
        fetched_at REAL NOT NULL
    );
    """,
]
