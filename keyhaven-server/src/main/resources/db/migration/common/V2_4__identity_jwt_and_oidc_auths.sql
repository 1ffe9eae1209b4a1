-- JWT machine auth (issue 4): one configuration per identity, static PEM keys or a JWKS URL.
CREATE TABLE identity_jwt_auths (
    id                           VARCHAR(36) PRIMARY KEY,
    identity_id                  VARCHAR(36) NOT NULL UNIQUE REFERENCES identities (id) ON DELETE CASCADE,
    configuration_type           VARCHAR(16) NOT NULL,
    jwks_url                     TEXT,
    jwks_ca_cert                 TEXT,
    public_keys                  TEXT NOT NULL,
    bound_issuer                 TEXT NOT NULL,
    bound_audiences              TEXT NOT NULL,
    bound_claims                 TEXT NOT NULL,
    bound_subject                TEXT NOT NULL,
    access_token_ttl             BIGINT NOT NULL,
    access_token_max_ttl         BIGINT NOT NULL,
    access_token_num_uses_limit  BIGINT NOT NULL,
    access_token_trusted_ips     TEXT NOT NULL,
    created_at                   BIGINT NOT NULL,
    updated_at                   BIGINT NOT NULL
);

-- OIDC machine auth (issue 4): discovery document, then its jwks_uri.
CREATE TABLE identity_oidc_auths (
    id                           VARCHAR(36) PRIMARY KEY,
    identity_id                  VARCHAR(36) NOT NULL UNIQUE REFERENCES identities (id) ON DELETE CASCADE,
    oidc_discovery_url           TEXT NOT NULL,
    ca_cert                      TEXT NOT NULL,
    bound_issuer                 TEXT NOT NULL,
    bound_audiences              TEXT NOT NULL,
    bound_claims                 TEXT NOT NULL,
    bound_subject                TEXT NOT NULL,
    access_token_ttl             BIGINT NOT NULL,
    access_token_max_ttl         BIGINT NOT NULL,
    access_token_num_uses_limit  BIGINT NOT NULL,
    access_token_trusted_ips     TEXT NOT NULL,
    created_at                   BIGINT NOT NULL,
    updated_at                   BIGINT NOT NULL
);
