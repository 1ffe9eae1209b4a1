-- The outbox: everything that leaves the process (e-mail now; audit streams, syncs, webhooks
-- later) is written here in the transaction of the event that causes it, and background
-- dispatchers deliver it at least once (see docs/outbox.md). The layout is the same on both
-- databases; only the sequence column differs (SQLite numbers rows with
-- AUTOINCREMENT, which never reuses a number).
CREATE TABLE outbox_items (
    -- enqueue order: items of one ordering key are delivered in this order
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              VARCHAR(36) NOT NULL UNIQUE,
    -- the destination's registered name (e-mail: 'email') and its target there (the recipient)
    destination     VARCHAR(64) NOT NULL,
    target          TEXT NOT NULL,
    -- set when the destination asks for order: destination and target; NULL for unordered items
    ordering_key    TEXT,
    -- what the destination gets, sealed with the instance key (it may hold links with tokens);
    -- cleared once delivered
    payload         TEXT,
    -- 'pending', 'delivered' or 'dead'
    state           VARCHAR(16) NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    -- the lease: the dispatcher working on the item, and until when; an expired lease is free
    claimed_by      VARCHAR(128),
    claimed_until   BIGINT,
    -- why the last attempt failed, in words that carry no secret
    last_error      VARCHAR(500),
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    delivered_at    BIGINT
);
CREATE INDEX outbox_items_due ON outbox_items (state, next_attempt_at);
CREATE INDEX outbox_items_order ON outbox_items (ordering_key, seq) WHERE ordering_key IS NOT NULL;
CREATE INDEX outbox_items_claim ON outbox_items (claimed_by) WHERE claimed_by IS NOT NULL;
