package dev.keyhaven.server.outbox;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The wait before the next attempt: doubling from the base with each failed attempt, capped at the
 * maximum, and drawn at random from the upper half of that step ("equal jitter"), so the waits still
 * grow while items that failed together (a relay that was down) do not all come back at once.
 */
final class Backoff {
    private final long baseMillis;
    private final long maxMillis;

    Backoff(Duration base, Duration max) {
        this.baseMillis = base.toMillis();
        this.maxMillis = max.toMillis();
    }

    /** The step after {@code failedAttempts} failures (from 1), before jitter. */
    long ceilingMillis(int failedAttempts) {
        int doublings = Math.min(Math.max(failedAttempts - 1, 0), 40);
        long step = baseMillis;
        for (int i = 0; i < doublings && step < maxMillis; i++) {
            step *= 2;
        }
        return Math.min(step, maxMillis);
    }

    /** The wait after {@code failedAttempts} failures: between half the step and the step. */
    long delayMillis(int failedAttempts) {
        long ceiling = ceilingMillis(failedAttempts);
        long half = ceiling / 2;
        return half + ThreadLocalRandom.current().nextLong(ceiling - half + 1);
    }
}
