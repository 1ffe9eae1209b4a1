package dev.keyhaven.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every built-in project role against every subject and action of the permission schema, and
 * the org roles against the org subjects, compared with an expectation written from the
 * governance domain description (DOMAIN.md §1.3–1.4), not from the role definitions.
 */
class BuiltInRoleMatrixTest {
    private static final Set<String> ALL = Set.of("*");
    private static final Set<String> CRUD = Set.of("read", "create", "edit", "delete");

    /** What a project member may do, subject by subject (DOMAIN §1.3). */
    private static final Map<String, Set<String>> MEMBER = Map.ofEntries(
            Map.entry("secrets", Set.of("read", "describeSecret", "readValue", "create", "edit", "delete")),
            Map.entry("secret-folders", CRUD),
            Map.entry("secret-imports", CRUD),
            Map.entry(
                    "dynamic-secrets",
                    Set.of(
                            "read-root-credential",
                            "create-root-credential",
                            "edit-root-credential",
                            "delete-root-credential",
                            "lease")),
            Map.entry("integrations", CRUD),
            Map.entry("webhooks", CRUD),
            Map.entry("service-tokens", CRUD),
            Map.entry("settings", CRUD),
            Map.entry("environments", CRUD),
            Map.entry("tags", CRUD),
            Map.entry(
                    "secret-syncs",
                    Set.of("read", "create", "edit", "delete", "sync-secrets", "import-secrets", "remove-secrets")),
            Map.entry("cmek", Set.of("read", "create", "edit", "delete", "encrypt", "decrypt", "sign", "verify")),
            Map.entry("identity", CRUD),
            Map.entry("commits", Set.of("read", "perform-rollback")),
            Map.entry("secret-rollback", Set.of("read", "create")),
            Map.entry("member", Set.of("read", "create")),
            Map.entry("secret-approval", Set.of("read")),
            Map.entry("secret-rotation", Set.of("read")),
            Map.entry("groups", Set.of("read")),
            Map.entry("role", Set.of("read")),
            Map.entry("audit-logs", Set.of("read")),
            Map.entry("ip-allowlist", Set.of("read")),
            Map.entry("app-connections", Set.of("connect-app-connections")),
            Map.entry("approval-requests", Set.of("create")),
            // Decision: a member may also subscribe to secret events, so that a member can grant viewer.
            Map.entry("secret-events", ALL));

    /** What a project viewer may do (DOMAIN §1.3). */
    private static final Map<String, Set<String>> VIEWER = Map.ofEntries(
            Map.entry("secrets", Set.of("read", "describeSecret", "readValue")),
            Map.entry("dynamic-secrets", Set.of("read-root-credential")),
            Map.entry("secret-folders", Set.of("read")),
            Map.entry("secret-imports", Set.of("read")),
            Map.entry("secret-approval", Set.of("read")),
            Map.entry("secret-rollback", Set.of("read")),
            Map.entry("secret-rotation", Set.of("read")),
            Map.entry("member", Set.of("read")),
            Map.entry("groups", Set.of("read")),
            Map.entry("role", Set.of("read")),
            Map.entry("integrations", Set.of("read")),
            Map.entry("webhooks", Set.of("read")),
            Map.entry("identity", Set.of("read")),
            Map.entry("service-tokens", Set.of("read")),
            Map.entry("settings", Set.of("read")),
            Map.entry("environments", Set.of("read")),
            Map.entry("tags", Set.of("read")),
            Map.entry("audit-logs", Set.of("read")),
            Map.entry("ip-allowlist", Set.of("read")),
            Map.entry("secret-syncs", Set.of("read")),
            Map.entry("commits", Set.of("read")),
            Map.entry("cmek", Set.of("read")),
            Map.entry("secret-events", ALL));

    /** The KMS role: the four operations with keys and nothing else, under both of its slugs. */
    private static final Map<String, Set<String>> CRYPTOGRAPHIC_OPERATOR =
            Map.of("cmek", Set.of("encrypt", "decrypt", "sign", "verify"));

