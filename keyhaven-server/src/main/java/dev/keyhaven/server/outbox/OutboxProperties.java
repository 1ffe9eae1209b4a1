package dev.keyhaven.server.outbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the outbox dispatches, from {@code KEYHAVEN_OUTBOX_*}: how often each node looks for due
 * items besides the nudge after every commit ({@code POLL_INTERVAL}, default 5s), how many items
 * one claim takes ({@code BATCH_SIZE}, default 20) and how many dispatcher threads a node runs
 * ({@code WORKERS}, default 1); attempts before an item goes to the dead letters
 * ({@code MAX_ATTEMPTS}, default 10) and the delay between them, doubling from
 * {@code BACKOFF_BASE} (default 10s) up to {@code BACKOFF_MAX} (default 1h), each drawn at random
 * from its upper half; how long a claim holds ({@code LEASE}, default 5m) before another node may
 * take the item over; and how long delivered and dead items stay listed
 * ({@code DELIVERED_RETENTION}, default 7d; {@code DEAD_RETENTION}, default 30d).
 */
@ConfigurationProperties("keyhaven.outbox")
public record OutboxProperties(
        Duration pollInterval,
        Integer batchSize,
        Integer workers,
        Integer maxAttempts,
        Duration backoffBase,
        Duration backoffMax,
        Duration lease,
        Duration deliveredRetention,
        Duration deadRetention) {

    public OutboxProperties {
        pollInterval = positive("poll-interval", pollInterval, Duration.ofSeconds(5));
        batchSize = atLeastOne("batch-size", batchSize, 20);
        workers = atLeastOne("workers", workers, 1);
        maxAttempts = atLeastOne("max-attempts", maxAttempts, 10);
        backoffBase = positive("backoff-base", backoffBase, Duration.ofSeconds(10));
        backoffMax = positive("backoff-max", backoffMax, Duration.ofHours(1));
        lease = positive("lease", lease, Duration.ofMinutes(5));
        deliveredRetention = positive("delivered-retention", deliveredRetention, Duration.ofDays(7));
        deadRetention = positive("dead-retention", deadRetention, Duration.ofDays(30));
        if (backoffMax.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException("keyhaven.outbox.backoff-max must not be shorter than backoff-base");
        }
    }

    /** The defaults, for dispatchers built outside Spring. */
    public static OutboxProperties defaults() {
        return new OutboxProperties(null, null, null, null, null, null, null, null, null);
    }

    private static Duration positive(String name, Duration value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("keyhaven.outbox." + name + " must be positive");
        }
        return value;
    }

    private static int atLeastOne(String name, Integer value, int fallback) {
        if (value == null) {
            return fallback;
        }
        if (value < 1) {
            throw new IllegalArgumentException("keyhaven.outbox." + name + " must be at least 1");
        }
        return value;
    }
}
