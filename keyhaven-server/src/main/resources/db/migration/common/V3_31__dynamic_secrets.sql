-- Dynamic secrets: a provider configuration at an environment and path of a project, whose inputs
-- (root credentials and statements, or the id of an app connection in connection_id) are sealed
-- with the project key; and the leases issued from it. A lease row lives until its credential is
-- revoked: the expiry sweeper claims due rows (claimed_by/claimed_until, like the outbox) so one
-- node revokes each, and a failed revocation stays with its error and the time of the next try.
-- Deleting a dynamic secret revokes its leases first; deleting its whole project (whose key seals
-- the inputs) drops the leases with it, unrevoked.
CREATE TABLE dynamic_secrets (
    id               VARCHAR(36) PRIMARY KEY,
    org_id           VARCHAR(36) NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    project_id       VARCHAR(36) NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    environment      VARCHAR(64) NOT NULL,
    path             VARCHAR(1024) NOT NULL,
    name             VARCHAR(64) NOT NULL,
    type             VARCHAR(32) NOT NULL,
    version          INTEGER NOT NULL,
    default_ttl      BIGINT NOT NULL,
    max_ttl          BIGINT,
    connection_id    VARCHAR(36),
    sealed_inputs    TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    UNIQUE (project_id, environment, path, name)
);

CREATE TABLE dynamic_secret_leases (
    id                  VARCHAR(36) PRIMARY KEY,
    dynamic_secret_id   VARCHAR(36) NOT NULL REFERENCES dynamic_secrets (id) ON DELETE CASCADE,
    project_id          VARCHAR(36) NOT NULL,
    external_entity_id  VARCHAR(128) NOT NULL,
    expire_at           BIGINT NOT NULL,
    version             INTEGER NOT NULL,
    status              VARCHAR(32),
    status_details      VARCHAR(512),
    attempts            INTEGER NOT NULL,
    next_attempt_at     BIGINT NOT NULL,
    claimed_by          VARCHAR(64),
    claimed_until       BIGINT,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);

CREATE INDEX dynamic_secret_leases_due ON dynamic_secret_leases (next_attempt_at);
CREATE INDEX dynamic_secret_leases_secret ON dynamic_secret_leases (dynamic_secret_id);
