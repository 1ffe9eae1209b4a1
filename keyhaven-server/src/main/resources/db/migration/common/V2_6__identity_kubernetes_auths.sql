-- Kubernetes machine auth (issue 4): TokenReview against the API server ("api"), or local
-- verification of service-account tokens against the cluster's issuer keys ("jwks").
-- token_reviewer_jwt is sealed under the org key (NULL when none is configured).
CREATE TABLE identity_kubernetes_auths (
    id                           VARCHAR(36) PRIMARY KEY,
    identity_id                  VARCHAR(36) NOT NULL UNIQUE REFERENCES identities (id) ON DELETE CASCADE,
    token_review_mode            VARCHAR(16) NOT NULL,
    kubernetes_host              TEXT NOT NULL,
    ca_cert                      TEXT NOT NULL,
    token_reviewer_jwt           TEXT,
    allowed_namespaces           TEXT NOT NULL,
    allowed_names                TEXT NOT NULL,
    allowed_audience             TEXT NOT NULL,
    issuer                       TEXT NOT NULL,
    jwks_url                     TEXT NOT NULL,
    public_keys                  TEXT NOT NULL,
    access_token_ttl             BIGINT NOT NULL,
    access_token_max_ttl         BIGINT NOT NULL,
    access_token_num_uses_limit  BIGINT NOT NULL,
    access_token_trusted_ips     TEXT NOT NULL,
    created_at                   BIGINT NOT NULL,
    updated_at                   BIGINT NOT NULL
);
