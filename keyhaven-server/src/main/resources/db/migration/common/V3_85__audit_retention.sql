-- How long audit rows are kept: one row per organization (project_id NULL) or project whose
-- policy differs from the instance default. retention_days NULL = the default (the org's, for a
-- project); legal_hold (orgs only) suspends every deletion in the organization.
CREATE TABLE audit_retention (
    scope_id        VARCHAR(36) PRIMARY KEY,
    org_id          VARCHAR(36) NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    project_id      VARCHAR(36) REFERENCES projects (id) ON DELETE CASCADE,
    retention_days  INTEGER,
    legal_hold      BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX audit_retention_org ON audit_retention (org_id);
CREATE INDEX audit_logs_project_created ON audit_logs (project_id, created_at);

-- A lease per background job that must run on one node at a time.
CREATE TABLE job_leases (
    name        VARCHAR(64) PRIMARY KEY,
    holder      VARCHAR(64) NOT NULL,
    lease_until BIGINT NOT NULL
);
INSERT INTO job_leases (name, holder, lease_until) VALUES ('audit-retention', '', 0);
