package dev.keyhaven.server.people;

import dev.keyhaven.server.actor.ActorType;
import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Audit rows for people's logins and account security events. They name the person, the method
 * and the reason, never a password, code or token. Events belong to an organization; a person
 * who belongs to none leaves only log lines.
 */
@Component
class SessionAudit {
    private final AuditLog audit;

    SessionAudit(AuditLog audit) {
        this.audit = audit;
    }

    void loggedIn(Account a, String orgId, String method, String ip, String userAgent) {
        event(orgId, a.id(), a.email(), AuditEventType.USER_LOGIN, Map.of("method", method), ip, userAgent);
    }

    void loginFailed(Account a, String orgId, String reason, String ip, String userAgent) {
        event(orgId, a.id(), a.email(), AuditEventType.USER_LOGIN_FAILED, Map.of("reason", reason), ip, userAgent);
    }

    void refreshReuse(String userId, String orgId, String email, String ip, String userAgent) {
        event(
                orgId,
                userId,
                email,
                AuditEventType.SESSION_REFRESH_TOKEN_REUSE,
                Map.of("action", "session revoked"),
                ip,
                userAgent);
    }

    void event(
            String orgId,
            String userId,
            String email,
            AuditEventType type,
            Map<String, Object> metadata,
            String ip,
            String userAgent) {
        if (orgId != null) {
            audit.record(AuditEvent.byPrincipal(orgId, ActorType.USER, userId, email, type, metadata, ip, userAgent));
        }
    }
}
