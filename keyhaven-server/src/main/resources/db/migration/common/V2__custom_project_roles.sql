-- Custom project roles: a named set of permission rules (JSON, Infisical's V2 rule shape).
CREATE TABLE project_roles (
    id           VARCHAR(36) PRIMARY KEY,
    project_id   VARCHAR(36) NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    slug         VARCHAR(64) NOT NULL,
    name         VARCHAR(128) NOT NULL,
    description  TEXT,
    permissions  TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    UNIQUE (project_id, slug)
);
CREATE INDEX project_membership_roles_custom ON project_membership_roles (custom_role_id);
