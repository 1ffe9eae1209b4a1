-- Keys of the KMS API (/api/v1/kms/keys): named per project, for encrypt/decrypt (AES-GCM) or
-- sign/verify (RSA-4096, ECC P-256). The key material never leaves the server: each version is
-- sealed with the project's data key (bound to the key id and version) in kms_key_versions; the
-- public key of a signing key is public and kept in clear.
CREATE TABLE kms_keys (
    id           VARCHAR(36) PRIMARY KEY,
    org_id       VARCHAR(36) NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    project_id   VARCHAR(36) NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name         VARCHAR(32) NOT NULL,
    description  TEXT,
    key_usage    VARCHAR(16) NOT NULL,
    algorithm    VARCHAR(16) NOT NULL,
    version      INTEGER NOT NULL,
    is_disabled  BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    UNIQUE (project_id, name)
);

CREATE TABLE kms_key_versions (
    key_id          VARCHAR(36) NOT NULL REFERENCES kms_keys (id) ON DELETE CASCADE,
    version         INTEGER NOT NULL,
    sealed_material TEXT NOT NULL,
    public_key      TEXT,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (key_id, version)
);
