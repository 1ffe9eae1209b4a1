package dev.keyhaven.server.crypto;

import java.util.List;
import java.util.Map;

/**
 * The root key in use ({@code rootKeyId}, a name, never key material), where it comes from, the
 * previous root keys given for a rotation, how many root-wrapped keys each root key wrapped
 * ({@code unknown}: wrapped before ids were kept), and how long unwrapped keys stay in memory.
 */
public record RootKeyStatus(
        String rootKeyId,
        String source,
        List<String> previousRootKeyIds,
        Map<String, Long> keysByRootKey,
        long keyCacheSeconds) {

    /** True while some key is still wrapped by another root key than the current one. */
    public boolean rotationPending() {
        return keysByRootKey.keySet().stream().anyMatch(id -> !id.equals(rootKeyId));
    }
}
