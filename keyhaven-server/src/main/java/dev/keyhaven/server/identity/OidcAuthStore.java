package dev.keyhaven.server.identity;

import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for OIDC-auth configurations ({@code boundClaims} is stored as JSON). */
@Repository
class OidcAuthStore implements MethodConfigStore<OidcAuthStore.Config> {
    record Config(
            String id,
            String identityId,
            String discoveryUrl,
            String caCert,
            String boundIssuer,
            String boundAudiences,
            String boundClaimsJson,
            String boundSubject,
            CommonTokenConfig common,
            long createdAt,
            long updatedAt)
            implements MethodConfigStore.Stored {}

    private static final RowMapper<Config> CONFIG = (rs, i) -> new Config(
            rs.getString("id"),
            rs.getString("identity_id"),
            rs.getString("oidc_discovery_url"),
            rs.getString("ca_cert"),
            rs.getString("bound_issuer"),
            rs.getString("bound_audiences"),
            rs.getString("bound_claims"),
            rs.getString("bound_subject"),
            new CommonTokenConfig(
                    rs.getLong("access_token_ttl"),
                    rs.getLong("access_token_max_ttl"),
                    rs.getLong("access_token_num_uses_limit"),
                    rs.getString("access_token_trusted_ips")),
            rs.getLong("created_at"),
            rs.getLong("updated_at"));

    private final JdbcClient jdbc;

    OidcAuthStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(Config c) {
        jdbc.sql("""
                INSERT INTO identity_oidc_auths (id, identity_id, oidc_discovery_url, ca_cert, bound_issuer,
                    bound_audiences, bound_claims, bound_subject, access_token_ttl, access_token_max_ttl,
                    access_token_num_uses_limit, access_token_trusted_ips, created_at, updated_at)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)""")
                .params(
                        c.id(),
                        c.identityId(),
                        c.discoveryUrl(),
                        c.caCert(),
                        c.boundIssuer(),
                        c.boundAudiences(),
                        c.boundClaimsJson(),
                        c.boundSubject(),
                        c.common().ttl(),
                        c.common().maxTtl(),
                        c.common().numUsesLimit(),
                        c.common().trustedIpsJson(),
                        c.createdAt(),
                        c.updatedAt())
                .update();
    }

    @Override
    public void update(Config c) {
        jdbc.sql("""
                UPDATE identity_oidc_auths SET oidc_discovery_url = ?, ca_cert = ?, bound_issuer = ?, bound_audiences = ?,
                    bound_claims = ?, bound_subject = ?, access_token_ttl = ?, access_token_max_ttl = ?,
                    access_token_num_uses_limit = ?, access_token_trusted_ips = ?, updated_at = ?
                WHERE id = ?""")
                .params(
                        c.discoveryUrl(),
                        c.caCert(),
                        c.boundIssuer(),
                        c.boundAudiences(),
                        c.boundClaimsJson(),
                        c.boundSubject(),
                        c.common().ttl(),
                        c.common().maxTtl(),
                        c.common().numUsesLimit(),
                        c.common().trustedIpsJson(),
                        c.updatedAt(),
                        c.id())
                .update();
    }

    @Override
    public Optional<Config> byIdentity(String identityId) {
        return jdbc.sql("SELECT * FROM identity_oidc_auths WHERE identity_id = ?")
                .param(identityId)
                .query(CONFIG)
                .optional();
    }

    @Override
    public void delete(String id) {
        jdbc.sql("DELETE FROM identity_oidc_auths WHERE id = ?").param(id).update();
    }
}
