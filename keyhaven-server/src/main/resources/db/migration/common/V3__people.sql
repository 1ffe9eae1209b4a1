-- People (issue 5): accounts, sessions, MFA, one-time e-mail tokens, org security settings.

ALTER TABLE users ADD COLUMN is_email_verified BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN failed_login_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until BIGINT;
-- The second factor in force: NULL (none), 'totp' or 'email'.
ALTER TABLE users ADD COLUMN mfa_method VARCHAR(16);
-- The TOTP secret, sealed with the instance key; set while enrolling, confirmed by a first code.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_confirmed BOOLEAN NOT NULL DEFAULT FALSE;
-- The last accepted TOTP time step: a code is accepted only for a later step, so never twice.
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN mfa_failed_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN mfa_locked_until BIGINT;

-- Organization security policy.
ALTER TABLE organizations ADD COLUMN enforce_mfa BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE organizations ADD COLUMN selected_mfa_method VARCHAR(16) NOT NULL DEFAULT 'totp';
-- Maximum session length like 8h or 30d; sessions older than this end.
ALTER TABLE organizations ADD COLUMN user_token_expiration VARCHAR(16) NOT NULL DEFAULT '30d';
-- JSON arrays; an empty array of domains allows every domain.
ALTER TABLE organizations ADD COLUMN allowed_login_methods TEXT NOT NULL DEFAULT '["password"]';
ALTER TABLE organizations ADD COLUMN allowed_email_domains TEXT NOT NULL DEFAULT '[]';
ALTER TABLE organizations ADD COLUMN default_membership_role VARCHAR(64) NOT NULL DEFAULT 'member';

-- One row per login of a person; access and refresh tokens hang off it.
CREATE TABLE user_sessions (
    id            VARCHAR(36) PRIMARY KEY,
    user_id       VARCHAR(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    org_id        VARCHAR(36),
    auth_method   VARCHAR(16) NOT NULL,
    mfa_verified  BOOLEAN NOT NULL,
    csrf_digest   VARCHAR(64),
    ip_address    TEXT NOT NULL,
    user_agent    TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    last_used_at  BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    revoked_at    BIGINT,
    revoke_reason VARCHAR(64)
);
CREATE INDEX user_sessions_user ON user_sessions (user_id);

-- Access and refresh tokens of sessions, found by keyed digest. A refresh token is used once;
-- a second use is a replay, which ends the whole session.
CREATE TABLE user_session_tokens (
    token_digest VARCHAR(64) PRIMARY KEY,
    session_id   VARCHAR(36) NOT NULL REFERENCES user_sessions (id) ON DELETE CASCADE,
    kind         VARCHAR(8) NOT NULL,
    expires_at   BIGINT NOT NULL,
    used_at      BIGINT,
    created_at   BIGINT NOT NULL
);
CREATE INDEX user_session_tokens_session ON user_session_tokens (session_id);

-- Single-use tokens sent by e-mail or handed out between login steps: e-mail verification,
-- password reset, e-mail MFA codes, MFA tickets, invitations.
CREATE TABLE user_tokens (
    id           VARCHAR(36) PRIMARY KEY,
    user_id      VARCHAR(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose      VARCHAR(32) NOT NULL,
    token_digest VARCHAR(64) NOT NULL UNIQUE,
    payload      TEXT NOT NULL DEFAULT '{}',
    attempts     INTEGER NOT NULL DEFAULT 0,
    expires_at   BIGINT NOT NULL,
    used_at      BIGINT,
    created_at   BIGINT NOT NULL
);
CREATE INDEX user_tokens_user ON user_tokens (user_id, purpose);

CREATE TABLE user_recovery_codes (
    id          VARCHAR(36) PRIMARY KEY,
    user_id     VARCHAR(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_digest VARCHAR(64) NOT NULL,
    used_at     BIGINT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX user_recovery_codes_user ON user_recovery_codes (user_id);

-- Addresses a person has logged in from, for "new login from a new address" alerts.
CREATE TABLE user_known_ips (
    user_id    VARCHAR(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    ip_address VARCHAR(64) NOT NULL,
    first_seen BIGINT NOT NULL,
    PRIMARY KEY (user_id, ip_address)
);

-- Accounts from before e-mail verification existed (the bootstrap admin) count as verified.
UPDATE users SET is_email_verified = TRUE;
