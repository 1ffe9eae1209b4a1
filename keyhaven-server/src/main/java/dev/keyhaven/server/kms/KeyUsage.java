package dev.keyhaven.server.kms;

import java.util.Arrays;
import java.util.Optional;

/** What a KMS key is for, by Infisical's wire name. */
public enum KeyUsage {
    ENCRYPT_DECRYPT("encrypt-decrypt"),
    SIGN_VERIFY("sign-verify");

    private final String wire;

    KeyUsage(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<KeyUsage> fromWire(String wire) {
        return Arrays.stream(values()).filter(u -> u.wire.equals(wire)).findFirst();
    }
}
