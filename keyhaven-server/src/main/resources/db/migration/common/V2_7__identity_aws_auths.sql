-- AWS IAM machine auth (issue 4): the client's signed sts:GetCallerIdentity request is replayed to
-- STS; the caller's account and principal ARN must match the allowed lists (comma lists, ARNs with *).
CREATE TABLE identity_aws_auths (
    id                           VARCHAR(36) PRIMARY KEY,
    identity_id                  VARCHAR(36) NOT NULL UNIQUE REFERENCES identities (id) ON DELETE CASCADE,
    type                         VARCHAR(16) NOT NULL,
    sts_endpoint                 TEXT NOT NULL,
    allowed_principal_arns       TEXT NOT NULL,
    allowed_account_ids          TEXT NOT NULL,
    access_token_ttl             BIGINT NOT NULL,
    access_token_max_ttl         BIGINT NOT NULL,
    access_token_num_uses_limit  BIGINT NOT NULL,
    access_token_trusted_ips     TEXT NOT NULL,
    created_at                   BIGINT NOT NULL,
    updated_at                   BIGINT NOT NULL
);
