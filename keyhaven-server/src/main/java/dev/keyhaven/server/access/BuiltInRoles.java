package dev.keyhaven.server.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The predefined project roles (admin, member, viewer, no-access, and the KMS cryptographic
 * operator) and org roles (admin, member, no-access), with the permissions of Infisical's
 * defaults. They live in code, never in the database, so no stored row can change what "admin"
 * means.
 */
public final class BuiltInRoles {
    private static final List<String> CRUD = List.of("read", "create", "edit", "delete");
    private static final Rule SECRET_EVENTS = Rule.allow(
            "secret-events",
            "subscribe-on-created",
            "subscribe-on-updated",
            "subscribe-on-deleted",
            "subscribe-on-import-mutations");

    public static final Map<String, List<Rule>> PROJECT = Map.of(
            "admin", List.of(Rule.allow(Rule.ALL, Rule.MANAGE)),
            "member", projectMember(),
            "viewer", projectViewer(),
            "no-access", List.of(),
            "kms-cryptographic-operator", cryptographicOperator(),
            "cryptographic-operator", cryptographicOperator());

    public static final Map<String, List<Rule>> ORG = Map.of(
            "admin", List.of(Rule.allow(Rule.ALL, Rule.MANAGE)),
            "member", orgMember(),
            "no-access", List.of());

    private BuiltInRoles() {}

    public static Optional<List<Rule>> project(String slug) {
        return Optional.ofNullable(PROJECT.get(slug)).map(rules -> tag(rules, "role:" + slug));
    }

    public static Optional<List<Rule>> org(String slug) {
        return Optional.ofNullable(ORG.get(slug)).map(rules -> tag(rules, "org-role:" + slug));
    }

    private static List<Rule> tag(List<Rule> rules, String source) {
        return rules.stream().map(r -> r.from(source)).toList();
    }

    private static List<Rule> projectMember() {
        List<Rule> r = new ArrayList<>();
        r.add(Rule.allow("secrets", "describeSecret", "readValue", "create", "edit", "delete"));
        for (String s : List.of(
                "secret-folders",
                "secret-imports",
                "integrations",
                "webhooks",
                "service-tokens",
                "settings",
                "environments",
                "tags")) {
            r.add(Rule.allow(s, CRUD.toArray(String[]::new)));
        }
        r.add(Rule.allow(
                "secret-syncs",
                "read",
                "create",
                "edit",
                "delete",
                "sync-secrets",
                "import-secrets",
                "remove-secrets"));
        r.add(Rule.allow(
                "dynamic-secrets",
                "read-root-credential",
                "create-root-credential",
                "edit-root-credential",
                "delete-root-credential",
                "lease"));
        r.add(Rule.allow("cmek", "read", "create", "edit", "delete", "encrypt", "decrypt", "sign", "verify"));
        r.add(Rule.allow("identity", CRUD.toArray(String[]::new)));
        r.add(Rule.allow("commits", "read", "perform-rollback"));
        r.add(Rule.allow("secret-rollback", "read", "create"));
        r.add(Rule.allow("member", "read", "create"));
        for (String s : List.of("secret-approval", "secret-rotation", "groups", "role", "audit-logs", "ip-allowlist")) {
            r.add(Rule.allow(s, "read"));
        }
        r.add(Rule.allow("app-connections", "connect-app-connections"));
        r.add(Rule.allow("approval-requests", "create"));
        r.add(SECRET_EVENTS);
        return List.copyOf(r);
    }

    /**
     * Infisical's KMS role (slug {@code cryptographic-operator} in its code, listed as
     * {@code kms-cryptographic-operator} too): the cryptographic operations with a project's KMS
     * keys, without reading, changing or deleting the keys themselves.
     */
    private static List<Rule> cryptographicOperator() {
        return List.of(Rule.allow("cmek", "encrypt", "decrypt", "sign", "verify"));
    }

    private static List<Rule> projectViewer() {
        List<Rule> r = new ArrayList<>();
        r.add(Rule.allow("secrets", "describeSecret", "readValue"));
        r.add(Rule.allow("dynamic-secrets", "read-root-credential"));
        for (String s : List.of(
                "secret-folders",
                "secret-imports",
                "secret-approval",
                "secret-rollback",
                "secret-rotation",
                "member",
                "groups",
                "role",
                "integrations",
                "webhooks",
                "identity",
                "service-tokens",
                "settings",
                "environments",
                "tags",
                "audit-logs",
                "ip-allowlist",
                "secret-syncs",
                "commits",
                "cmek")) {
            r.add(Rule.allow(s, "read"));
        }
        r.add(SECRET_EVENTS);
        return List.copyOf(r);
    }

    private static List<Rule> orgMember() {
        List<Rule> r = new ArrayList<>();
        r.add(Rule.allow("workspace", "create"));
        r.add(Rule.allow("project", "create"));
        for (String s : List.of("member", "groups", "role", "settings", "incident-contact")) {
            r.add(Rule.allow(s, "read"));
        }
        r.add(Rule.allow("billing", "read"));
        r.add(Rule.allow("secret-scanning", CRUD.toArray(String[]::new)));
        r.add(Rule.allow("identity", CRUD.toArray(String[]::new)));
        r.add(Rule.allow("audit-logs", "read"));
        r.add(Rule.allow("app-connections", "connect"));
        r.add(Rule.allow("gateway", "list-gateways", "create-gateways", "attach-gateways"));
        r.add(Rule.allow("relay", "list-relays", "create-relays", "edit-relays"));
        return List.copyOf(r);
    }
}
