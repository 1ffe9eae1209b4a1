-- Project trusted IPs (the project IP allowlist). While a project has at least one active entry,
-- only requests from an address inside an active entry may touch the project.
CREATE TABLE project_trusted_ips (
    id          VARCHAR(36) PRIMARY KEY,
    project_id  VARCHAR(36) NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    ip_address  VARCHAR(64) NOT NULL,
    type        VARCHAR(8) NOT NULL,
    prefix      INTEGER,
    is_active   BOOLEAN NOT NULL DEFAULT TRUE,
    comment     TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX project_trusted_ips_project ON project_trusted_ips (project_id);
