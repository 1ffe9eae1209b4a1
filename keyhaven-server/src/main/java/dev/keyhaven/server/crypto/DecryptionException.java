package dev.keyhaven.server.crypto;

import dev.keyhaven.server.platform.web.ServerFault;

/** A ciphertext that does not open under the expected key and associated data. */
public class DecryptionException extends ServerFault {
    private static final long serialVersionUID = 1L;

    public DecryptionException(String reason) {
        super(
                "IntegrityError",
                "Stored data failed its integrity check; the server log has details",
                "stored ciphertext failed its integrity check: decryption failed: " + reason);
    }
}
