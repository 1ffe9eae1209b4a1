package dev.keyhaven.server.crypto;

import java.util.Optional;

/**
 * One source of the root key (environment, file; later PKCS#11 HSM or cloud KMS). Providers
 * are asked in order; the first that has a key wins. A provider that is configured but cannot
 * produce a valid key throws {@link dev.keyhaven.server.platform.config.StartupException}.
 */
public interface RootKeyProvider {
    /** Short name for logs and docs, e.g. {@code env} or {@code file}. */
    String name();

    Optional<RootKey> load();
}
