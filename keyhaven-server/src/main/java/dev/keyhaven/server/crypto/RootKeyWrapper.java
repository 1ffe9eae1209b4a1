package dev.keyhaven.server.crypto;

import java.util.Optional;

/**
 * The root key as an operation, not a value: it wraps the keys below it (org keys, the instance
 * keys) and unwraps them again, and the key itself never leaves the implementation. This is the
 * seam for where a root key lives: a key in the environment or in a file (an AES-256-GCM key held
 * in memory, {@link LocalRootKeyWrapper}), and later a PKCS#11 HSM or a cloud KMS whose key cannot
 * be extracted at all. {@link Keyring} is the only caller; a {@link RootKeyProvider} hands one out.
 *
 * <p>Contract for an implementation: {@link #wrap} seals a short secret (a random 32-byte key, or
 * the 23-byte check value by which Keyring recognises the key that goes with the data) bound to the
 * associated data, {@link #unwrap} returns it only for the same associated data and throws {@link
 * DecryptionException} for anything else (another key, another AAD, a changed byte); the wrapped
 * form is opaque bytes (Keyring stores it as base64 text in {@code data_keys.wrapped_key}) and must
 * stay readable for as long as the key exists; {@link #id()} names the key stably (the same key
 * gives the same id on every node and start), so that a rotation can tell which key wrapped a row;
 * nothing about the key material appears in {@code toString()}, logs or exceptions. Every call is
 * made at start-up or on a cache miss (keys below are cached for minutes), never per request.
 */
public interface RootKeyWrapper {

    /** A stable name of this key (not secret): the same key has the same id everywhere. */
    String id();

    /** Where the key lives, for start-up logs and messages (a variable name, a file, a key URI). */
    String source();

    /** Wraps {@code key} bound to {@code aad}; the result opens only with the same AAD. */
    byte[] wrap(byte[] key, String aad);

    /**
     * Unwraps what {@link #wrap} returned for the same AAD.
     *
     * @throws DecryptionException when the key, the AAD or any byte differs
     */
    byte[] unwrap(byte[] wrapped, String aad);

    /**
     * The credential digest key of installations older than the instance digest key: an HMAC of
     * the root key itself, which only a key held in memory can compute. Asked once, on the first
     * start after the upgrade and only when the database holds such digests; the result is then
     * stored wrapped like any other key. A root key that never held raw bytes (HSM, KMS) has no
     * older digests to read and keeps the default.
     */
    default Optional<byte[]> legacyCredentialDigestKey() {
        return Optional.empty();
    }
}
