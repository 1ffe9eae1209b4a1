package dev.keyhaven.server.audit;

import dev.keyhaven.server.actor.Actor;
import java.util.Map;

/**
 * One thing that happened, ready to be recorded. Metadata names what was touched (environment,
 * path, key, version) and never carries a secret value, token or credential. Its type is one of
 * {@link AuditEventType}; the sinks ({@link AuditSink}) receive it as recorded.
 */
public record AuditEvent(
        String orgId,
        String projectId,
        String projectName,
        String actorType,
        String actorId,
        Map<String, Object> actorMetadata,
        AuditEventType eventType,
        Map<String, Object> metadata,
        String ipAddress,
        String userAgent) {

    public static AuditEvent of(
            Actor actor, String projectId, String projectName, AuditEventType eventType, Map<String, Object> metadata) {
        return new AuditEvent(
                actor.orgId(),
                projectId,
                projectName,
                actor.type().wire(),
                actor.id(),
                actorMetadata(actor),
                eventType,
                metadata,
                actor.ipAddress(),
                actor.userAgent());
    }

    public static Map<String, Object> actorMetadata(Actor actor) {
        return actor.isUser()
                ? Map.of("userId", actor.id(), "email", nn(actor.email()), "username", nn(actor.email()))
                : Map.of("identityId", actor.id(), "name", nn(actor.name()));
    }

    private static String nn(String s) {
        return s == null ? "" : s;
    }
}
