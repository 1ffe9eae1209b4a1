package dev.keyhaven.server.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Keyed SHA-256 (HMAC) digests of machine credentials: access tokens and client secrets are 256
 * random bits, so a keyed digest is as strong as a slow hash and costs microseconds. The digest
 * key is derived from the root key, so a stolen database alone cannot test guesses.
 */
@Component
public class SecretDigests {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final byte[] digestKey;

    public SecretDigests(Keyring keyring) {
        this.digestKey =
                hmac(keyring.rootKey().bytes(), "keyhaven:credential-digest:v1".getBytes(StandardCharsets.UTF_8));
    }

    /** Hex HMAC-SHA256 of a credential, for storage and lookup. */
    public String digest(String credential) {
        return HexFormat.of().formatHex(hmac(digestKey, credential.getBytes(StandardCharsets.UTF_8)));
    }

    /** {@code bytes} random bytes as lowercase hex. */
    public static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
