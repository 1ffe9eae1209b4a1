package dev.keyhaven.server.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 with a key the caller holds (a webhook's signing secret), for signing what Keyhaven
 * sends so the receiver can check it came from here, and for checking such a signature in constant
 * time. Credentials Keyhaven stores are digested with {@link SecretDigests} instead, under the
 * instance's own key.
 */
public final class Hmac {
    private Hmac() {}

    /** The lower-case hex HMAC-SHA256 of {@code data} (UTF-8) under {@code key} (UTF-8). */
    public static String sha256Hex(String key, String data) {
        return HexFormat.of()
                .formatHex(sha256(key.getBytes(StandardCharsets.UTF_8), data.getBytes(StandardCharsets.UTF_8)));
    }

    /** Whether {@code hexSignature} is the HMAC of {@code data} under {@code key}, compared in constant time. */
    public static boolean verifyHex(String key, String data, String hexSignature) {
        if (hexSignature == null) {
            return false;
        }
        return MessageDigest.isEqual(
                sha256Hex(key, data).getBytes(StandardCharsets.US_ASCII),
                hexSignature.getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] sha256(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
