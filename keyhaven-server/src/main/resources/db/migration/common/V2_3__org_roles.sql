-- Custom organization roles: named sets of org-level permission rules (Infisical's V2 shape).
CREATE TABLE org_roles (
    id           VARCHAR(36) PRIMARY KEY,
    org_id       VARCHAR(36) NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    slug         VARCHAR(64) NOT NULL,
    name         VARCHAR(128) NOT NULL,
    description  TEXT,
    permissions  TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    UNIQUE (org_id, slug)
);
