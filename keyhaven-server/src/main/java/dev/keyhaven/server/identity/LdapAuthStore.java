package dev.keyhaven.server.identity;

import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL for LDAP-auth configurations (the bind DN and password as sealed ciphertexts, lists as JSON)
 * and their failed-login counters per username digest.
 */
@Repository
class LdapAuthStore extends MethodConfigStore<LdapAuthStore.Config> {
    record Config(
            String id,
            String identityId,
            String url,
            boolean startTls,
            String caCert,
            String bindDnCt,
            String bindPassCt,
            String searchBase,
            String searchFilter,
            String allowedFieldsJson,
            String allowedGroupsJson,
            String allowedDnPatternsJson,
            CommonTokenConfig common,
            Lockouts lockouts,
            long createdAt,
            long updatedAt)
            implements MethodConfigStore.Stored {}

    /** The lockout settings, with Infisical's names and limits. */
    record Lockouts(boolean enabled, int threshold, int durationSeconds, int counterResetSeconds) {}

    record Lockout(int failedCount, long firstFailedAt, long lockedUntil) {}

    private static final RowMapper<Config> CONFIG = (rs, i) -> new Config(
            rs.getString("id"),
            rs.getString("identity_id"),
            rs.getString("url"),
            rs.getBoolean("use_start_tls"),
            rs.getString("ca_cert"),
            rs.getString("bind_dn_ct"),
            rs.getString("bind_pass_ct"),
            rs.getString("search_base"),
            rs.getString("search_filter"),
            rs.getString("allowed_fields"),
            rs.getString("allowed_groups"),
            rs.getString("allowed_dn_patterns"),
            TokenColumns.read(rs),
            new Lockouts(
                    rs.getBoolean("lockout_enabled"),
                    rs.getInt("lockout_threshold"),
                    rs.getInt("lockout_duration_seconds"),
                    rs.getInt("lockout_counter_reset_seconds")),
            rs.getLong("created_at"),
            rs.getLong("updated_at"));

    LdapAuthStore(JdbcClient jdbc) {
        super(jdbc, "identity_ldap_auths", CONFIG);
    }

    @Override
    void insert(Config c) {
        jdbc.sql("""
                INSERT INTO identity_ldap_auths (%s, id, identity_id, url, use_start_tls, ca_cert, bind_dn_ct,
                    bind_pass_ct, search_base, search_filter, allowed_fields, allowed_groups,
                    allowed_dn_patterns, lockout_enabled, lockout_threshold, lockout_duration_seconds,
                    lockout_counter_reset_seconds, created_at, updated_at)
                VALUES (%s, ?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""".formatted(TokenColumns.NAMES, TokenColumns.MARKS))
                .params(TokenColumns.params(
                        c.common(),
                        c.id(),
                        c.identityId(),
                        c.url(),
                        c.startTls(),
                        c.caCert(),
                        c.bindDnCt(),
                        c.bindPassCt(),
                        c.searchBase(),
                        c.searchFilter(),
                        c.allowedFieldsJson(),
                        c.allowedGroupsJson(),
                        c.allowedDnPatternsJson(),
                        c.lockouts().enabled(),
                        c.lockouts().threshold(),
                        c.lockouts().durationSeconds(),
                        c.lockouts().counterResetSeconds(),
                        c.createdAt(),
                        c.updatedAt()))
                .update();
    }

    @Override
    void update(Config c) {
        jdbc.sql("""
                UPDATE identity_ldap_auths SET %s, url = ?, use_start_tls = ?, ca_cert = ?, bind_dn_ct = ?,
                    bind_pass_ct = ?, search_base = ?, search_filter = ?, allowed_fields = ?, allowed_groups =
                    ?, allowed_dn_patterns = ?, lockout_enabled = ?, lockout_threshold = ?,
                    lockout_duration_seconds = ?, lockout_counter_reset_seconds = ?, updated_at = ?
                WHERE id = ?""".formatted(TokenColumns.ASSIGNMENTS))
                .params(TokenColumns.params(
                        c.common(),
                        c.url(),
                        c.startTls(),
                        c.caCert(),
                        c.bindDnCt(),
                        c.bindPassCt(),
                        c.searchBase(),
                        c.searchFilter(),
                        c.allowedFieldsJson(),
                        c.allowedGroupsJson(),
                        c.allowedDnPatternsJson(),
                        c.lockouts().enabled(),
                        c.lockouts().threshold(),
                        c.lockouts().durationSeconds(),
                        c.lockouts().counterResetSeconds(),
                        c.updatedAt(),
                        c.id()))
                .update();
    }

    Optional<Lockout> lockout(String configId, String usernameDigest) {
        return jdbc.sql("""
                SELECT failed_count, first_failed_at, locked_until FROM identity_ldap_auth_lockouts
                WHERE identity_ldap_auth_id = ? AND username_digest = ?""")
                .params(configId, usernameDigest)
                .query((rs, i) -> new Lockout(rs.getInt(1), rs.getLong(2), rs.getLong(3)))
                .optional();
    }

    void saveLockout(String configId, String usernameDigest, Lockout l) {
        jdbc.sql("""
                INSERT INTO identity_ldap_auth_lockouts (identity_ldap_auth_id, username_digest, failed_count,
                    first_failed_at, locked_until)
                VALUES (?,?,?,?,?)
                ON CONFLICT (identity_ldap_auth_id, username_digest) DO UPDATE SET failed_count = excluded.failed_count,
                    first_failed_at = excluded.first_failed_at, locked_until = excluded.locked_until""")
                .params(configId, usernameDigest, l.failedCount(), l.firstFailedAt(), l.lockedUntil())
                .update();
    }

    void clearLockout(String configId, String usernameDigest) {
        jdbc.sql("DELETE FROM identity_ldap_auth_lockouts WHERE identity_ldap_auth_id = ? AND username_digest = ?")
                .params(configId, usernameDigest)
                .update();
    }

    int clearLockouts(String configId) {
        return jdbc.sql("DELETE FROM identity_ldap_auth_lockouts WHERE identity_ldap_auth_id = ?")
                .param(configId)
                .update();
    }
}
