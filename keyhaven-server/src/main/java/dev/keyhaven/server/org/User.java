package dev.keyhaven.server.org;

/** A person's account. The password hash stays in the store and is never part of this record. */
public record User(
        String id,
        String email,
        String username,
        String firstName,
        String lastName,
        boolean superAdmin,
        long createdAt,
        long updatedAt) {}
