-- Audit log streams: where an organization's audit events are sent besides the database trail.
-- config holds what may be shown (the URL, header names, syslog host and port); credentials holds
-- what may not (header values), sealed under the org key and never answered.
CREATE TABLE audit_log_streams (
    id          VARCHAR(36) PRIMARY KEY,
    org_id      VARCHAR(36) NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    provider    VARCHAR(32) NOT NULL,
    config      TEXT NOT NULL,
    credentials TEXT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX audit_log_streams_org ON audit_log_streams (org_id);
