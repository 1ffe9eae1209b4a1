-- Project templates (issue 3): org-level sets of environments and custom project roles that a
-- new project is created from. Every change to a template raises its version.
CREATE TABLE project_templates (
    id            VARCHAR(36) PRIMARY KEY,
    org_id        VARCHAR(36) NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name          VARCHAR(64) NOT NULL,
    description   VARCHAR(256),
    type          VARCHAR(32) NOT NULL,
    -- JSON [{name, slug, position}], or NULL for project types without environments
    environments  TEXT,
    -- JSON [{name, slug, permissions}] with rules in their normal form
    roles         TEXT NOT NULL,
    version       INTEGER NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    UNIQUE (org_id, name)
);

-- Which template a project was made from, and the template version it was made from or last
-- brought up to. Deleting the template or the project removes the link.
CREATE TABLE project_template_links (
    project_id        VARCHAR(36) PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    template_id       VARCHAR(36) NOT NULL REFERENCES project_templates (id) ON DELETE CASCADE,
    template_version  INTEGER NOT NULL,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL
);
CREATE INDEX project_template_links_template ON project_template_links (template_id);
