package dev.keyhaven.server.identity;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for identity access tokens; tokens are found by their keyed digest only. */
@Repository
class AccessTokenStore {
    record TokenRow(
            String id,
            String identityId,
            String authMethod,
            long ttl,
            long maxTtl,
            long numUses,
            long numUsesLimit,
            long period,
            String trustedIps,
            boolean revoked,
            Long lastRenewedAt,
            long createdAt,
            String identityName,
            String orgId,
            String orgRole,
            boolean orgActive,
            String identityMetadata,
            long accessEpoch) {}

    private final JdbcClient jdbc;

    AccessTokenStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(
            String id,
            String identityId,
            String digest,
            String method,
            String clientSecretId,
            String name,
            TokenSettings s,
            String trustedIpsJson,
            long now) {
        jdbc.sql("""
                INSERT INTO identity_access_tokens (id, identity_id, token_digest, auth_method, client_secret_id, name,
                    access_token_ttl, access_token_max_ttl, access_token_num_uses, access_token_num_uses_limit,
                    access_token_period, trusted_ips, is_revoked, last_renewed_at, created_at, updated_at)
                VALUES (?,?,?,?,?,?,?,?,0,?,?,?,?,NULL,?,?)""")
                .params(
                        id,
                        identityId,
                        digest,
                        method,
                        clientSecretId,
                        name,
                        s.ttl(),
                        s.maxTtl(),
                        s.numUsesLimit(),
                        s.period(),
                        trustedIpsJson,
                        false,
                        now,
                        now)
                .update();
    }

    Optional<TokenRow> findByDigest(String digest) {
        return jdbc.sql("""
                SELECT t.id, t.identity_id, t.auth_method, t.access_token_ttl, t.access_token_max_ttl,
                       t.access_token_num_uses, t.access_token_num_uses_limit, t.access_token_period, t.trusted_ips,
                       t.is_revoked, t.last_renewed_at, t.created_at, i.name, i.org_id, m.role, m.is_active, i.metadata,
                       (SELECT value FROM access_epoch WHERE id = 1)
                FROM identity_access_tokens t
                JOIN identities i ON i.id = t.identity_id
                LEFT JOIN org_memberships m ON m.org_id = i.org_id AND m.actor_type = 'identity' AND m.actor_id = i.id
                WHERE t.token_digest = ?""")
                .param(digest)
                .query((rs, n) -> new TokenRow(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getLong(4),
                        rs.getLong(5),
                        rs.getLong(6),
                        rs.getLong(7),
                        rs.getLong(8),
                        rs.getString(9),
                        rs.getBoolean(10),
                        rs.getObject(11) == null ? null : rs.getLong(11),
                        rs.getLong(12),
                        rs.getString(13),
                        rs.getString(14),
                        rs.getString(15),
                        rs.getBoolean(16),
                        rs.getString(17),
                        rs.getLong(18)))
                .optional();
    }

    /** Counts one use, unless the limit is already reached; false when it was. */
    boolean countUse(String id) {
        return jdbc.sql("""
                UPDATE identity_access_tokens SET access_token_num_uses = access_token_num_uses + 1
                WHERE id = ? AND access_token_num_uses < access_token_num_uses_limit""").param(id).update() == 1;
    }

    void markRenewed(String id, long now) {
        jdbc.sql("UPDATE identity_access_tokens SET last_renewed_at = ?, updated_at = ? WHERE id = ?")
                .params(now, now, id)
                .update();
    }

    void revoke(String id, long now) {
        jdbc.sql("UPDATE identity_access_tokens SET is_revoked = ?, updated_at = ? WHERE id = ?")
                .params(true, now, id)
                .update();
    }

    void revokeByClientSecret(String clientSecretId, long now) {
        jdbc.sql("UPDATE identity_access_tokens SET is_revoked = ?, updated_at = ? WHERE client_secret_id = ?")
                .params(true, now, clientSecretId)
                .update();
    }

    void revokeByMethod(String identityId, String method, long now) {
        jdbc.sql(
                        "UPDATE identity_access_tokens SET is_revoked = ?, updated_at = ? WHERE identity_id = ? AND auth_method = ?")
                .params(true, now, identityId, method)
                .update();
    }
}
