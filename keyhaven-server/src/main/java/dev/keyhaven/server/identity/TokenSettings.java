package dev.keyhaven.server.identity;

import java.util.List;
import java.util.Map;

/**
 * The token rules every auth method shares: lifetime in seconds (0 = no expiry), maximum lifetime
 * across renewals, number of uses, periodic renewal, and the addresses a token may be used from.
 */
public record TokenSettings(
        long ttl, long maxTtl, long numUsesLimit, long period, List<Map<String, Object>> trustedIps) {}
