package dev.keyhaven.server.auth;

/**
 * The authenticated caller of one request: who it is, which organization its token belongs to,
 * its org role, and where the request came from. Services receive it explicitly; nothing reads
 * it from a thread-local.
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
        String userAgent) {

    public boolean isUser() {
        return type == ActorType.USER;
    }

    @Override
    public String toString() {
        return type.wire() + ":" + id;
    }
}
