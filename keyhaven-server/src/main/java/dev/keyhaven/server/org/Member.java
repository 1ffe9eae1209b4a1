package dev.keyhaven.server.org;

/** A person's membership of an organization, with the account fields the member list shows. */
public record Member(
        String id,
        String orgId,
        String userId,
        String role,
        String status,
        boolean isActive,
        String email,
        String firstName,
        String lastName,
        boolean emailVerified,
        long createdAt,
        long updatedAt) {}
