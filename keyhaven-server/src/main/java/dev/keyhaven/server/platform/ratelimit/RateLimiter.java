package dev.keyhaven.server.platform.ratelimit;

/**
 * Counts hits per key in fixed one-minute windows and says when a key is over its limit. One
 * implementation counts in this node's memory ({@link FixedWindowRateLimiter}); the other in Redis
 * ({@link RedisRateLimiter}), so that every node counts against the same limit.
 */
public interface RateLimiter {
    /** Length of one counting window. */
    long WINDOW_MS = 60_000;

    /**
     * Counts one hit for {@code key}; returns 0 when it is within {@code perMinute}, else the seconds
     * until the window ends (at least 1). A limit of 0 or less means no limit and counts nothing.
     */
    long hit(String key, int perMinute);

    /** Seconds from {@code now} to the end of its window, at least 1. */
    static long secondsLeft(long now) {
        long end = (now / WINDOW_MS + 1) * WINDOW_MS;
        return Math.max(1, (end - now + 999) / 1000);
    }
}
