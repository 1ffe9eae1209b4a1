package dev.keyhaven.server.identity;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for universal-auth configurations, their client secrets and lockout counters. */
@Repository
class UniversalAuthStore extends MethodConfigStore<UniversalAuthStore.Config> {
    record Config(
            String id,
            String identityId,
            String clientId,
            CommonTokenConfig common,
            long period,
            String clientSecretTrustedIps,
            boolean lockoutEnabled,
            int lockoutThreshold,
            int lockoutDurationSeconds,
            int lockoutCounterResetSeconds,
            long createdAt,
            long updatedAt)
            implements MethodConfigStore.Stored {}

    record ClientSecret(
            String id,
            String uaId,
            String description,
            String prefix,
            long numUses,
            long numUsesLimit,
            long ttl,
            boolean revoked,
            long createdAt,
            long updatedAt) {}

    record Lockout(int failedCount, long firstFailedAt, long lockedUntil) {}

    private static final RowMapper<Config> CONFIG = (rs, i) -> new Config(
            rs.getString("id"),
            rs.getString("identity_id"),
            rs.getString("client_id"),
            TokenColumns.read(rs),
            rs.getLong("access_token_period"),
            rs.getString("client_secret_trusted_ips"),
            rs.getBoolean("lockout_enabled"),
            rs.getInt("lockout_threshold"),
            rs.getInt("lockout_duration_seconds"),
            rs.getInt("lockout_counter_reset_seconds"),
            rs.getLong("created_at"),
            rs.getLong("updated_at"));

    private static final RowMapper<ClientSecret> SECRET = (rs, i) -> new ClientSecret(
            rs.getString("id"),
            rs.getString("identity_ua_id"),
            rs.getString("description"),
            rs.getString("prefix"),
            rs.getLong("num_uses"),
            rs.getLong("num_uses_limit"),
            rs.getLong("ttl"),
            rs.getBoolean("is_revoked"),
            rs.getLong("created_at"),
            rs.getLong("updated_at"));

    private static final String SECRET_COLUMNS =
            "id, identity_ua_id, description, prefix, num_uses, num_uses_limit, ttl, is_revoked, created_at, updated_at";

    UniversalAuthStore(JdbcClient jdbc) {
        super(jdbc, "identity_universal_auths", CONFIG);
    }

    @Override
    void insert(Config c) {
        jdbc.sql("""
                INSERT INTO identity_universal_auths (%s, id, identity_id, client_id, access_token_period,
                    client_secret_trusted_ips, lockout_enabled, lockout_threshold, lockout_duration_seconds,
                    lockout_counter_reset_seconds, created_at, updated_at)
                VALUES (%s, ?,?,?,?,?,?,?,?,?,?,?)""".formatted(TokenColumns.NAMES, TokenColumns.MARKS))
                .params(TokenColumns.params(
                        c.common(),
                        c.id(),
                        c.identityId(),
                        c.clientId(),
                        c.period(),
                        c.clientSecretTrustedIps(),
                        c.lockoutEnabled(),
                        c.lockoutThreshold(),
                        c.lockoutDurationSeconds(),
                        c.lockoutCounterResetSeconds(),
                        c.createdAt(),
                        c.updatedAt()))
                .update();
    }

    @Override
    void update(Config c) {
        jdbc.sql("""
                UPDATE identity_universal_auths SET %s, access_token_period = ?, client_secret_trusted_ips = ?,
                    lockout_enabled = ?, lockout_threshold = ?, lockout_duration_seconds = ?,
                    lockout_counter_reset_seconds = ?, updated_at = ?
                WHERE id = ?""".formatted(TokenColumns.ASSIGNMENTS))
                .params(TokenColumns.params(
                        c.common(),
                        c.period(),
                        c.clientSecretTrustedIps(),
                        c.lockoutEnabled(),
                        c.lockoutThreshold(),
                        c.lockoutDurationSeconds(),
                        c.lockoutCounterResetSeconds(),
                        c.updatedAt(),
                        c.id()))
                .update();
    }

