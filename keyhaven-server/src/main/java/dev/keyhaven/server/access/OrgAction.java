package dev.keyhaven.server.access;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * An action in the org permission vocabulary (Infisical's {@code OrgPermissionActions} and the
 * subject-specific action sets), by its wire name. Which subject knows which action is said by
 * {@link OrgSubject}; a rule or a check naming a pair outside it is refused.
 */
public enum OrgAction {
    READ("read"),
    CREATE("create"),
    EDIT("edit"),
    DELETE("delete"),
    GRANT_PRIVILEGES("grant-privileges"),
    ADD_MEMBERS("add-members"),
    REMOVE_MEMBERS("remove-members"),
    ADD_IDENTITIES("add-identities"),
    REMOVE_IDENTITIES("remove-identities"),
    REVOKE_AUTH("revoke-auth"),
    CREATE_TOKEN("create-token"),
    GET_TOKEN("get-token"),
    DELETE_TOKEN("delete-token"),
    MANAGE_BILLING("manage-billing"),
    CONNECT("connect"),
    ACCESS_ALL_PROJECTS("access-all-projects"),
    MANAGE_SETTINGS("manage-settings"),
    LIST_GATEWAYS("list-gateways"),
    CREATE_GATEWAYS("create-gateways"),
    EDIT_GATEWAYS("edit-gateways"),
    DELETE_GATEWAYS("delete-gateways"),
    ATTACH_GATEWAYS("attach-gateways"),
    LIST_RELAYS("list-relays"),
    CREATE_RELAYS("create-relays"),
    EDIT_RELAYS("edit-relays"),
    DELETE_RELAYS("delete-relays");

    private static final Map<String, OrgAction> BY_WIRE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(OrgAction::wire, Function.identity()));

    private final String wire;

    OrgAction(String wire) {
        this.wire = wire;
    }

    /** The name as stored in rules and sent by clients. */
    public String wire() {
        return wire;
    }

    /** The action with this wire name, if it is one. */
    public static Optional<OrgAction> fromWire(String wire) {
        return Optional.ofNullable(BY_WIRE.get(wire));
    }

    @Override
    public String toString() {
        return wire;
    }
}
