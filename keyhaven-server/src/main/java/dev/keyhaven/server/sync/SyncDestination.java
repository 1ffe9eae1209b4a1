package dev.keyhaven.server.sync;

import java.util.Map;
import java.util.Set;

/**
 * One kind of external store that a folder's secrets are copied to (AWS Parameter Store, GitHub
 * Actions secrets, a Vault KV mount…), in the manner of Infisical's secret-sync destinations. The
 * platform owns the rest — the sync's storage, its app connection's credentials, permissions
 * ({@code secret-syncs}), the key schema that renames keys and limits which destination keys are
 * managed, the initial-sync behaviour, status and audit — and runs every call from the durable
 * outbox, so a destination that is down is retried and a restart loses no sync.
 *
 * <p>A destination is a Spring bean; {@link SyncDestinations} finds it by {@link #type()}. It
 * receives keys already renamed by the key schema and values already decrypted, and never logs
 * them. Methods throw {@link SyncException} with a message fit for the sync's status.
 */
public interface SyncDestination {
    /** The destination in the API, e.g. {@code aws-parameter-store} or {@code github}. */
    String type();

    /** Checks a destination configuration and returns it normalised; refuses what can never work. */
    Map<String, Object> validate(Map<String, Object> destinationConfig);

    /**
     * Makes the destination hold {@code secrets} (key → value): creates and updates them and, unless
     * {@code deleteOthers} is false, deletes the managed keys in {@code managedKeys} that are gone.
     */
    void push(
            Map<String, Object> destinationConfig,
            Map<String, String> secrets,
            Set<String> managedKeys,
            boolean deleteOthers);

    /** Reads the managed keys the destination holds now (for the import behaviours). */
    Map<String, String> pull(Map<String, Object> destinationConfig, Set<String> managedKeys);

    /** Deletes {@code keys} from the destination; deleting one that is absent succeeds. */
    void remove(Map<String, Object> destinationConfig, Set<String> keys);

    /** Whether {@link #pull} is supported (the import behaviours are offered only then). */
    default boolean canImport() {
        return true;
    }
}
