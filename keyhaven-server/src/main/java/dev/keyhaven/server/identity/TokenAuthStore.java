package dev.keyhaven.server.identity;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for token-auth configurations and the named tokens issued through them. */
@Repository
class TokenAuthStore extends MethodConfigStore<TokenAuthStore.Config> {
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
            TokenColumns.read(rs),
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

    TokenAuthStore(JdbcClient jdbc) {
        super(jdbc, "identity_token_auths", CONFIG);
    }

    @Override
    void insert(Config c) {
        jdbc.sql("""
                INSERT INTO identity_token_auths (%s, id, identity_id, created_at, updated_at)
                VALUES (%s, ?,?,?,?)""".formatted(TokenColumns.NAMES, TokenColumns.MARKS))
                .params(TokenColumns.params(c.common(), c.id(), c.identityId(), c.createdAt(), c.updatedAt()))
                .update();
    }

    @Override
    void update(Config c) {
        jdbc.sql("""
                UPDATE identity_token_auths SET %s, updated_at = ?
                WHERE id = ?""".formatted(TokenColumns.ASSIGNMENTS))
                .params(TokenColumns.params(c.common(), c.updatedAt(), c.id()))
                .update();
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
