package dev.keyhaven.server.crypto;

import java.util.List;
import java.util.Optional;

/**
 * One source of the root key (environment, file; later PKCS#11 HSM or cloud KMS). Providers
 * are asked in order; the first that has a key wins. A provider that is configured but cannot
 * produce a valid key throws {@link dev.keyhaven.server.platform.config.StartupException}. What a
 * provider hands out is a {@link RootKeyWrapper}: the key stays inside it.
 */
public interface RootKeyProvider {
    /** Short name for logs and docs, e.g. {@code env} or {@code file}. */
    String name();

    /** The key this provider holds, or empty when it has none (it never makes one here). */
    Optional<RootKeyWrapper> load();

    /** Why this provider has no key, naming where it looks (for the message when no provider has one). */
    String describeMissing();

    /**
     * Makes and stores a new key. Asked only when no provider has a key and the database holds
     * nothing sealed yet, so a key is never made for data that an older key protects.
     */
    default Optional<RootKeyWrapper> generate() {
        return Optional.empty();
    }

    /**
     * The root keys of this kind that a rotation moves away from (they may still have wrapped some
     * keys), from the provider's {@code _PREVIOUS_} setting; empty when none is given.
     */
    default List<RootKeyWrapper> loadPrevious(KeyLifetimeProperties lifetime) {
        return List.of();
    }
}