    Optional<Config> byClientId(String clientId) {
        return jdbc.sql("SELECT * FROM identity_universal_auths WHERE client_id = ?")
                .param(clientId)
                .query(CONFIG)
                .optional();
    }

    void insertSecret(ClientSecret s, String digest) {
        jdbc.sql("INSERT INTO identity_ua_client_secrets (" + SECRET_COLUMNS
                        + ", secret_digest) VALUES (?,?,?,?,?,?,?,?,?,?,?)")
                .params(
                        s.id(),
                        s.uaId(),
                        s.description(),
                        s.prefix(),
                        s.numUses(),
                        s.numUsesLimit(),
                        s.ttl(),
                        s.revoked(),
                        s.createdAt(),
                        s.updatedAt(),
                        digest)
                .update();
    }

    Optional<ClientSecret> secretByDigest(String uaId, String digest) {
        return jdbc.sql("SELECT " + SECRET_COLUMNS
                        + " FROM identity_ua_client_secrets WHERE secret_digest = ? AND identity_ua_id = ?")
                .params(digest, uaId)
                .query(SECRET)
                .optional();
    }

    Optional<ClientSecret> secret(String uaId, String id) {
        return jdbc.sql("SELECT " + SECRET_COLUMNS
                        + " FROM identity_ua_client_secrets WHERE id = ? AND identity_ua_id = ?")
                .params(id, uaId)
                .query(SECRET)
                .optional();
    }

    List<ClientSecret> activeSecrets(String uaId) {
        return jdbc.sql(
                        "SELECT " + SECRET_COLUMNS
                                + " FROM identity_ua_client_secrets WHERE identity_ua_id = ? AND is_revoked = ? ORDER BY created_at, id")
                .params(uaId, false)
                .query(SECRET)
                .list();
    }

    /** Counts one use, unless revoked or at its limit; false when the secret can no longer be used. */
    boolean countSecretUse(String id, long now) {
        return jdbc.sql("""
                UPDATE identity_ua_client_secrets SET num_uses = num_uses + 1, updated_at = ?
                WHERE id = ? AND is_revoked = ? AND (num_uses_limit = 0 OR num_uses < num_uses_limit)""").params(now, id, false).update() == 1;
    }

    void revokeSecret(String id, long now) {
        jdbc.sql("UPDATE identity_ua_client_secrets SET is_revoked = ?, updated_at = ? WHERE id = ?")
                .params(true, now, id)
                .update();
    }

    Optional<Lockout> lockout(String uaId, String ip) {
        return jdbc.sql(
                        "SELECT failed_count, first_failed_at, locked_until FROM identity_ua_lockouts WHERE identity_ua_id = ? AND ip_address = ?")
                .params(uaId, ip)
                .query((rs, i) -> new Lockout(rs.getInt(1), rs.getLong(2), rs.getLong(3)))
                .optional();
    }

    void saveLockout(String uaId, String ip, Lockout l) {
        jdbc.sql("""
                INSERT INTO identity_ua_lockouts (identity_ua_id, ip_address, failed_count, first_failed_at, locked_until)
                VALUES (?,?,?,?,?)
                ON CONFLICT (identity_ua_id, ip_address) DO UPDATE SET failed_count = excluded.failed_count,
                    first_failed_at = excluded.first_failed_at, locked_until = excluded.locked_until""")
                .params(uaId, ip, l.failedCount(), l.firstFailedAt(), l.lockedUntil())
                .update();
    }

    void clearLockout(String uaId, String ip) {
        jdbc.sql("DELETE FROM identity_ua_lockouts WHERE identity_ua_id = ? AND ip_address = ?")
                .params(uaId, ip)
                .update();
    }

    int clearLockouts(String uaId) {
        return jdbc.sql("DELETE FROM identity_ua_lockouts WHERE identity_ua_id = ?")
                .param(uaId)
                .update();
    }
}
