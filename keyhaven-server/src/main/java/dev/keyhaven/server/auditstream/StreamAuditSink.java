package dev.keyhaven.server.auditstream;

import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditSink;
import dev.keyhaven.server.audit.RecordedEvent;
import dev.keyhaven.server.outbox.Outbox;
import dev.keyhaven.server.platform.json.Iso;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * The audit sink of the streams: for each event, one outbox item per stream of the event's
 * organization, written in the event's own transaction (the change's, or a read batch's), so a
 * stream receives exactly the events the trail commits. The item's payload is the event as the
 * audit-logs API answers it (Infisical's shape, with the trail row's id); its target is the
 * stream's id, which keeps each stream's items in order. An organization without streams costs no
 * write and, thanks to {@link StreamDirectory}, almost never a query.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE)
class StreamAuditSink implements AuditSink {
    private final StreamDirectory directory;
    private final Outbox outbox;
    private final ObjectMapper json;

    StreamAuditSink(StreamDirectory directory, Outbox outbox, ObjectMapper json) {
        this.directory = directory;
        this.outbox = outbox;
        this.json = json;
    }

    @Override
    public String name() {
        return "streams";
    }

    @Override
    public void write(List<RecordedEvent> events) {
        for (RecordedEvent r : events) {
            String orgId = r.event().orgId();
            if (orgId == null) {
                continue;
            }
            List<AuditStreamStore.Target> targets = directory.targets(orgId);
            if (targets.isEmpty()) {
                continue;
            }
            String payload = json.writeValueAsString(wire(r));
            for (AuditStreamStore.Target t : targets) {
                StreamProvider.of(t.provider()).ifPresent(p -> outbox.enqueue(p.destination(), t.id(), payload));
            }
        }
    }

    /** The event in the audit-logs API's shape. */
    static Map<String, Object> wire(RecordedEvent r) {
        AuditEvent e = r.event();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("ipAddress", e.ipAddress());
        m.put("userAgent", e.userAgent());
        m.put("userAgentType", r.userAgentType());
        m.put("expiresAt", null);
        m.put("createdAt", Iso.of(r.recordedAt()));
        m.put("updatedAt", Iso.of(r.recordedAt()));
        m.put("orgId", e.orgId());
        m.put("projectId", e.projectId());
        m.put("projectName", e.projectName());
        m.put("event", pair("type", e.eventType().wire(), "metadata", e.metadata() == null ? Map.of() : e.metadata()));
        m.put(
                "actor",
                pair("type", e.actorType(), "metadata", e.actorMetadata() == null ? Map.of() : e.actorMetadata()));
        return m;
    }

    /** A two-entry map that, unlike {@code Map.of}, takes a null value: an event never fails here. */
    private static Map<String, Object> pair(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }
}
