package dev.keyhaven.server.crypto;

/** A ciphertext that does not open under the expected key and associated data. */
public class DecryptionException extends RuntimeException {
    public DecryptionException(String reason) {
        super("decryption failed: " + reason);
    }
}
