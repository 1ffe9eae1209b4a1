package dev.keyhaven.server.outbox;

import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Wakes this node's dispatchers when a transaction that enqueued something commits, so an item
 * usually leaves within milliseconds instead of waiting for the next poll. A generation counter
 * rather than a flag: a nudge that arrives while a dispatcher is busy is not lost.
 */
@Component
class Wakeup {
    private long generation;

    synchronized void nudge() {
        generation++;
        notifyAll();
    }

    synchronized long generation() {
        return generation;
    }

    /** Waits until a nudge after {@code seen}, or {@code max} has passed. */
    synchronized void await(long seen, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (generation == seen) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
