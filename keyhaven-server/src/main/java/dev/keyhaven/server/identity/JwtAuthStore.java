package dev.keyhaven.server.identity;

import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for JWT-auth configurations ({@code publicKeys} and {@code boundClaims} are stored as JSON). */
@Repository
class JwtAuthStore implements MethodConfigStore<JwtAuthStore.Config> {
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
            new CommonTokenConfig(
                    rs.getLong("access_token_ttl"),
                    rs.getLong("access_token_max_ttl"),
                    rs.getLong("access_token_num_uses_limit"),
                    rs.getString("access_token_trusted_ips")),
            rs.getLong("created_at"),
            rs.getLong("updated_at"));

    private final JdbcClient jdbc;

    JwtAuthStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(Config c) {
        jdbc.sql("""
                INSERT INTO identity_jwt_auths (id, identity_id, configuration_type, jwks_url, jwks_ca_cert, public_keys,
                    bound_issuer, bound_audiences, bound_claims, bound_subject, access_token_ttl, access_token_max_ttl,
                    access_token_num_uses_limit, access_token_trusted_ips, created_at, updated_at)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""")
                .params(
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
                UPDATE identity_jwt_auths SET configuration_type = ?, jwks_url = ?, jwks_ca_cert = ?, public_keys = ?,
                    bound_issuer = ?, bound_audiences = ?, bound_claims = ?, bound_subject = ?, access_token_ttl = ?,
                    access_token_max_ttl = ?, access_token_num_uses_limit = ?, access_token_trusted_ips = ?,
                    updated_at = ?
                WHERE id = ?""")
                .params(
                        c.configurationType(),
                        c.jwksUrl(),
                        c.jwksCaCert(),
                        c.publicKeysJson(),
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
        return jdbc.sql("SELECT * FROM identity_jwt_auths WHERE identity_id = ?")
                .param(identityId)
                .query(CONFIG)
                .optional();
    }

    @Override
    public void delete(String id) {
        jdbc.sql("DELETE FROM identity_jwt_auths WHERE id = ?").param(id).update();
    }
}
