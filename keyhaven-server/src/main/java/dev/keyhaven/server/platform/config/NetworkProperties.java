package dev.keyhaven.server.platform.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The network-facing settings, bound like {@link KeyhavenProperties} from {@code KEYHAVEN_*}
 * variables: which proxies may say who the client is ({@code KEYHAVEN_TRUSTED_PROXIES}), the
 * secret read and write rate limits, and the Redis that shares rate-limit counters between nodes.
 */
@ConfigurationProperties("keyhaven")
public record NetworkProperties(
        String trustedProxies,
        String redisUrl,
        String redisKeyPrefix,
        Integer rateReadsPerMinute,
        Integer rateWritesPerMinute) {

    public NetworkProperties {
        if (redisUrl != null && redisUrl.isBlank()) {
            redisUrl = null;
        }
        if (redisKeyPrefix == null || redisKeyPrefix.isBlank()) {
            redisKeyPrefix = "keyhaven:";
        }
        requireNotNegative("KEYHAVEN_RATE_READS_PER_MINUTE", rateReadsPerMinute);
        requireNotNegative("KEYHAVEN_RATE_WRITES_PER_MINUTE", rateWritesPerMinute);
    }

    /** Secret reads per minute for one actor, and separately for one address (default 6,000; 0 = no limit). */
    public int readsPerMinute() {
        return rateReadsPerMinute == null ? 6000 : rateReadsPerMinute;
    }

    /** Secret writes per minute for one actor, and separately for one address (default 600; 0 = no limit). */
    public int writesPerMinute() {
        return rateWritesPerMinute == null ? 600 : rateWritesPerMinute;
    }

    private static void requireNotNegative(String name, Integer value) {
        if (value != null && value < 0) {
            throw new StartupException(
                    name + " must be 0 (no limit) or a positive number of requests per minute, got " + value);
        }
    }

    @Override
    public String toString() {
        // the Redis URL may carry a password
        return "NetworkProperties[trustedProxies=" + trustedProxies + ", redis=" + (redisUrl == null ? "off" : "on")
                + ", reads=" + readsPerMinute() + ", writes=" + writesPerMinute() + "]";
    }
}
