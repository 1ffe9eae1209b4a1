-- LDAP machine auth (issue 4): one configuration per identity. The service account's DN and
-- password are sealed under the org key (bind_dn_ct, bind_pass_ct); lists are JSON.
CREATE TABLE identity_ldap_auths (
    id                             VARCHAR(36) PRIMARY KEY,
    identity_id                    VARCHAR(36) NOT NULL UNIQUE REFERENCES identities (id) ON DELETE CASCADE,
    url                            TEXT NOT NULL,
    use_start_tls                  BOOLEAN NOT NULL,
    ca_cert                        TEXT NOT NULL,
    bind_dn_ct                     TEXT NOT NULL,
    bind_pass_ct                   TEXT NOT NULL,
    search_base                    TEXT NOT NULL,
    search_filter                  TEXT NOT NULL,
    allowed_fields                 TEXT NOT NULL,
    allowed_groups                 TEXT NOT NULL,
    allowed_dn_patterns            TEXT NOT NULL,
    access_token_ttl               BIGINT NOT NULL,
    access_token_max_ttl           BIGINT NOT NULL,
    access_token_num_uses_limit    BIGINT NOT NULL,
    access_token_trusted_ips       TEXT NOT NULL,
    lockout_enabled                BOOLEAN NOT NULL,
    lockout_threshold              INTEGER NOT NULL,
    lockout_duration_seconds       INTEGER NOT NULL,
    lockout_counter_reset_seconds  INTEGER NOT NULL,
    created_at                     BIGINT NOT NULL,
    updated_at                     BIGINT NOT NULL
);

-- Failed-login counters per configuration and username; the username is stored only as a keyed
-- digest (a mistyped password in the username field never lands in the database).
CREATE TABLE identity_ldap_auth_lockouts (
    identity_ldap_auth_id  VARCHAR(36) NOT NULL REFERENCES identity_ldap_auths (id) ON DELETE CASCADE,
    username_digest        VARCHAR(64) NOT NULL,
    failed_count           INTEGER NOT NULL,
    first_failed_at        BIGINT NOT NULL,
    locked_until           BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (identity_ldap_auth_id, username_digest)
);
