-- OIDC single sign-on for people, one configuration per organization (issue 15). The client
-- secret is sealed with the org key, bound to the row; it is never returned.
CREATE TABLE oidc_sso_configs (
    id                     VARCHAR(36) PRIMARY KEY,
    org_id                 VARCHAR(36) NOT NULL UNIQUE REFERENCES organizations (id) ON DELETE CASCADE,
    configuration_type     VARCHAR(16) NOT NULL,
    discovery_url          TEXT,
    issuer                 TEXT,
    authorization_endpoint TEXT,
    token_endpoint         TEXT,
    jwks_uri               TEXT,
    userinfo_endpoint      TEXT,
    client_id              VARCHAR(255) NOT NULL,
    sealed_client_secret   TEXT NOT NULL,
    allowed_email_domains  TEXT NOT NULL DEFAULT '',
    is_active              BOOLEAN NOT NULL,
    created_at             BIGINT NOT NULL,
    updated_at             BIGINT NOT NULL
);

-- A browser's SSO login between the redirect to the identity provider and the callback: found by
-- the keyed digest of its state, bound to the browser by the digest of a cookie value, used once.
-- The PKCE verifier is sealed with the org key; the nonce is kept as a digest only.
CREATE TABLE sso_login_states (
    state_digest    VARCHAR(64) PRIMARY KEY,
    org_id          VARCHAR(36) NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    protocol        VARCHAR(8) NOT NULL,
    browser_digest  VARCHAR(64) NOT NULL,
    nonce_digest    VARCHAR(64) NOT NULL,
    sealed_verifier TEXT NOT NULL,
    redirect_uri    TEXT NOT NULL,
    expires_at      BIGINT NOT NULL,
    used_at         BIGINT,
    created_at      BIGINT NOT NULL
);
CREATE INDEX sso_login_states_expiry ON sso_login_states (expires_at);
