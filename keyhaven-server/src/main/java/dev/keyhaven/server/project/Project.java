package dev.keyhaven.server.project;

/**
 * A project of one organization: the unit that holds environments, folders and secrets.
 * {@code contentRevision} moves on every change to those (database triggers; never written by
 * the application), so a listing rendered under one revision is current while it holds.
 */
public record Project(
        String id,
        String orgId,
        String name,
        String slug,
        String description,
        String type,
        int version,
        boolean autoCapitalization,
        boolean hasDeleteProtection,
        long createdAt,
        long updatedAt,
        long contentRevision) {

    public static final String SECRET_MANAGER = "secret-manager";
}
