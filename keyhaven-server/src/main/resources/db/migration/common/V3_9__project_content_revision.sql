-- A counter per project that moves on every change to what a secret listing shows: its
-- environments, folders, secrets, tags, secret tags and imports. A node may keep a rendered
-- listing while the counter (read with the project on every request) and the reader's
-- permissions stay the same. Moved by triggers (db/migration/<database>/V3_10), so no write path
-- can forget it.
ALTER TABLE projects ADD COLUMN content_revision BIGINT NOT NULL DEFAULT 0;