    @Test
    void theCryptographicOperatorMayOnlyUseKmsKeys() {
        List<String> mismatches = new ArrayList<>();
        for (String slug : List.of("cryptographic-operator", "kms-cryptographic-operator")) {
            PermissionSet operator =
                    new PermissionSet(BuiltInRoles.project(slug).orElseThrow());
            for (var subject : ProjectSubjects.ALL.entrySet()) {
                for (String action : subject.getValue().actions()) {
                    expect(
                            mismatches,
                            slug,
                            operator,
                            subject.getKey(),
                            action,
                            allowed(CRYPTOGRAPHIC_OPERATOR, subject.getKey(), action));
                }
            }
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void projectRolesGrantExactlyWhatTheDomainSays() {
        List<String> mismatches = new ArrayList<>();
        PermissionSet admin = new PermissionSet(BuiltInRoles.project("admin").orElseThrow());
        PermissionSet member = new PermissionSet(BuiltInRoles.project("member").orElseThrow());
        PermissionSet viewer = new PermissionSet(BuiltInRoles.project("viewer").orElseThrow());
        PermissionSet none = new PermissionSet(BuiltInRoles.project("no-access").orElseThrow());
        int checked = 0;
        for (var subject : ProjectSubjects.ALL.entrySet()) {
            for (String action : subject.getValue().actions()) {
                checked++;
                expect(mismatches, "admin", admin, subject.getKey(), action, true);
                expect(
                        mismatches,
                        "member",
                        member,
                        subject.getKey(),
                        action,
                        allowed(MEMBER, subject.getKey(), action));
                expect(
                        mismatches,
                        "viewer",
                        viewer,
                        subject.getKey(),
                        action,
                        allowed(VIEWER, subject.getKey(), action));
                expect(mismatches, "no-access", none, subject.getKey(), action, false);
            }
        }
        assertThat(mismatches).isEmpty();
        assertThat(checked).isGreaterThan(100);
    }

    @Test
    void orgRolesGrantExactlyWhatTheDomainSays() {
        Map<String, Set<String>> memberOrg = Map.ofEntries(
                Map.entry("workspace", Set.of("create")),
                Map.entry("project", Set.of("create")),
                Map.entry("member", Set.of("read")),
                Map.entry("groups", Set.of("read")),
                Map.entry("role", Set.of("read")),
                Map.entry("settings", Set.of("read")),
                Map.entry("billing", Set.of("read")),
                Map.entry("incident-contact", Set.of("read")),
                Map.entry("secret-scanning", CRUD),
                Map.entry("identity", CRUD),
                Map.entry("audit-logs", Set.of("read")),
                Map.entry("app-connections", Set.of("connect")),
                Map.entry("gateway", Set.of("list-gateways", "create-gateways", "attach-gateways")),
                Map.entry("relay", Set.of("list-relays", "create-relays", "edit-relays")));
        Map<String, Set<String>> orgSchema = Map.ofEntries(
                Map.entry("workspace", Set.of("create")),
                Map.entry("project", Set.of("create")),
                Map.entry("role", CRUD),
                Map.entry("member", CRUD),
                Map.entry("settings", CRUD),
                Map.entry("incident-contact", CRUD),
                Map.entry("sso", CRUD),
                Map.entry("scim", CRUD),
                Map.entry("ldap", CRUD),
                Map.entry("secret-scanning", CRUD),
                Map.entry("kms", CRUD),
                Map.entry("project-templates", CRUD),
                Map.entry(
                        "groups",
                        Set.of(
                                "read",
                                "create",
                                "edit",
                                "delete",
                                "grant-privileges",
                                "add-members",
                                "remove-members",
                                "add-identities",
                                "remove-identities")),
                Map.entry(
                        "identity",
                        Set.of(
                                "read",
                                "create",
                                "edit",
                                "delete",
                                "grant-privileges",
                                "revoke-auth",
                                "create-token",
                                "get-token",
                                "delete-token")),
                Map.entry("billing", Set.of("read", "manage-billing")),
                Map.entry("audit-logs", Set.of("read")),
                Map.entry("app-connections", Set.of("read", "create", "edit", "delete", "connect")),
                Map.entry(
                        "gateway",
                        Set.of(
                                "list-gateways",
                                "create-gateways",
                                "edit-gateways",
                                "delete-gateways",
                                "attach-gateways")),
                Map.entry("relay", Set.of("list-relays", "create-relays", "edit-relays", "delete-relays")));
        PermissionSet admin = new PermissionSet(BuiltInRoles.org("admin").orElseThrow());
        PermissionSet member = new PermissionSet(BuiltInRoles.org("member").orElseThrow());
        PermissionSet none = new PermissionSet(BuiltInRoles.org("no-access").orElseThrow());
        List<String> mismatches = new ArrayList<>();
        orgSchema.forEach((subject, actions) -> actions.forEach(action -> {
            expect(mismatches, "org admin", admin, subject, action, true);
            expect(mismatches, "org member", member, subject, action, allowed(memberOrg, subject, action));
            expect(mismatches, "org no-access", none, subject, action, false);
        }));
        assertThat(mismatches).isEmpty();
    }

    private static boolean allowed(Map<String, Set<String>> table, String subject, String action) {
        Set<String> actions = table.getOrDefault(subject, Set.of());
        return actions.contains(action) || actions.contains("*");
    }

    private static void expect(
            List<String> out, String role, PermissionSet set, String subject, String action, boolean expected) {
        if (set.can(subject, action, Map.of()) != expected) {
            out.add(role + " " + (expected ? "should" : "should not") + " " + action + " " + subject);
        }
    }
}
