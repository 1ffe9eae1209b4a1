package dev.keyhaven.server.access;

import static dev.keyhaven.server.access.OrgAction.*;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A subject of the org permission vocabulary (Infisical's org permission schema): its wire name,
 * the actions it knows and the resource fields its conditions may name. Custom org roles are
 * validated against it on save, endpoints declare their check with it ({@link OrgPermission}) and
 * services check with it, so nothing names a pair outside it.
 */
public enum OrgSubject {
    WORKSPACE("workspace", Fields.NONE, CREATE),
    PROJECT("project", Fields.NONE, CREATE),
    ROLE("role", Fields.NONE, READ, CREATE, EDIT, DELETE),
    MEMBER("member", Fields.NONE, READ, CREATE, EDIT, DELETE),
    SETTINGS("settings", Fields.NONE, READ, CREATE, EDIT, DELETE),
    INCIDENT_CONTACT("incident-contact", Fields.NONE, READ, CREATE, EDIT, DELETE),
    SSO("sso", Fields.NONE, READ, CREATE, EDIT, DELETE),
    SCIM("scim", Fields.NONE, READ, CREATE, EDIT, DELETE),
    LDAP("ldap", Fields.NONE, READ, CREATE, EDIT, DELETE),
    GITHUB_ORG_SYNC("github-org-sync", Fields.NONE, READ, CREATE, EDIT, DELETE),
    SECRET_SCANNING("secret-scanning", Fields.NONE, READ, CREATE, EDIT, DELETE),
    KMS("kms", Fields.NONE, READ, CREATE, EDIT, DELETE),
    PROJECT_TEMPLATES("project-templates", Fields.NONE, READ, CREATE, EDIT, DELETE),
    GROUPS(
            "groups",
            Fields.NONE,
            READ,
            CREATE,
            EDIT,
            DELETE,
            GRANT_PRIVILEGES,
            ADD_MEMBERS,
            REMOVE_MEMBERS,
            ADD_IDENTITIES,
            REMOVE_IDENTITIES),
    IDENTITY(
            "identity",
            Set.of("identityId"),
            READ,
            CREATE,
            EDIT,
            DELETE,
            GRANT_PRIVILEGES,
            REVOKE_AUTH,
            CREATE_TOKEN,
            GET_TOKEN,
            DELETE_TOKEN),
    BILLING("billing", Fields.NONE, READ, MANAGE_BILLING),
    AUDIT_LOGS("audit-logs", Fields.NONE, READ),
    APP_CONNECTIONS("app-connections", Set.of("connectionId"), READ, CREATE, EDIT, DELETE, CONNECT),
    ORGANIZATION_ADMIN_CONSOLE("organization-admin-console", Fields.NONE, ACCESS_ALL_PROJECTS),
    SECRET_SHARE("secret-share", Fields.NONE, MANAGE_SETTINGS),
    GATEWAY("gateway", Fields.NONE, LIST_GATEWAYS, CREATE_GATEWAYS, EDIT_GATEWAYS, DELETE_GATEWAYS, ATTACH_GATEWAYS),
    RELAY("relay", Fields.NONE, LIST_RELAYS, CREATE_RELAYS, EDIT_RELAYS, DELETE_RELAYS);

    private static final Map<String, OrgSubject> BY_WIRE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(OrgSubject::wire, Function.identity()));

    private final String wire;
    private final Set<String> conditions;
    private final Set<OrgAction> actions;

    OrgSubject(String wire, Set<String> conditions, OrgAction first, OrgAction... rest) {
        this.wire = wire;
        this.conditions = conditions;
        this.actions = Collections.unmodifiableSet(EnumSet.of(first, rest));
    }

    /** The name as stored in rules and sent by clients. */
    public String wire() {
        return wire;
    }

    /** The actions this subject knows. */
    public Set<OrgAction> actions() {
        return actions;
    }

    /** The resource fields a condition on this subject may name. */
    public Set<String> conditions() {
        return conditions;
    }

    /** True when {@code action} is one this subject knows. */
    public boolean knows(OrgAction action) {
        return actions.contains(action);
    }

    /** The subject with this wire name, if it is one. */
    public static Optional<OrgSubject> fromWire(String wire) {
        return Optional.ofNullable(BY_WIRE.get(wire));
    }

    @Override
    public String toString() {
        return wire;
    }

    /** Condition field sets shared by several subjects. */
    private interface Fields {
        Set<String> NONE = Set.of();
    }
}
