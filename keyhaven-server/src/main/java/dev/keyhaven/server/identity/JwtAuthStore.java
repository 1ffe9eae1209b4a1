package dev.keyhaven.server.identity;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for JWT-auth configurations ({@code publicKeys} and {@code boundClaims} are stored as JSON). */
@Repository
class JwtAuthStore extends MethodConfigStore<JwtAuthStore.Config> {
    record Config(
            String id,
            String identityId,
            String configurationType,
            String jwksUrl,
            String jwksCaCert,
            String publicKeysJson,
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
            rs.getString("configuration_type"),
            rs.getString("jwks_url"),
            rs.getString("jwks_ca_cert"),
            rs.getString("public_keys"),
            rs.getString("bound_issuer"),
            rs.getString("bound_audiences"),
            rs.getString("bound_claims"),
            rs.getString("bound_subject"),
            TokenColumns.read(rs),
            rs.getLong("created_at"),
            rs.getLong("updated_at"));

    JwtAuthStore(JdbcClient jdbc) {
        super(jdbc, "identity_jwt_auths", CONFIG);
    }

    @Override
    void insert(Config c) {
        jdbc.sql("""
                INSERT INTO identity_jwt_auths (%s, id, identity_id, configuration_type, jwks_url, jwks_ca_cert,
                    public_keys, bound_issuer, bound_audiences, bound_claims, bound_subject, created_at,
                    updated_at)
                VALUES (%s, ?,?,?,?,?,?,?,?,?,?,?,?)""".formatted(TokenColumns.NAMES, TokenColumns.MARKS))
                .params(TokenColumns.params(
                        c.common(),
                        c.id(),
                        c.identityId(),
                        c.configurationType(),
                        c.jwksUrl(),
                        c.jwksCaCert(),
                        c.publicKeysJson(),
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
                UPDATE identity_jwt_auths SET %s, configuration_type = ?, jwks_url = ?, jwks_ca_cert = ?,
                    public_keys = ?, bound_issuer = ?, bound_audiences = ?, bound_claims = ?, bound_subject = ?,
                    updated_at = ?
                WHERE id = ?""".formatted(TokenColumns.ASSIGNMENTS))
                .params(TokenColumns.params(
                        c.common(),
                        c.configurationType(),
                        c.jwksUrl(),
                        c.jwksCaCert(),
                        c.publicKeysJson(),
                        c.boundIssuer(),
                        c.boundAudiences(),
                        c.boundClaimsJson(),
                        c.boundSubject(),
                        c.updatedAt(),
                        c.id()))
                .update();
    }
}
