package dev.keyhaven.server.access;

import static dev.keyhaven.server.access.ProjectAction.*;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A subject of the project permission vocabulary (Infisical's V2 project permission schema): its
 * wire name, the actions it knows and the resource fields its conditions may name. Custom project
 * roles and privileges are validated against it on save, endpoints declare their check with it
 * ({@link ProjectPermission}) and services check with it, so nothing names a pair outside it.
 */
public enum ProjectSubject {
    SECRETS("secrets", Fields.SECRET, READ, DESCRIBE_SECRET, READ_VALUE, CREATE, EDIT, DELETE),
    SECRET_FOLDERS("secret-folders", Fields.PATH, READ, CREATE, EDIT, DELETE),
    SECRET_IMPORTS("secret-imports", Fields.PATH, READ, CREATE, EDIT, DELETE),
    DYNAMIC_SECRETS(
            "dynamic-secrets",
            Set.of("environment", "secretPath", "metadata"),
            READ_ROOT_CREDENTIAL,
            CREATE_ROOT_CREDENTIAL,
            EDIT_ROOT_CREDENTIAL,
            DELETE_ROOT_CREDENTIAL,
            LEASE),
    SECRET_ROTATION(
            "secret-rotation", Fields.PATH, READ, READ_GENERATED_CREDENTIALS, CREATE, EDIT, DELETE, ROTATE_SECRETS),
    SECRET_SYNCS("secret-syncs", Fields.PATH, READ, CREATE, EDIT, DELETE, SYNC_SECRETS, IMPORT_SECRETS, REMOVE_SECRETS),
    APP_CONNECTIONS(
            "app-connections",
            Set.of("connectionId"),
            READ_APP_CONNECTIONS,
            CREATE_APP_CONNECTIONS,
            EDIT_APP_CONNECTIONS,
            DELETE_APP_CONNECTIONS,
            CONNECT_APP_CONNECTIONS,
            ROTATE_CREDENTIALS),
    IDENTITY(
            "identity",
            Set.of("identityId"),
            READ,
            CREATE,
            EDIT,
            DELETE,
            GRANT_PRIVILEGES,
            ASSUME_PRIVILEGES,
            REVOKE_AUTH,
            CREATE_TOKEN,
            GET_TOKEN,
            DELETE_TOKEN,
            ASSIGN_ROLE,
            ASSIGN_ADDITIONAL_PRIVILEGES),
    MEMBER(
            "member",
            Fields.NONE,
            READ,
            CREATE,
            EDIT,
            DELETE,
            GRANT_PRIVILEGES,
            ASSUME_PRIVILEGES,
            ASSIGN_ROLE,
            ASSIGN_ADDITIONAL_PRIVILEGES),
    GROUPS("groups", Fields.NONE, READ, CREATE, EDIT, DELETE, GRANT_PRIVILEGES, ASSIGN_ROLE),
    ROLE("role", Fields.NONE, READ, CREATE, EDIT, DELETE),
    SETTINGS("settings", Fields.NONE, READ, CREATE, EDIT, DELETE),
    ENVIRONMENTS("environments", Fields.NONE, READ, CREATE, EDIT, DELETE),
    TAGS("tags", Fields.NONE, READ, CREATE, EDIT, DELETE),
    IP_ALLOWLIST("ip-allowlist", Fields.NONE, READ, CREATE, EDIT, DELETE),
    INTEGRATIONS("integrations", Fields.NONE, READ, CREATE, EDIT, DELETE),
    WEBHOOKS("webhooks", Fields.NONE, READ, CREATE, EDIT, DELETE),
    SERVICE_TOKENS("service-tokens", Fields.NONE, READ, CREATE, EDIT, DELETE),
    SECRET_APPROVAL("secret-approval", Fields.NONE, READ, CREATE, EDIT, DELETE),
    AUDIT_LOGS("audit-logs", Fields.NONE, READ),
    WORKSPACE("workspace", Fields.NONE, EDIT, DELETE),
    SECRET_ROLLBACK("secret-rollback", Fields.NONE, READ, CREATE),
    COMMITS("commits", Fields.NONE, READ, PERFORM_ROLLBACK),
    KMS("kms", Fields.NONE, EDIT),
    CMEK("cmek", Fields.NONE, READ, CREATE, EDIT, DELETE, ENCRYPT, DECRYPT, SIGN, VERIFY, ROTATE, EXPORT_PRIVATE_KEY),
    SECRET_EVENTS(
            "secret-events",
            Fields.SECRET,
            SUBSCRIBE_ON_CREATED,
            SUBSCRIBE_ON_UPDATED,
            SUBSCRIBE_ON_DELETED,
            SUBSCRIBE_ON_IMPORT_MUTATIONS),
    APPROVAL_REQUESTS("approval-requests", Fields.NONE, READ, CREATE);

    private static final Map<String, ProjectSubject> BY_WIRE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(ProjectSubject::wire, Function.identity()));

    private final String wire;
    private final Set<String> conditions;
    private final Set<ProjectAction> actions;

    ProjectSubject(String wire, Set<String> conditions, ProjectAction first, ProjectAction... rest) {
        this.wire = wire;
        this.conditions = conditions;
        this.actions = Collections.unmodifiableSet(EnumSet.of(first, rest));
    }

    /** The name as stored in rules and sent by clients. */
    public String wire() {
        return wire;
    }

    /** The actions this subject knows. */
    public Set<ProjectAction> actions() {
        return actions;
    }

    /** The resource fields a condition on this subject may name. */
    public Set<String> conditions() {
        return conditions;
    }

    /** True when {@code action} is one this subject knows. */
    public boolean knows(ProjectAction action) {
        return actions.contains(action);
    }

    /** The subject with this wire name, if it is one. */
    public static Optional<ProjectSubject> fromWire(String wire) {
        return Optional.ofNullable(BY_WIRE.get(wire));
    }

    @Override
    public String toString() {
        return wire;
    }

    /** Condition field sets shared by several subjects. */
    private interface Fields {
        Set<String> NONE = Set.of();
        Set<String> SECRET = Set.of("environment", "secretPath", "secretName", "secretTags", "eventType");
        Set<String> PATH = Set.of("environment", "secretPath");
    }
}
