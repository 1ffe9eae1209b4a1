package dev.keyhaven.server.project;

/** A project of one organization: the unit that holds environments, folders and secrets. */
public record Project(String id, String orgId, String name, String slug, String description, String type, int version,
        boolean autoCapitalization, boolean hasDeleteProtection, long createdAt, long updatedAt) {

    public static final String SECRET_MANAGER = "secret-manager";
}
