package dev.keyhaven.server.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyhaven.server.platform.config.StartupException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Redis limiter against the local Redis ({@code KEYHAVEN_TEST_REDIS_URL}, default
 * {@code redis://127.0.0.1:6379/0}). Every test uses its own key prefix, so parallel runs do not
 * count against each other.
 */
class RedisRateLimiterTest {
    static final String REDIS = System.getenv().getOrDefault("KEYHAVEN_TEST_REDIS_URL", "redis://127.0.0.1:6379/0");
    private static final long MINUTE_START = 1_700_000_040_000L;

    /** Fails with a message that says what to do when the test Redis is not there; never skips. */
    static void requireRedis() {
        RedisClient client = RedisClient.create(REDIS);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().ping();
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "Redis is not reachable at " + REDIS + " (" + e.getMessage() + "). The tests "
                            + "need it: start it (scripts/start-services.sh) or point KEYHAVEN_TEST_REDIS_URL at one.",
                    e);
        } finally {
            client.shutdown();
        }
    }

    @BeforeAll
    static void redisIsThere() {
        requireRedis();
    }

    private static String prefix() {
        return "kh-test-" + UUID.randomUUID() + ":";
    }

    @Test
    void twoLimitersOnOneRedisShareTheCount() {
        FixedWindowRateLimiterTest.ManualClock clock =
                new FixedWindowRateLimiterTest.ManualClock(MINUTE_START + 10_000);
        String prefix = prefix();
        try (RedisRateLimiter a = new RedisRateLimiter(REDIS, prefix, new FixedWindowRateLimiter(clock), clock);
                RedisRateLimiter b = new RedisRateLimiter(REDIS, prefix, new FixedWindowRateLimiter(clock), clock)) {
            assertThat(a.hit("k", 3)).isZero();
            assertThat(b.hit("k", 3)).isZero();
            assertThat(a.hit("k", 3)).isZero();
            assertThat(b.hit("k", 3))
                    .as("the fourth hit, the second on this limiter")
                    .isEqualTo(50);
            assertThat(a.hit("other", 3)).isZero();
            clock.millis = MINUTE_START + 60_000;
            assertThat(b.hit("k", 3)).as("a new window").isZero();
        }
    }

    @Test
    void theCounterKeyExpiresOnItsOwn() {
        Clock clock = Clock.systemUTC();
        String prefix = prefix();
        try (RedisRateLimiter limiter = new RedisRateLimiter(REDIS, prefix, new FixedWindowRateLimiter(clock), clock)) {
            long now = clock.millis();
            assertThat(limiter.hit("ttl", 5)).isZero();
            RedisClient client = RedisClient.create(REDIS);
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                String key = prefix + "rl:ttl:" + now / RateLimiter.WINDOW_MS;
                long ttl = c.sync().pttl(key);
                assertThat(ttl).as("pttl of " + key).isBetween(1L, 2 * RateLimiter.WINDOW_MS);
                assertThat(c.sync().get(key)).isEqualTo("1");
            } finally {
                client.shutdown();
            }
        }
    }

    @Test
    void whileRedisIsUnreachableHitsAreCountedLocallyAndNothingFails() {
        FixedWindowRateLimiterTest.ManualClock clock = new FixedWindowRateLimiterTest.ManualClock(MINUTE_START);
        // port 1 on loopback: nothing listens, the connection is refused at once
        try (RedisRateLimiter limiter =
                new RedisRateLimiter("redis://127.0.0.1:1/0", prefix(), new FixedWindowRateLimiter(clock), clock)) {
            assertThat(limiter.hit("k", 2)).isZero();
            assertThat(limiter.hit("k", 2)).isZero();
            assertThat(limiter.hit("k", 2)).as("the local limit still applies").isPositive();
        }
    }

    @Test
    void aUrlThatIsNotARedisUrlStopsTheServer() {
        Clock clock = Clock.systemUTC();
        assertThatThrownBy(() ->
                        new RedisRateLimiter("http://not redis", prefix(), new FixedWindowRateLimiter(clock), clock))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("KEYHAVEN_REDIS_URL");
    }
}
