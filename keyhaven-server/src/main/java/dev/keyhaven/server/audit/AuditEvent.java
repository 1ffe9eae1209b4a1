package dev.keyhaven.server.audit;

import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.actor.ActorType;
import java.util.Collections;
import java.util.LinkedHashMap;
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

    /**
     * An event by a person (named by email) or a machine identity (named by its name) known only by
     * id and name, such as a login before there is an actor.
     */
    public static AuditEvent byPrincipal(
            String orgId,
            ActorType actorType,
            String actorId,
            String actorName,
            AuditEventType eventType,
            Map<String, Object> metadata,
            String ipAddress,
            String userAgent) {
        return new AuditEvent(
                orgId,
                null,
                null,
                actorType.wire(),
                actorId,
                actorMetadata(actorType, actorId, actorName),
                eventType,
                metadata,
                ipAddress,
                userAgent);
    }

    public static Map<String, Object> actorMetadata(Actor actor) {
        return actorMetadata(actor.type(), actor.id(), actor.isUser() ? actor.email() : actor.name());
    }

    private static Map<String, Object> actorMetadata(ActorType type, String id, String name) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (type == ActorType.USER) {
            m.put("userId", id);
            m.put("email", nn(name));
            m.put("username", nn(name));
        } else {
            m.put("identityId", id);
            m.put("name", nn(name));
        }
        return Collections.unmodifiableMap(m);
    }

    private static String nn(String s) {
        return s == null ? "" : s;
    }
}
