package dev.keyhaven.server.people;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for people's sessions and their access and refresh tokens (stored as keyed digests). */
@Repository
class SessionStore {
    static final String ACCESS = "access";
    static final String REFRESH = "refresh";

    /** A session as one request sees it: the session, its person, and the policy of its organization. */
    record Resolved(
            String sessionId,
            String userId,
            String email,
            String firstName,
            String lastName,
            String orgId,
            String authMethod,
            boolean mfaVerified,
            String csrfDigest,
            long createdAt,
            long lastUsedAt,
            Long revokedAt,
            String kind,
            long tokenExpiresAt,
            Long tokenUsedAt,
            String mfaMethod,
            String orgRole,
            boolean orgActive,
            String orgStatus,
            boolean enforceMfa,
            String sessionLength,
            String loginMethods,
            String emailDomains,
            long accessEpoch) {}

    record Row(
            String id,
            String userId,
            String orgId,
            String authMethod,
            String ipAddress,
            String userAgent,
            long createdAt,
            long lastUsedAt,
            long expiresAt,
            Long revokedAt) {}

    private final JdbcClient jdbc;

    SessionStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insertSession(
            String id,
            String userId,
            String orgId,
            String method,
            boolean mfaVerified,
            String csrfDigest,
            String ip,
            String userAgent,
            long now,
            long expiresAt) {
        jdbc.sql("""
                INSERT INTO user_sessions (id, user_id, org_id, auth_method, mfa_verified, csrf_digest, ip_address,
                    user_agent, created_at, last_used_at, expires_at, revoked_at, revoke_reason)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,NULL,NULL)""")
                .params(id, userId, orgId, method, mfaVerified, csrfDigest, ip, userAgent, now, now, expiresAt)
                .update();
    }

    void insertToken(String digest, String sessionId, String kind, long expiresAt, long now) {
        jdbc.sql(
                        "INSERT INTO user_session_tokens (token_digest, session_id, kind, expires_at, used_at, created_at) VALUES (?,?,?,?,NULL,?)")
                .params(digest, sessionId, kind, expiresAt, now)
                .update();
    }

    /**
     * One indexed lookup: token → session → person → membership and policy of the session's org,
     * and the access epoch (for the permission cache, which then needs no query of its own).
     */
    Optional<Resolved> resolve(String digest) {
        return jdbc.sql("""
                SELECT s.id, s.user_id, u.email, u.first_name, u.last_name, s.org_id, s.auth_method, s.mfa_verified,
                       s.csrf_digest, s.created_at, s.last_used_at, s.revoked_at, t.kind, t.expires_at, t.used_at,
                       u.mfa_method, m.role, m.is_active, m.status, o.enforce_mfa, o.user_token_expiration,
                       o.allowed_login_methods, o.allowed_email_domains, (SELECT value FROM access_epoch WHERE id = 1)
                FROM user_session_tokens t
                JOIN user_sessions s ON s.id = t.session_id
                JOIN users u ON u.id = s.user_id
                LEFT JOIN organizations o ON o.id = s.org_id
                LEFT JOIN org_memberships m ON m.org_id = s.org_id AND m.actor_type = 'user' AND m.actor_id = s.user_id
                WHERE t.token_digest = ?""")
                .param(digest)
                .query((rs, i) -> new Resolved(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getBoolean(8),
                        rs.getString(9),
                        rs.getLong(10),
                        rs.getLong(11),
                        rs.getObject(12) == null ? null : rs.getLong(12),
                        rs.getString(13),
                        rs.getLong(14),
                        rs.getObject(15) == null ? null : rs.getLong(15),
                        rs.getString(16),
                        rs.getString(17),
                        rs.getBoolean(18),
                        rs.getString(19),
                        rs.getBoolean(20),
                        rs.getString(21),
                        rs.getString(22),
                        rs.getString(23),
                        rs.getLong(24)))
                .optional();
    }

    /** Uses a refresh token once; false when it was already used (a replay). */
    boolean useToken(String digest, long now) {
        return jdbc.sql("UPDATE user_session_tokens SET used_at = ? WHERE token_digest = ? AND used_at IS NULL")
                        .params(now, digest)
                        .update()
                == 1;
    }

