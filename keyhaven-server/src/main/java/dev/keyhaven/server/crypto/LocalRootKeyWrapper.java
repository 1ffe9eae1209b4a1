package dev.keyhaven.server.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A root key held in this process's memory (from {@code KEYHAVEN_ROOT_KEY} or the root key file):
 * wraps with AES-256-GCM through {@link Aead}, so a wrapped key is {@code nonce || ciphertext ||
 * tag}, the form Keyhaven has always stored. The key bytes stay in this object: nothing returns
 * them, {@link #toString()} hides them, and only the providers in this package construct one.
 */
final class LocalRootKeyWrapper implements RootKeyWrapper {
    private static final byte[] ID_LABEL = "keyhaven:root-key-id:v1".getBytes(StandardCharsets.UTF_8);
    /** The label today's credential digest key was derived with before the instance digest key. */
    private static final byte[] LEGACY_DIGEST_LABEL = "keyhaven:credential-digest:v1".getBytes(StandardCharsets.UTF_8);

    private final byte[] key;
    private final String source;
    private final String id;

    LocalRootKeyWrapper(byte[] key, String source) {
        if (key.length != Aead.KEY_BYTES) {
            throw new IllegalArgumentException("root key must be 32 bytes");
        }
        this.key = Arrays.copyOf(key, key.length);
        this.source = source;
        // a fingerprint, not the key: 64 bits of an HMAC under it, the same wherever the key is given
        this.id = "local:" + HexFormat.of().formatHex(Arrays.copyOf(SecretDigests.hmac(this.key, ID_LABEL), 8));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public byte[] wrap(byte[] plaintextKey, String aad) {
        return Aead.sealBytes(key, plaintextKey, aad);
    }

    @Override
    public byte[] unwrap(byte[] wrapped, String aad) {
        return Aead.openBytes(key, wrapped, aad);
    }

    @Override
    public Optional<byte[]> legacyCredentialDigestKey() {
        return Optional.of(SecretDigests.hmac(key, LEGACY_DIGEST_LABEL));
    }

    @Override
    public String toString() {
        return "RootKey[" + id + " from " + source + ", value hidden]";
    }
}
