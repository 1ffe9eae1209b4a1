-- One counter that moves on every change to who holds which project permissions (memberships,
-- their roles, custom project roles, additional privileges, groups and their members). Nodes
-- cache effective permissions tagged with the counter they were built under and read it on
-- every request, so a revoked permission fails on the next request on every node. The
-- counter is moved by triggers (db/migration/<database>/V3_8), so no write path can forget it.
CREATE TABLE access_epoch (
    id     INTEGER PRIMARY KEY,
    value  BIGINT NOT NULL
);
INSERT INTO access_epoch (id, value) VALUES (1, 0);