    /** Ends the session's older access tokens when a refresh hands out new ones. */
    void expireAccessTokens(String sessionId, long now) {
        jdbc.sql("UPDATE user_session_tokens SET expires_at = ? WHERE session_id = ? AND kind = ? AND expires_at > ?")
                .params(now, sessionId, ACCESS, now)
                .update();
    }

    int deleteTokensExpiredBefore(long cutoff) {
        return jdbc.sql("DELETE FROM user_session_tokens WHERE expires_at < ?")
                .param(cutoff)
                .update();
    }

    /** Sessions that expired or were ended before the cutoff (their tokens go with them). */
    int deleteSessionsEndedBefore(long cutoff) {
        return jdbc.sql("DELETE FROM user_sessions WHERE expires_at < ? OR revoked_at < ?")
                .params(cutoff, cutoff)
                .update();
    }

    void touch(String sessionId, long now) {
        jdbc.sql("UPDATE user_sessions SET last_used_at = ? WHERE id = ?")
                .params(now, sessionId)
                .update();
    }

    void setOrg(String sessionId, String orgId) {
        jdbc.sql("UPDATE user_sessions SET org_id = ? WHERE id = ?")
                .params(orgId, sessionId)
                .update();
    }

    void updateCsrf(String sessionId, String csrfDigest) {
        jdbc.sql("UPDATE user_sessions SET csrf_digest = ? WHERE id = ?")
                .params(csrfDigest, sessionId)
                .update();
    }

    void markMfaVerified(String sessionId) {
        jdbc.sql("UPDATE user_sessions SET mfa_verified = ? WHERE id = ?")
                .params(true, sessionId)
                .update();
    }

    int revoke(String sessionId, String reason, long now) {
        return jdbc.sql(
                        "UPDATE user_sessions SET revoked_at = ?, revoke_reason = ? WHERE id = ? AND revoked_at IS NULL")
                .params(now, reason, sessionId)
                .update();
    }

    /** Ends every live session of a person except {@code keep} (null ends all). */
    int revokeAllOf(String userId, String keep, String reason, long now) {
        String sql =
                "UPDATE user_sessions SET revoked_at = ?, revoke_reason = ? WHERE user_id = ? AND revoked_at IS NULL";
        return keep == null
                ? jdbc.sql(sql).params(now, reason, userId).update()
                : jdbc.sql(sql + " AND id <> ?")
                        .params(now, reason, userId, keep)
                        .update();
    }

    List<Row> liveSessions(String userId, long now) {
        return jdbc.sql("""
                SELECT id, user_id, org_id, auth_method, ip_address, user_agent, created_at, last_used_at, expires_at,
                       revoked_at
                FROM user_sessions WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ?
                ORDER BY last_used_at DESC""")
                .params(userId, now)
                .query((rs, i) -> new Row(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getLong(7),
                        rs.getLong(8),
                        rs.getLong(9),
                        null))
                .list();
    }

    Optional<Row> session(String id) {
        return jdbc.sql("""
                SELECT id, user_id, org_id, auth_method, ip_address, user_agent, created_at, last_used_at, expires_at,
                       revoked_at
                FROM user_sessions WHERE id = ?""")
                .param(id)
                .query((rs, i) -> new Row(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getLong(7),
                        rs.getLong(8),
                        rs.getLong(9),
                        rs.getObject(10) == null ? null : rs.getLong(10)))
                .optional();
    }

    /** An organization where the person is an active, accepted member, with its login policy. */
    record OrgChoice(
            String orgId,
            String name,
            String slug,
            String role,
            String loginMethods,
            String emailDomains,
            boolean enforceMfa,
            String sessionLength) {}

    /** The person's organizations, oldest membership first. */
    List<OrgChoice> orgsOf(String userId) {
        return jdbc.sql("""
                SELECT o.id, o.name, o.slug, m.role, o.allowed_login_methods, o.allowed_email_domains, o.enforce_mfa,
                       o.user_token_expiration
                FROM org_memberships m JOIN organizations o ON o.id = m.org_id
                WHERE m.actor_type = 'user' AND m.actor_id = ? AND m.is_active = ? AND m.status = 'accepted'
                ORDER BY m.created_at, o.id""")
                .params(userId, true)
                .query((rs, i) -> new OrgChoice(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getBoolean(7),
                        rs.getString(8)))
                .list();
    }
}
