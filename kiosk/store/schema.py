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
    -- Technician PIN (Argon2id hash only) and the wrong-PIN counter, one row, kept across restarts.
    CREATE TABLE technician_auth (
        id           INTEGER PRIMARY KEY CHECK (id = 1),
        pin_hash     TEXT,
        pin_set_at   REAL,
        failures     INTEGER NOT NULL DEFAULT 0,
        locked_until REAL NOT NULL DEFAULT 0
    );
    INSERT INTO technician_auth(id) VALUES (1);
    -- Technician QR cards: only a hash of the random card id is kept.
    CREATE TABLE technician_cards (
        id           INTEGER PRIMARY KEY,
        card_hash    TEXT NOT NULL UNIQUE,
        label        TEXT NOT NULL,
        created_at   REAL NOT NULL,
        last_used_at REAL,
        revoked_at   REAL
    );
    -- Everything that must reach the cloud, written in the same transaction as the thing itself.
    CREATE TABLE outbox (
        id              INTEGER PRIMARY KEY,
        kind            TEXT NOT NULL,
        idempotency_key TEXT NOT NULL UNIQUE,
        payload         TEXT NOT NULL,
        -- cancelled: withdrawn by the kiosk when it knows the request never left the machine.
        state           TEXT NOT NULL DEFAULT 'pending'
                        CHECK (state IN ('pending', 'done', 'rejected', 'cancelled')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at REAL NOT NULL DEFAULT 0,
        last_error      TEXT NOT NULL DEFAULT '',
        error_code      TEXT NOT NULL DEFAULT '',
        result          TEXT,
        created_at      REAL NOT NULL,
        done_at         REAL
    );
    CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
    -- Orders taken here; the client code is made locally so an offline order has a code at once.
    CREATE TABLE local_orders (
        client_code     TEXT PRIMARY KEY,
        idempotency_key TEXT NOT NULL UNIQUE,
        phone_last4     TEXT NOT NULL,
        body            TEXT NOT NULL,
        state           TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'synced', 'rejected')),
        order_code      TEXT UNIQUE,
        reject_code     TEXT NOT NULL DEFAULT '',
        created_at      REAL NOT NULL,
        synced_at       REAL
    );
    CREATE TABLE local_ratings (
        idempotency_key TEXT PRIMARY KEY,
        order_ref       TEXT NOT NULL,
        body            TEXT NOT NULL,
        state           TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'synced', 'rejected')),
        reject_code     TEXT NOT NULL DEFAULT '',
        created_at      REAL NOT NULL,
        synced_at       REAL
    );
    -- Gift redemptions, written before the request leaves; the voucher survives a crash until printed.
    CREATE TABLE redemptions (
        idempotency_key TEXT PRIMARY KEY,
        request         TEXT NOT NULL,
        state           TEXT NOT NULL DEFAULT 'sending'
                        CHECK (state IN ('sending', 'confirmed', 'conflict', 'rejected', 'not_sent')),
        reject_code     TEXT NOT NULL DEFAULT '',
        redemption_no   TEXT,
        voucher         TEXT,
        printed_at      REAL,
        created_at      REAL NOT NULL,
        updated_at      REAL NOT NULL
    );
    -- Member-token nonces seen by this kiosk, so a token cannot be replayed here while offline.
    CREATE TABLE spent_nonces (
        nonce      TEXT PRIMARY KEY,
        member_id  TEXT NOT NULL,
        expires_at REAL NOT NULL,
        spent_at   REAL NOT NULL
    );
    -- Receipts to print; the state survives a crash so nothing prints twice or silently not at all.
    CREATE TABLE print_jobs (
        id         INTEGER PRIMARY KEY,
        kind       TEXT NOT NULL,
        ref        TEXT NOT NULL DEFAULT '',
        document   TEXT NOT NULL,
        state      TEXT NOT NULL DEFAULT 'queued'
                   CHECK (state IN ('queued', 'printing', 'printed', 'failed')),
        reason     TEXT NOT NULL DEFAULT '',  -- a stable code (kiosk.printing.FailReason)
        detail     TEXT NOT NULL DEFAULT '',  -- the driver's words, for the technician
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
    # 2: an attempt whose outcome the kiosk never learnt (timeout, lost answer, 5xx, cut off by a
    # crash): a later refusal of the row is final only once the service says it kept nothing.
    """
    ALTER TABLE outbox ADD COLUMN outcome_unknown INTEGER NOT NULL DEFAULT 0;
    -- When the resident was told the order's code (receipt printed or done screen shown). NULL after a
    -- restart means the kiosk stopped between storing the order and telling them: it is offered again.
    ALTER TABLE local_orders ADD COLUMN told_at REAL;
    UPDATE local_orders SET told_at = created_at;
    """,
]
