package dev.keyhaven.server.actor;

import java.util.Map;

/**
 * The authenticated caller of one request: who it is, which organization its token belongs to,
 * its org role, its metadata (for templated permission rules), and where the request came from.
 * Services receive it explicitly; nothing reads it from a thread-local. {@code accessEpoch} is the
 * access epoch read together with the credential (null when it was not), which saves the
 * permission cache a query of its own.
 */
public record Actor(
        ActorType type,
        String id,
        String name,
        String email,
        String orgId,
        String orgRole,
        String tokenId,
        String ipAddress,
        String userAgent,
        Map<String, String> metadata,
        Long accessEpoch) {

    public Actor {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public Actor(
            ActorType type,
            String id,
            String name,
            String email,
            String orgId,
            String orgRole,
            String tokenId,
            String ipAddress,
            String userAgent,
            Map<String, String> metadata) {
        this(type, id, name, email, orgId, orgRole, tokenId, ipAddress, userAgent, metadata, null);
    }

    /** An actor without metadata (users, and identities that have none). */
    public Actor(
            ActorType type,
            String id,
            String name,
            String email,
            String orgId,
            String orgRole,
            String tokenId,
            String ipAddress,
            String userAgent) {
        this(type, id, name, email, orgId, orgRole, tokenId, ipAddress, userAgent, Map.of());
    }

    public boolean isUser() {
        return type == ActorType.USER;
    }

    @Override
    public String toString() {
        return type.wire() + ":" + id;
    }
}
