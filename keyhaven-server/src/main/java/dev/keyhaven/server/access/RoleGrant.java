package dev.keyhaven.server.access;

/**
 * One role to grant in a project: permanent, or temporary from a start time for a range
 * ({@code temporaryMode: relative}). The end time is computed once, when granted.
 */
public record RoleGrant(
        String role,
        boolean isTemporary,
        String temporaryMode,
        String temporaryRange,
        String temporaryAccessStartTime) {

    public static RoleGrant permanent(String role) {
        return new RoleGrant(role, false, null, null, null);
    }
}
