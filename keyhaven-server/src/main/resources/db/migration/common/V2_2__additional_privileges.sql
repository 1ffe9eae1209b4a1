-- Additional privileges: extra rules for one identity (or user) in one project, permanent or temporary.
CREATE TABLE additional_privileges (
    id                          VARCHAR(36) PRIMARY KEY,
    project_id                  VARCHAR(36) NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    actor_type                  VARCHAR(16) NOT NULL,
    actor_id                    VARCHAR(36) NOT NULL,
    slug                        VARCHAR(64) NOT NULL,
    permissions                 TEXT NOT NULL,
    is_temporary                BOOLEAN NOT NULL DEFAULT FALSE,
    temporary_mode              VARCHAR(16),
    temporary_range             VARCHAR(32),
    temporary_access_start_time BIGINT,
    temporary_access_end_time   BIGINT,
    created_at                  BIGINT NOT NULL,
    updated_at                  BIGINT NOT NULL,
    UNIQUE (project_id, actor_type, actor_id, slug)
);
CREATE INDEX additional_privileges_actor ON additional_privileges (project_id, actor_type, actor_id);
