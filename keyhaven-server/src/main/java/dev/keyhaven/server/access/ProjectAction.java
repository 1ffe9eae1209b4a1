package dev.keyhaven.server.access;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * An action in the project permission vocabulary (Infisical's {@code ProjectPermissionActions} and
 * the subject-specific action sets), by its wire name. Which subject knows which action is said by
 * {@link ProjectSubject}; a rule or a check naming a pair outside it is refused.
 */
public enum ProjectAction {
    READ("read"),
    DESCRIBE_SECRET("describeSecret"),
    READ_VALUE("readValue"),
    CREATE("create"),
    EDIT("edit"),
    DELETE("delete"),
    READ_ROOT_CREDENTIAL("read-root-credential"),
    CREATE_ROOT_CREDENTIAL("create-root-credential"),
    EDIT_ROOT_CREDENTIAL("edit-root-credential"),
    DELETE_ROOT_CREDENTIAL("delete-root-credential"),
    LEASE("lease"),
    READ_GENERATED_CREDENTIALS("read-generated-credentials"),
    ROTATE_SECRETS("rotate-secrets"),
    SYNC_SECRETS("sync-secrets"),
    IMPORT_SECRETS("import-secrets"),
    REMOVE_SECRETS("remove-secrets"),
    READ_APP_CONNECTIONS("read-app-connections"),
    CREATE_APP_CONNECTIONS("create-app-connections"),
    EDIT_APP_CONNECTIONS("edit-app-connections"),
    DELETE_APP_CONNECTIONS("delete-app-connections"),
    CONNECT_APP_CONNECTIONS("connect-app-connections"),
    ROTATE_CREDENTIALS("rotate-credentials"),
    GRANT_PRIVILEGES("grant-privileges"),
    ASSUME_PRIVILEGES("assume-privileges"),
    REVOKE_AUTH("revoke-auth"),
    CREATE_TOKEN("create-token"),
    GET_TOKEN("get-token"),
    DELETE_TOKEN("delete-token"),
    ASSIGN_ROLE("assign-role"),
    ASSIGN_ADDITIONAL_PRIVILEGES("assign-additional-privileges"),
    PERFORM_ROLLBACK("perform-rollback"),
    ENCRYPT("encrypt"),
    DECRYPT("decrypt"),
    SIGN("sign"),
    VERIFY("verify"),
    ROTATE("rotate"),
    EXPORT_PRIVATE_KEY("export-private-key"),
    SUBSCRIBE_ON_CREATED("subscribe-on-created"),
    SUBSCRIBE_ON_UPDATED("subscribe-on-updated"),
    SUBSCRIBE_ON_DELETED("subscribe-on-deleted"),
    SUBSCRIBE_ON_IMPORT_MUTATIONS("subscribe-on-import-mutations");

    private static final Map<String, ProjectAction> BY_WIRE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(ProjectAction::wire, Function.identity()));

    private final String wire;

    ProjectAction(String wire) {
        this.wire = wire;
    }

    /** The name as stored in rules and sent by clients. */
    public String wire() {
        return wire;
    }

    /** The action with this wire name, if it is one. */
    public static Optional<ProjectAction> fromWire(String wire) {
        return Optional.ofNullable(BY_WIRE.get(wire));
    }

    @Override
    public String toString() {
        return wire;
    }
}
