package dev.keyhaven.server.identity;

import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one way an auth method changes an identity's configuration: the change and its audit row
 * (naming the identity) commit together, for every method alike.
 */
@Component
class AuthConfigChanges {
    private final AuditLog audit;
    private final TransactionTemplate tx;

    AuthConfigChanges(AuditLog audit, TransactionTemplate tx) {
        this.audit = audit;
        this.tx = tx;
    }

    void apply(Actor actor, AuditEventType event, String identityId, Runnable change) {
        tx.executeWithoutResult(s -> {
            change.run();
            audit.record(AuditEvent.of(actor, null, null, event, Map.of("identityId", identityId)));
        });
    }
}
