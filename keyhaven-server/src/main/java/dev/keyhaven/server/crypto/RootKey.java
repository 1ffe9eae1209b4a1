package dev.keyhaven.server.crypto;

import java.util.Arrays;

/**
 * The operator's root key, held in memory only. It wraps org keys and derives the token digest
 * key; it is never logged, serialised or returned ({@link #toString()} says so).
 */
public final class RootKey {
    private final byte[] key;
    private final String source;

    public RootKey(byte[] key, String source) {
        if (key.length != Aead.KEY_BYTES) {
            throw new IllegalArgumentException("root key must be 32 bytes");
        }
        this.key = Arrays.copyOf(key, key.length);
        this.source = source;
    }

    byte[] bytes() {
        return key;
    }

    /** Where the key came from (for start-up logs), never the key itself. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "RootKey[from " + source + ", value hidden]";
    }
}
