package dev.keyhaven.server.people;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for people's credentials: password, lockout, second factor, single-use tokens, known addresses. */
@Repository
class AccountStore {
    private static final String COLUMNS = """
            id, email, username, first_name, last_name, password_hash, super_admin, is_email_verified,
            failed_login_count, locked_until, mfa_method, totp_secret, totp_confirmed, totp_last_step,
            mfa_failed_count, mfa_locked_until""";

    /** A single-use token row. */
    record TokenRow(
            String id,
            String userId,
            String purpose,
            String payload,
            int attempts,
            long expiresAt,
            Long usedAt,
            String digest) {}

    private final JdbcClient jdbc;

    AccountStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Account> byEmail(String email) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE email = ?")
                .param(email)
                .query(AccountStore::account)
                .optional();
    }

    Optional<Account> byId(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE id = ?")
                .param(id)
                .query(AccountStore::account)
                .optional();
    }

    void insert(String id, String email, String firstName, String lastName, String passwordHash, long now) {
        jdbc.sql("""
                INSERT INTO users (id, email, username, first_name, last_name, password_hash, super_admin,
                    is_email_verified, created_at, updated_at)
                VALUES (?,?,?,?,?,?,?,?,?,?)""")
                .params(id, email, email, firstName, lastName, passwordHash, false, false, now, now)
                .update();
    }

    void markVerified(String id, long now) {
        jdbc.sql("UPDATE users SET is_email_verified = ?, updated_at = ? WHERE id = ?")
                .params(true, now, id)
                .update();
    }

    /** Sets the password (and, for an invited person completing the account, names). */
    void setPassword(String id, String hash, long now) {
        jdbc.sql("""
                UPDATE users SET password_hash = ?, failed_login_count = 0, locked_until = NULL, updated_at = ?
                WHERE id = ?""").params(hash, now, id).update();
    }

    void setNames(String id, String firstName, String lastName, long now) {
        jdbc.sql("UPDATE users SET first_name = ?, last_name = ?, updated_at = ? WHERE id = ?")
                .params(firstName, lastName, now, id)
                .update();
    }

    /** Counts a failed password and locks the account once the count reaches the threshold. */
    void recordFailedLogin(String id, int threshold, long lockUntil) {
        jdbc.sql("UPDATE users SET failed_login_count = failed_login_count + 1 WHERE id = ?")
                .param(id)
                .update();
        jdbc.sql("""
                UPDATE users SET locked_until = ?, failed_login_count = 0
                WHERE id = ? AND failed_login_count >= ?""").params(lockUntil, id, threshold).update();
    }

    void clearFailedLogins(String id) {
        jdbc.sql(
                        "UPDATE users SET failed_login_count = 0, locked_until = NULL WHERE id = ? AND (failed_login_count > 0 OR locked_until IS NOT NULL)")
                .param(id)
                .update();
    }

    // ---- second factor

    void setPendingTotp(String id, String sealedSecret, long now) {
        jdbc.sql("UPDATE users SET totp_secret = ?, totp_confirmed = ?, updated_at = ? WHERE id = ?")
                .params(sealedSecret, false, now, id)
                .update();
    }

    void confirmTotp(String id, long step, long now) {
        jdbc.sql(
                        "UPDATE users SET totp_confirmed = ?, totp_last_step = ?, mfa_method = 'totp', updated_at = ? WHERE id = ?")
                .params(true, step, now, id)
                .update();
    }

    void setMfaMethod(String id, String method, long now) {
        jdbc.sql("UPDATE users SET mfa_method = ?, updated_at = ? WHERE id = ?")
                .params(method, now, id)
                .update();
    }

    void clearMfa(String id, long now) {
        jdbc.sql("""
                UPDATE users SET mfa_method = NULL, totp_secret = NULL, totp_confirmed = ?, totp_last_step = 0,
                    updated_at = ? WHERE id = ?""").params(false, now, id).update();
        jdbc.sql("DELETE FROM user_recovery_codes WHERE user_id = ?").param(id).update();
    }

    /**
     * Records an accepted TOTP step, only if it is later than the last one: two requests racing
     * with the same code cannot both win. False when another request used the step first.
     */
    boolean advanceTotpStep(String id, long step) {
        return jdbc.sql(
                                "UPDATE users SET totp_last_step = ?, mfa_failed_count = 0, mfa_locked_until = NULL WHERE id = ? AND totp_last_step < ?")
                        .params(step, id, step)
                        .update()
                == 1;
    }

    void recordMfaFailure(String id, int threshold, long lockUntil) {
        jdbc.sql("UPDATE users SET mfa_failed_count = mfa_failed_count + 1 WHERE id = ?")
                .param(id)
                .update();
        jdbc.sql("UPDATE users SET mfa_locked_until = ?, mfa_failed_count = 0 WHERE id = ? AND mfa_failed_count >= ?")
                .params(lockUntil, id, threshold)
                .update();
    }

    void clearMfaFailures(String id) {
        jdbc.sql("UPDATE users SET mfa_failed_count = 0, mfa_locked_until = NULL WHERE id = ? AND mfa_failed_count > 0")
                .param(id)
                .update();
    }

    void replaceRecoveryCodes(String userId, List<String[]> idAndDigest, long now) {
        jdbc.sql("DELETE FROM user_recovery_codes WHERE user_id = ?")
                .param(userId)
                .update();
        for (String[] c : idAndDigest) {
            jdbc.sql(
                            "INSERT INTO user_recovery_codes (id, user_id, code_digest, used_at, created_at) VALUES (?,?,?,NULL,?)")
                    .params(c[0], userId, c[1], now)
                    .update();
        }
    }

    /** Uses an unused recovery code; false when there is none with that digest. */
    boolean useRecoveryCode(String userId, String digest, long now) {
        return jdbc.sql(
                                "UPDATE user_recovery_codes SET used_at = ? WHERE user_id = ? AND code_digest = ? AND used_at IS NULL")
                        .params(now, userId, digest)
                        .update()
                == 1;
    }

    long unusedRecoveryCodes(String userId) {
        return jdbc.sql("SELECT COUNT(*) FROM user_recovery_codes WHERE user_id = ? AND used_at IS NULL")
                .param(userId)
                .query(Long.class)
                .single();
    }

    // ---- single-use tokens

    void insertToken(
            String id, String userId, String purpose, String digest, String payload, long expiresAt, long now) {
        jdbc.sql("""
                INSERT INTO user_tokens (id, user_id, purpose, token_digest, payload, attempts, expires_at, used_at, created_at)
                VALUES (?,?,?,?,?,0,?,NULL,?)""")
                .params(id, userId, purpose, digest, payload, expiresAt, now)
                .update();
    }

    Optional<TokenRow> token(String digest, String purpose) {
        return jdbc.sql("""
                SELECT id, user_id, purpose, payload, attempts, expires_at, used_at, token_digest FROM user_tokens
                WHERE token_digest = ? AND purpose = ?""")
                .params(digest, purpose)
                .query((rs, i) -> new TokenRow(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getInt(5),
                        rs.getLong(6),
                        rs.getObject(7) == null ? null : rs.getLong(7),
                        rs.getString(8)))
                .optional();
    }

    /** The newest unused token of a purpose for a person (e-mail MFA codes are checked this way). */
    Optional<TokenRow> latestToken(String userId, String purpose) {
        return jdbc.sql("""
                SELECT id, user_id, purpose, payload, attempts, expires_at, used_at, token_digest FROM user_tokens
                WHERE user_id = ? AND purpose = ? AND used_at IS NULL ORDER BY created_at DESC LIMIT 1""")
                .params(userId, purpose)
                .query((rs, i) -> new TokenRow(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getInt(5),
                        rs.getLong(6),
                        rs.getObject(7) == null ? null : rs.getLong(7),
                        rs.getString(8)))
                .optional();
    }

    /** Marks a token used; false when another request used it first. */
    boolean useToken(String id, long now) {
        return jdbc.sql("UPDATE user_tokens SET used_at = ? WHERE id = ? AND used_at IS NULL")
                        .params(now, id)
                        .update()
                == 1;
    }

    void countAttempt(String id) {
        jdbc.sql("UPDATE user_tokens SET attempts = attempts + 1 WHERE id = ?")
                .param(id)
                .update();
    }

    /** Voids every unused token of a purpose (a new reset link voids the older ones). */
    void voidTokens(String userId, String purpose, long now) {
        jdbc.sql("UPDATE user_tokens SET used_at = ? WHERE user_id = ? AND purpose = ? AND used_at IS NULL")
                .params(now, userId, purpose)
                .update();
    }

    int deleteTokensExpiredBefore(long cutoff) {
        return jdbc.sql("DELETE FROM user_tokens WHERE expires_at < ?")
                .param(cutoff)
                .update();
    }

    // ---- known addresses

    /** Remembers the address; true when it is new for this person. */
    boolean rememberIp(String userId, String ip, long now) {
        return jdbc.sql(
                                "INSERT INTO user_known_ips (user_id, ip_address, first_seen) VALUES (?,?,?) ON CONFLICT DO NOTHING")
                        .params(userId, ip, now)
                        .update()
                == 1;
    }

    boolean hasKnownIps(String userId) {
        return jdbc.sql("SELECT COUNT(*) FROM user_known_ips WHERE user_id = ?")
                        .param(userId)
                        .query(Long.class)
                        .single()
                > 0;
    }

    private static Account account(ResultSet rs, int i) throws SQLException {
        return new Account(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getBoolean(7),
                rs.getBoolean(8),
                rs.getInt(9),
                longOrNull(rs, 10),
                rs.getString(11),
                rs.getString(12),
                rs.getBoolean(13),
                rs.getLong(14),
                rs.getInt(15),
                longOrNull(rs, 16));
    }

    private static Long longOrNull(ResultSet rs, int col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }
}
