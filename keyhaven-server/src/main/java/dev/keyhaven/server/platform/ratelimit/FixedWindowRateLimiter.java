package dev.keyhaven.server.platform.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * Counts hits per key in fixed one-minute windows, in this node's memory. Enough to blunt
 * spraying and floods against one node; a shared limiter (Redis) can take its place behind the
 * same method when several nodes must count together.
 */
@Component
public class FixedWindowRateLimiter {
    private static final long WINDOW_MS = Duration.ofMinutes(1).toMillis();
    private final Cache<String, AtomicInteger> counters = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(2))
            .maximumSize(200_000)
            .build();
    private final Clock clock;

    public FixedWindowRateLimiter(Clock clock) {
        this.clock = clock;
    }

    /**
     * Counts one hit for {@code key}; returns 0 when it is within {@code perMinute}, else the seconds
     * until the window ends. A limit of 0 or less means no limit.
     */
    public long hit(String key, int perMinute) {
        if (perMinute <= 0) {
            return 0;
        }
        long now = clock.millis();
        long window = now / WINDOW_MS;
        AtomicInteger count = counters.get(key + "@" + window, k -> new AtomicInteger());
        if (count.incrementAndGet() <= perMinute) {
            return 0;
        }
        return Math.max(1, ((window + 1) * WINDOW_MS - now + 999) / 1000);
    }
}
