package dev.keyhaven.server.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Keyed SHA-256 (HMAC) digests of credentials (access tokens, client secrets, session and one-time
 * tokens, recovery codes): they are random and long, so a keyed digest is as strong as a slow hash
 * and costs microseconds, and a stolen database alone cannot test guesses. The key is the
 * instance's credential digest key, random and wrapped by the root key, so the root key can move
 * (rotation, an HSM) without invalidating a digest.
 *
 * <p>Digests are versioned. Today's are {@code v2:} followed by the base64url HMAC (46 characters);
 * those of older installations are 64 hex characters under a key once derived from the root key,
 * kept wrapped in the database since (see {@link Keyring}). Lookups try
 * today's digest first and the older one only when that finds nothing and the database holds older
 * digests at all, so a request with a current credential makes exactly the query it made before.
 */
@Component
public class SecretDigests {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String CURRENT_PREFIX = "v2:";
    private final byte[] digestKey;
    private final byte[] legacyKey;

    public SecretDigests(Keyring keyring) {
        this.digestKey = keyring.credentialDigestKey();
        this.legacyKey = keyring.legacyCredentialDigestKey().orElse(null);
    }

    /** Today's digest of a credential, for storing it. */
    public String digest(String credential) {
        return CURRENT_PREFIX
                + Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(hmac(digestKey, credential.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Looks a credential up by digest: today's first, then (only if that finds nothing and older
     * digests may exist) the older one. Each attempt is one indexed query.
     */
    public <T> Optional<T> find(String credential, Function<String, Optional<T>> lookup) {
        Optional<T> found = lookup.apply(digest(credential));
        if (found.isPresent() || legacyKey == null) {
            return found;
        }
        return lookup.apply(legacyDigest(credential));
    }

    /**
     * Like {@link #find}, for an action that reports whether its digest matched (using a code once,
     * say): true as soon as one version's digest does.
     */
    public boolean anyMatch(String credential, Predicate<String> action) {
        return find(credential, d -> action.test(d) ? Optional.of(Boolean.TRUE) : Optional.empty())
                .isPresent();
    }

    /** Whether {@code credential} has the stored digest {@code stored} (either version), in constant time. */
    public boolean matches(String credential, String stored) {
        if (stored == null || credential == null) {
            return false;
        }
        String expected;
        if (stored.startsWith(CURRENT_PREFIX)) {
            expected = digest(credential);
        } else if (legacyKey != null) {
            expected = legacyDigest(credential);
        } else {
            return false;
        }
        return MessageDigest.isEqual(
                stored.getBytes(StandardCharsets.US_ASCII), expected.getBytes(StandardCharsets.US_ASCII));
    }

    private String legacyDigest(String credential) {
        return HexFormat.of().formatHex(hmac(legacyKey, credential.getBytes(StandardCharsets.UTF_8)));
    }

    /** {@code bytes} random bytes as lowercase hex. */
    public static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
