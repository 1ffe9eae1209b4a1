package dev.keyhaven.server.audit;

import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The audit trail in the server's own database ({@code audit_logs}), which the audit-logs API
 * reads: the first {@link AuditSink}. A change's row is one insert in the change's transaction; a
 * batch of reads is one JDBC batch in the batch's transaction. It runs first, so the trail is
 * written before any other sink sees the event.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class DatabaseAuditSink implements AuditSink {
    private final AuditStore store;

    DatabaseAuditSink(AuditStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "database";
    }

    @Override
    public void write(List<RecordedEvent> events) {
        if (events.size() == 1) {
            store.insert(events.get(0));
        } else if (!events.isEmpty()) {
            store.insertAll(events);
        }
    }
}
