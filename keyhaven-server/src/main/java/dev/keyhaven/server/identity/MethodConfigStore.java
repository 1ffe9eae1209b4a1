package dev.keyhaven.server.identity;

import java.util.Optional;

/**
 * What {@link MethodConfigs} needs from an auth method's store: the one configuration an identity
 * may have for the method, found by identity and written whole. Each method's store keeps its own
 * SQL and its own queries beyond these.
 */
interface MethodConfigStore<C extends MethodConfigStore.Stored> {
    /** A stored configuration: its own id and the identity it belongs to. */
    interface Stored {
        String id();

        String identityId();
    }

    Optional<C> byIdentity(String identityId);

    void insert(C config);

    void update(C config);

    void delete(String id);
}
