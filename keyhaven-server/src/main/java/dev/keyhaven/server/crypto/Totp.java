package dev.keyhaven.server.crypto;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;

/**
 * RFC 6238 time-based one-time passwords as authenticator apps make them: HMAC-SHA1, 30-second
 * steps, six digits, the secret as unpadded Base32. A code is accepted for the current step and
 * one step either side, and only for a step later than the last one accepted, so no code works twice.
 */
public final class Totp {
    public static final Duration STEP = Duration.ofSeconds(30);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final TimeBasedOneTimePasswordGenerator GENERATOR = new TimeBasedOneTimePasswordGenerator(STEP, 6);

    private Totp() {}

    /** A new 160-bit secret in Base32. */
    public static String newSecret() {
        byte[] b = new byte[20];
        RANDOM.nextBytes(b);
        return new Base32().encodeToString(b).replace("=", "");
    }

    /** The code for the step that holds {@code at}. */
    public static String code(String secret, Instant at) {
        try {
            return GENERATOR.generateOneTimePasswordString(key(secret), at);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("invalid TOTP secret", e);
        }
    }

    /** The time step of an instant. */
    public static long step(Instant at) {
        return at.getEpochSecond() / STEP.getSeconds();
    }

    /**
     * The step the code belongs to, among the current one and one either side that are later than
     * {@code lastStep}; -1 when none matches. Spaces in the code are removed first.
     */
    public static long matchingStep(String secret, String code, Instant now, long lastStep) {
        String given = normalize(code);
        if (given == null) {
            return -1;
        }
        long current = step(now);
        long found = -1;
        for (long s = current - 1; s <= current + 1; s++) {
            String expected = code(secret, Instant.ofEpochSecond(s * STEP.getSeconds()));
            boolean equal = MessageDigest.isEqual(
                    expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII));
            if (equal && s > lastStep && found < 0) {
                found = s;
            }
        }
        return found;
    }

    /** Six digits after removing spaces, or null for anything else. */
    public static String normalize(String code) {
        if (code == null) {
            return null;
        }
        String c = code.replace(" ", "").replace("\t", "");
        return c.matches("\\d{6}") ? c : null;
    }

    /** The otpauth:// URI authenticator apps read from a QR code. */
    public static String uri(String issuer, String account, String secret) {
        String i = URLEncoder.encode(issuer, StandardCharsets.UTF_8).replace("+", "%20");
        String a = URLEncoder.encode(account, StandardCharsets.UTF_8).replace("+", "%20");
        return "otpauth://totp/" + i + ":" + a + "?secret=" + secret + "&issuer=" + i
                + "&algorithm=SHA1&digits=6&period=30";
    }

    private static SecretKeySpec key(String secret) {
        return new SecretKeySpec(new Base32().decode(secret), "HmacSHA1");
    }
}
