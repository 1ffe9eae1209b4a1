package dev.keyhaven.server.platform.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts hits per key in fixed one-minute windows, in this node's memory. Enough to blunt
 * spraying and floods against one node; {@link RedisRateLimiter} takes its place when several
 * nodes must count together, and falls back to it while Redis cannot be reached.
 */
public class FixedWindowRateLimiter implements RateLimiter {
    private final Cache<String, AtomicInteger> counters = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMillis(2 * WINDOW_MS))
            .maximumSize(200_000)
            .build();
    private final Clock clock;

    public FixedWindowRateLimiter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public long hit(String key, int perMinute) {
        if (perMinute <= 0) {
            return 0;
        }
        long now = clock.millis();
        AtomicInteger count = counters.get(key + "@" + now / WINDOW_MS, k -> new AtomicInteger());
        if (count.incrementAndGet() <= perMinute) {
            return 0;
        }
        return RateLimiter.secondsLeft(now);
    }
}
