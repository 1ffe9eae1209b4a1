package dev.keyhaven.server.sso;

import dev.keyhaven.server.platform.log.Redaction;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for organizations' OIDC SSO configurations and the logins in flight between redirect and callback. */
@Repository
class OidcSsoStore {
    /** One configuration; the client secret opens only with the org key. */
    record Row(
            String id,
            String orgId,
            String configurationType,
            String discoveryUrl,
            String issuer,
            String authorizationEndpoint,
            String tokenEndpoint,
            String jwksUri,
            String userinfoEndpoint,
            String clientId,
            String sealedClientSecret,
            String allowedEmailDomains,
            boolean active,
            long createdAt,
            long updatedAt) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }
    }

    /** A login in flight. */
    record LoginState(
            String stateDigest,
            String orgId,
            String browserDigest,
            String nonceDigest,
            String sealedVerifier,
            String redirectUri,
            long expiresAt,
            Long usedAt) {}

    private static final RowMapper<Row> ROW = (rs, i) -> new Row(
            rs.getString("id"),
            rs.getString("org_id"),
            rs.getString("configuration_type"),
            rs.getString("discovery_url"),
            rs.getString("issuer"),
            rs.getString("authorization_endpoint"),
            rs.getString("token_endpoint"),
            rs.getString("jwks_uri"),
            rs.getString("userinfo_endpoint"),
            rs.getString("client_id"),
            rs.getString("sealed_client_secret"),
            rs.getString("allowed_email_domains"),
            rs.getBoolean("is_active"),
            rs.getLong("created_at"),
            rs.getLong("updated_at"));

    private static final RowMapper<LoginState> STATE = (rs, i) -> {
        long used = rs.getLong("used_at");
        Long usedAt = rs.wasNull() ? null : used;
        return new LoginState(
                rs.getString("state_digest"),
                rs.getString("org_id"),
                rs.getString("browser_digest"),
                rs.getString("nonce_digest"),
                rs.getString("sealed_verifier"),
                rs.getString("redirect_uri"),
                rs.getLong("expires_at"),
                usedAt);
    };

    private final JdbcClient jdbc;

    OidcSsoStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Row> byOrg(String orgId) {
        return jdbc.sql("SELECT * FROM oidc_sso_configs WHERE org_id = ?")
                .param(orgId)
                .query(ROW)
                .optional();
    }

    void insert(Row r) {
        jdbc.sql("""
                INSERT INTO oidc_sso_configs (id, org_id, configuration_type, discovery_url, issuer,
                    authorization_endpoint, token_endpoint, jwks_uri, userinfo_endpoint, client_id,
                    sealed_client_secret, allowed_email_domains, is_active, created_at, updated_at)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""")
                .params(
                        r.id(),
                        r.orgId(),
                        r.configurationType(),
                        r.discoveryUrl(),
                        r.issuer(),
                        r.authorizationEndpoint(),
                        r.tokenEndpoint(),
                        r.jwksUri(),
                        r.userinfoEndpoint(),
                        r.clientId(),
                        r.sealedClientSecret(),
                        r.allowedEmailDomains(),
                        r.active(),
                        r.createdAt(),
                        r.updatedAt())
                .update();
    }

    void update(Row r) {
        jdbc.sql("""
                UPDATE oidc_sso_configs SET configuration_type = ?, discovery_url = ?, issuer = ?,
                    authorization_endpoint = ?, token_endpoint = ?, jwks_uri = ?, userinfo_endpoint = ?,
                    client_id = ?, sealed_client_secret = ?, allowed_email_domains = ?, is_active = ?,
                    updated_at = ?
                WHERE id = ?""")
                .params(
                        r.configurationType(),
                        r.discoveryUrl(),
                        r.issuer(),
                        r.authorizationEndpoint(),
                        r.tokenEndpoint(),
                        r.jwksUri(),
                        r.userinfoEndpoint(),
                        r.clientId(),
                        r.sealedClientSecret(),
                        r.allowedEmailDomains(),
                        r.active(),
                        r.updatedAt(),
                        r.id())
                .update();
    }

    void insertState(LoginState s, long now) {
        jdbc.sql("""
                INSERT INTO sso_login_states (state_digest, org_id, protocol, browser_digest, nonce_digest,
                    sealed_verifier, redirect_uri, expires_at, created_at)
                VALUES (?,?,?,?,?,?,?,?,?)""")
                .params(
                        s.stateDigest(),
                        s.orgId(),
                        "oidc",
                        s.browserDigest(),
                        s.nonceDigest(),
                        s.sealedVerifier(),
                        s.redirectUri(),
                        s.expiresAt(),
                        now)
                .update();
    }

    Optional<LoginState> state(String stateDigest) {
        return jdbc.sql("SELECT * FROM sso_login_states WHERE state_digest = ?")
                .param(stateDigest)
                .query(STATE)
                .optional();
    }

    /** Marks a state used; false when another request used it first (a replayed callback). */
    boolean useState(String stateDigest, long now) {
        return jdbc.sql("UPDATE sso_login_states SET used_at = ? WHERE state_digest = ? AND used_at IS NULL")
                        .params(now, stateDigest)
                        .update()
                == 1;
    }

    int deleteStatesExpiredBefore(long cutoff) {
        return jdbc.sql("DELETE FROM sso_login_states WHERE expires_at < ?")
                .param(cutoff)
                .update();
    }
}
