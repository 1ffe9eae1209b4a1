package dev.keyhaven.server.support;

import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * Rate limits count in one-minute windows aligned to the clock. A test that counts exactly
 * waits, when the current window is nearly over, for the next one, so its requests all fall in
 * one window.
 */
public final class MinuteWindows {
    private MinuteWindows() {}

    /** Returns once at least {@code seconds} remain in the current minute. */
    public static void awaitAtLeast(int seconds) {
        Awaitility.await("at least " + seconds + " s left in the current minute")
                .atMost(Duration.ofSeconds(61))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> 60_000 - System.currentTimeMillis() % 60_000 >= seconds * 1000L);
    }
}
