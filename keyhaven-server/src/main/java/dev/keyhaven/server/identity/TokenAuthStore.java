package dev.keyhaven.server.identity;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for token-auth configurations and the named tokens issued through them. */
@Repository
class TokenAuthStore implements MethodConfigStore<TokenAuthStore.Config> {
    record Config(String id, String identityId, CommonTokenConfig common, long createdAt, long updatedAt)
            implements MethodConfigStore.Stored {}

    record TokenData(
            String id,
            String identityId,
            String name,
            long ttl,
            long maxTtl,
            long numUses,
            long numUsesLimit,
            boolean revoked,
            Long lastRenewedAt,
            long createdAt,
            long updatedAt) {}

    private static final RowMapper<Config> CONFIG = (rs, i) -> new Config(
            rs.getString("id"),
            rs.getString("identity_id"),
            new CommonTokenConfig(
                    rs.getLong("access_token_ttl"),
                    rs.getLong("access_token_max_ttl"),
                    rs.getLong("access_token_num_uses_limit"),
                    rs.getString("access_token_trusted_ips")),
            rs.getLong("created_at"),
            rs.getLong("updated_at"));

    private static final RowMapper<TokenData> TOKEN = (rs, i) -> new TokenData(
            rs.getString("id"),
            rs.getString("identity_id"),
            rs.getString("name"),
            rs.getLong("access_token_ttl"),
            rs.getLong("access_token_max_ttl"),
            rs.getLong("access_token_num_uses"),
            rs.getLong("access_token_num_uses_limit"),
            rs.getBoolean("is_revoked"),
            rs.getObject("last_renewed_at") == null ? null : rs.getLong("last_renewed_at"),
            rs.getLong("created_at"),
            rs.getLong("updated_at"));

    private static final String TOKEN_COLUMNS = "id, identity_id, name, access_token_ttl, access_token_max_ttl, "
            + "access_token_num_uses, access_token_num_uses_limit, is_revoked, last_renewed_at, created_at, updated_at";

    private final JdbcClient jdbc;

    TokenAuthStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(Config c) {
        jdbc.sql("""
                INSERT INTO identity_token_auths (id, identity_id, access_token_ttl, access_token_max_ttl,
                    access_token_num_uses_limit, access_token_trusted_ips, created_at, updated_at)
                VALUES (?,?,?,?,?,?,?,?)""")
                .params(
                        c.id(),
                        c.identityId(),
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
                UPDATE identity_token_auths SET access_token_ttl = ?, access_token_max_ttl = ?,
                    access_token_num_uses_limit = ?, access_token_trusted_ips = ?, updated_at = ? WHERE id = ?""")
                .params(
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
        return jdbc.sql("SELECT * FROM identity_token_auths WHERE identity_id = ?")
                .param(identityId)
                .query(CONFIG)
                .optional();
    }

    @Override
    public void delete(String id) {
        jdbc.sql("DELETE FROM identity_token_auths WHERE id = ?").param(id).update();
    }

    List<TokenData> activeTokens(String identityId) {
        return jdbc.sql("SELECT " + TOKEN_COLUMNS
                        + " FROM identity_access_tokens WHERE identity_id = ? AND auth_method = ? "
                        + "AND is_revoked = ? ORDER BY created_at, id")
                .params(identityId, TokenAuthService.NAME, false)
                .query(TOKEN)
                .list();
    }

    Optional<TokenData> token(String tokenId) {
        return jdbc.sql("SELECT " + TOKEN_COLUMNS + " FROM identity_access_tokens WHERE id = ? AND auth_method = ?")
                .params(tokenId, TokenAuthService.NAME)
                .query(TOKEN)
                .optional();
    }

    void rename(String tokenId, String name, long now) {
        jdbc.sql("UPDATE identity_access_tokens SET name = ?, updated_at = ? WHERE id = ?")
                .params(name, now, tokenId)
                .update();
    }
}
