-- GCP machine auth (issue 4): Google-signed ID tokens (type gce) or service-account-signed JWTs (type iam).
CREATE TABLE identity_gcp_auths (
    id                           VARCHAR(36) PRIMARY KEY,
    identity_id                  VARCHAR(36) NOT NULL UNIQUE REFERENCES identities (id) ON DELETE CASCADE,
    type                         VARCHAR(8) NOT NULL,
    allowed_service_accounts     TEXT NOT NULL,
    allowed_projects             TEXT NOT NULL,
    allowed_zones                TEXT NOT NULL,
    access_token_ttl             BIGINT NOT NULL,
    access_token_max_ttl         BIGINT NOT NULL,
    access_token_num_uses_limit  BIGINT NOT NULL,
    access_token_trusted_ips     TEXT NOT NULL,
    created_at                   BIGINT NOT NULL,
    updated_at                   BIGINT NOT NULL
);

-- Azure machine auth (issue 4): Entra ID tokens (managed identities) of one tenant and resource.
CREATE TABLE identity_azure_auths (
    id                             VARCHAR(36) PRIMARY KEY,
    identity_id                    VARCHAR(36) NOT NULL UNIQUE REFERENCES identities (id) ON DELETE CASCADE,
    tenant_id                      VARCHAR(36) NOT NULL,
    resource                       TEXT NOT NULL,
    allowed_service_principal_ids  TEXT NOT NULL,
    access_token_ttl               BIGINT NOT NULL,
    access_token_max_ttl           BIGINT NOT NULL,
    access_token_num_uses_limit    BIGINT NOT NULL,
    access_token_trusted_ips       TEXT NOT NULL,
    created_at                     BIGINT NOT NULL,
    updated_at                     BIGINT NOT NULL
);
