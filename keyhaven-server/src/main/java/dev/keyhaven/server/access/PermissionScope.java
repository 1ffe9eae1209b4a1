package dev.keyhaven.server.access;

/**
 * Where a permission is held and checked: in one project (project roles and privileges) or in the
 * organization (org roles). Each scope has its own vocabulary ({@link ProjectSubject}, {@link
 * OrgSubject}).
 */
public enum PermissionScope {
    PROJECT,
    ORG
}
