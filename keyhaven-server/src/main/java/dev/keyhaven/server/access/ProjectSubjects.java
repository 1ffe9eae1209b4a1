package dev.keyhaven.server.access;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The project permission vocabulary (Infisical's V2 schema): each subject with the actions it
 * knows and the resource fields its conditions may name. Rules are validated against it on save.
 */
final class ProjectSubjects {
    private static final Set<String> CRUD = Set.of("read", "create", "edit", "delete");
    private static final Set<String> SECRET_CONDITIONS =
            Set.of("environment", "secretPath", "secretName", "secretTags", "eventType");
    private static final Set<String> PATH_CONDITIONS = Set.of("environment", "secretPath");

    record Subject(Set<String> actions, Set<String> conditions) {}

    static final Map<String, Subject> ALL = Map.ofEntries(
            Map.entry(
                    "secrets",
                    new Subject(
                            Set.of("read", "describeSecret", "readValue", "create", "edit", "delete"),
                            SECRET_CONDITIONS)),
            Map.entry("secret-folders", new Subject(CRUD, PATH_CONDITIONS)),
            Map.entry("secret-imports", new Subject(CRUD, PATH_CONDITIONS)),
            Map.entry(
                    "dynamic-secrets",
                    new Subject(
                            Set.of(
                                    "read-root-credential",
                                    "create-root-credential",
                                    "edit-root-credential",
                                    "delete-root-credential",
                                    "lease"),
                            Set.of("environment", "secretPath", "metadata"))),
            Map.entry(
                    "secret-rotation",
                    new Subject(
                            Set.of("read", "read-generated-credentials", "create", "edit", "delete", "rotate-secrets"),
                            PATH_CONDITIONS)),
            Map.entry(
                    "secret-syncs",
                    new Subject(
                            Set.of(
                                    "read",
                                    "create",
                                    "edit",
                                    "delete",
                                    "sync-secrets",
                                    "import-secrets",
                                    "remove-secrets"),
                            PATH_CONDITIONS)),
            Map.entry(
                    "app-connections",
                    new Subject(
                            Set.of(
                                    "read-app-connections",
                                    "create-app-connections",
                                    "edit-app-connections",
                                    "delete-app-connections",
                                    "connect-app-connections",
                                    "rotate-credentials"),
                            Set.of("connectionId"))),
            Map.entry(
                    "identity",
                    new Subject(
                            Set.of(
                                    "read",
                                    "create",
                                    "edit",
                                    "delete",
                                    "grant-privileges",
                                    "assume-privileges",
                                    "revoke-auth",
                                    "create-token",
                                    "get-token",
                                    "delete-token",
                                    "assign-role",
                                    "assign-additional-privileges"),
                            Set.of("identityId"))),
            Map.entry(
                    "member",
                    new Subject(
                            Set.of(
                                    "read",
                                    "create",
                                    "edit",
                                    "delete",
                                    "grant-privileges",
                                    "assume-privileges",
                                    "assign-role",
                                    "assign-additional-privileges"),
                            Set.of())),
            Map.entry(
                    "groups",
                    new Subject(
                            Set.of("read", "create", "edit", "delete", "grant-privileges", "assign-role"), Set.of())),
            Map.entry("role", new Subject(CRUD, Set.of())),
            Map.entry("settings", new Subject(CRUD, Set.of())),
            Map.entry("environments", new Subject(CRUD, Set.of())),
            Map.entry("tags", new Subject(CRUD, Set.of())),
            Map.entry("ip-allowlist", new Subject(CRUD, Set.of())),
            Map.entry("integrations", new Subject(CRUD, Set.of())),
            Map.entry("webhooks", new Subject(CRUD, Set.of())),
            Map.entry("service-tokens", new Subject(CRUD, Set.of())),
            Map.entry("secret-approval", new Subject(CRUD, Set.of())),
            Map.entry("audit-logs", new Subject(Set.of("read"), Set.of())),
            Map.entry("workspace", new Subject(Set.of("edit", "delete"), Set.of())),
            Map.entry("secret-rollback", new Subject(Set.of("read", "create"), Set.of())),
            Map.entry("commits", new Subject(Set.of("read", "perform-rollback"), Set.of())),
            Map.entry("kms", new Subject(Set.of("edit"), Set.of())),
            Map.entry(
                    "cmek",
                    new Subject(
                            Set.of(
                                    "read",
                                    "create",
                                    "edit",
                                    "delete",
                                    "encrypt",
                                    "decrypt",
                                    "sign",
                                    "verify",
                                    "rotate",
                                    "export-private-key"),
                            Set.of())),
            Map.entry(
                    "secret-events",
                    new Subject(
                            Set.of(
                                    "subscribe-on-created",
                                    "subscribe-on-updated",
                                    "subscribe-on-deleted",
                                    "subscribe-on-import-mutations"),
                            SECRET_CONDITIONS)),
            Map.entry("approval-requests", new Subject(Set.of("read", "create"), Set.of())));

    /** The org permission vocabulary (org roles). */
    static final Map<String, Subject> ORG = Map.ofEntries(
            Map.entry("workspace", new Subject(Set.of("create"), Set.of())),
            Map.entry("project", new Subject(Set.of("create"), Set.of())),
            Map.entry("role", new Subject(CRUD, Set.of())),
            Map.entry("member", new Subject(CRUD, Set.of())),
            Map.entry("settings", new Subject(CRUD, Set.of())),
            Map.entry("incident-contact", new Subject(CRUD, Set.of())),
            Map.entry("sso", new Subject(CRUD, Set.of())),
            Map.entry("scim", new Subject(CRUD, Set.of())),
            Map.entry("ldap", new Subject(CRUD, Set.of())),
            Map.entry("github-org-sync", new Subject(CRUD, Set.of())),
            Map.entry("secret-scanning", new Subject(CRUD, Set.of())),
            Map.entry("kms", new Subject(CRUD, Set.of())),
            Map.entry("project-templates", new Subject(CRUD, Set.of())),
            Map.entry(
                    "groups",
                    new Subject(
                            Set.of(
                                    "read",
                                    "create",
                                    "edit",
                                    "delete",
                                    "grant-privileges",
                                    "add-members",
                                    "remove-members",
                                    "add-identities",
                                    "remove-identities"),
                            Set.of())),
            Map.entry(
                    "identity",
                    new Subject(
                            Set.of(
                                    "read",
                                    "create",
                                    "edit",
                                    "delete",
                                    "grant-privileges",
                                    "revoke-auth",
                                    "create-token",
                                    "get-token",
                                    "delete-token"),
                            Set.of("identityId"))),
            Map.entry("billing", new Subject(Set.of("read", "manage-billing"), Set.of())),
            Map.entry("audit-logs", new Subject(Set.of("read"), Set.of())),
            Map.entry(
                    "app-connections",
                    new Subject(Set.of("read", "create", "edit", "delete", "connect"), Set.of("connectionId"))),
            Map.entry("organization-admin-console", new Subject(Set.of("access-all-projects"), Set.of())),
            Map.entry("secret-share", new Subject(Set.of("manage-settings"), Set.of())),
            Map.entry(
                    "gateway",
                    new Subject(
                            Set.of(
                                    "list-gateways",
                                    "create-gateways",
                                    "edit-gateways",
                                    "delete-gateways",
                                    "attach-gateways"),
                            Set.of())),
            Map.entry(
                    "relay",
                    new Subject(Set.of("list-relays", "create-relays", "edit-relays", "delete-relays"), Set.of())));

    /** Fields whose condition values are paths and must start with {@code /}. */
    static final List<String> PATH_FIELDS = List.of("secretPath");

    private ProjectSubjects() {}
}
