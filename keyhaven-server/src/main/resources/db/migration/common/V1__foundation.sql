-- Keyhaven foundation schema. Written in the SQL that SQLite and PostgreSQL share:
-- ids are UUID text, times are epoch milliseconds, ciphertexts are base64 text.

CREATE TABLE instance_meta (
    name        VARCHAR(64) PRIMARY KEY,
    value       TEXT NOT NULL
);

-- Wrapped data keys: an org key wrapped by the root key, a project key wrapped by its org key.
CREATE TABLE data_keys (
    id          VARCHAR(36) PRIMARY KEY,
    scope       VARCHAR(16) NOT NULL,
    owner_id    VARCHAR(36) NOT NULL,
    parent_id   VARCHAR(36),
    wrapped_key TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    UNIQUE (scope, owner_id)
);

CREATE TABLE users (
    id            VARCHAR(36) PRIMARY KEY,
    email         VARCHAR(320) NOT NULL UNIQUE,
    username      VARCHAR(320) NOT NULL UNIQUE,
    first_name    VARCHAR(128),
    last_name     VARCHAR(128),
    password_hash TEXT,
    super_admin   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);

CREATE TABLE organizations (
    id          VARCHAR(36) PRIMARY KEY,
    name        VARCHAR(128) NOT NULL,
    slug        VARCHAR(64) NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE org_memberships (
    id          VARCHAR(36) PRIMARY KEY,
    org_id      VARCHAR(36) NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    actor_type  VARCHAR(16) NOT NULL,
    actor_id    VARCHAR(36) NOT NULL,
    role        VARCHAR(64) NOT NULL,
    status      VARCHAR(16) NOT NULL,
    is_active   BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    UNIQUE (org_id, actor_type, actor_id)
);

CREATE TABLE identities (
    id          VARCHAR(36) PRIMARY KEY,
    org_id      VARCHAR(36) NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name        VARCHAR(128) NOT NULL,
    metadata    TEXT NOT NULL DEFAULT '[]',
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX identities_org ON identities (org_id);

CREATE TABLE identity_universal_auths (
    id                             VARCHAR(36) PRIMARY KEY,
    identity_id                    VARCHAR(36) NOT NULL UNIQUE REFERENCES identities (id) ON DELETE CASCADE,
    client_id                      VARCHAR(36) NOT NULL UNIQUE,
    access_token_ttl               BIGINT NOT NULL,
    access_token_max_ttl           BIGINT NOT NULL,
    access_token_num_uses_limit    BIGINT NOT NULL,
    access_token_period            BIGINT NOT NULL,
    client_secret_trusted_ips      TEXT NOT NULL,
    access_token_trusted_ips       TEXT NOT NULL,
    lockout_enabled                BOOLEAN NOT NULL,
    lockout_threshold              INTEGER NOT NULL,
    lockout_duration_seconds       INTEGER NOT NULL,
    lockout_counter_reset_seconds  INTEGER NOT NULL,
    created_at                     BIGINT NOT NULL,
    updated_at                     BIGINT NOT NULL
);

CREATE TABLE identity_ua_client_secrets (
    id              VARCHAR(36) PRIMARY KEY,
    identity_ua_id  VARCHAR(36) NOT NULL REFERENCES identity_universal_auths (id) ON DELETE CASCADE,
    description     TEXT NOT NULL,
    prefix          VARCHAR(8) NOT NULL,
    secret_digest   VARCHAR(64) NOT NULL UNIQUE,
    num_uses        BIGINT NOT NULL DEFAULT 0,
    num_uses_limit  BIGINT NOT NULL,
    ttl             BIGINT NOT NULL,
    is_revoked      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX identity_ua_client_secrets_ua ON identity_ua_client_secrets (identity_ua_id);

CREATE TABLE identity_ua_lockouts (
    identity_ua_id   VARCHAR(36) NOT NULL REFERENCES identity_universal_auths (id) ON DELETE CASCADE,
    ip_address       VARCHAR(64) NOT NULL,
    failed_count     INTEGER NOT NULL,
    first_failed_at  BIGINT NOT NULL,
    locked_until     BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (identity_ua_id, ip_address)
);

CREATE TABLE identity_token_auths (
    id                           VARCHAR(36) PRIMARY KEY,
    identity_id                  VARCHAR(36) NOT NULL UNIQUE REFERENCES identities (id) ON DELETE CASCADE,
    access_token_ttl             BIGINT NOT NULL,
    access_token_max_ttl         BIGINT NOT NULL,
    access_token_num_uses_limit  BIGINT NOT NULL,
    access_token_trusted_ips     TEXT NOT NULL,
    created_at                   BIGINT NOT NULL,
    updated_at                   BIGINT NOT NULL
);

CREATE TABLE identity_access_tokens (
    id                           VARCHAR(36) PRIMARY KEY,
    identity_id                  VARCHAR(36) NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    token_digest                 VARCHAR(64) NOT NULL UNIQUE,
    auth_method                  VARCHAR(32) NOT NULL,
    client_secret_id             VARCHAR(36),
    name                         VARCHAR(128),
    access_token_ttl             BIGINT NOT NULL,
    access_token_max_ttl         BIGINT NOT NULL,
    access_token_num_uses        BIGINT NOT NULL DEFAULT 0,
    access_token_num_uses_limit  BIGINT NOT NULL,
    access_token_period          BIGINT NOT NULL,
    trusted_ips                  TEXT NOT NULL,
    is_revoked                   BOOLEAN NOT NULL DEFAULT FALSE,
    last_renewed_at              BIGINT,
    created_at                   BIGINT NOT NULL,
    updated_at                   BIGINT NOT NULL
);
CREATE INDEX identity_access_tokens_identity ON identity_access_tokens (identity_id);
CREATE INDEX identity_access_tokens_client_secret ON identity_access_tokens (client_secret_id);

CREATE TABLE projects (
    id                     VARCHAR(36) PRIMARY KEY,
    org_id                 VARCHAR(36) NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name                   VARCHAR(64) NOT NULL,
    slug                   VARCHAR(64) NOT NULL,
    description            TEXT,
    type                   VARCHAR(32) NOT NULL,
    version                INTEGER NOT NULL DEFAULT 3,
    auto_capitalization    BOOLEAN NOT NULL DEFAULT FALSE,
    has_delete_protection  BOOLEAN NOT NULL DEFAULT FALSE,
    created_at             BIGINT NOT NULL,
    updated_at             BIGINT NOT NULL,
    UNIQUE (org_id, slug)
);

CREATE TABLE environments (
    id          VARCHAR(36) PRIMARY KEY,
    project_id  VARCHAR(36) NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name        VARCHAR(64) NOT NULL,
    slug        VARCHAR(64) NOT NULL,
    position    INTEGER NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    UNIQUE (project_id, slug)
);

-- One tree per environment; the root has path '/' and no parent. The full path is kept on
-- every folder so that a path resolves in one indexed lookup.
CREATE TABLE folders (
    id           VARCHAR(36) PRIMARY KEY,
    env_id       VARCHAR(36) NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
    parent_id    VARCHAR(36) REFERENCES folders (id) ON DELETE CASCADE,
    name         VARCHAR(64) NOT NULL,
    path         TEXT NOT NULL,
    description  TEXT,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    UNIQUE (env_id, path)
);
CREATE INDEX folders_parent ON folders (parent_id);

CREATE TABLE secrets (
    id                    VARCHAR(36) PRIMARY KEY,
    project_id            VARCHAR(36) NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    env_id                VARCHAR(36) NOT NULL,
    folder_id             VARCHAR(36) NOT NULL REFERENCES folders (id) ON DELETE CASCADE,
    secret_key            VARCHAR(256) NOT NULL,
    type                  VARCHAR(16) NOT NULL,
    owner_id              VARCHAR(36) NOT NULL DEFAULT '',
    version               INTEGER NOT NULL,
    value_ct              TEXT NOT NULL,
    comment_ct            TEXT,
    metadata              TEXT NOT NULL DEFAULT '[]',
    skip_multiline        BOOLEAN NOT NULL DEFAULT FALSE,
    reminder_note         TEXT,
    reminder_repeat_days  INTEGER,
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL,
    UNIQUE (folder_id, secret_key, type, owner_id)
);

-- Immutable history: one row per change, never updated. Kept when the secret is deleted.
CREATE TABLE secret_versions (
    id                    VARCHAR(36) PRIMARY KEY,
    secret_id             VARCHAR(36) NOT NULL,
    project_id            VARCHAR(36) NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    folder_id             VARCHAR(36) NOT NULL,
    version               INTEGER NOT NULL,
    secret_key            VARCHAR(256) NOT NULL,
    type                  VARCHAR(16) NOT NULL,
    owner_id              VARCHAR(36) NOT NULL DEFAULT '',
    value_ct              TEXT NOT NULL,
    comment_ct            TEXT,
    metadata              TEXT NOT NULL DEFAULT '[]',
    tags                  TEXT NOT NULL DEFAULT '[]',
    skip_multiline        BOOLEAN NOT NULL DEFAULT FALSE,
    reminder_note         TEXT,
    reminder_repeat_days  INTEGER,
    is_deleted            BOOLEAN NOT NULL DEFAULT FALSE,
    actor_type            VARCHAR(16) NOT NULL,
    actor_id              VARCHAR(36) NOT NULL,
    created_at            BIGINT NOT NULL,
    UNIQUE (secret_id, version)
);

CREATE TABLE tags (
    id          VARCHAR(36) PRIMARY KEY,
    project_id  VARCHAR(36) NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    slug        VARCHAR(64) NOT NULL,
    name        VARCHAR(64) NOT NULL,
    color       VARCHAR(32),
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    UNIQUE (project_id, slug)
);

CREATE TABLE secret_tags (
    secret_id  VARCHAR(36) NOT NULL REFERENCES secrets (id) ON DELETE CASCADE,
    tag_id     VARCHAR(36) NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (secret_id, tag_id)
);

CREATE TABLE secret_imports (
    id              VARCHAR(36) PRIMARY KEY,
    folder_id       VARCHAR(36) NOT NULL REFERENCES folders (id) ON DELETE CASCADE,
    import_env_id   VARCHAR(36) NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
    import_path     TEXT NOT NULL,
    position        INTEGER NOT NULL,
    is_replication  BOOLEAN NOT NULL DEFAULT FALSE,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX secret_imports_folder ON secret_imports (folder_id);

CREATE TABLE project_memberships (
    id          VARCHAR(36) PRIMARY KEY,
    project_id  VARCHAR(36) NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    actor_type  VARCHAR(16) NOT NULL,
    actor_id    VARCHAR(36) NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    UNIQUE (project_id, actor_type, actor_id)
);
CREATE INDEX project_memberships_actor ON project_memberships (actor_type, actor_id);

CREATE TABLE project_membership_roles (
    id                          VARCHAR(36) PRIMARY KEY,
    membership_id               VARCHAR(36) NOT NULL REFERENCES project_memberships (id) ON DELETE CASCADE,
    role                        VARCHAR(64) NOT NULL,
    custom_role_id              VARCHAR(36),
    is_temporary                BOOLEAN NOT NULL DEFAULT FALSE,
    temporary_mode              VARCHAR(16),
    temporary_range             VARCHAR(32),
    temporary_access_start_time BIGINT,
    temporary_access_end_time   BIGINT,
    created_at                  BIGINT NOT NULL,
    updated_at                  BIGINT NOT NULL
);
CREATE INDEX project_membership_roles_membership ON project_membership_roles (membership_id);

CREATE TABLE audit_logs (
    id               VARCHAR(36) PRIMARY KEY,
    org_id           VARCHAR(36) NOT NULL,
    project_id       VARCHAR(36),
    project_name     VARCHAR(64),
    actor_type       VARCHAR(16) NOT NULL,
    actor_id         VARCHAR(36),
    actor_metadata   TEXT NOT NULL,
    event_type       VARCHAR(64) NOT NULL,
    event_metadata   TEXT NOT NULL,
    ip_address       VARCHAR(64),
    user_agent       TEXT,
    user_agent_type  VARCHAR(32),
    created_at       BIGINT NOT NULL,
    expires_at       BIGINT
);
CREATE INDEX audit_logs_org_created ON audit_logs (org_id, created_at);
