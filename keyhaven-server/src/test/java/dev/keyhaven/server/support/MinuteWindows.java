package dev.keyhaven.server.support;

/**
 * Rate limits count in one-minute windows aligned to the clock. A test that counts exactly
 * waits, when the current window is nearly over, for the next one, so its requests all fall in
 * one window.
 */
public final class MinuteWindows {
    private MinuteWindows() {}

    /** Returns once at least {@code seconds} remain in the current minute. */
    public static void awaitAtLeast(int seconds) {
        long intoMinute = System.currentTimeMillis() % 60_000;
        long left = 60_000 - intoMinute;
        if (left < seconds * 1000L) {
            try {
                Thread.sleep(left + 100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
