-- App connections: the credentials of a database or service (PostgreSQL, MySQL/MariaDB, Redis)
-- that other features (dynamic secrets, rotations) use. An org-level connection (project_id NULL)
-- is shared to the projects listed in app_connection_shares; a project-level one belongs to its
-- project. The credentials are one JSON object sealed with the org key and bound to the row's id;
-- only the non-secret part is ever answered. scope is the project id or 'org', so a name is unique
-- among the org-level connections and within each project.
CREATE TABLE app_connections (
    id                  VARCHAR(36) PRIMARY KEY,
    org_id              VARCHAR(36) NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    project_id          VARCHAR(36) REFERENCES projects (id) ON DELETE CASCADE,
    scope               VARCHAR(36) NOT NULL,
    app                 VARCHAR(32) NOT NULL,
    method              VARCHAR(64) NOT NULL,
    name                VARCHAR(64) NOT NULL,
    description         VARCHAR(256),
    version             INTEGER NOT NULL,
    sealed_credentials  TEXT NOT NULL,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    UNIQUE (org_id, scope, name)
);

CREATE INDEX app_connections_project ON app_connections (project_id);

CREATE TABLE app_connection_shares (
    connection_id  VARCHAR(36) NOT NULL REFERENCES app_connections (id) ON DELETE CASCADE,
    project_id     VARCHAR(36) NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    created_at     BIGINT NOT NULL,
    PRIMARY KEY (connection_id, project_id)
);

CREATE INDEX app_connection_shares_project ON app_connection_shares (project_id);
