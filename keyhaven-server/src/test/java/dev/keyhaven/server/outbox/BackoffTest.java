package dev.keyhaven.server.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(5));

    @Test
    void theStepDoublesWithEachFailureUpToTheMaximum() {
        assertThat(backoff.ceilingMillis(1)).isEqualTo(10_000);
        assertThat(backoff.ceilingMillis(2)).isEqualTo(20_000);
        assertThat(backoff.ceilingMillis(3)).isEqualTo(40_000);
        assertThat(backoff.ceilingMillis(5)).isEqualTo(160_000);
        assertThat(backoff.ceilingMillis(6)).isEqualTo(300_000);
        assertThat(backoff.ceilingMillis(1_000)).isEqualTo(300_000);
    }

    @Test
    void theWaitIsDrawnFromTheUpperHalfOfTheStep() {
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 2_000; i++) {
            long d = backoff.delayMillis(3);
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertThat(min).isGreaterThanOrEqualTo(20_000);
        assertThat(max).isLessThanOrEqualTo(40_000);
        assertThat(max - min).as("jittered, not fixed").isGreaterThan(10_000);
    }
}
