package dev.keyhaven.server.identity;

import dev.keyhaven.server.actor.ActorType;
import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Audit rows of machine-identity logins, the same for every method: {@code login-identity-<method>}
 * inside the login's transaction, and {@code …-failed} with the reason (never the credential) in a
 * transaction of its own, so a refused login is recorded even though nothing else commits.
 */
@Component
class LoginAudit {
    private final AuditLog audit;
    private final TransactionTemplate tx;

    LoginAudit(AuditLog audit, TransactionTemplate tx) {
        this.audit = audit;
        this.tx = tx;
    }

    /** Records a successful login; call inside the transaction that issues the token. */
    void succeeded(String method, Identity identity, String ip, String userAgent, Map<String, Object> meta) {
        audit.record(event(identity, ip, userAgent, AuditEventType.identityLogin(method), meta));
    }

    void failed(String method, Identity identity, String ip, String userAgent, String reason) {
        tx.executeWithoutResult(s -> audit.record(event(
                identity,
                ip,
                userAgent,
                AuditEventType.identityLoginFailed(method),
                Map.of("identityId", identity.id(), "reason", reason))));
    }

    private static AuditEvent event(
            Identity identity, String ip, String userAgent, AuditEventType type, Map<String, Object> meta) {
        return AuditEvent.byPrincipal(
                identity.orgId(), ActorType.IDENTITY, identity.id(), identity.name(), type, meta, ip, userAgent);
    }
}
