package dev.keyhaven.server.dynamic;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The values Keyhaven makes for a lease: a username of lowercase letters and digits after a fixed
 * prefix, a password of letters and digits, and the expiry as an ISO-8601 UTC timestamp; none can
 * hold a quote, a {@code ;} or a space.
 */
public final class Generated {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String LOWER = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String MIXED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private Generated() {}

    /** {@code kh_} and 16 lowercase letters and digits (fits MySQL's 32-character user names). */
    public static String username() {
        return "kh_" + random(LOWER, 16);
    }

    /** 32 letters and digits (about 190 bits). */
    public static String password() {
        return random(MIXED, 32);
    }

    /** The expiry as {@code 2026-01-31T12:00:00Z}, which PostgreSQL's {@code VALID UNTIL} accepts. */
    public static String expiration(Instant at) {
        return at.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String random(String alphabet, int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
