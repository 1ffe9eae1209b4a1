package dev.keyhaven.server.identity;

import dev.keyhaven.server.platform.web.ValidationException;
import java.util.List;
import java.util.Map;

/**
 * The attach/update body of universal auth, with Infisical's defaults and limits. On update,
 * absent fields keep their current value.
 */
public record UniversalAuthSettings(
        List<Map<String, Object>> clientSecretTrustedIps,
        List<Map<String, Object>> accessTokenTrustedIps,
        Long accessTokenTTL,
        Long accessTokenMaxTTL,
        Long accessTokenNumUsesLimit,
        Long accessTokenPeriod,
        Boolean lockoutEnabled,
        Integer lockoutThreshold,
        Integer lockoutDurationSeconds,
        Integer lockoutCounterResetSeconds) {

    static final UniversalAuthSettings EMPTY =
            new UniversalAuthSettings(null, null, null, null, null, null, null, null, null, null);
    static final long MAX_TTL = 315_360_000L;
    static final long DEFAULT_TTL = 2_592_000L;

    static long range(String field, Long value, long fallback, long min, long max) {
        long v = value == null ? fallback : value;
        if (v < min || v > max) {
            throw ValidationException.field(field, "Number must be between " + min + " and " + max);
        }
        return v;
    }

    static void checkTtls(long ttl, long maxTtl) {
        if (maxTtl > 0 && ttl > maxTtl) {
            throw ValidationException.field("accessTokenTTL", "Access token TTL cannot be greater than max TTL");
        }
    }
}
