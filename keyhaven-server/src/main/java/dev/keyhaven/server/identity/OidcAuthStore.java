package dev.keyhaven.server.identity;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for OIDC-auth configurations ({@code boundClaims} is stored as JSON). */
@Repository
class OidcAuthStore extends MethodConfigStore<OidcAuthStore.Config> {
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
            TokenColumns.read(rs),
            rs.getLong("created_at"),
            rs.getLong("updated_at"));

    OidcAuthStore(JdbcClient jdbc) {
        super(jdbc, "identity_oidc_auths", CONFIG);
    }

    @Override
    void insert(Config c) {
        jdbc.sql("""
                INSERT INTO identity_oidc_auths (%s, id, identity_id, oidc_discovery_url, ca_cert, bound_issuer,
                    bound_audiences, bound_claims, bound_subject, created_at, updated_at)
                VALUES (%s, ?,?,?,?,?,?,?,?,?,?)""".formatted(TokenColumns.NAMES, TokenColumns.MARKS))
                .params(TokenColumns.params(
                        c.common(),
                        c.id(),
                        c.identityId(),
                        c.discoveryUrl(),
                        c.caCert(),
                        c.boundIssuer(),
                        c.boundAudiences(),
                        c.boundClaimsJson(),
                        c.boundSubject(),
                        c.createdAt(),
                        c.updatedAt()))
                .update();
    }

    @Override
    void update(Config c) {
        jdbc.sql("""
                UPDATE identity_oidc_auths SET %s, oidc_discovery_url = ?, ca_cert = ?, bound_issuer = ?,
                    bound_audiences = ?, bound_claims = ?, bound_subject = ?, updated_at = ?
                WHERE id = ?""".formatted(TokenColumns.ASSIGNMENTS))
                .params(TokenColumns.params(
                        c.common(),
                        c.discoveryUrl(),
                        c.caCert(),
                        c.boundIssuer(),
                        c.boundAudiences(),
                        c.boundClaimsJson(),
                        c.boundSubject(),
                        c.updatedAt(),
                        c.id()))
                .update();
    }
}
