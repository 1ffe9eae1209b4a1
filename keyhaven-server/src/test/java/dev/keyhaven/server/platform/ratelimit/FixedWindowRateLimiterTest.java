package dev.keyhaven.server.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class FixedWindowRateLimiterTest {
    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        long millis;

        ManualClock(long millis) {
            this.millis = millis;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private static final long MINUTE_START = 1_700_000_040_000L; // a whole minute since the epoch

    @Test
    void hitsWithinTheLimitPassAndTheNextOneSaysHowLongToWait() {
        ManualClock clock = new ManualClock(MINUTE_START + 15_000);
        FixedWindowRateLimiter limiter = new FixedWindowRateLimiter(clock);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.hit("k", 3)).isZero();
        }
        assertThat(limiter.hit("k", 3)).isEqualTo(45);
        clock.millis = MINUTE_START + 59_500;
        assertThat(limiter.hit("k", 3)).isEqualTo(1);
    }

    @Test
    void aNewWindowStartsFromZero() {
        ManualClock clock = new ManualClock(MINUTE_START + 59_000);
        FixedWindowRateLimiter limiter = new FixedWindowRateLimiter(clock);
        assertThat(limiter.hit("k", 1)).isZero();
        assertThat(limiter.hit("k", 1)).isPositive();
        clock.millis = MINUTE_START + 60_000;
        assertThat(limiter.hit("k", 1)).isZero();
    }

    @Test
    void keysAreCountedApart() {
        FixedWindowRateLimiter limiter = new FixedWindowRateLimiter(new ManualClock(MINUTE_START));
        assertThat(limiter.hit("a", 1)).isZero();
        assertThat(limiter.hit("b", 1)).isZero();
        assertThat(limiter.hit("a", 1)).isPositive();
    }

    @Test
    void aLimitOfZeroMeansNoLimit() {
        FixedWindowRateLimiter limiter = new FixedWindowRateLimiter(new ManualClock(MINUTE_START));
        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.hit("k", 0)).isZero();
        }
    }
}
