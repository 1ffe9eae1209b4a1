package dev.keyhaven.server.access;

/**
 * One permission check that ran while serving a request: a subject and action asked in a scope,
 * or a membership check ({@code subject} and {@code action} null). {@link PermissionGuard}
 * compares them with the endpoint's {@link DeclaredPermission}.
 */
public record PermissionCheck(PermissionScope scope, String subject, String action) {
    static PermissionCheck membership(PermissionScope scope) {
        return new PermissionCheck(scope, null, null);
    }

    /** True for a membership check. */
    public boolean membership() {
        return subject == null;
    }

    @Override
    public String toString() {
        return membership() ? scope + " membership" : scope + " " + subject + " " + action;
    }
}
